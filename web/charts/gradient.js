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

  function table(run) {
    const r = run.main;
    const columns = ['distance k', 'median norm', 'quartile 1', 'quartile 3'];
    const rows = Array.from(r.distances, (k, i) => [k, r.norm.median[i], r.norm.q1[i], r.norm.q3[i]]);
    const kata = run.kata;
    if (kata) {
      columns.push("kata's simulation");
      const byK = new Map(Array.from(kata.distances, (k, i) => [k, kata.norm.median[i]]));
      for (const row of rows) row.push(byK.has(row[0]) ? byK.get(row[0]) : '');
      for (const [k, v] of byK) if (!rows.some((row) => row[0] === k)) rows.push([k, '', '', '', v]);
      rows.sort((a, b) => a[0] - b[0]);
    }
    return {
      caption: 'Gradient size by distance (' + curveName(r) + ')',
      columns: columns,
      rows: rows,
    };
  }

  // The distance the lesson quotes ("the gradient at k = 50"), or the largest one run if smaller.
  const QUOTED_K = 50;

  // Median norm at the largest distance not beyond `k` (the first distance if all are beyond).
  function normAt(r, k) {
    let best = 0;
    for (let i = 0; i < r.distances.length; ++i) if (r.distances[i] <= k) best = i;
    return { k: r.distances[best], norm: r.norm.median[best] };
  }

  // The run's figures, computed once: the readout, notice, summary, prediction and chart
  // description all read these.
  function facts(run) {
    const r = run.main;
    const first = { k: r.distances[0], norm: r.norm.median[0] };
    const quoted = normAt(r, QUOTED_K);
    return {
      mode: r.mode,
      decay: r.decay_per_step,
      decayRSquared: r.decay_r_squared,
      rho: r.spectral_radius,
      sigma1: r.largest_singular_value,
      // bptt draws one W_h per network: sigma1 and rho are then medians across them.
      networks: r.mode === 'kata' ? 1 : r.params.seeds,
      first: first,
      quoted: quoted,
      // How much of the k = first gradient is left at the quoted distance.
      shrink: first.norm > 0 ? quoted.norm / first.norm : NaN,
      last: { k: r.distances[r.distances.length - 1], norm: r.norm.median[r.distances.length - 1] },
    };
  }

  function readout(run) {
    const f = facts(run);
    return [
      { label: 'Factor per step (fitted)', value: '×' + f.decay.toFixed(3) },
      { label: 'R² of the exponential fit', value: f.decayRSquared.toFixed(3) },
      { label: 'Gradient at k = ' + f.quoted.k, value: c.sigSmall(f.quoted.norm, 2) },
      { label: 'Largest singular value σ₁ of W_h' + (f.networks > 1 ? ' (median of ' + f.networks + ')' : ''), value: f.sigma1.toFixed(3) },
      { label: 'Spectral radius ρ of W_h' + (f.networks > 1 ? ' (median of ' + f.networks + ')' : ''), value: f.rho.toFixed(3) },
    ];
  }

  function notice(run) {
    const f = facts(run);
    const lost = f.quoted.k > f.first.k && Number.isFinite(f.shrink)
      ? 'Between k = ' + f.first.k + ' and k = ' + f.quoted.k + ' the gradient went from ' + c.sigSmall(f.first.norm, 2) +
        ' to ' + c.sigSmall(f.quoted.norm, 2) + ', a factor of ' + c.sig(f.shrink, 2) + '. '
      : '';
    const kataNote = f.mode === 'kata'
      ? 'This is the kata’s simulation: tanh’s slopes are replaced by random numbers between 0.3 and 1, so it is a stand-in, not the gradient of a real run. '
      : '';
    const sigma = 'σ₁ is ' + f.sigma1.toFixed(2) + (f.networks > 1 ? ' (the median across the ' + f.networks + ' networks)' : '');
    const condition = f.sigma1 < 1
      ? sigma + ', below 1, and tanh’s slope is at most 1: in every network whose σ₁ is below 1, each step must shrink the gradient, so vanishing is guaranteed there (Pascanu et al., 2013).'
      : f.decay < 1
        ? sigma + ', at least 1, so that guarantee does not apply, yet the gradient fades anyway (×' + f.decay.toFixed(2) + ' per step): ' +
          (f.rho < 1 ? 'W_h’s spectral radius ρ = ' + f.rho.toFixed(2) + (f.networks > 1 ? ' (median)' : '') + ' is below 1, and tanh’s slopes along the path typically pull the rate lower still.'
            : 'W_h’s spectral radius ρ = ' + f.rho.toFixed(2) + (f.networks > 1 ? ' (median)' : '') + ' is not below 1, but tanh’s slopes along the path, all at most 1, pulled the rate below 1 here.')
        : sigma + ' and the fitted factor is ×' + f.decay.toFixed(2) + ' per step: here the gradient grows with distance (it explodes), the other way a long chain fails.';
    return kataNote + lost + 'On a log axis a constant factor per step is a straight line. ' + condition;
  }

  // The chart's accessible description, with this run's key figures.
  function describe(run) {
    const f = facts(run);
    return 'Chart: gradient size against distance k on a logarithmic axis (' + (f.mode === 'kata' ? 'the kata’s simulation' : 'real backpropagation') +
      '). Factor ×' + f.decay.toFixed(3) + ' per step; at k = ' + f.first.k + ' the gradient is ' + c.sigSmall(f.first.norm, 2) +
      ', at k = ' + f.quoted.k + ' it is ' + c.sigSmall(f.quoted.norm, 2) + '. The data table below has every number.';
  }

  function headline(run) {
    const f = facts(run);
    return '×' + f.decay.toFixed(3) + ' per step, ' + c.sigSmall(f.quoted.norm, 2) + ' at k = ' + f.quoted.k;
  }

  // The chosen mode, plus the kata's simulation when the overlay is on.
  function requests(params, values) {
    const list = [{ as: 'main', params: params }];
    if (values['gradient.compare_kata'] && params.mode !== 'kata') {
      list.push({ as: 'kata', params: Object.assign({}, params, { mode: 'kata' }) });
    }
    return list;
  }

  ns.charts.gradient = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, requests: requests, facts: facts, describe: describe, headline: headline };
})();
