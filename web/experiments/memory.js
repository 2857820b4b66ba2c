// Experiment 5, "how much of the past fits in H numbers?": memory capacity by hidden size,
// recall by delay, attention's retrieval, set beside Jaeger's bound.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const ORDER = ns.charts.memory.ORDER;
  const shownIndex = (r, values) => ns.charts.memory.shownIndex(r, values);
  const network = (r, architecture) => ns.charts.memory.network(r, architecture);
  const bySize = (r) => ns.charts.memory.bySize(r);
  const minus = (x) => String(x).replace('-', '−');  // a typographic minus in sentences

  function table(run, values) {
    const r = run.main;
    const s = shownIndex(r, values);
    const columns = ['hidden size H'];
    const r2Columns = ['delay k'];
    for (const a of ORDER) {
      const name = c.ARCHITECTURES[a].name;
      columns.push(name + ' MC median', name + ' quartile 1', name + ' quartile 3');
      r2Columns.push(name + ' r² median', name + ' quartile 1', name + ' quartile 3');
    }
    columns.push('bound H');
    const nets = ORDER.map((a) => network(r, a));
    return [{
      caption: 'Memory capacity MC = Σ r²ₖ by hidden size (across ' + r.params.seeds + ' seeds)',
      columns: columns,
      rows: bySize(r).map((o) => [o.n].concat(...nets.map((net) => [net.capacity.median[o.i], net.capacity.q1[o.i], net.capacity.q3[o.i]]), [o.n])),
    }, {
      file: 'r2',
      caption: 'Held-out recall r²ₖ of the input k steps back, at H = ' + r.hidden_sizes[s],
      columns: r2Columns,
      rows: Array.from(r.delays, (k, i) => [k].concat(...nets.map((net) => [net.r2[s].median[i], net.r2[s].q1[i], net.r2[s].q3[i]]))),
    }, {
      file: 'attention',
      caption: 'Attention: fraction of stored pairs retrieved among n context tokens',
      columns: ['context length n', 'median accuracy', 'quartile 1', 'quartile 3', 'chance 1/n'],
      rows: Array.from(r.attention_context_lengths, (n, i) => [n, r.attention_accuracy.median[i],
        r.attention_accuracy.q1[i], r.attention_accuracy.q3[i], 1 / n]),
    }];
  }

  // The run's figures, computed once: the readout, notice, claims, summary, prediction and
  // chart descriptions all read these.
  function facts(run, values) {
    const r = run.main;
    const s = shownIndex(r, values);
    let longest = 0;
    r.attention_context_lengths.forEach((n, i) => { if (n > r.attention_context_lengths[longest]) longest = i; });
    const mcAt = (i) => ORDER.map((a) => ({ architecture: a, name: c.ARCHITECTURES[a].short, mc: network(r, a).capacity.median[i] }));
    const gated = ['lstm', 'gru'].map((a) => ({ architecture: a, name: c.ARCHITECTURES[a].short, keep: network(r, a).keep,
      gain: network(r, a).effective_gain, scale: network(r, a).recurrent_scale }));
    return {
      h: r.hidden_sizes[s],
      mc: mcAt(s),
      fullest: fullest(r),
      // What chance correlations add to a held-out MC on average (max_delay / (test_steps - 1)).
      chance: r.chance_capacity,
      gated: gated,
      matched: r.params.gated_scale === 'matched',
      context: r.attention_context_lengths[longest],
      accuracy: r.attention_accuracy.median[longest],
      attentionChance: r.attention_chance,
      params: r.params,
      // The RNN's MC at the hidden size nearest to `h` (the prediction asks about 128).
      rnnNear(h) {
        let i = 0;
        r.hidden_sizes.forEach((n, j) => { if (Math.abs(n - h) < Math.abs(r.hidden_sizes[i] - h)) i = j; });
        return { h: r.hidden_sizes[i], mc: network(r, 'rnn').capacity.median[i] };
      },
    };
  }

  function readout(f) {
    const items = f.mc.map((m) => ({ label: m.name + ': MC at H = ' + f.h, value: m.mc.toFixed(1) }));
    items.push({ label: 'State kept per step (gate at rest)', value: f.gated.map((g) => g.name + ' ' + g.keep.toFixed(2)).join(', ') });
    items.push({ label: 'Chance adds to a held-out MC about', value: c.sig(f.chance, 2) });
    items.push({ label: 'Attention at n = ' + f.context + ': retrieved', value: f.accuracy.toFixed(2) + ' (guessing ' + c.sig(f.attentionChance, 2) + ')' });
    return items;
  }

  // The median MC furthest above (or least below) its bound H, over every size and architecture.
  function fullest(r) {
    let best = { excess: -Infinity };
    for (const a of ORDER) {
      const cap = network(r, a).capacity.median;
      r.hidden_sizes.forEach((n, i) => {
        const bound = Math.min(n, r.params.max_delay);
        if (cap[i] - bound > best.excess) best = { excess: cap[i] - bound, ratio: cap[i] / bound, h: n, bound: bound, name: c.ARCHITECTURES[a].short, mc: cap[i] };
      });
    }
    return best;
  }

  // One sentence on the bound, from the numbers: below H, above H by no more than chance
  // adds, or above that too.
  function boundText(f) {
    const top = f.fullest;
    if (top.excess <= 0) {
      return 'None exceeds its bound: the fullest state is the ' + top.name + '’s at H = ' + top.h + ', at ' + Math.round(100 * top.ratio) + '% of ' +
        (top.bound < top.h ? 'the ' + top.bound + ' delays scored. ' : 'H. ');
    }
    if (top.excess <= f.chance) {
      return 'The ' + top.name + ' at H = ' + top.h + ' scores ' + top.mc.toFixed(1) + ', above its bound of ' + top.bound + ' by no more than chance adds, on average, to scores measured on fresh data (' +
        c.sig(f.chance, 2) + ' here). ';
    }
    return 'The ' + top.name + ' at H = ' + top.h + ' scores ' + top.mc.toFixed(1) + ', above its bound of ' + top.bound + ' by more than the ' + c.sig(f.chance, 2) +
      ' that chance should add: with so few held-out steps the scores scatter widely. More held-out test steps make the measurement firmer. ';
  }

  function ranking(f) {
    return f.mc.slice().sort((a, b) => b.mc - a.mc).map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ');
  }

  function notice(f) {
    const keeps = f.gated.map((g) => g.name + ' ' + g.keep.toFixed(2)).join(', ');
    return 'At H = ' + f.h + ' the states recall ' + ranking(f) + ' past inputs (largest first). ' + boundText(f) +
      'At rest the gated cells keep ' + keeps + ' of their state at each step (gate biases ' + minus(f.params.forget_bias) + ' and ' + minus(f.params.update_bias) + ')' +
      (f.matched ? ', and their recurrent weights are scaled so that their state gain matches the RNN’s. ' : ', and their recurrent weights have the RNN’s scale, so the gates shrink their state gain. ') +
      'These networks are untrained, so the order between them follows these choices, not what each architecture can learn: raise the gate biases, or switch the scaling, and watch the numbers move. ' +
      'Attention keeps every token: among n = ' + f.context + ' it finds the stored one ' + Math.round(100 * f.accuracy) + '% of the time, against ' +
      c.sig(100 * f.attentionChance, 2) + '% by guessing; what it loses as n grows is the sharpness of its softmax, not storage.';
  }

  function claims(f) {
    const top = f.fullest;
    return [
      { cite: 'Jaeger 2001', claim: 'a network of H units driven by independent inputs has memory capacity MC ≤ H (shown for echo state networks: random recurrent weights, linear read-outs).',
        measured: 'at H = ' + f.h + ': ' + f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') + '. Fullest over all sizes: ' +
          top.name + ' at H = ' + top.h + ', MC/' + (top.bound < top.h ? 'K' : 'H') + ' = ' + top.ratio.toFixed(2) + (top.excess <= 0 ? '.' : top.excess <= f.chance
            ? ' (above 1 by no more than chance adds on held-out data).' : ' (above 1 by more than chance should add: too few held-out steps).') },
    ];
  }

  function summaryCells(f) {
    return [
      'At H = ' + f.h + ': ' + f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') + ' past inputs recalled (the bound is ' + (Math.min(f.h, f.params.max_delay) < f.h ? 'min(H, K) = ' + f.params.max_delay : 'H = ' + f.h) + ').',
      'No fixed-size state: finds a stored pair among n = ' + f.context + ' tokens ' + Math.round(100 * f.accuracy) + '% of the time (chance ' +
        c.sig(100 * f.attentionChance, 2) + '% by guessing).',
    ];
  }

  function describe(f, index) {
    if (index === 1) {
      return 'Chart: held-out recall r² of the input k steps back, at H = ' + f.h + ', for RNN, LSTM and GRU; the area under each curve is its MC: ' +
        f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') + '. The data tables below have every number.';
    }
    if (index === 2) {
      return 'Chart: attention’s accuracy at retrieving a stored pair against the context length n: ' + Math.round(100 * f.accuracy) +
        '% at n = ' + f.context + ' (guessing ' + c.sig(100 * f.attentionChance, 2) + '%). The data tables below have every number.';
    }
    return 'Chart: memory capacity against hidden size H on logarithmic axes, with the bound MC = H. At H = ' + f.h + ': ' +
      f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') + '. The data tables below have every number.';
  }

  function headline(f) {
    return 'at H = ' + f.h + ', MC ' + f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ');
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.experiments.memory = {
    runRank: 4,  // the quickest first
    rows: [
      { name: 'show_n', type: 'integer', default: 0, min: 0, max: 256, range: 'an integer from 0 to 256', redraw: true,
        label: 'Show r²ₖ at hidden size H', slider: false,  // sizes spread over decades
        help: 'the hidden size H whose r²ₖ curve is drawn and summarised (the nearest size run; 0 = the largest)' },
    ],
    panel: { busy: 'Computing…', figures: 'Measured figures', claims: true,
      csv: ['Download CSV (MC by H)', 'CSV (r²ₖ by delay)', 'CSV (attention)'],
      tables: ['Memory capacity by hidden size', 'Recall by delay', 'Attention retrieval by context length'] },
    requests: requests,
    facts: facts, table: table, readout: readout, notice: notice, claims: claims, describe: describe, headline: headline,
    summary: summaryCells,
    question: {
      question: 'A plain RNN whose state holds H = 128 numbers (or the nearest size run): how many past inputs will it recall (its memory capacity)?',
      choices: [['quarter', 'fewer than a quarter of H'], ['half', 'between a quarter and three quarters of H'], ['near', 'between three quarters of H and H'], ['above', 'more than H']],
      measure(f) {
        const at = f.rnnNear(128);
        const x = at.mc / at.h;
        return { value: x < 0.25 ? 'quarter' : x < 0.75 ? 'half' : x <= 1 ? 'near' : 'above',
          text: 'MC = ' + at.mc.toFixed(1) + ' at H = ' + at.h + ', ' + Math.round(100 * x) + '% of H' };
      },
    },
  };
})();
