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

  function table(run) {
    const r = run.main;
    return {
      caption: 'Forward-pass time per sequence length (one pass, milliseconds)',
      columns: ['length L', 'median ms', 'fastest ms', 'slowest ms', 'passes per timed interval', 'fitted line ms'],
      rows: Array.from(r.lengths, (L, i) => [L, r.median_ms[i], r.min_ms[i], r.max_ms[i], r.repeats[i],
        r.intercept_ms + r.ns_per_step * 1e-6 * L]),
    };
  }

  // The run's figures, computed once: the readout, notice, summary, prediction and chart
  // description all read these.
  function facts(run) {
    const r = run.main;
    const n = r.lengths.length;
    let shortest = 0;
    let longest = 0;
    for (let i = 1; i < n; ++i) {
      if (r.lengths[i] < r.lengths[shortest]) shortest = i;
      if (r.lengths[i] > r.lengths[longest]) longest = i;
    }
    // Log-log slope of time against length: ~1 for a fixed cost per step, ~2 for a cost
    // per pair of positions, ~0 for a flat cost (the prediction's three answers).
    const L = Array.from(r.lengths, Math.log);
    const T = Array.from(r.median_ms, (t) => Math.log(Math.max(t, 1e-9)));
    const mx = L.reduce((a, b) => a + b, 0) / n;
    const my = T.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    L.forEach((x, i) => { sxy += (x - mx) * (T[i] - my); sxx += (x - mx) * (x - mx); });
    return {
      nsPerStep: r.ns_per_step,
      rSquared: r.r_squared,
      // The core's verdict: R² below r_squared_threshold, or some length's trials spread
      // (80th over 20th percentile) beyond spread_threshold.
      disturbed: Boolean(r.disturbed),
      rSquaredThreshold: r.r_squared_threshold,
      spreadThreshold: r.spread_threshold,
      worstSpread: Math.max.apply(null, Array.from(r.spread)),
      shortest: { L: r.lengths[shortest], ms: r.median_ms[shortest] },
      longest: { L: r.lengths[longest], ms: r.median_ms[longest] },
      lengthRatio: r.lengths[longest] / r.lengths[shortest],
      timeRatio: r.median_ms[longest] / r.median_ms[shortest],
      interceptMs: r.intercept_ms,
      logSlope: sxx > 0 ? sxy / sxx : NaN,
    };
  }

  function readout(run) {
    const f = facts(run);
    return [
      { label: 'Cost of one step', value: c.sig(f.nsPerStep, 3) + ' ns' },
      { label: 'R² of the straight line', value: f.rSquared.toFixed(3) },
    ];
  }

  function notice(run) {
    const f = facts(run);
    if (f.disturbed) {
      const why = f.rSquared < f.rSquaredThreshold
        ? 'The medians stray from a straight line (R² = ' + f.rSquared.toFixed(3) + ', below ' + f.rSquaredThreshold + ')'
        : 'The trials of one length disagree (its 80th-percentile trial took ' + c.sig(f.worstSpread, 3) + '× as long as its 20th-percentile one; above ' + f.spreadThreshold + '× counts as disturbed)';
      return why + ': something else on this device was probably busy while the page measured, so the slope of ' +
        c.sig(f.nsPerStep, 3) + ' ns per step is not trustworthy. Press Run again, ideally with other tabs idle.';
    }
    const overhead = f.timeRatio < 0.8 * f.lengthRatio && f.interceptMs > 0
      ? ' (less than ' + c.sig(f.lengthRatio, 3) + '× because every pass also pays a fixed start-up cost: the fitted line meets L = 0 above zero)'
      : '';
    return 'From L = ' + f.shortest.L + ' to L = ' + f.longest.L + ' the sequence got ' + c.sig(f.lengthRatio, 3) +
      '× longer and one pass took ' + c.sig(f.timeRatio, 3) + '× as long' + overhead + '. The medians lie close to a ' +
      'straight line (R² = ' + f.rSquared.toFixed(3) + '): each step costs about ' + c.sig(f.nsPerStep, 3) +
      ' ns. A straight line alone does not prove that the steps must wait for one another; experiment 6 tests that with more workers.';
  }

  // The chart's accessible description, with this run's key figures.
  function describe(run) {
    const f = facts(run);
    return 'Chart: time of one forward pass against sequence length L. From L = ' + f.shortest.L + ' to ' + f.longest.L +
      ' the median time rose from ' + c.sig(f.shortest.ms, 3) + ' to ' + c.sig(f.longest.ms, 3) + ' ms; the fitted line has ' +
      c.sig(f.nsPerStep, 3) + ' ns per step, R² ' + f.rSquared.toFixed(3) + (f.disturbed ? ' (disturbed measurement)' : '') +
      '. The data table below has every number.';
  }

  // One line for the status after a run.
  function headline(run) {
    const f = facts(run);
    return c.sig(f.nsPerStep, 3) + ' ns per step' + (f.disturbed ? ' (disturbed: run again)' : '');
  }

  // Each ready-made request the experiment needs: here just one.
  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.timing = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, requests: requests, facts: facts, describe: describe, headline: headline };
})();
