// Experiment 2's chart: the size of the gradient d h_T / d h_{T-k} against the distance k,
// on a logarithmic y-axis (exponential decay is a straight line there). The median across
// networks is the line, the band between quartiles 1 and 3 shows their spread, and the
// kata's simulation can be drawn as well, or instead (mode 'kata').
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = c.shownOnLog;  // leaves out zeros and underflowed values

  function paint(ds, t) {
    Object.assign(ds[0], { borderColor: t.rnn, backgroundColor: t.rnn });
    Object.assign(ds[1], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[2], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[3], { borderColor: t.kata, backgroundColor: t.kata });
  }

  // Point markers only where a dataset asks for them (dataset.markers). Scriptable, because
  // Chart.js keeps plain per-point options once resolved.
  const markers = (radius) => (context) => (context.dataset.markers ? radius : 0);

  function create(canvas, theme) {
    const options = c.baseOptions(theme);
    options.scales = {
      x: c.axis(theme, 'distance k (steps back from the last state)', { type: 'linear', beginAtZero: true }),
      y: c.axis(theme, 'gradient size ‖∂h_T / ∂h_{T−k}‖ (log scale)', { type: 'logarithmic' }),
    };
    c.decadeAxis(options.scales.y);
    options.plugins.tooltip.callbacks = {
      label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
      title: (items) => 'k = ' + items[0].parsed.x,
    };
    const datasets = [
      { label: '', data: [], borderWidth: 2.5, pointRadius: markers(4), pointHoverRadius: 4, order: 1 },
      { label: '', data: [], borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: false, order: 3 },
      { label: '', data: [], borderWidth: 0, pointRadius: 0, pointHitRadius: 0, fill: '-1', order: 3 },
      { label: '', data: [], borderWidth: 2, borderDash: [2, 3], pointRadius: 4, pointStyle: 'rectRot', order: 0 },
    ];
    paint(datasets, theme);
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: options,
      plugins: [c.background],
    });
  }

  function curveName(result) {
    return result.mode === 'kata'
      ? "kata's simulation: random tanh slopes in [0.3, 1]"
      : 'real backprop: median of ' + result.params.seeds + ' networks';
  }

  function render(chart, run) {
    const r = run.main;
    const ds = chart.data.datasets;
    const k = Array.from(r.distances);
    const single = r.mode === 'kata' || r.params.seeds < 2;
    ds[0].label = curveName(r);
    ds[0].markers = r.mode === 'kata';
    ds[0].data = c.points(k, r.norm.median, positive);
    ds[1].data = single ? [] : c.points(k, r.norm.q1, positive);
    ds[2].data = single ? [] : c.points(k, r.norm.q3, positive);
    ds[2].label = single ? '' : 'middle half of the networks (quartiles 1–3)';
    const kata = run.kata;
    ds[3].label = kata ? curveName(kata) : '';
    ds[3].data = kata ? c.points(Array.from(kata.distances), kata.norm.median, positive) : [];
    chart.update('none');
  }

  ns.charts.gradient = { paint: paint, create: create, render: render, curveName: curveName };
})();
