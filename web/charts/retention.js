// Experiment 3's chart: what is left of a signal stored at step 0 after n steps of noise.
// RNN measures (warm colours): the signal's influence on h_n (median and quartile band),
// a held-out linear read-out's R², and the kata's cosine cos(h_n, h_0). Attention (cool
// colours): the cosine between what a matching query reads and the signal, and the softmax
// weight it puts on the stored token.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;

  function paint(ds, t) {
    Object.assign(ds[0], { borderColor: t.rnn, backgroundColor: t.rnn });
    Object.assign(ds[1], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[2], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[3], { borderColor: t.rnn2, backgroundColor: t.rnn2 });
    Object.assign(ds[4], { borderColor: t.rnn2Band, backgroundColor: t.rnn2Band });
    Object.assign(ds[5], { borderColor: t.rnn2Band, backgroundColor: t.rnn2Band });
    Object.assign(ds[6], { borderColor: t.kataFaint, backgroundColor: t.kata });
    Object.assign(ds[7], { borderColor: t.attn, backgroundColor: t.attn });
    Object.assign(ds[8], { borderColor: t.attn2, backgroundColor: t.attn2 });
  }

  function create(canvas, theme) {
    const options = c.baseOptions(theme);
    options.scales = {
      x: c.axis(theme, 'noise steps n after the signal was stored', { type: 'linear', beginAtZero: true }),
      // From 0 while the kata's cosine (which goes negative) is hidden; Chart.js leaves hidden
      // lines out of the range, so showing it extends the axis down to -1.
      y: c.axis(theme, 'how much of the signal is left (1 = all)', { type: 'linear', suggestedMin: 0, max: 1.05 }),
    };
    // No label above 1 (the axis ends at 1.05 only to keep the lines at 1 off its edge).
    options.scales.y.ticks.callback = (v) => (v > 1 ? '' : Math.abs(v) < 1e-9 ? '0' : String(Number(v.toFixed(2))));
    options.plugins.tooltip.callbacks = {
      label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
      title: (items) => 'n = ' + items[0].parsed.x,
    };
    const band = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 5 };
    const datasets = [
      { label: 'RNN: signal’s influence on h_n', data: [], borderWidth: 2.5, pointRadius: 0, order: 1 },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: read-out R² (held out; below 0 drawn at 0)', data: [], borderWidth: 2, borderDash: [6, 3], order: 2,
        pointRadius: (context) => (context.dataset.data.length > 60 ? 0 : 3) },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: kata’s cos(h_n, h_0)', data: [], borderWidth: 1, pointRadius: 0, order: 4, hidden: true },
      { label: 'attention: cosine of what it reads', data: [], borderWidth: 3, pointRadius: 0, order: 0 },
      { label: 'attention: weight on the stored token', data: [], borderWidth: 2, borderDash: [2, 3], pointRadius: 0, order: 3 },
    ];
    paint(datasets, theme);
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: options,
      plugins: [c.background],
    });
  }

  function render(chart, run) {
    const r = run.main;
    const n = Array.from(r.steps);
    const grid = Array.from(r.readout_steps);
    const ds = chart.data.datasets;
    ds[0].data = c.points(n, r.influence.median);
    ds[1].data = c.points(n, r.influence.q1);
    ds[2].data = c.points(n, r.influence.q3);
    // Held-out R² below 0 (worse than guessing the average) is drawn at 0; the table keeps it.
    const floor0 = (ys) => Array.from(ys, (y) => Math.max(0, y));
    ds[3].data = c.points(grid, floor0(r.readout_r2.median));
    ds[4].data = c.points(grid, floor0(r.readout_r2.q1));
    ds[5].data = c.points(grid, floor0(r.readout_r2.q3));
    ds[6].data = c.points(n, r.kata_cosine);
    ds[7].data = c.points(n, r.attention_cosine.median);
    ds[8].data = c.points(n, r.attention_weight.median);
    chart.update('none');
  }

  ns.charts.retention = { paint: paint, create: create, render: render };
})();
