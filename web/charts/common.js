// What the three charts share: colours read from the page's CSS variables (so dark mode and
// the Okabe-Ito palette live in style.css alone), the base Chart.js options, and a plugin
// that paints the chart's background so a downloaded PNG is readable.
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
      fit: cssVar('--chart-fit'),
      font: cssVar('--font-body') || 'system-ui, sans-serif',
    };
    t.rnnBand = withAlpha(t.rnn, 0.22);
    t.rnn2Band = withAlpha(t.rnn2, 0.22);
    t.whisker = withAlpha(t.rnn, 0.75);
    t.kataFaint = withAlpha(t.kata, 0.55);
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
        legend: {
          position: 'bottom',
          labels: {
            color: theme.text,
            usePointStyle: true,
            boxHeight: 8,
            filter: (item) => Boolean(item.text),
            sort: (a, b) => a.datasetIndex - b.datasetIndex,
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

  const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };
  function superscript(n) {
    return String(n).split('').map((c) => SUPERSCRIPT[c]).join('');
  }

  ns.chartCommon = {
    readTheme: readTheme,
    withAlpha: withAlpha,
    background: background,
    axis: axis,
    baseOptions: baseOptions,
    applyTheme: applyTheme,
    points: points,
    sig: sig,
  };
  ns.charts = ns.charts || {};
})();
