// Experiment 2, "the learning signal fades with distance": the gradient by distance (and
// the kata's simulation beside it when the overlay is on), its factor per step in words.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const curveName = (result) => ns.charts.gradient.curveName(result);

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

  function readout(f) {
    return [
      { label: 'Factor per step (fitted)', value: '×' + f.decay.toFixed(3) },
      { label: 'R² of the exponential fit', value: f.decayRSquared.toFixed(3) },
      { label: 'Gradient at k = ' + f.quoted.k, value: c.sigSmall(f.quoted.norm, 2) },
      { label: 'Largest singular value σ₁ of W_h' + (f.networks > 1 ? ' (median of ' + f.networks + ')' : ''), value: f.sigma1.toFixed(3) },
      { label: 'Spectral radius ρ of W_h' + (f.networks > 1 ? ' (median of ' + f.networks + ')' : ''), value: f.rho.toFixed(3) },
    ];
  }

  function notice(f) {
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
  function describe(f) {
    return 'Chart: gradient size against distance k on a logarithmic axis (' + (f.mode === 'kata' ? 'the kata’s simulation' : 'real backpropagation') +
      '). Factor ×' + f.decay.toFixed(3) + ' per step; at k = ' + f.first.k + ' the gradient is ' + c.sigSmall(f.first.norm, 2) +
      ', at k = ' + f.quoted.k + ' it is ' + c.sigSmall(f.quoted.norm, 2) + '. The data table below has every number.';
  }

  function headline(f) {
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

  const POWERS = ['1', '1e-1', '1e-2', '1e-3', '1e-4', '1e-6', '1e-8', '1e-12', '1e-20'];
  const powerLabel = (p) => (p === '1' ? 'about the same (×1)' : '×10' + c.superscript(Number(p.slice(2))));

  ns.experiments.gradient = {
    runRank: 1,  // the quickest first
    rows: [
      { name: 'compare_kata', type: 'boolean', default: true, range: '1 (on) or 0 (off)', label: 'Also draw the kata’s simulation',
        help: "also draw the kata's simulation (random tanh slopes) for comparison",
        enabledWhen: (values) => values['gradient.mode'] !== 'kata' },
    ],
    panel: { busy: 'Computing…', figures: 'Fitted figures', tables: ['Gradient data table'] },
    requests: requests,
    facts: facts, table: table, readout: readout, notice: notice, describe: describe, headline: headline,
    summary: (f) => [
      '×' + f.decay.toFixed(3) + ' per step (σ₁ = ' + f.sigma1.toFixed(2) + ', ρ = ' + f.rho.toFixed(2) + '): at k = ' + f.quoted.k +
        ' the gradient is ' + c.sigSmall(f.quoted.norm, 2) + (f.mode === 'kata' ? ' (the kata’s simulation).' : '.'),
      'One weighted sum links any two positions: the path back to k = ' + f.last.k + ' is one step long, not ' +
        c.plural(f.last.k, 'Jacobian', 'Jacobians') + ' (experiment ' + ns.numberOf('architectures') + ' measures its size).',
    ],
    question: {
      question: 'Compared with distance 1, how large will the gradient be at distance 50 (or the largest distance run, if that is smaller)?',
      choices: POWERS.map((p) => [p, powerLabel(p)]),
      measure(f) {
        const ok = f.shrink > 0 && Number.isFinite(f.shrink);
        const value = ok ? POWERS[c.nearestIndex(POWERS.map(Number).map(Math.log10), Math.log10(f.shrink))] : '1e-20';
        return { value: value, text: '×' + c.sig(f.shrink, 2) + ' (' + c.sigSmall(f.first.norm, 2) + ' at k = ' + f.first.k + ', ' +
          c.sigSmall(f.quoted.norm, 2) + ' at k = ' + f.quoted.k + ')' };
      },
    },
  };
})();
