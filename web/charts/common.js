// What the charts share: colours read from the page's CSS variables (so dark mode and
// the Okabe-Ito palette live in style.css alone), the base Chart.js options, a plugin
// that paints the chart's background so a downloaded PNG is readable. The legends are in
// charts/legend.js.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  function cssVar(name) {
    return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  }

  // "#rrggbb" + alpha -> "rgba(...)".
  function withAlpha(hex, alpha) {
    const m = /^#([0-9a-f]{6})$/i.exec(hex);
    if (!m) return hex;
    const n = parseInt(m[1], 16);
    return 'rgba(' + (n >> 16) + ',' + ((n >> 8) & 255) + ',' + (n & 255) + ',' + alpha + ')';
  }

  function readTheme() {
    const t = {
      text: cssVar('--text'),
      muted: cssVar('--muted'),
      grid: cssVar('--grid'),
      surface: cssVar('--surface'),
      rnn: cssVar('--chart-rnn'),
      rnn2: cssVar('--chart-rnn-2'),
      kata: cssVar('--chart-kata'),
      attn: cssVar('--chart-attn'),
      attn2: cssVar('--chart-attn-2'),
      lstm: cssVar('--chart-lstm'),
      gru: cssVar('--chart-gru'),
      linear: cssVar('--chart-linear'),
      fit: cssVar('--chart-fit'),
      font: cssVar('--font-body') || 'system-ui, sans-serif',
    };
    t.rnnBand = withAlpha(t.rnn, 0.22);
    t.rnn2Band = withAlpha(t.rnn2, 0.22);
    // Lines stay opaque: every line keeps at least 3:1 contrast against --surface (the
    // palette in style.css is chosen for that); only the bands below are translucent.
    t.whisker = t.rnn;
    t.kataFaint = t.kata;
    // Bands for experiments 4 and 5: one per architecture, fainter where many overlap.
    t.band = (colour) => withAlpha(colour, 0.2);
    return t;
  }

  const background = {
    id: 'lessonBackground',
    beforeDraw(chart, args, options) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = options.color || '#fff';
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };

  function axis(theme, title, extra) {
    return Object.assign({
      title: { display: true, text: title, color: theme.text },
      ticks: { color: theme.muted },
      grid: { color: theme.grid },
      border: { color: theme.muted },
    }, extra || {});
  }


  // Options every chart starts from; each module adds its scales and datasets.
  function baseOptions(theme) {
    return {
      animation: false,
      parsing: false,
      normalized: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: {
        lessonBackground: { color: theme.surface },
        // Drawn as HTML by the htmlLegend plugin below; in the canvas only while a PNG is
        // copied (withCanvasLegends), there with each line's dash pattern.
        legend: {
          display: false,
          position: 'bottom',
          labels: {
            color: theme.text,
            usePointStyle: true,
            pointStyleWidth: 28,
            boxHeight: 8,
            filter: (item) => Boolean(item.text),
            sort: (a, b) => a.datasetIndex - b.datasetIndex,
            generateLabels: (chart) => ns.chartLegend.canvasLegendLabels(chart),
          },
        },
        tooltip: { filter: (item) => Boolean(item.dataset.label) },
      },
    };
  }

  // Re-colours an existing chart after the colour scheme changed.
  function applyTheme(chart, theme, paint) {
    const o = chart.options;
    o.plugins.lessonBackground.color = theme.surface;
    o.plugins.legend.labels.color = theme.text;
    for (const id of Object.keys(o.scales)) {
      const s = o.scales[id];
      s.title.color = theme.text;
      s.ticks.color = theme.muted;
      s.grid.color = theme.grid;
      s.border.color = theme.muted;
    }
    paint(chart.data.datasets, theme);
    chart.update('none');
  }

  Chart.defaults.font.family = readTheme().font;


  // Points {x, y} from parallel arrays, leaving out y values `keep` rejects (log axes).
  function points(xs, ys, keep) {
    const out = [];
    for (let i = 0; i < xs.length; ++i) {
      const y = ys[i];
      if (Number.isFinite(y) && (!keep || keep(y))) out.push({ x: xs[i], y: y });
    }
    return out;
  }

  function sig(x, digits) {
    if (!Number.isFinite(x)) return '–';
    if (x === 0) return '0';
    const a = Math.abs(x);
    if (a >= 1e-3 && a < 1e6) return String(Number(x.toPrecision(digits || 3)));
    const [mantissa, exponent] = x.toExponential((digits || 3) - 1).split('e');
    return mantissa + '×10' + superscript(Number(exponent));
  }

  // Below this a value is not a measurement any more: doubles lose precision under about
  // 1e-308, and the core's norms underflow to 5e-324. Charts leave such values out and the
  // text says "below 10⁻³⁰⁰".
  const SMALLEST_SHOWN = 1e-300;
  const shownOnLog = (y) => y >= SMALLEST_SHOWN;
  function sigSmall(x, digits) {
    return x >= 0 && x < SMALLEST_SHOWN ? (x === 0 ? '0' : 'below 10⁻³⁰⁰') : sig(x, digits);
  }

  const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  function superscript(n) {
    return String(n).split('').map((c) => SUPERSCRIPT[c]).join('');
  }

  function powerOfTen(e) {
    if (e === 0) return '1';
    if (e === 1) return '10';
    return '10' + superscript(e);
  }

  // Ticks at powers of ten only: every 1, 2, 5, 10, ... decades, at most about 8 of them,
  // on multiples of the step (1, 10⁻⁵, 10⁻¹⁰ ...).
  function decadeTicks(scale) {
    const lo = Math.floor(Math.log10(scale.min));
    const hi = Math.ceil(Math.log10(scale.max));
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
    const step = [1, 2, 5, 10, 20, 50, 100].find((s) => (hi - lo) / s <= 8) || 200;
    const ticks = [];
    for (let e = Math.ceil(lo / step) * step; e <= hi; e += step) ticks.push({ value: Math.pow(10, e), major: true });
    if (ticks.length >= 2) scale.ticks = ticks;
  }

  // Makes a logarithmic axis span whole decades and label only powers of ten (1, 10⁻⁵, ...).
  // The range is set here, not from Chart.js's own ticks: over a hundred decades or more
  // (gradients of 10⁻¹⁷⁰) its tick generator returns NaN and the axis collapses.
  function decadeAxis(axisOptions) {
    axisOptions.bounds = 'data';
    axisOptions.afterDataLimits = (scale) => {
      if (!(scale.min > 0 && scale.max > 0)) return;
      scale.min = Math.pow(10, Math.floor(Math.log10(scale.min)));
      scale.max = Math.pow(10, Math.ceil(Math.log10(scale.max)));
      if (scale.min === scale.max) scale.max *= 10;
    };
    axisOptions.ticks.callback = (value) => powerOfTen(Math.round(Math.log10(value)));
    axisOptions.afterBuildTicks = decadeTicks;
    return axisOptions;
  }

  // Ticks at 1, 2 and 5 times the powers of ten inside the range, for a log axis spanning a
  // few decades (N = 8 … 128, n = 2 … 1000); labels without thousands separators.
  function oneTwoFiveAxis(axisOptions) {
    axisOptions.afterBuildTicks = (scale) => {
      const ticks = [];
      for (let e = Math.floor(Math.log10(scale.min)); e <= Math.ceil(Math.log10(scale.max)); ++e) {
        for (const m of [1, 2, 5]) {
          const v = m * Math.pow(10, e);
          if (v >= scale.min * 0.999 && v <= scale.max * 1.001) ticks.push({ value: v, major: m === 1 });
        }
      }
      if (ticks.length >= 2) scale.ticks = ticks;
    };
    axisOptions.ticks.callback = (value) => String(Number(value.toPrecision(3)));
    axisOptions.ticks.autoSkip = true;
    axisOptions.ticks.maxRotation = 0;
    return axisOptions;
  }

  // Ticks exactly at the given values (e.g. the hidden sizes run), for a log x-axis.
  function ticksAt(axisOptions, values) {
    axisOptions.afterBuildTicks = (scale) => {
      const inside = values.filter((v) => v >= scale.min && v <= scale.max);
      if (inside.length) scale.ticks = inside.map((v) => ({ value: v }));
    };
    axisOptions.ticks.callback = (value) => String(value);
    axisOptions.ticks.autoSkip = true;
    axisOptions.ticks.maxRotation = 0;
    return axisOptions;
  }

  // Median line + quartile band as three datasets (line, q1, q3 filled to q1).
  function bandDatasets(label, extra) {
    const band = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 5, label: '' };
    return [
      Object.assign({ label: label, data: [], borderWidth: 2.5, pointRadius: 0, order: 1 }, extra || {}),
      Object.assign({ data: [], fill: false }, band),
      Object.assign({ data: [], fill: '-1' }, band),
    ];
  }

  function paintBand(ds, i, colour, theme) {
    Object.assign(ds[i], { borderColor: colour, backgroundColor: colour });
    Object.assign(ds[i + 1], { borderColor: theme.band(colour), backgroundColor: theme.band(colour) });
    Object.assign(ds[i + 2], { borderColor: theme.band(colour), backgroundColor: theme.band(colour) });
  }

  // Fills three band datasets from xs and a {median, q1, q3} band; `keep` filters y values.
  function fillBand(ds, i, xs, band, keep, withQuartiles) {
    ds[i].data = points(xs, band.median, keep);
    ds[i + 1].data = withQuartiles === false ? [] : points(xs, band.q1, keep);
    ds[i + 2].data = withQuartiles === false ? [] : points(xs, band.q3, keep);
  }

  // The architectures' display names and theme colours, in the core's order.
  const ARCHITECTURES = {
    rnn: { name: 'RNN (tanh)', short: 'RNN', colour: 'rnn', dash: [] },
    lstm: { name: 'LSTM', short: 'LSTM', colour: 'lstm', dash: [8, 4] },
    gru: { name: 'GRU', short: 'GRU', colour: 'gru', dash: [2, 3] },
    attention: { name: 'attention', short: 'attention', colour: 'attn', dash: [] },
    // Experiment 4's two diagonal linear recurrences (their decay a is a setting; the
    // experiment's words add its value to these names).
    linear_a: { name: 'linear recurrence', short: 'linear', colour: 'linear', dash: [] },
    linear_b: { name: 'linear recurrence', short: 'linear', colour: 'linear', dash: [10, 3, 2, 3] },
  };

  // Draws a small chart nobody sees, on a canvas outside the page, and throws it away. Chart.js
  // runs cold the first time (its code compiled and run slowly once: 70-180 ms of main thread
  // measured on this project's 2-core machine); the page calls this while its worker is still
  // starting, so the real charts are created later in short tasks.
  function warmUp(theme) {
    const canvas = document.createElement('canvas');
    canvas.width = 320;
    canvas.height = 200;
    const options = baseOptions(theme);
    options.responsive = false;
    options.scales = { x: axis(theme, 'x', { type: 'linear' }), y: axis(theme, 'y', { type: 'logarithmic' }) };
    const data = [{ x: 1, y: 1 }, { x: 2, y: 10 }, { x: 3, y: 100 }];
    const chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [{ label: 'a', data: data }, { label: 'b', data: data, fill: '-1', borderDash: [2, 3] }] },
      options: options,
      plugins: [background],
    });
    chart.destroy();
  }

  ns.chartCommon = {
    warmUp: warmUp,
    readTheme: readTheme,
    withAlpha: withAlpha,
    background: background,
    axis: axis,
    baseOptions: baseOptions,
    applyTheme: applyTheme,
    points: points,
    sig: sig,
    sigSmall: sigSmall,
    shownOnLog: shownOnLog,
    superscript: superscript,
    decadeAxis: decadeAxis,
    oneTwoFiveAxis: oneTwoFiveAxis,
    ticksAt: ticksAt,
    bandDatasets: bandDatasets,
    paintBand: paintBand,
    fillBand: fillBand,
    ARCHITECTURES: ARCHITECTURES,
    // For the experiments' words (web/experiments/*.js).
    plural: (n, one, many) => n + ' ' + (n === 1 ? one : many),
    // Index of the element of `xs` nearest to `x` (the first on a tie).
    nearestIndex(xs, x) {
      let i = 0;
      for (let j = 1; j < xs.length; ++j) if (Math.abs(xs[j] - x) < Math.abs(xs[i] - x)) i = j;
      return i;
    },
  };
  ns.charts = ns.charts || {};
  ns.experiments = ns.experiments || {};
})();
