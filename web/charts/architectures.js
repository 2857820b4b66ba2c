// Experiment 4's charts: how strongly the last output depends on the input k steps back,
// for a tanh RNN, an LSTM, a GRU, causal self-attention and two diagonal linear recurrences
// (chart 0, log y: median line and quartile band per architecture), and attention's gradient to the previous token as its
// context grows (chart 1, log-log, with a 1/n reference line).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = c.shownOnLog;  // leaves out zeros and underflowed values
  const ORDER = ['rnn', 'lstm', 'gru', 'attention', 'linear_a', 'linear_b'];

  function paint(ds, t, index) {
    if (index === 1) {
      c.paintBand(ds, 0, t.attn, t);
      Object.assign(ds[3], { borderColor: t.fit, backgroundColor: t.fit });
      return;
    }
    ORDER.forEach((a, i) => c.paintBand(ds, 3 * i, t[c.ARCHITECTURES[a].colour], t));
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    let datasets;
    if (index === 1) {
      options.scales = {
        x: c.oneTwoFiveAxis(c.axis(theme, 'context length n (tokens the query can see)', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'gradient at distance 1 (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = {
        label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'n = ' + items[0].parsed.x,
      };
      datasets = c.bandDatasets('attention: median across networks', { borderWidth: 2.5, pointRadius: 2 })
        .concat([{ label: 'shared equally: ∝ 1/n (reference)', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    } else {
      options.scales = {
        x: c.axis(theme, 'distance k (steps back from the last output)', { type: 'linear', beginAtZero: true }),
        y: c.decadeAxis(c.axis(theme, 'gradient size ‖∂(output at T) / ∂(input at T−k)‖ (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = {
        label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
        title: (items) => 'k = ' + items[0].parsed.x,
      };
      // 18 series of up to 5,000 points: drawn through Chart.js's decimation (largest-triangle
      // sampling keeps each line's shape); the data tables keep every distance.
      options.plugins.decimation = { enabled: true, algorithm: 'lttb', samples: 300, threshold: 400 };
      datasets = [];
      ORDER.forEach((a, i) => {
        const spec = c.ARCHITECTURES[a];
        datasets.push.apply(datasets, c.bandDatasets(spec.name, {
          borderDash: spec.dash, borderWidth: a === 'attention' ? 3 : 2.5, order: a === 'attention' ? 0 : 1 }));
      });
    }
    paint(datasets, theme, index);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  function curve(r, architecture) {
    return r.curves.find((x) => x.architecture === architecture);
  }

  // A curve's name for legends and words: the linear recurrences carry their decay a.
  function name(cv, short) {
    const spec = c.ARCHITECTURES[cv.architecture];
    const base = short ? spec.short : spec.name;
    return cv.decay === null || cv.decay === undefined ? base : base + ' (a = ' + cv.decay + ')';
  }

  function render(chart, run, values, index) {
    const r = run.main;
    const ds = chart.data.datasets;
    const bands = r.params.seeds >= 2;
    if (index === 1) {
      const n = Array.from(r.attention_context_lengths);
      c.fillBand(ds, 0, n, r.attention_context_norm, positive, bands);
      ds[2].label = bands ? 'middle half of the networks' : '';
      // Reference through the geometric mean of the medians, with slope -1 on log-log axes.
      const logs = [];
      n.forEach((x, i) => { const y = r.attention_context_norm.median[i]; if (y > 0) logs.push(Math.log(y) + Math.log(x)); });
      const level = logs.length ? Math.exp(logs.reduce((a, b) => a + b, 0) / logs.length) : NaN;
      ds[3].data = Number.isFinite(level) && n.length ? [n[0], n[n.length - 1]].map((x) => ({ x: x, y: level / x })) : [];
    } else {
      const k = Array.from(r.distances);
      ORDER.forEach((a, i) => {
        const cv = curve(r, a);
        c.fillBand(ds, 3 * i, k, cv.norm, positive, bands);
        ds[3 * i].label = name(cv) + ' ×' + cv.decay_per_step.toFixed(3) + ' per step';
      });
    }
    chart.update('none');
  }

  ns.charts.architectures = { paint: paint, create: create, render: render, curve: curve, name: name, ORDER: ORDER };
})();
