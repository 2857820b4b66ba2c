// Experiment 2's chart: the size of the gradient d h_T / d h_{T-k} against the distance k,
// on a logarithmic y-axis (exponential decay is a straight line there). The median across
// networks is the line, the band between quartiles 1 and 3 shows their spread, and the
// kata's simulation can be drawn as well, or instead (mode 'kata').
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = (y) => y > 0;

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
      y: c.axis(theme, 'gradient size ‖∂h_T / ∂h_T−k‖ (log scale)', { type: 'logarithmic' }),
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

  function describe(result) {
    return result.mode === 'kata'
      ? "kata's simulation: random tanh slopes in [0.3, 1]"
      : 'real backprop: median of ' + result.params.seeds + ' networks';
  }

  function render(chart, run) {
    const r = run.main;
    const ds = chart.data.datasets;
    const k = Array.from(r.distances);
    const single = r.mode === 'kata' || r.params.seeds < 2;
    ds[0].label = describe(r);
    ds[0].markers = r.mode === 'kata';
    ds[0].data = c.points(k, r.norm.median, positive);
    ds[1].data = single ? [] : c.points(k, r.norm.q1, positive);
    ds[2].data = single ? [] : c.points(k, r.norm.q3, positive);
    ds[2].label = single ? '' : 'middle half of the networks (quartiles 1–3)';
    const kata = run.kata;
    ds[3].label = kata ? describe(kata) : '';
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
      caption: 'Gradient size by distance (' + describe(r) + ')',
      columns: columns,
      rows: rows,
    };
  }

  function readout(run) {
    const r = run.main;
    return [
      { label: 'Decay factor per step', value: '×' + r.decay_per_step.toFixed(3) },
      { label: 'R² of the exponential fit', value: r.decay_r_squared.toFixed(3) },
      { label: 'Spectral radius of W_h (λ₁)', value: r.spectral_radius.toFixed(3) },
      { label: 'Largest singular value of W_h', value: r.largest_singular_value.toFixed(3) },
    ];
  }

  // Median norm at the largest distance not beyond `k`.
  function normNear(r, k) {
    let best = -1;
    for (let i = 0; i < r.distances.length; ++i) if (r.distances[i] <= k) best = i;
    return best < 0 ? null : { k: r.distances[best], norm: r.norm.median[best] };
  }

  function notice(run) {
    const r = run.main;
    const sigma = r.largest_singular_value;
    const k = Math.min(50, r.distances[r.distances.length - 1]);
    const at = normNear(r, k);
    const first = r.norm.median[0];
    const lost = at && first > 0
      ? 'Between k = ' + r.distances[0] + ' and k = ' + at.k + ' the gradient shrank to ' +
        c.sig(at.norm / first, 2) + ' of its size. '
      : '';
    const condition = sigma < 1
      ? 'W_h’s largest singular value is ' + sigma.toFixed(2) + ' < 1, and tanh’s slope is at most 1, so every step must shrink the gradient: vanishing is guaranteed (Pascanu et al., 2013).'
      : r.decay_per_step < 1
        ? 'W_h’s largest singular value is ' + sigma.toFixed(2) + ' ≥ 1, so that guarantee does not apply, yet tanh’s slopes below 1 still pull the factor per step down to ×' + r.decay_per_step.toFixed(2) + '.'
        : 'W_h’s largest singular value is ' + sigma.toFixed(2) + ' and the fitted factor is ×' + r.decay_per_step.toFixed(2) + ' per step: this gradient grows with distance (it explodes), the other way a long chain fails.';
    return lost + 'On a log axis a constant factor per step is a straight line. ' + condition;
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
    notice: notice, requests: requests };
})();
