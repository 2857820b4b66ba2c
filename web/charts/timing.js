// Experiment 1's chart: forward-pass time against sequence length, on linear axes.
// Median per length as points, the fastest and slowest trial as whiskers, and the fitted
// line time = a + b*L whose slope b is the cost of one recurrent step.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;

  // Vertical whiskers from the fastest to the slowest trial (datasets 2 and 3).
  const whiskers = {
    id: 'timingWhiskers',
    afterDatasetsDraw(chart) {
      const low = chart.getDatasetMeta(2);
      const high = chart.getDatasetMeta(3);
      if (low.hidden || !low.data.length) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = chart.data.datasets[2].borderColor;
      ctx.lineWidth = 1.5;
      for (let i = 0; i < low.data.length && i < high.data.length; ++i) {
        ctx.beginPath();
        ctx.moveTo(low.data[i].x, low.data[i].y);
        ctx.lineTo(high.data[i].x, high.data[i].y);
        ctx.stroke();
      }
      ctx.restore();
    },
  };

  function paint(ds, t) {
    Object.assign(ds[0], { borderColor: t.rnn, backgroundColor: t.rnn });
    Object.assign(ds[1], { borderColor: t.fit, backgroundColor: t.fit });
    Object.assign(ds[2], { borderColor: t.whisker, backgroundColor: t.whisker });
    Object.assign(ds[3], { borderColor: t.whisker, backgroundColor: t.whisker });
  }

  function create(canvas, theme) {
    const options = c.baseOptions(theme);
    options.interaction = { mode: 'nearest', intersect: false };
    options.scales = {
      x: c.axis(theme, 'sequence length L (steps)', { type: 'linear', beginAtZero: true }),
      y: c.axis(theme, 'one forward pass (ms)', { type: 'linear', min: 0 }),
    };
    options.plugins.tooltip.callbacks = {
      label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3) + ' ms at L = ' + item.parsed.x,
    };
    const datasets = [
      { label: 'median of the trials', data: [], pointRadius: 5, pointHoverRadius: 7, order: 0 },
      { label: 'fitted line', type: 'line', data: [], borderWidth: 2, borderDash: [6, 4], pointRadius: 0, order: 1 },
      { label: 'fastest and slowest trial', data: [], pointStyle: 'dash', pointRadius: 7, borderWidth: 2, order: 2 },
      { label: '', data: [], pointStyle: 'dash', pointRadius: 7, borderWidth: 2, order: 3 },
    ];
    paint(datasets, theme);
    return new Chart(canvas, {
      type: 'scatter',
      data: { datasets: datasets },
      options: options,
      plugins: [c.background, whiskers],
    });
  }

  function render(chart, run) {
    const r = run.main;
    const lengths = Array.from(r.lengths);
    const ds = chart.data.datasets;
    ds[0].data = c.points(lengths, r.median_ms);
    ds[2].data = c.points(lengths, r.min_ms);
    ds[3].data = c.points(lengths, r.max_ms);
    const top = Math.max.apply(null, lengths);
    const fit = (L) => r.intercept_ms + r.ns_per_step * 1e-6 * L;
    // Time is never negative: a line fitted with a negative intercept starts where it crosses 0.
    const from = r.intercept_ms < 0 && r.ns_per_step > 0 ? Math.min(top, -r.intercept_ms / (r.ns_per_step * 1e-6)) : 0;
    ds[1].data = [{ x: from, y: Math.max(0, fit(from)) }, { x: top, y: fit(top) }];
    chart.update('none');
  }

  ns.charts.timing = { paint: paint, create: create, render: render };
})();
