// Experiment 8's charts: recall accuracy against the number of pairs n, one colour per key
// size d, the fixed d x d state solid and the attention cache dashed, beside chance 1/n
// (chart 0, log x); and the largest n recalled at the threshold against d, with the line n = d
// (chart 1, log-log).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  // Theme colours for the key sizes, in the order given (at most 8, the core's max_count).
  const COLOURS = ['linear', 'rnn', 'lstm', 'gru', 'kata', 'rnn2', 'attn', 'attn2'];
  const MARKERS = ['circle', 'rect', 'triangle', 'rectRot', 'crossRot', 'star', 'rectRounded', 'cross'];
  const MAX_DIMS = 8;

  // Chart 0: per d, a fixed-state band (3 datasets) and a cache band (3), then chance.
  function paint(ds, t, index) {
    if (index === 1) {
      Object.assign(ds[0], { borderColor: t.linear, backgroundColor: t.linear });
      Object.assign(ds[1], { borderColor: t.attn, backgroundColor: t.attn });
      Object.assign(ds[2], { borderColor: t.fit, backgroundColor: t.fit });
      return;
    }
    for (let j = 0; j < MAX_DIMS; ++j) {
      c.paintBand(ds, 6 * j, t[COLOURS[j]], t);
      c.paintBand(ds, 6 * j + 3, t[COLOURS[j]], t);
    }
    Object.assign(ds[6 * MAX_DIMS], { borderColor: t.fit, backgroundColor: t.fit });
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    let datasets;
    if (index === 1) {
      options.scales = {
        x: c.axis(theme, 'key size d (the fixed state holds d² numbers)', { type: 'logarithmic' }),
        y: c.axis(theme, 'largest n recalled at the threshold (log)', { type: 'logarithmic' }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'd = ' + items[0].parsed.x };
      datasets = [
        { label: 'fixed state S = Σ v kᵀ', data: [], borderWidth: 2.5, pointRadius: 4, pointStyle: 'circle', fill: false },
        { label: 'attention cache', data: [], borderWidth: 2.5, pointRadius: 4, pointStyle: 'rect', borderDash: [8, 4], fill: false },
        { label: 'n = d', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, order: 0, fill: false },
      ];
    } else {
      options.scales = {
        x: c.axis(theme, 'pairs stored n', { type: 'logarithmic' }),
        y: c.axis(theme, 'pairs recalled (fraction)', { type: 'linear', min: 0, max: 1 }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'n = ' + items[0].parsed.x };
      datasets = [];
      for (let j = 0; j < MAX_DIMS; ++j) {
        datasets.push.apply(datasets, c.bandDatasets('', { pointRadius: 3.5, pointStyle: MARKERS[j] }));
        datasets.push.apply(datasets, c.bandDatasets('', { pointRadius: 3.5, pointStyle: MARKERS[j], borderDash: [8, 4] }));
      }
      datasets.push({ label: 'chance: 1/n', data: [], borderWidth: 1.5, borderDash: [2, 3], pointRadius: 0, order: 0 });
    }
    paint(datasets, theme, index);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  // Index order of the pairs (the parameter keeps the order given; lines need ascending n).
  function byPairs(r) {
    return Array.from(r.pairs, (n, i) => ({ n: n, i: i })).sort((a, b) => a.n - b.n);
  }

  function render(chart, run, values, index) {
    const r = run.main;
    const ds = chart.data.datasets;
    const bands = r.params.seeds >= 2;
    if (index === 1) {
      const order = Array.from(r.dims, (d, i) => ({ d: d, i: i })).sort((a, b) => a.d - b.d);
      const xs = order.map((o) => o.d);
      // A capacity of 0 (even the smallest n failed) cannot sit on a log axis: left out.
      ds[0].data = order.filter((o) => r.fixed_state_capacity[o.i] > 0).map((o) => ({ x: o.d, y: r.fixed_state_capacity[o.i] }));
      ds[1].data = order.filter((o) => r.attention_capacity[o.i] > 0).map((o) => ({ x: o.d, y: r.attention_capacity[o.i] }));
      ds[2].data = [xs[0], xs[xs.length - 1]].map((d) => ({ x: d, y: d }));
      // At the largest n run the cache's limit was not reached: say so in its label.
      const largest = Math.max(...r.pairs);
      ds[1].label = 'attention cache' + (r.attention_capacity.every((n) => n === largest) ? ' (held at every n run)' : '');
      c.ticksAt(chart.options.scales.x, xs);
    } else {
      const order = byPairs(r);
      const xs = order.map((o) => o.n);
      const pick = (band) => ({ median: order.map((o) => band.median[o.i]), q1: order.map((o) => band.q1[o.i]), q3: order.map((o) => band.q3[o.i]) });
      for (let j = 0; j < MAX_DIMS; ++j) {
        const used = j < r.dims.length;
        const empty = { median: [], q1: [], q3: [] };
        c.fillBand(ds, 6 * j, xs, used ? pick(r.fixed_state_spread[j]) : empty, null, bands);
        c.fillBand(ds, 6 * j + 3, xs, used ? pick(r.attention_spread[j]) : empty, null, bands);
        ds[6 * j].label = used ? 'fixed state, d = ' + r.dims[j] : '';
        ds[6 * j + 3].label = used ? 'attention, d = ' + r.dims[j] : '';
      }
      ds[6 * MAX_DIMS].data = xs.map((x) => ({ x: x, y: 1 / x }));
      c.ticksAt(chart.options.scales.x, xs);
    }
    chart.update('none');
  }

  ns.charts.recall = { paint: paint, create: create, render: render, byPairs: byPairs };
})();
