// Experiment 5's charts: memory capacity MC = Σ r²_k against the hidden size N for RNN, LSTM
// and GRU, with the bound MC = N (chart 0, log-log); the r²_k curve at one N (chart 1; the
// page row memory.show_n picks it, 0 = the largest); and attention's retrieval accuracy as
// its context grows, beside chance 1/n (chart 2).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = (y) => y > 0;
  const ORDER = ['rnn', 'lstm', 'gru'];

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
        x: c.axis(theme, 'hidden size N (numbers in the state)', { type: 'logarithmic' }),
        y: c.oneTwoFiveAxis(c.axis(theme, 'memory capacity MC = Σ r²ₖ (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: title('N = ') };
      datasets = recurrentDatasets(true).concat([{ label: 'bound MC = N (Jaeger 2001)', data: [], borderWidth: 2,
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
      ds[9].data = xs.length ? [{ x: xs[0], y: xs[0] }, { x: xs[xs.length - 1], y: xs[xs.length - 1] }] : [];
      c.ticksAt(chart.options.scales.x, xs);
    } else if (index === 1) {
      const s = shownIndex(r, values);
      const k = Array.from(r.delays);
      ORDER.forEach((a, j) => {
        const net = network(r, a);
        c.fillBand(ds, 3 * j, k, net.r2[s], null, bands);
        ds[3 * j].label = c.ARCHITECTURES[a].name + ' at N = ' + r.hidden_sizes[s] + ' (MC ' + net.capacity.median[s].toFixed(1) + ')';
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
    const columns = ['hidden size N'];
    const r2Columns = ['delay k'];
    for (const a of ORDER) {
      const name = c.ARCHITECTURES[a].name;
      columns.push(name + ' MC median', name + ' quartile 1', name + ' quartile 3');
      r2Columns.push(name + ' r² median', name + ' quartile 1', name + ' quartile 3');
    }
    columns.push('bound N');
    const nets = ORDER.map((a) => network(r, a));
    return [{
      caption: 'Memory capacity MC = Σ r²ₖ by hidden size (across ' + r.params.seeds + ' seeds)',
      columns: columns,
      rows: bySize(r).map((o) => [o.n].concat(...nets.map((net) => [net.capacity.median[o.i], net.capacity.q1[o.i], net.capacity.q3[o.i]]), [o.n])),
    }, {
      file: 'r2',
      caption: 'Held-out recall r²ₖ of the input k steps back, at N = ' + r.hidden_sizes[s],
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

  // MC per architecture at the shown N, and attention at its longest context.
  function atShown(r, values) {
    const s = shownIndex(r, values);
    const last = r.attention_context_lengths.length - 1;
    let longest = 0;
    r.attention_context_lengths.forEach((n, i) => { if (n > r.attention_context_lengths[longest]) longest = i; });
    return {
      n: r.hidden_sizes[s],
      mc: ORDER.map((a) => ({ architecture: a, name: c.ARCHITECTURES[a].short, mc: network(r, a).capacity.median[s] })),
      context: r.attention_context_lengths[last >= 0 ? longest : 0],
      accuracy: r.attention_accuracy.median[longest],
      chance: r.attention_chance,
    };
  }

  function readout(run, values) {
    const e = atShown(run.main, values);
    const items = e.mc.map((m) => ({ label: m.name + ': MC at N = ' + e.n, value: m.mc.toFixed(1) }));
    items.push({ label: 'Attention at n = ' + e.context + ': retrieved', value: e.accuracy.toFixed(2) + ' (chance ' + c.sig(e.chance, 2) + ')' });
    return items;
  }

  // Largest MC / N over every size and architecture, and whether any median exceeds N.
  function fullest(r) {
    let best = { ratio: -Infinity };
    for (const a of ORDER) {
      const cap = network(r, a).capacity.median;
      r.hidden_sizes.forEach((n, i) => {
        if (cap[i] / n > best.ratio) best = { ratio: cap[i] / n, n: n, name: c.ARCHITECTURES[a].short, mc: cap[i] };
      });
    }
    return best;
  }

  function notice(run, values) {
    const r = run.main;
    const e = atShown(r, values);
    const f = fullest(r);
    const top = e.mc.reduce((a, b) => (b.mc > a.mc ? b : a));
    return 'At N = ' + e.n + ' the state recalls about ' + top.mc.toFixed(1) + ' past inputs (' + top.name + '), ' +
      (f.ratio <= 1 ? 'and none exceeds its bound: the fullest state is the ' + f.name + '’s at N = ' + f.n + ', at ' +
        Math.round(100 * f.ratio) + '% of N. '
        : 'and ' + f.name + ' at N = ' + f.n + ' reads out ' + f.mc.toFixed(1) + ', slightly above N: the bound is exact for the fit, and r² is scored on other data. ') +
      'Doubling N at most doubles what fits, while the past keeps growing. Attention keeps every token: among n = ' + e.context +
      ' it still finds the stored one ' + Math.round(100 * e.accuracy) + '% of the time, against ' + c.sig(100 * e.chance, 2) +
      '% by chance; what it loses as n grows is the softmax’s sharpness, not storage.';
  }

  function claims(run, values) {
    const r = run.main;
    const e = atShown(r, values);
    const f = fullest(r);
    return [
      { cite: 'Jaeger 2001', claim: 'a network of N units driven by independent inputs has memory capacity MC ≤ N.',
        measured: 'at N = ' + e.n + ': ' + e.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') + '. Fullest over all sizes: ' +
          f.name + ' at N = ' + f.n + ', MC/N = ' + f.ratio.toFixed(2) + (f.ratio <= 1 ? '.' : ' (held-out r² may exceed the bound slightly).') },
    ];
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.memory = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, claims: claims, requests: requests, atShown: atShown };
})();
