// One experiment's panel (stamped from the page's one <template> by results.js): runs the
// experiment through the client (debounced, superseding, cancellable), shows progress for runs
// longer than PROGRESS_AFTER_MS, and hands a finished run to its charts (charts/<name>.js) and
// its words (experiments/<name>.js: facts, computed once per shown run, then the readout,
// notice, claims, tables and downloads).
//
// What the panel shows is a function of the current settings, not of its history: each run
// remembers the settings it was computed for, and a panel whose last run was refused, failed
// or cancelled keeps its earlier chart only marked as such (class is-stale, a sentence naming
// the settings that differ). result() says which: 'running' | 'current' | 'refused' |
// 'failed' | 'cancelled' | 'stale' | 'none' | 'idle'. A `manual` experiment (experiment 7's
// training) runs only when its button is pressed: until then, and after a change of setting
// with nothing shown, it is 'idle'; a change after a run marks that run stale. Its own run may
// hand partial runs to `partial(run)` as they come (drawn at once, {partial: {done, total}});
// a cancelled one keeps what had finished, marked as such.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const DEBOUNCE_MS = 300;
  const PROGRESS_AFTER_MS = 300;

  // options: {experiment, section, client, words, charts, theme, params(), values(), onSettled(experiment, outcome)}
  function createPanel(options) {
    const experiment = options.experiment;
    const words = options.words;
    const charts = options.charts;
    const section = options.section;
    const find = (role) => section.querySelector('[data-role="' + role + '"]');
    const ui = {
      run: find('run'), cancel: find('cancel'), busy: find('busy'), progress: find('progress'),
      status: find('status'), error: find('error'), readout: find('readout'), notice: find('notice'),
      claims: find('claims'),
      tables: Array.from(section.querySelectorAll('[data-role="table"]')), details: section.querySelector('details.data'),
      csv: Array.from(section.querySelectorAll('[data-role="csv"]')), png: find('png'),
    };
    // Its charts (panel-charts.js): made and drawn when the panel is near the screen.
    const figures = ns.createPanelCharts({
      experiment: experiment, section: section, charts: charts, theme: options.theme, embed: !!options.values().embed,
      lastRun: () => lastRun, values: options.values, onError: (text) => showError(text),
    });
    const canvases = figures.canvases;
    const mark = (what) => { if (self.performance && performance.mark) performance.mark('lesson:' + what + ' ' + experiment); };
    // Every panel has the same buttons: tie each to its experiment's heading for screen readers.
    const heading = section.querySelector('h2');
    const manual = !!words.manual;
    if (manual) ui.run.textContent = words.panel.run;
    for (const button of section.querySelectorAll('button')) button.setAttribute('aria-describedby', heading.id);
    let generation = 0;
    let debounce = 0;
    let progressTimer = 0;
    let lastRun = null;
    let shownFacts = null;  // words.facts(lastRun, values): what every sentence about it reads
    let tablesDrawn = false;
    // The settings the shown run was computed for, and how the latest attempt ended.
    let shownKey = null;
    let shownValues = null;
    let ended = 'none';  // 'current' | 'refused' | 'failed' | 'cancelled' | 'none'
    let pending = false;  // a run is scheduled or in flight
    let inFlight = false;  // a run is in flight (not only scheduled)
    const staleNote = document.createElement('p');
    staleNote.className = 'stale-note';
    staleNote.hidden = true;
    ui.error.after(staleNote);
    // The progress bar takes the status line's place while a run computes (the status keeps
    // its height, hidden), so neither appearing moves the chart below: no layout shift per run.
    const statusSlot = document.createElement('div');
    statusSlot.className = 'status-slot';
    ui.status.before(statusSlot);
    statusSlot.append(ui.status, ui.busy);

    // The key of what a run with the current settings would compute (redraw-only settings
    // are not part of it: they change how a run is drawn, not the run).
    function settingsKey() {
      const params = options.params();
      return JSON.stringify(words.requests(params, options.values()).map((r) => r.params));
    }

    const shownIsCurrent = () => !!lastRun && !lastRun.partial && shownKey === settingsKey();

    function result() {
      if (pending) return 'running';
      if (lastRun && lastRun.partial && lastRun.partial.keyed && shownKey === settingsKey()) return 'cancelled';
      if (shownIsCurrent()) return 'current';
      if (manual && !lastRun && ended === 'none') return 'idle';
      if (ended === 'refused' || ended === 'failed' || ended === 'cancelled') return ended;
      return lastRun ? 'stale' : 'none';
    }

    // The run shown is stale: there is one, and it is neither current nor being replaced.
    function isStale() {
      const now = result();
      return !!lastRun && now !== 'current' && now !== 'running';
    }

    // Marks (or unmarks) the shown run as computed for other settings, and tells the page.
    // While a run computes the mark is left off (the progress bar says a new result is coming,
    // and a mark flashing on every change would move the page).
    staleNote.id = section.id + '-stale';
    function settle() {
      const now = result();
      const stale = isStale();
      section.classList.toggle('is-stale', stale);
      // A manual experiment's charts are made when it first runs: until then there is no figure.
      section.classList.toggle('no-charts-yet', manual && !figures.drawn.length && now !== 'running');
      section.dataset.result = now;
      staleNote.hidden = !stale;
      if (stale && lastRun.partial && now === 'cancelled') {
        staleNote.textContent = 'Cancelled: the charts, figures and tables below show only the ' + lastRun.partial.done + ' of ' +
          lastRun.partial.total + ' jobs that had finished. Press ' + ui.run.textContent + ' to compute them all.';
      } else if (stale) {
        const changed = options.changedSince ? options.changedSince(shownValues) : '';
        staleNote.textContent = 'The chart, figures and table below are for earlier settings' +
          (changed ? ': ' + changed : '') + '. Press ' + ui.run.textContent + ' to compute the current ones.';
      }
      // A screen reader hears the mark with the chart and the figures it qualifies.
      for (const el of canvases.concat([ui.readout])) {
        const ids = (el.getAttribute('aria-describedby') || '').split(' ').filter((id) => id && id !== staleNote.id);
        if (stale) ids.unshift(staleNote.id);
        if (ids.length) el.setAttribute('aria-describedby', ids.join(' '));
        else el.removeAttribute('aria-describedby');
      }
      if (!lastRun && now === 'idle') ui.notice.textContent = words.panel.waiting;
      else if (!lastRun && now !== 'running' && now !== 'none') ui.notice.textContent = 'no result yet: press ' + ui.run.textContent + '.';
      options.onSettled(experiment, now);
    }

    // The status line when a run ends without a new result.
    const notRun = (what) => [what, !lastRun ? '' : result() === 'current'
      ? 'The results below are still those of an earlier run with these same settings.'
      : 'The results below are for earlier settings.'].filter(Boolean).join(' ');

    function setBusy(on) {
      clearTimeout(progressTimer);
      ui.cancel.disabled = !on;
      section.classList.toggle('is-running', on);
      if (on) {
        ui.progress.removeAttribute('value');  // indeterminate until the first report
        progressTimer = setTimeout(() => { ui.busy.hidden = false; }, PROGRESS_AFTER_MS);
      } else {
        ui.busy.hidden = true;
      }
    }

    function showError(text) {
      ui.error.textContent = text || '';
      ui.error.hidden = !text;
    }

    // The experiment's table(s) for a run: always a list.
    const tablesOf = (run) => [].concat(words.table(run, options.values()));

    // Each chart's accessible description carries this run's key figures.
    function describeCharts(f) {
      canvases.forEach((canvas, i) => canvas.setAttribute('aria-label', words.describe(f, i)));
    }

    // The status line after a run: the experiment, its key result (unless the learner has
    // still to guess it) and the compute time. Announced once per run (role=status).
    function statusAfter(run, waitedMs) {
      const name = (section.querySelector('.exp-num') || { textContent: 'Experiment' }).textContent;
      const covered = ns.predict && ns.predict.isCovered(experiment);
      // A run that could measure nothing here (experiment 9 without WebGPU) says only that.
      if (words.measuredNothing && words.measuredNothing(shownFacts)) return name + ': ' + words.headline(shownFacts) + '.';
      return name + ': ' + (!covered ? words.headline(shownFacts) + '. ' : '') + 'Computed on this device in ' +
        (run.ms / 1000).toFixed(2) + ' s (' + (waitedMs / 1000).toFixed(2) + ' s including the wait).';
    }

    // A new run: its words, and its charts one per task if the panel is near the screen (drawing
    // one costs 15-115 ms of main thread; otherwise they are drawn when it comes near).
    // -> false if a newer run took over meanwhile.
    async function showRun(run, mine) {
      if (figures.isNear()) await figures.ensure();
      if (mine !== generation) return false;
      lastRun = run;
      const values = options.values();
      if (!(await figures.drawInSteps(run, values, () => mine === generation))) return false;
      showText(run, values);
      figures.markDrawn();
      return true;
    }

    // Partial runs of a manual experiment's own run, drawn as they come; one drawn at a time,
    // the newest waiting one next.
    let drawing = null;
    let waitingPartial = null;
    function showPartial(run, mine) {
      waitingPartial = run;
      if (drawing) return;
      drawing = (async () => {
        while (waitingPartial && mine === generation) {
          const next = waitingPartial;
          waitingPartial = null;
          await showRun(next, mine);
        }
        drawing = null;
      })();
    }

    // Everything of a run but its charts: readout, notice, claims, prediction, tables, buttons.
    function showText(run, values) {
      const f = shownFacts = words.facts(run, values);
      // A run that measured nothing here (experiment 9 without WebGPU) shows no empty axes
      // under a caption that says "Measured"; its notice says why. (A class, not `hidden`, which
      // predict-first uses to cover and uncover the figures.)
      section.classList.toggle('nothing-measured', !!(words.measuredNothing && words.measuredNothing(f)));
      if (ns.predict) ns.predict.show(experiment, f);
      describeCharts(f);
      ns.results.fillReadout(ui.readout, words.readout(f));
      ui.notice.textContent = words.notice(f);
      if (ui.claims) ns.results.fillClaims(ui.claims, words.claims(f));
      tablesDrawn = false;
      if (ui.details.open) fillTables();
      for (const button of ui.csv) button.disabled = false;
      ui.png.disabled = false;
    }

    // The data tables are built when their <details> is open (or opens): a closed one is
    // neither seen nor read, and experiment 4's 1,000 rows x 13 columns would cost the main
    // thread ~60 ms on every run.
    function fillTables() {
      if (tablesDrawn || !lastRun) return;
      tablesOf(lastRun).forEach((table, i) => { if (ui.tables[i]) ns.results.fillTable(ui.tables[i], table); });
      tablesDrawn = true;
    }

    // `submitted`: runs already handed to the worker by submitRuns (the page's first run);
    // otherwise they are handed over here.
    async function runNow(submitted) {
      clearTimeout(debounce);
      const mine = ++generation;
      const key = settingsKey();
      const valuesThen = Object.assign({}, options.values());
      pending = true;
      inFlight = true;
      showError('');
      setBusy(true);  // the status is hidden meanwhile; it speaks once, at the end
      settle();
      const started = performance.now();
      try {
        const onProgress = (f) => { if (mine === generation) ui.progress.value = Math.max(0, Math.min(1, f)); };
        let run;
        let refused = '';
        if (words.run) {
          // A section with its own way of running (a pool of workers). A manual one streams its
          // results: its charts are made first, before its workers take the cores (made later,
          // on a 2-core laptop with both busy, they took ~0.6 s instead of ~0.2 s).
          if (manual) await figures.ensure();
          if (mine !== generation) return;
          run = await words.run(options.params(), options.values(), onProgress,
            Object.assign({}, options, { partial: (p) => { if (mine === generation) showPartial(p, mine); } }));
          waitingPartial = null;
          if (drawing) await drawing;
          if (mine !== generation) return;
          refused = run.error || '';
        } else {
          const handle = submitted || ns.submitRuns(options.client, experiment, words, options.params(), options.values());
          handle.relay.onProgress = onProgress;
          const requests = handle.requests;
          const replies = await Promise.all(handle.replies);
          if (mine !== generation) return;
          run = { ms: 0 };
          replies.forEach((reply, i) => {
            run[requests[i].as] = reply.result;
            run.ms += reply.ms;
            if (reply.result.error && !refused) refused = reply.result.error;
          });
        }
        if (refused) {
          setBusy(false);
          pending = inFlight = false;
          ended = 'refused';
          showError('The experiment refused these settings: ' + refused + '.');
          settle();
          ui.status.textContent = notRun('Not run.');
          return;
        }
        showError('');
        if (!(await showRun(run, mine))) return;
        setBusy(false);
        pending = inFlight = false;
        ended = 'current';
        shownKey = key;
        shownValues = valuesThen;
        ui.status.textContent = statusAfter(run, performance.now() - started);
        mark('shown');
        settle();
      } catch (error) {
        if (mine !== generation) return;
        setBusy(false);
        pending = inFlight = false;
        if (error.reason === 'superseded') {  // by a request from elsewhere: nothing new is shown
          settle();
          return;
        }
        if (error.reason === 'cancelled') {
          ended = 'cancelled';
          waitingPartial = null;
          if (drawing) await drawing;
          if (mine !== generation) return;
          if (lastRun && lastRun.partial && !lastRun.partial.keyed) {  // what had finished, for these settings
            lastRun.partial.keyed = true;
            shownKey = key;
            shownValues = valuesThen;
          }
          settle();
          ui.status.textContent = notRun('Cancelled.');
          return;
        }
        ended = 'failed';
        showError('The computation failed: ' + (error.message || error));
        settle();
        ui.status.textContent = notRun('');
      }
    }

    function schedule(immediate) {
      clearTimeout(debounce);
      if (manual && !(!inFlight && shownIsCurrent())) {  // runs only when pressed
        if (!lastRun && !inFlight) ended = 'none';
        settle();
        if (!inFlight) ui.status.textContent = words.panel.changed;
        return;
      }
      // Back to the settings of the run shown: nothing to compute (Run still runs it again).
      if (!inFlight && shownIsCurrent()) {
        pending = false;
        ended = 'current';
        ui.cancel.disabled = true;
        showError('');
        settle();
        ui.status.textContent = 'Back to the settings of the results shown.';
        return;
      }
      if (immediate) runNow();
      else {
        pending = true;  // the page is not ready while a change waits to run
        ui.cancel.disabled = false;  // a change waiting to run can be called off
        settle();
        debounce = setTimeout(runNow, DEBOUNCE_MS);
      }
    }

    function cancel() {
      clearTimeout(debounce);
      if (pending && !inFlight) {  // only scheduled: nothing to stop, but it will not run
        pending = false;
        ended = 'cancelled';
        ui.cancel.disabled = true;
        settle();
        ui.status.textContent = notRun('Cancelled.');
      }
      options.client.cancel((slot) => slot === experiment || slot.indexOf(experiment + '-') === 0);
      if (words.cancel) words.cancel(options);
    }

    // A download's first lines: the settings of the shown run (redraw-only ones as they are
    // now: the chart is drawn with them).
    const provenance = () => ns.results.provenance(heading,
      options.settingsText ? options.settingsText(shownValues || options.values(), options.values()) : '');

    ui.run.addEventListener('click', () => runNow());
    // Cancel disables itself: focus goes back to Run rather than being lost to the page.
    ui.cancel.addEventListener('click', () => { cancel(); ui.run.focus(); });
    ui.cancel.disabled = true;
    ui.details.addEventListener('toggle', () => { if (ui.details.open) fillTables(); });
    ns.results.wireDownloads({ experiment: experiment, ui: ui, drawn: figures.drawn, drawNow: figures.drawNow, canvases: canvases, provenance: provenance,
      table: (i) => (lastRun ? tablesOf(lastRun)[i] : null) });

    // A manual experiment at load: nothing run, nothing asked.
    function settleIdle() {
      ui.status.textContent = words.panel.idle;
      settle();
    }

    return {
      runNow: runNow,
      settleIdle: settleIdle,
      schedule: schedule,
      cancel: cancel,
      lastRun: () => lastRun,
      // The shown run's facts (with the settings it was last drawn for).
      facts: () => shownFacts,
      result: result,
      isStale: isStale,
      // Draws the last run again (after a setting that changes only how it is drawn).
      redraw() {
        if (!lastRun) return;
        const values = options.values();
        figures.renderAll(lastRun, values);
        showText(lastRun, values);
      },
      drawNow: figures.drawNow,
      applyTheme: figures.applyTheme,
    };
  }

  ns.createPanel = createPanel;
})();
