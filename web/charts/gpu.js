// Experiment 9's charts, both on logarithmic axes against the sequence length L, one line per
// GPU kernel (median of the timed runs; a band from the fastest to the slowest run): chart 0
// the time of one run, chart 1 the same divided by L, the time per token.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  // The kernels in the order drawn: their theme colours, markers and dashes.
  const KERNELS = ['rnn_persistent', 'rnn_per_step', 'rnn_batch', 'attention', 'scan'];
  const COLOURS = { rnn_persistent: 'rnn', rnn_per_step: 'rnn2', rnn_batch: 'kata', attention: 'attn', scan: 'linear' };
  const MARKERS = { rnn_persistent: 'circle', rnn_per_step: 'crossRot', rnn_batch: 'rect', attention: 'triangle', scan: 'rectRot' };
  const DASHES = { rnn_persistent: [], rnn_per_step: [3, 3], rnn_batch: [8, 4], attention: [], scan: [10, 3, 2, 3] };
  // What each line is, as its legend says it (batch: filled in with B).
  const LABEL = {
    rnn_persistent: 'RNN, one workgroup looping over the steps',
    rnn_per_step: 'RNN, one dispatch per step',
    rnn_batch: (B) => (B === 1 ? '1 RNN sequence in the batch kernel' : B + ' RNN sequences, one workgroup each'),
    attention: 'causal attention, one dispatch',
    scan: 'linear recurrence, parallel scan',
  };
  const labelOf = (k, B) => (typeof LABEL[k] === 'function' ? LABEL[k](B) : LABEL[k]);

  function paint(ds, t) {
    KERNELS.forEach((k, j) => c.paintBand(ds, 3 * j, t[COLOURS[k]], t));
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    const unit = index === 1 ? 'µs per token' : 'ms';
    options.scales = {
      x: c.axis(theme, 'sequence length L (tokens)', { type: 'logarithmic' }),
      y: c.decadeAxis(c.axis(theme, index === 1 ? 'time per token (µs, log)' : 'one run on the GPU (ms, log)', { type: 'logarithmic' })),
    };
    options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3) + ' ' + unit,
      title: (items) => 'L = ' + items[0].parsed.x };
    const datasets = [];
    for (const k of KERNELS) {
      datasets.push.apply(datasets, c.bandDatasets(labelOf(k, 'B'), { pointRadius: 3.5, pointStyle: MARKERS[k], borderDash: DASHES[k] }));
    }
    paint(datasets, theme);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  // run.main.gpu.kernels[k]: [{length, ms: {median, min, max}}]; nothing drawn without a GPU.
  function render(chart, run, values, index) {
    const g = run.main.gpu;
    const ds = chart.data.datasets;
    const scale = (row) => (index === 1 ? 1000 / row.length : 1);  // ms per run -> µs per token
    let xs = [];
    KERNELS.forEach((k, j) => {
      const rows = g ? g.kernels[k].slice().sort((a, b) => a.length - b.length) : [];
      xs = xs.concat(rows.map((r) => r.length));
      c.fillBand(ds, 3 * j, rows.map((r) => r.length), {
        median: rows.map((r) => r.ms.median * scale(r)), q1: rows.map((r) => r.ms.min * scale(r)), q3: rows.map((r) => r.ms.max * scale(r)),
      }, null, true);
      ds[3 * j].label = labelOf(k, run.main.params.batch);
    });
    c.ticksAt(chart.options.scales.x, Array.from(new Set(xs)).sort((a, b) => a - b));
    chart.update('none');
  }

  ns.charts.gpu = { paint: paint, create: create, render: render, KERNELS: KERNELS, labelOf: labelOf };
})();
