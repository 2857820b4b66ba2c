// Printing: Chart.js does not redraw its charts when the page is laid out for paper, so
// before printing this repaints them in the printed (light) colours and at the printed
// width, and afterwards as they were (print.css holds the layout). Both the print events
// and the print media query (which is what a PDF export or an emulated print medium changes)
// start it; doing it twice is harmless.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  // The printed width of a chart in CSS px, print.css's width of a chart's box: A4 (210 mm) or
  // US Letter (216 mm) less 15 mm margins leaves 180-186 mm, 680-703 px at 96 px per inch.
  const PRINT_WIDTH = 640;
  const PAIR_WIDTH = 310;  // each of two charts side by side (.chart-pair), 20 px apart
  let printing = false;

  const charts = () => (typeof Chart === 'function' && Chart.instances ? Object.values(Chart.instances) : []);

  function before() {
    if (printing) return;
    printing = true;
    document.documentElement.classList.add('printing');
    if (ns.drawAllCharts) ns.drawAllCharts();  // charts below the fold are made only when near (experiment.js)
    if (ns.retheme) ns.retheme();
    for (const chart of charts()) chart.resize(chart.canvas.closest('.chart-pair') ? PAIR_WIDTH : PRINT_WIDTH, chart.height);
  }

  function after() {
    if (!printing) return;
    printing = false;
    document.documentElement.classList.remove('printing');
    if (ns.retheme) ns.retheme();
    for (const chart of charts()) chart.resize();  // back to the size of its box on screen
  }

  window.addEventListener('beforeprint', before);
  window.addEventListener('afterprint', after);
  const media = window.matchMedia('print');
  media.addEventListener('change', () => (media.matches ? before() : after()));
  ns.print = { before: before, after: after };
})();
