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
      y: c.axis(theme, 'one forward pass (ms)', { type: 'linear', beginAtZero: true }),
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
    ds[1].data = [{ x: 0, y: fit(0) }, { x: top, y: fit(top) }];
    chart.update('none');
  }

  function table(run) {
    const r = run.main;
    return {
      caption: 'Forward-pass time per sequence length (one pass, milliseconds)',
      columns: ['length L', 'median ms', 'fastest ms', 'slowest ms', 'passes per timed interval', 'fitted line ms'],
      rows: Array.from(r.lengths, (L, i) => [L, r.median_ms[i], r.min_ms[i], r.max_ms[i], r.repeats[i],
        r.intercept_ms + r.ns_per_step * 1e-6 * L]),
    };
  }

  function readout(run) {
    const r = run.main;
    return [
      { label: 'Cost of one step', value: c.sig(r.ns_per_step, 3) + ' ns' },
      { label: 'R² of the straight line', value: r.r_squared.toFixed(3) },
    ];
  }

  function notice(run) {
    const r = run.main;
    const n = r.lengths.length;
    let shortest = 0;
    let longest = 0;
    for (let i = 1; i < n; ++i) {
      if (r.lengths[i] < r.lengths[shortest]) shortest = i;
      if (r.lengths[i] > r.lengths[longest]) longest = i;
    }
    const lengthRatio = r.lengths[longest] / r.lengths[shortest];
    const timeRatio = r.median_ms[longest] / r.median_ms[shortest];
    const overhead = timeRatio < 0.8 * lengthRatio && r.intercept_ms > 0
      ? ' (less than ' + c.sig(lengthRatio, 3) + '× because every pass also pays a fixed start-up cost, where the line meets L = 0)'
      : '';
    return 'From L = ' + r.lengths[shortest] + ' to L = ' + r.lengths[longest] + ' the sequence got ' +
      c.sig(lengthRatio, 3) + '× longer and one pass took ' + c.sig(timeRatio, 3) + '× as long' + overhead + '. ' +
      (r.r_squared >= 0.9
        ? 'The points hug a straight line (R² = ' + r.r_squared.toFixed(3) + '): the cost is a fixed price per step, paid one step at a time.'
        : 'R² = ' + r.r_squared.toFixed(3) + ' is low: something else on this device disturbed the clock. Press Run again, or raise the trials.');
  }

  // Each ready-made request the experiment needs: here just one.
  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.timing = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, requests: requests };
})();
