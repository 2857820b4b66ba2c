// Experiment 4's charts: how strongly the last output depends on the input k steps back,
// for a tanh RNN, an LSTM, a GRU and causal self-attention (chart 0, log y: median line and
// quartile band per architecture), and attention's gradient to the previous token as its
// context grows (chart 1, log-log, with a 1/n reference line).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = (y) => y > 0;
  const ORDER = ['rnn', 'lstm', 'gru', 'attention'];

  function paint(ds, t, index) {
    if (index === 1) {
      c.paintBand(ds, 0, t.attn, t);
      Object.assign(ds[3], { borderColor: t.fit, backgroundColor: t.fit });
      return;
    }
    ORDER.forEach((a, i) => c.paintBand(ds, 3 * i, t[c.ARCHITECTURES[a].colour], t));
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    let datasets;
    if (index === 1) {
      options.scales = {
        x: c.oneTwoFiveAxis(c.axis(theme, 'context length n (tokens the query can see)', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'gradient to token n−1 (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = {
        label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'n = ' + items[0].parsed.x,
      };
      datasets = c.bandDatasets('attention: median across networks', { borderWidth: 2.5, pointRadius: 2 })
        .concat([{ label: 'shared equally: ∝ 1/n (reference)', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    } else {
      options.scales = {
        x: c.axis(theme, 'distance k (steps back from the last output)', { type: 'linear', beginAtZero: true }),
        y: c.decadeAxis(c.axis(theme, 'gradient size ‖∂(output at T) / ∂(input at T−k)‖ (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = {
        label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'k = ' + items[0].parsed.x,
      };
      // 12 series of up to 5,000 points: drawn through Chart.js's decimation (largest-triangle
      // sampling keeps each line's shape); the data tables keep every distance.
      options.plugins.decimation = { enabled: true, algorithm: 'lttb', samples: 300, threshold: 400 };
      datasets = [];
      ORDER.forEach((a, i) => {
        const spec = c.ARCHITECTURES[a];
        datasets.push.apply(datasets, c.bandDatasets(spec.name, {
          borderDash: spec.dash, borderWidth: a === 'attention' ? 3 : 2.5, order: i === 3 ? 0 : 1 }));
      });
    }
    paint(datasets, theme, index);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  function curve(r, architecture) {
    return r.curves.find((x) => x.architecture === architecture);
  }

  function render(chart, run, values, index) {
    const r = run.main;
    const ds = chart.data.datasets;
    const bands = r.params.seeds >= 2;
    if (index === 1) {
      const n = Array.from(r.attention_context_lengths);
      c.fillBand(ds, 0, n, r.attention_context_norm, positive, bands);
      ds[2].label = bands ? 'middle half of the networks' : '';
      // Reference through the geometric mean of the medians, with slope -1 on log-log axes.
      const logs = [];
      n.forEach((x, i) => { const y = r.attention_context_norm.median[i]; if (y > 0) logs.push(Math.log(y) + Math.log(x)); });
      const level = logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : NaN;
      ds[3].data = Number.isFinite(level) && n.length ? [n[0], n[n.length - 1]].map((x) => ({ x: x, y: level / x })) : [];
    } else {
      const k = Array.from(r.distances);
      ORDER.forEach((a, i) => {
        const cv = curve(r, a);
        c.fillBand(ds, 3 * i, k, cv.norm, positive, bands);
        ds[3 * i].label = c.ARCHITECTURES[a].name + ' ×' + cv.decay_per_step.toFixed(3) + ' per step';
      });
    }
    chart.update('none');
  }

  function table(run) {
    const r = run.main;
    const columns = ['distance k'];
    for (const a of ORDER) {
      const name = c.ARCHITECTURES[a].name;
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

  function readout(run) {
    const r = run.main;
    const items = ORDER.map((a) => ({
      label: c.ARCHITECTURES[a].name + ': factor per step',
      value: '×' + curve(r, a).decay_per_step.toFixed(3),
    }));
    items.push({ label: 'Attention vs context n: slope (log-log)', value: r.attention_context_slope.toFixed(2) });
    return items;
  }

  // Median at the largest distance.
  function atEnd(r, architecture) {
    const cv = curve(r, architecture);
    const i = r.distances.length - 1;
    return { k: r.distances[i], norm: cv.norm.median[i], decay: cv.decay_per_step, r2: cv.decay_r_squared };
  }

  // "falling about 11× for every 10× more context (slope −1.03 on log-log axes)".
  function contextText(slope) {
    const factor = Math.pow(10, -slope);
    return (factor >= 1 ? 'falling about ' + c.sig(factor, 2) + '× for every 10× more context'
      : 'rising about ' + c.sig(1 / factor, 2) + '× for every 10× more context') +
      ' (slope ' + slope.toFixed(2).replace('-', '−') + ' on log-log axes)';
  }

  function notice(run) {
    const r = run.main;
    const end = (a) => atEnd(r, a);
    const K = r.distances[r.distances.length - 1];
    const recurrent = ['rnn', 'lstm', 'gru'].map((a) => c.ARCHITECTURES[a].short + ' ' + c.sig(end(a).norm, 2)).join(', ');
    const lstm = end('lstm');
    const lstmText = lstm.decay >= 0.99
      ? 'With its forget gate held open (bias ' + r.params.forget_bias + '), the LSTM’s gradient hardly fades (×' + lstm.decay.toFixed(3) + ' per step): the gate, not the network’s size, keeps the path open. '
      : 'The LSTM fades more slowly (×' + lstm.decay.toFixed(3) + ' per step) but still exponentially. Try a forget-gate bias of 3 or more. ';
    return 'At k = ' + K + ' the recurrent gradients are down to ' + recurrent + '. ' + lstmText +
      'Attention’s line is flat in k (×' + end('attention').decay.toFixed(3) + '), yet low: the second chart shows it ' +
      contextText(r.attention_context_slope) + ', because the softmax shares its weight among the n tokens.';
  }

  // The published results beside what this run measured.
  function claims(run) {
    const r = run.main;
    const rnn = atEnd(r, 'rnn');
    const lstm = atEnd(r, 'lstm');
    const attn = atEnd(r, 'attention');
    const s = r.params.recurrent_scale;
    return [
      { cite: 'Pascanu, Mikolov & Bengio 2013', claim: 'in a tanh RNN, a recurrent matrix whose largest singular value λ₁ is below 1 is enough to make gradients vanish.',
        measured: 'RNN at recurrent scale ' + s + ': ×' + rnn.decay.toFixed(3) + ' per step, ' + c.sig(rnn.norm, 2) + ' at k = ' + rnn.k +
          '. A random matrix of spectral radius ' + s + ' has a largest singular value near ' + c.sig(2 * s, 2) +
          ', so the guarantee ' + (2 * s < 1 ? 'applies here' : 'does not even apply here: the gradient vanishes anyway') +
          ' (experiment 2 reports both numbers for its network).' },
      { cite: 'Hochreiter & Schmidhuber 1997', claim: 'LSTM learns to bridge time lags of more than 1,000 steps.',
        measured: 'this LSTM is untrained (random weights, forget-gate bias ' + r.params.forget_bias + '): ×' + lstm.decay.toFixed(3) +
          ' per step, ' + c.sig(lstm.norm, 2) + ' at k = ' + lstm.k + '. Their lags are bridged by trained gates that hold the memory cell open; ' +
          (lstm.decay >= 0.99 ? 'a high forget-gate bias does that here too.' : 'a random LSTM does not do it by itself.') },
      { cite: 'Vaswani et al. 2017, Table 1', claim: 'sequential operations and maximum path length are O(n) for a recurrent layer and O(1) for self-attention.',
        measured: 'attention ×' + attn.decay.toFixed(3) + ' per step (flat in k, one hop to every input); the recurrent curves multiply one Jacobian per step. ' +
          'Experiment 1 measured the sequential cost.' },
    ];
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.architectures = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, claims: claims, requests: requests, atEnd: atEnd, contextText: contextText };
})();
