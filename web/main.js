// Entry point, wiring only: read the URL state, build the controls, ask the worker for
// runs, hand results to the panels and the summary, keep the URL and the readiness flag
// (html[data-lesson-state] = loading | ready | error | incomplete, a function of the current
// settings) current.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const root = document.documentElement;
  const EXPERIMENTS = ns.state.EXPERIMENTS;
  const own = (experiment) => ns.experiments[experiment];
  // The order in which the worker computes them: by each experiment's runRank (its file says
  // why), the list's order on a tie; those that runAfterOthers start when the rest are done.
  const RUN_ORDER = EXPERIMENTS.slice().sort((a, b) =>
    (own(a).runAfterOthers ? 1 : 0) - (own(b).runAfterOthers ? 1 : 0) || (own(a).runRank || 0) - (own(b).runRank || 0));

  function setLessonState(value) {
    root.dataset.lessonState = value;
  }
  root.dataset.lessonCurrent = '';
  root.dataset.lessonStale = '';

  function fail(text) {
    ns.page.showFatal(text);
    setLessonState('error');
  }

  // Where start-up time goes, for bench/page.js and DevTools' timeline (User Timing marks).
  const mark = (name) => { if (self.performance && performance.mark) performance.mark('lesson:' + name); };

  async function start() {
    mark('start');
    setLessonState('loading');
    for (const experiment of EXPERIMENTS) ns.results.stampPanel(document.getElementById('experiment-' + experiment), own(experiment));
    const missing = 'This page is missing its built files (vendor/chart.umd.min.js, core-wasm.js, worker-source.js). Build it with ./build-wasm.sh and open dist/index.html.';
    if (typeof Chart !== 'function' || typeof self.RNN_LESSON_WORKER_SOURCE !== 'string') {
      fail(missing);
      return;
    }
    let core;
    try {
      core = await ns.core.coreModule();
      mark('core compiled');
    } catch (e) {
      fail(missing);
      return;
    }
    const client = ns.createClient(self.RNN_LESSON_WORKER_SOURCE, core);
    // Answers "which values do the other settings allow?" in ms, even while a run computes.
    const checker = ns.limits.createChecker(self.RNN_LESSON_WORKER_SOURCE, core);
    const specsReply = client.specs();
    // Chart.js's first chart costs 80-200 ms here: paid while the worker computes, after the tasks
    // that finish starting the workers (which need this thread for a moment).
    ns.tasks.next('background').then(() => ns.chartCommon.warmUp(ns.chartCommon.readTheme()));
    const { version, specs } = await specsReply;
    mark('specs');
    document.getElementById('core-version').textContent = version;

    const table = ns.state.createTable(specs);
    const parsed = await ns.state.deserialize(table, location.search, checker.read);  // the core reads its numbers
    const values = parsed.values;
    mark('address read');
    const embedded = values.embed ? values.embed.split(',') : null;  // in the address's order
    const visible = embedded || EXPERIMENTS;
    // A combination from the address that the core would refuse is brought inside its limits
    // before the first run (nothing to ask when an experiment keeps its defaults).
    const fitted = await Promise.all(visible.map((e) => ns.limits.fitValues(checker, table, values, e).catch(() => [])));
    mark('limits fitted');
    ns.page.showMessages(parsed.messages.concat(...fitted));
    ns.page.applyLayout(embedded);
    // Inside a course platform (SCORM 1.2): status, predictions, time (web/lms.js; no LMS, no-op).
    ns.lms.start({ visible: visible, complete: values.complete, facts: (e) => (panels[e] ? panels[e].facts() : null) });

    const updateUrl = () => {
      const query = ns.state.serialize(table, values);
      try {
        history.replaceState(null, '', query || location.pathname);
      } catch (e) { /* some file:// setups refuse; the links below still carry the state */ }
      ns.page.updateLinks(query, ns.state.serialize(table, values, ['embed']));
    };

    // The page's state is a function of the current settings: each visible experiment's
    // panel says whether what it shows was computed for them (panel.result()).
    const settledOnce = {};
    let othersDone;
    const othersFinished = new Promise((resolve) => { othersDone = resolve; });
    const settled = (experiment, result) => {
      if (result !== 'running') settledOnce[experiment] = true;
      ns.summary.update(experiment, panels[experiment]);
      ns.lms.settled(experiment, result);
      if (visible.every((e) => own(e).runAfterOthers || settledOnce[e])) othersDone();
      showLessonState();
    };
    // loading: something runs or waits to run; error: an experiment has no result for the
    // current settings because its run was refused or failed; ready: every experiment shows a
    // run for the current settings (a re-run that failed leaves it so), or, for an experiment
    // that runs only on request (experiment 7's training), has not been asked to run ('idle');
    // incomplete: otherwise
    // (a run was cancelled). html[data-lesson-current] lists the
    // experiments whose results are current, [data-lesson-stale] those showing earlier ones.
    const showLessonState = () => {
      const results = visible.map((e) => (panels[e] ? panels[e].result() : 'running'));
      const named = (...which) => visible.filter((e, i) => which.indexOf(results[i]) >= 0).join(' ');
      root.dataset.lessonCurrent = named('current');
      root.dataset.lessonStale = visible.filter((e) => panels[e] && panels[e].isStale()).join(' ');
      if (results.some((r) => r === 'running' || r === 'none')) setLessonState('loading');
      else if (results.some((r) => r === 'refused' || r === 'failed')) setLessonState('error');
      else if (results.every((r) => r === 'current' || r === 'idle')) setLessonState('ready');
      else setLessonState('incomplete');
    };
    // Earlier settings of one experiment against the current ones, in words:
    // "Hidden size H was 32 (now 64); Seed was 42 (now 7); and 2 more".
    const changedSince = (experiment) => (earlier) => {
      if (!earlier) return '';
      const shown = (row, v) => ns.state.formatValue(row, v).replace(/,/g, ', ');
      const differ = table.filter((row) => row.experiment === experiment && !row.redraw &&
        !ns.state.sameValue(earlier[row.key], values[row.key]));
      const named = differ.slice(0, 3).map((row) => ns.controls.label(row) + ' was ' + shown(row, earlier[row.key]) +
        ' (now ' + shown(row, values[row.key]) + ')');
      if (differ.length > 3) named.push('and ' + (differ.length - 3) + ' more');
      return named.join('; ');
    };

    let theme = ns.chartCommon.readTheme();
    const panels = {};
    ns.pools = {};
    updateUrl();
    // The worker starts on every experiment now, in RUN_ORDER; the panels adopt these runs.
    const submitted = {};
    for (const experiment of RUN_ORDER.filter((e) => visible.indexOf(e) >= 0 && !own(e).runAfterOthers && !own(e).run && !own(e).manual)) {
      submitted[experiment] = ns.submitRuns(client, experiment, own(experiment),
        ns.state.moduleParams(table, values, experiment), values);
    }
    mark('runs handed over');
    // The worker already computes (one experiment at a time, in RUN_ORDER) while the panels
    // are built. The page yields between panels, so building them is several short tasks,
    // each after any chart that is ready to be drawn (web/tasks.js).
    for (const experiment of RUN_ORDER.filter((e) => visible.indexOf(e) >= 0)) {
      if (Object.keys(panels).length) await ns.tasks.next('background');
      const section = document.getElementById('experiment-' + experiment);
      const rows = table.filter((row) => row.experiment === experiment);
      const redrawOnly = new Set(rows.filter((row) => row.redraw).map((row) => row.key));
      // A control's value is applied only once the core accepts it with the other settings.
      const controls = ns.controls.build(section.querySelector('[data-role="controls"]'), rows, values,
        (key, value, how) => gate.propose(key, value, how), checker.read);
      const gate = ns.limits.createGate({ checker: checker, table: table, values: values, experiment: experiment,
        controls: controls, apply: (key, value, how) => {
          values[key] = value;
          controls.refresh(values);
          updateUrl();
          if (redrawOnly.has(key)) {
            panels[experiment].redraw();
            ns.summary.update(experiment, panels[experiment]);
          } else panels[experiment].schedule(how.immediate);
        } });
      gate.refresh();  // each slider's range: what the other settings allow
      panels[experiment] = ns.createPanel({
        experiment: experiment,
        section: section,
        client: client,
        words: own(experiment),
        charts: ns.charts[experiment],
        theme: theme,
        params: () => ns.state.moduleParams(table, values, experiment),
        values: () => values,
        onSettled: settled,
        changedSince: changedSince(experiment),
        // "name=value, ..." for every setting of this experiment (its downloads print it).
        settingsText: (runValues, nowValues) => rows.map((row) =>
          row.name + '=' + ns.state.formatValue(row, (row.redraw ? nowValues : runValues)[row.key])).join(', '),
        // (ns.pools[experiment]: the handle tests and the curious inspect a section's pool by.)
        pool: own(experiment).pool ? (ns.pools[experiment] = ns.createPool(self.RNN_LESSON_WORKER_SOURCE, core)) : null,
      });
      ns.predict.build(experiment, section, values, (key, value) => { values[key] = value; updateUrl(); ns.lms.predicted(key, value); });
      if (own(experiment).manual) panels[experiment].settleIdle();  // runs only when its button is pressed
      else if (own(experiment).runAfterOthers) othersFinished.then(() => panels[experiment].runNow());
      else panels[experiment].runNow(submitted[experiment]);
    }
    if (visible.every((e) => own(e).runAfterOthers)) othersDone();
    ns.predict.bindSwitch(document.getElementById('predict-switch'));

    // The charts repainted in the page's colours (on a scheme change; print.js before and after printing).
    ns.retheme = () => {
      theme = ns.chartCommon.readTheme();
      for (const experiment of visible) if (panels[experiment]) panels[experiment].applyTheme(theme);
    };
    window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', ns.retheme);
    // Every panel's charts made and drawn now, near the screen or not (print.js, before printing).
    ns.drawAllCharts = () => { for (const experiment of visible) if (panels[experiment]) panels[experiment].drawNow(); };
    ns.page.reportHeight(values.embed || 'lesson');  // one report for the whole frame
  }

  start().catch((error) => fail('The lesson could not start: ' + ((error && error.message) || error)));
})();
