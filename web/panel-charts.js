// A panel's charts (one Chart.js chart per <canvas> of its section), made and drawn only when
// the panel is near the screen. Chart.js costs the main thread 20-90 ms to create a chart and
// 15-115 ms to draw one (measured, issue 15), and a load that drew all 18 at once spent ~0.6 s
// of it on charts below the fold. So: a panel's run is drawn when the panel comes within a
// screen's height of the viewport (IntersectionObserver), one chart per task; until then the
// panel (experiment.js) shows the run's words alone. Printing and the PNG download draw at once
// (drawNow); so does an embedded panel, because in a frame from another origin the observer
// ignores the margin and the charts would wait until on the screen.
//
// bench/page.js reads the User Timing mark 'lesson:drawn <experiment>' (the first time a run is
// drawn); the tests read section[data-drawn], the number of times the charts showed a run.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = ns.chartCommon;

  // options: {experiment, section, charts (charts/<name>.js), theme, embed,
  //           lastRun() (the run the panel shows, or null), values(), onError(text)}
  function createPanelCharts(options) {
    const charts = options.charts;
    const section = options.section;
    const canvases = Array.from(section.querySelectorAll('canvas'));
    const drawn = [];  // the Chart.js charts, one per canvas, in document order
    let theme = options.theme;
    const yieldToPage = () => ns.tasks.next('user-visible');
    const make = () => drawn.push(charts.create(canvases[drawn.length], theme, drawn.length));

    let drawings = 0;
    function markDrawn() {
      if (!drawn.length) return;
      if (!drawings && self.performance && performance.mark) performance.mark('lesson:drawn ' + options.experiment);
      section.dataset.drawn = String(++drawings);
    }

    // Every chart made, one per task.
    async function ensure() {
      while (drawn.length < canvases.length) {
        await yieldToPage();
        if (drawn.length < canvases.length) make();
      }
      await yieldToPage();
    }

    // Draws `run` on every chart, one per task; -> false (and stops) once stillWanted() says a
    // newer run took over. The caller calls markDrawn() once the run's words are shown too.
    async function drawInSteps(run, values, stillWanted) {
      for (let i = 0; i < drawn.length; ++i) {
        if (i) {
          await yieldToPage();
          if (!stillWanted()) return false;
        }
        charts.render(drawn[i], run, values, i);
      }
      return true;
    }

    // Every chart made so far shows `run` (a redraw after a setting that changes only how it is
    // drawn; charts not made yet draw the panel's run when it comes near).
    function renderAll(run, values) { drawn.forEach((chart, i) => charts.render(chart, run, values, i)); }

    let near = typeof IntersectionObserver !== 'function' || !!options.embed;
    // The panel came near: the run it shows gets its charts (a run arriving from now on draws
    // its own). Not while a measurement needs the cores (web/tasks.js, hold): the parallel
    // section's pool times every core.
    async function drawWhenNear() {
      near = true;
      await ns.tasks.unheld();
      if (!options.lastRun()) return;
      await ensure();
      // Each chart gets the panel's run as it is then: a newer run that arrives meanwhile also
      // draws itself, but may be superseded in turn before it has drawn every chart.
      for (let i = 0; i < drawn.length; ++i) {
        if (i) await yieldToPage();
        charts.render(drawn[i], options.lastRun(), options.values(), i);
      }
      markDrawn();
    }
    if (!near) {
      const watcher = new IntersectionObserver((entries) => {
        if (!entries.some((e) => e.isIntersecting)) return;
        watcher.disconnect();
        drawWhenNear().catch((e) => options.onError('The chart could not be drawn: ' + ((e && e.message) || e)));
      }, { rootMargin: '100% 0px' });
      watcher.observe(section);
    }

    return {
      canvases: canvases,
      drawn: drawn,
      isNear: () => near,
      ensure: ensure,
      drawInSteps: drawInSteps,
      markDrawn: markDrawn,
      // Synchronously, for printing and the PNG download: every chart made and showing the
      // run (none before a first run: experiment 7 shows no figure until it has run).
      drawNow() {
        near = true;
        const run = options.lastRun();
        if (!run) return;
        while (drawn.length < canvases.length) make();
        renderAll(run, options.values());
        markDrawn();
      },
      renderAll: renderAll,
      applyTheme(newTheme) {
        theme = newTheme;
        drawn.forEach((chart, i) => c.applyTheme(chart, theme, (ds, t) => charts.paint(ds, t, i)));
      },
    };
  }

  ns.createPanelCharts = createPanelCharts;
})();
