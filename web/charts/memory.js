// Experiment 5's charts: memory capacity MC = Σ r²_k against the hidden size H for RNN, LSTM
// and GRU, with the bound MC = H (chart 0, log-log); the r²_k curve at one H (chart 1; the
// page row memory.show_n picks it, 0 = the largest); and attention's retrieval accuracy as
// its context grows, beside chance 1/n (chart 2).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = (y) => y > 0;
  const ORDER = ['rnn', 'lstm', 'gru'];
  const minus = (x) => String(x).replace('-', '−');  // a typographic minus in sentences

  function paint(ds, t, index) {
    if (index === 2) {
      c.paintBand(ds, 0, t.attn, t);
      Object.assign(ds[3], { borderColor: t.fit, backgroundColor: t.fit });
      return;
    }
    ORDER.forEach((a, i) => c.paintBand(ds, 3 * i, t[c.ARCHITECTURES[a].colour], t));
    if (index === 0) Object.assign(ds[9], { borderColor: t.fit, backgroundColor: t.fit });
  }

  function recurrentDatasets(markers) {
    const out = [];
    ORDER.forEach((a) => {
      const spec = c.ARCHITECTURES[a];
      out.push.apply(out, c.bandDatasets(spec.name, { borderDash: spec.dash, pointRadius: markers ? 3.5 : 0, pointHoverRadius: 5 }));
    });
    return out;
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    let datasets;
    const title = (prefix) => (items) => prefix + items[0].parsed.x;
    if (index === 0) {
      options.scales = {
        x: c.axis(theme, 'hidden size H (numbers in the state)', { type: 'logarithmic' }),
        y: c.oneTwoFiveAxis(c.axis(theme, 'memory capacity MC = Σ r²ₖ (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: title('H = ') };
      datasets = recurrentDatasets(true).concat([{ label: 'bound: MC ≤ H (Jaeger 2001) and ≤ K', data: [], borderWidth: 2,
        borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    } else if (index === 1) {
      options.scales = {
        x: c.axis(theme, 'delay k (steps back)', { type: 'linear', beginAtZero: true }),
        y: c.axis(theme, 'recall r²ₖ of u(t−k), held out', { type: 'linear', min: 0, max: 1 }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + item.parsed.y.toFixed(3), title: title('k = ') };
      datasets = recurrentDatasets(false);
    } else {
      options.scales = {
        x: c.axis(theme, 'context length n (tokens)', { type: 'logarithmic' }),
        y: c.axis(theme, 'stored pair retrieved (fraction)', { type: 'linear', min: 0, max: 1 }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: title('n = ') };
      datasets = c.bandDatasets('attention: median accuracy', { pointRadius: 3.5 })
        .concat([{ label: 'chance: 1/n', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    }
    paint(datasets, theme, index);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  // Index into hidden_sizes of the N whose r²_k curve is shown: the nearest to show_n
  // (the smaller on a tie), or the largest when show_n is 0.
  function shownIndex(r, values) {
    const sizes = Array.from(r.hidden_sizes);
    const wanted = (values && values['memory.show_n']) || 0;
    let best = 0;
    sizes.forEach((n, i) => {
      if (wanted === 0 ? n > sizes[best] : (Math.abs(n - wanted) < Math.abs(sizes[best] - wanted) ||
        (Math.abs(n - wanted) === Math.abs(sizes[best] - wanted) && n < sizes[best]))) best = i;
    });
    return best;
  }

  function network(r, architecture) {
    return r.networks.find((x) => x.architecture === architecture);
  }

  // Sorted by N for the line (the parameter keeps the order given).
  function bySize(r) {
    return Array.from(r.hidden_sizes, (n, i) => ({ n: n, i: i })).sort((a, b) => a.n - b.n);
  }

  function render(chart, run, values, index) {
    const r = run.main;
    const ds = chart.data.datasets;
    const bands = r.params.seeds >= 2;
    if (index === 0) {
      const order = bySize(r);
      const xs = order.map((o) => o.n);
      ORDER.forEach((a, j) => {
        const cap = network(r, a).capacity;
        const pick = (arr) => order.map((o) => arr[o.i]);
        c.fillBand(ds, 3 * j, xs, { median: pick(cap.median), q1: pick(cap.q1), q3: pick(cap.q3) }, positive, bands);
      });
      // MC <= H (Jaeger), and MC <= K: each of the K delays adds at most 1.
      const K = r.params.max_delay;
      const corners = xs.concat(K > xs[0] && K < xs[xs.length - 1] ? [K] : []).sort((a, b) => a - b);
      ds[9].data = corners.map((x) => ({ x: x, y: Math.min(x, K) }));
      c.ticksAt(chart.options.scales.x, xs);
    } else if (index === 1) {
      const s = shownIndex(r, values);
      const k = Array.from(r.delays);
      ORDER.forEach((a, j) => {
        const net = network(r, a);
        c.fillBand(ds, 3 * j, k, net.r2[s], null, bands);
        ds[3 * j].label = c.ARCHITECTURES[a].name + ' at H = ' + r.hidden_sizes[s] + ' (MC ' + net.capacity.median[s].toFixed(1) + ')';
      });
    } else {
      const n = Array.from(r.attention_context_lengths);
      c.fillBand(ds, 0, n, r.attention_accuracy, null, bands);
      ds[2].label = bands ? 'middle half of the seeds' : '';
      ds[3].data = n.map((x) => ({ x: x, y: 1 / x }));
      c.ticksAt(chart.options.scales.x, n.slice().sort((a, b) => a - b));
    }
    chart.update('none');
  }

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

  function readout(run, values) {
    const f = facts(run, values);
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

  function notice(run, values) {
    const f = facts(run, values);
    const keeps = f.gated.map((g) => g.name + ' ' + g.keep.toFixed(2)).join(', ');
    return 'At H = ' + f.h + ' the states recall ' + ranking(f) + ' past inputs (largest first). ' + boundText(f) +
      'At rest the gated cells keep ' + keeps + ' of their state at each step (gate biases ' + minus(f.params.forget_bias) + ' and ' + minus(f.params.update_bias) + ')' +
      (f.matched ? ', and their recurrent weights are scaled so that their state gain matches the RNN’s. ' : ', and their recurrent weights have the RNN’s scale, so the gates shrink their state gain. ') +
      'These networks are untrained, so the order between them follows these choices, not what each architecture can learn: raise the gate biases, or switch the scaling, and watch the numbers move. ' +
      'Attention keeps every token: among n = ' + f.context + ' it finds the stored one ' + Math.round(100 * f.accuracy) + '% of the time, against ' +
      c.sig(100 * f.attentionChance, 2) + '% by guessing; what it loses as n grows is the sharpness of its softmax, not storage.';
  }

  function claims(run, values) {
    const f = facts(run, values);
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

  function describe(run, values, index) {
    const f = facts(run, values);
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

  function headline(run, values) {
    const f = facts(run, values);
    return 'at H = ' + f.h + ', MC ' + f.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ');
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.memory = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, claims: claims, requests: requests, facts: facts, describe: describe, headline: headline,
    summaryCells: summaryCells };
})();
