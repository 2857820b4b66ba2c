// Experiment 7's charts, drawn from runs trained on this device (its run and words:
// web/experiments/train.js): held-out accuracy against training step at one lag (chart 0:
// one line per network, the median over its runs, with the range across runs as a band),
// and the steps each network needed to reach 90% against the lag (chart 1, log-log; a cross
// above the budget line, one row per network, where it did not get there within the budget);
// and chart 2, the truncated-BPTT comparison: accuracy against step at one lag beyond the
// window, each recurrent network with the full gradient (solid) and the window (dashed).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const ORDER = ['rnn', 'lstm', 'gru', 'linear', 'attention'];
  const NAMES = { rnn: 'tanh RNN', lstm: 'LSTM', gru: 'GRU', linear: 'linear recurrence (minGRU)', attention: 'attention' };
  const DASH = { rnn: [], lstm: [8, 4], gru: [2, 3], linear: [12, 3, 2, 3], attention: [] };
  const colour = (t, a) => (a === 'linear' ? t.linear : t[c.ARCHITECTURES[a].colour]);

  const RECURRENT = ORDER.filter((a) => a !== 'attention');

  function paint(ds, t, i) {
    if (i === 2) {
      RECURRENT.forEach((a, j) => {
        for (const k of [0, 1]) Object.assign(ds[2 * j + k], { borderColor: colour(t, a), backgroundColor: colour(t, a) });
      });
      Object.assign(ds[8], { borderColor: t.muted, backgroundColor: t.muted });
    } else if (i === 0) {
      ORDER.forEach((a, j) => c.paintBand(ds, 3 * j, colour(t, a), t));
      Object.assign(ds[15], { borderColor: t.muted, backgroundColor: t.muted });
    } else {
      ORDER.forEach((a, j) => {
        Object.assign(ds[2 * j], { borderColor: colour(t, a), backgroundColor: colour(t, a) });
        Object.assign(ds[2 * j + 1], { borderColor: colour(t, a), backgroundColor: colour(t, a) });
      });
      Object.assign(ds[10], { borderColor: t.muted, backgroundColor: t.muted });
    }
  }

  function create(canvas, theme, i) {
    const o = c.baseOptions(theme);
    let ds = [];
    if (i === 2) {
      o.scales = {
        x: c.axis(theme, 'training step (Adam updates)', { type: 'linear', min: 0 }),
        y: c.axis(theme, 'held-out accuracy', { type: 'linear', min: 0, max: 1 }),
      };
      RECURRENT.forEach((a) => {
        ds.push({ label: NAMES[a] + ', full BPTT', data: [], borderWidth: 2.5, pointRadius: 2 });
        ds.push({ label: NAMES[a] + ', truncated', data: [], borderWidth: 2, borderDash: [6, 4], pointRadius: 2 });
      });
      ds.push({ label: 'chance, 1/K', data: [], borderWidth: 1.5, borderDash: [2, 4], pointRadius: 0, order: 0 });
      o.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: (items) => 'step ' + items[0].parsed.x };
    } else if (i === 0) {
      o.scales = {
        x: c.axis(theme, 'training step (Adam updates)', { type: 'linear', min: 0 }),
        y: c.axis(theme, 'held-out accuracy', { type: 'linear', min: 0, max: 1 }),
      };
      ORDER.forEach((a) => { ds = ds.concat(c.bandDatasets(NAMES[a], { borderDash: DASH[a], pointRadius: 2 })); });
      ds.push({ label: 'chance, 1/K', data: [], borderWidth: 1.5, borderDash: [4, 4], pointRadius: 0, order: 0 });
      o.plugins.tooltip.callbacks = { label: (item) => (item.dataset.label || 'range across runs') + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'step ' + items[0].parsed.x };
    } else {
      o.scales = {
        x: c.ticksAt(c.axis(theme, 'lag T (sequence length; first token T − 1 steps back)', { type: 'logarithmic' }), []),
        y: c.decadeAxis(c.axis(theme, 'steps to reach 90% held-out accuracy', { type: 'logarithmic' })),
      };
      ORDER.forEach((a) => {
        ds.push({ label: NAMES[a], type: 'line', data: [], borderWidth: 2, borderDash: DASH[a], pointRadius: 4 });
        ds.push({ label: '', type: 'line', data: [], showLine: false, pointStyle: 'crossRot', pointRadius: 8, borderWidth: 2.5 });
      });
      ds.push({ label: 'the budget (× above it: not learned within it)', type: 'line', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0 });
      o.plugins.tooltip.callbacks = {
        label: (item) => (item.dataset.label || NAMES[ORDER[Math.floor(item.datasetIndex / 2)]]) + ': ' +
          (item.dataset.pointStyle === 'crossRot' ? 'not learned within the budget' : c.sig(item.parsed.y, 3) + ' steps'),
        title: (items) => 'lag ' + items[0].parsed.x,
      };
    }
    paint(ds, theme, i);
    return new Chart(canvas, { type: 'line', data: { datasets: ds }, options: o, plugins: [c.background] });
  }

  // f: the run's facts (web/experiments/train.js).
  function render(chart, run, values, i) {
    const f = ns.experiments.train.facts(run, values);
    const ds = chart.data.datasets;
    if (i === 2) {
      const cmp = f.compare;
      RECURRENT.forEach((a, j) => {
        ['full', 'window'].forEach((k, m) => {
          const cl = cmp && cmp.nets[a] && cmp.nets[a][k];
          ds[2 * j + m].data = cl ? c.points(cl.evalSteps, cl.accuracy.median) : [];
          if (cmp) ds[2 * j + m].label = NAMES[a] + (k === 'full' ? ', full BPTT' : ', last ' + cmp.window + ' positions');
        });
      });
      ds[8].data = [{ x: 0, y: f.chance }, { x: f.steps, y: f.chance }];
      ds[8].label = 'chance, 1/K = ' + c.sig(f.chance, 3);
      chart.options.scales.x.max = f.steps;
      chart.options.scales.x.title.text = 'training step' + (cmp ? ' (lag ' + cmp.lag + ', first token ' + (cmp.lag - 1) + ' steps back)' : '');
    } else if (i === 0) {
      chart.options.scales.x.title.text = 'training step (Adam updates), lag ' + f.shownLag;
      ORDER.forEach((a, j) => {
        const cell = f.cells[a] && f.cells[a][f.shownLag];
        if (!cell) {
          for (let k = 0; k < 3; ++k) ds[3 * j + k].data = [];
          return;
        }
        c.fillBand(ds, 3 * j, cell.evalSteps, cell.accuracy, null, cell.seeds >= 2);
        ds[3 * j + 2].label = '';
      });
      const last = f.steps;
      ds[15].data = [{ x: 0, y: f.chance }, { x: last, y: f.chance }];
      ds[15].label = 'chance, 1/K = ' + c.sig(f.chance, 3);
      chart.options.scales.x.max = last;
    } else {
      const budget = f.steps;
      ORDER.forEach((a, j) => {
        const cells = f.lags.map((T) => f.cells[a] && f.cells[a][T]).filter(Boolean);
        ds[2 * j].data = cells.filter((cl) => cl.learned && cl.stepsToLearn > 0).map((cl) => ({ x: cl.lag, y: cl.stepsToLearn }));
        // One row of crosses per network, so that crosses at the same lag do not hide each other.
        ds[2 * j + 1].data = cells.filter((cl) => !cl.learned).map((cl) => ({ x: cl.lag, y: budget * Math.pow(1.35, j + 1) }));
      });
      ds[10].data = f.lags.length ? [{ x: f.lags[0], y: budget }, { x: f.lags[f.lags.length - 1], y: budget }] : [];
      chart.options.scales.x = c.ticksAt(chart.options.scales.x, f.lags);
      chart.options.scales.y.max = budget * 6;
    }
    chart.update('none');
  }

  ns.charts.train = { paint: paint, create: create, render: render, ORDER: ORDER, NAMES: NAMES };
})();
