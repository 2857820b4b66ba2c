// Experiment 4, "do gates keep the learning signal alive?": the gradient by distance for
// RNN, LSTM, GRU, attention and two diagonal linear recurrences, set beside published results.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const ORDER = ns.charts.architectures.ORDER;
  const curve = (r, architecture) => ns.charts.architectures.curve(r, architecture);
  const LINEAR = ['linear_a', 'linear_b'];

  function table(run) {
    const r = run.main;
    const columns = ['distance k'];
    for (const a of ORDER) {
      const name = ns.charts.architectures.name(curve(r, a));
      columns.push(name + ' median', name + ' quartile 1', name + ' quartile 3');
    }
    const curves = ORDER.map((a) => curve(r, a));
    return [{
      caption: 'Gradient of the last output with respect to the input k steps back (across ' + r.params.seeds + ' networks)',
      columns: columns,
      rows: Array.from(r.distances, (k, i) => [k].concat(...curves.map((cv) => [cv.norm.median[i], cv.norm.q1[i], cv.norm.q3[i]]))),
    }, {
      file: 'context',
      caption: 'Attention: gradient to the previous token as the context grows',
      columns: ['context length n', 'median', 'quartile 1', 'quartile 3'],
      rows: Array.from(r.attention_context_lengths, (n, i) => [n, r.attention_context_norm.median[i],
        r.attention_context_norm.q1[i], r.attention_context_norm.q3[i]]),
    }];
  }

  // Median at the largest distance, and the fitted factor per step.
  function atEnd(r, architecture) {
    const cv = curve(r, architecture);
    const i = r.distances.length - 1;
    return { k: r.distances[i], norm: cv.norm.median[i], decay: cv.decay_per_step, r2: cv.decay_r_squared,
      name: ns.charts.architectures.name(cv), short: ns.charts.architectures.name(cv, true) };
  }

  // The run's figures, computed once: the readout, notice, claims, summary, prediction and
  // chart descriptions all read these.
  function facts(run) {
    const r = run.main;
    const end = {};
    for (const a of ORDER) end[a] = atEnd(r, a);
    // The distance the prediction asks about (500), or the nearest one run.
    let q = 0;
    r.distances.forEach((k, i) => { if (Math.abs(k - 500) < Math.abs(r.distances[q] - 500)) q = i; });
    const atQuoted = ORDER.map((a) => ({ architecture: a, norm: curve(r, a).norm.median[q] }));
    const largest = atQuoted.reduce((best, x) => (x.norm > best.norm ? x : best));
    return {
      k: r.distances[r.distances.length - 1],
      end: end,
      quotedK: r.distances[q],
      atQuoted: atQuoted,
      largestAtQuoted: largest,
      contextSlope: r.attention_context_slope,
      forgetBias: r.params.forget_bias,
      recurrentScale: r.params.recurrent_scale,
      hiddenSize: r.params.hidden_size,
      seeds: r.params.seeds,
    };
  }

  function readout(f) {
    const items = ORDER.map((a) => ({ label: f.end[a].name + ': factor per step', value: '×' + f.end[a].decay.toFixed(3) }));
    items.push({ label: 'Attention against context n: slope (log-log)', value: f.contextSlope.toFixed(2).replace('-', '−') });
    return items;
  }

  // "falling about 11× for every 10× more context (slope −1.03 on log-log axes)".
  function contextText(slope) {
    const factor = Math.pow(10, -slope);
    return (factor >= 1 ? 'falling about ' + c.sig(factor, 2) + '× for every 10× more context'
      : 'rising about ' + c.sig(1 / factor, 2) + '× for every 10× more context') +
      ' (slope ' + slope.toFixed(2).replace('-', '−') + ' on log-log axes)';
  }

  const logistic = (x) => 1 / (1 + Math.exp(-x));

  function notice(f) {
    const recurrent = ['rnn', 'lstm', 'gru'].map((a) => c.ARCHITECTURES[a].short + ' ' + c.sigSmall(f.end[a].norm, 2)).join(', ');
    const lstm = f.end.lstm;
    const ranked = ['rnn', 'lstm', 'gru'].slice().sort((a, b) => f.end[b].decay - f.end[a].decay);
    const lstmText = lstm.decay >= 0.99
      ? 'With its forget-gate bias at ' + String(f.forgetBias).replace('-', '−') + ' (with its other inputs at zero the gate would be ' + logistic(f.forgetBias).toFixed(2) + '), the LSTM’s gradient hardly fades: ×' + lstm.decay.toFixed(3) + ' per step. '
      : 'The LSTM’s factor is ×' + lstm.decay.toFixed(3) + ' per step with its forget-gate bias at ' + String(f.forgetBias).replace('-', '−') +
        ' (with its other inputs at zero the gate would be ' + logistic(f.forgetBias).toFixed(2) + ')' +
        (lstm.decay > logistic(f.forgetBias) ? '; the factor can exceed the gate because the gradient also flows back through h and the recurrent weights' : '') +
        '. A larger bias holds the gate nearer 1: try 3 or more and watch the factor. ';
    return 'At k = ' + f.k + ' the recurrent gradients are down to ' + recurrent + '; per step, ' +
      ranked.map((a) => c.ARCHITECTURES[a].short + ' ×' + f.end[a].decay.toFixed(3)).join(', ') + ' (largest first). ' + lstmText +
      'These networks are untrained, so this order belongs to this initialisation, not to the architectures in general. ' +
      'The linear recurrences’ gradients are multiplied by exactly their decay a at each step, whatever the input (' + LINEAR.map((a) => f.end[a].short + ' ×' + f.end[a].decay.toFixed(3)).join(', ') +
        '), leaving ' + LINEAR.map((a) => c.sigSmall(f.end[a].norm, 2)).join(' and ') + ' at k = ' + f.k + ': their factor is a number set directly, not a product of tanh slopes and weight matrices. ' +
      'Attention’s line is flat in k (×' + f.end.attention.decay.toFixed(3) + ' per step), but its level depends on the context: the second chart shows it ' +
      contextText(f.contextSlope) + ', because the softmax shares its weight among the n tokens.';
  }

  // The published results beside what this run measured.
  function claims(f) {
    const rnn = f.end.rnn;
    const lstm = f.end.lstm;
    const attn = f.end.attention;
    const s = f.recurrentScale;
    return [
      { cite: 'Pascanu, Mikolov & Bengio 2013', claim: 'in a tanh RNN, a recurrent matrix whose largest singular value σ₁ is below 1 is enough to make gradients vanish (a sufficient condition, not a necessary one).',
        measured: 'RNN at recurrent scale ' + s + ': ×' + rnn.decay.toFixed(3) + ' per step, ' + c.sigSmall(rnn.norm, 2) + ' at k = ' + rnn.k +
          '. A large random matrix drawn this way has spectral radius near ' + s + ' and σ₁ near ' + c.sig(2 * s, 2) +
          ', so for H = ' + f.hiddenSize + ' the guarantee ' + (2 * s < 1 ? 'very likely applies' : 'very likely does not apply, ' + (rnn.decay < 1 ? 'yet the gradient vanishes anyway' : 'and the gradient does not vanish')) +
          ' (experiment ' + ns.numberOf('gradient') + ' reports both numbers for its own network).' },
      { cite: 'Hochreiter & Schmidhuber 1997', claim: 'LSTM can learn to bridge time lags of more than 1,000 steps; its memory cell carries over with weight exactly 1 (the “constant error carousel”), with no forget gate.',
        measured: 'this LSTM has the forget gate added by Gers, Schmidhuber & Cummins (2000), and it is untrained: with the gate’s bias at ' + String(f.forgetBias).replace('-', '−') + ', ×' + lstm.decay.toFixed(3) +
          ' per step, ' + c.sigSmall(lstm.norm, 2) + ' at k = ' + lstm.k + '. Their long lags were bridged after training; ' +
          (lstm.decay >= 0.99 ? 'a forget gate held near 1 keeps the cell path open here too.' : 'a random LSTM with this bias does not keep the cell path open by itself.') },
      { cite: 'Vaswani et al. 2017, Table 1', claim: 'sequential operations and maximum path length are O(n) for a recurrent layer and O(1) for self-attention.',
        measured: 'attention ×' + attn.decay.toFixed(3) + ' per step (flat in k: one hop to every input); the recurrent curves multiply one Jacobian per step. ' +
          'Experiment ' + ns.numberOf('timing') + ' measured the sequential cost.' },
      { cite: 'Orvieto et al. 2023 (LRU)', claim: 'a deep network of linear recurrences with complex diagonal decays matches deep state-space models (S4) on the Long Range Arena, given linearity, a stable exponential parameterisation of the decays, a normalisation of the input, and decay magnitudes initialised close to 1 (needed for the longest tasks, such as PathX).',
        measured: LINEAR.map((a) => f.end[a].short + ': ×' + f.end[a].decay.toFixed(3) + ' per step, ' + c.sigSmall(f.end[a].norm, 2) + ' at k = ' + f.k).join('; ') +
          '. The gradient shrinks by the decay and by nothing else, so how far it reaches is set by a alone.' },
    ];
  }

  function describe(f, index) {
    if (index === 1) {
      return 'Chart: attention’s gradient to the previous token against the context length n, on logarithmic axes: ' + contextText(f.contextSlope) +
        '. The data tables below have every number.';
    }
    return 'Chart: gradient size against distance k on a logarithmic axis. Factor per step: ' +
      ORDER.map((a) => f.end[a].short + ' ×' + f.end[a].decay.toFixed(3)).join(', ') + '. At k = ' + f.k + ': ' +
      ORDER.map((a) => f.end[a].short + ' ' + c.sigSmall(f.end[a].norm, 2)).join(', ') + '. The data tables below have every number.';
  }

  function headline(f) {
    return 'per step ' + ['rnn', 'lstm', 'gru'].concat(LINEAR).map((a) => f.end[a].short + ' ×' + f.end[a].decay.toFixed(3)).join(', ') + ', attention flat';
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.experiments.architectures = {
    runRank: 3,  // the quickest first
    panel: { busy: 'Computing…', figures: 'Fitted figures', claims: true,
      csv: ['Download CSV (by distance)', 'CSV (attention by context)'],
      tables: ['Gradient by distance for every architecture', 'Attention gradient by context length'] },
    requests: requests,
    facts: facts, table: table, readout: readout, notice: notice, claims: claims, describe: describe, headline: headline,
    summary(f) {
      const rec = ['rnn', 'lstm', 'gru'].concat(LINEAR);
      const short = (a) => f.end[a].short;
      return [
        'Per step: ' + rec.map((a) => short(a) + ' ×' + f.end[a].decay.toFixed(3)).join(', ') + ' (untrained, H = ' + f.hiddenSize +
          '). Left at k = ' + f.k + ': ' + rec.map((a) => short(a) + ' ' + c.sigSmall(f.end[a].norm, 2)).join(', ') + '.',
        '×' + f.end.attention.decay.toFixed(3) + ' per step: flat in distance. Its level depends on the context length n instead, ' +
          contextText(f.contextSlope) + '.',
      ];
    },
    question: {
      question: 'Which will keep the largest gradient at distance 500 (or the nearest distance run)?',
      choices: [['rnn', 'the RNN'], ['lstm', 'the LSTM'], ['gru', 'the GRU'], ['attention', 'attention'], ['linear', 'a linear recurrence (either decay)']],
      measure(f) {
        const best = f.largestAtQuoted;
        return { value: LINEAR.indexOf(best.architecture) >= 0 ? 'linear' : best.architecture,
          text: f.end[best.architecture].short + ', with ' + c.sigSmall(best.norm, 2) + ' at k = ' + f.quotedK +
          ' (' + f.atQuoted.map((x) => f.end[x.architecture].short + ' ' + c.sigSmall(x.norm, 2)).join(', ') + ')' };
      },
    },
  };
})();
