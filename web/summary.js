// The closing table "recurrence vs attention", filled from the runs made on this page. Each
// row's cells are its experiment's summary(facts), from the same facts its readout and
// notice read. Cells say "waiting" until their experiment has a result, and stay hidden
// while the learner has still to guess that result (predict mode).
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const number = ns.numberOf;

  function set(id, text) {
    const cell = document.getElementById(id);
    if (cell) cell.textContent = text;
  }

  const last = {};

  // `panel` is the experiment's panel (lastRun(), result(), isStale(), facts()): a run for
  // earlier settings than the current ones is marked as such, and a panel with no run whose
  // attempt ended says so instead of "waiting".
  function update(experiment, panel) {
    const run = panel.lastRun();
    const result = panel.result();
    const row = document.getElementById('summary-' + experiment + '-rnn');
    const stale = panel.isStale();
    if (row && row.parentNode) row.parentNode.classList.toggle('is-stale', stale);
    if (!run || !run.main) {
      const text = result === 'idle' ? 'not run yet: experiment ' + number(experiment) + ' runs when you press its ' + ns.experiments[experiment].panel.run + ' button.'
        : result === 'running' || result === 'none' ? 'waiting for experiment ' + number(experiment) + '…'
        : 'no result yet: experiment ' + number(experiment) + ' has not finished a run.';
      set('summary-' + experiment + '-rnn', text);
      set('summary-' + experiment + '-attn', text);
      return;
    }
    last[experiment] = { facts: panel.facts(), stale: stale };
    refresh(experiment);
  }

  // Fills (or, while the learner has still to guess, hides) one experiment's row.
  function refresh(experiment) {
    const had = last[experiment];
    if (!had) return;
    let cells;
    if (ns.predict && ns.predict.isCovered(experiment)) {
      const text = 'Hidden until you make your guess in experiment ' + number(experiment) + '.';
      cells = [text, text];
    } else {
      cells = ns.experiments[experiment].summary(had.facts);
      // Said once per row: the row's first cell names it, the style marks both.
      if (had.stale) cells[0] = 'For earlier settings (experiment ' + number(experiment) + ' has not run with the current ones): ' + cells[0];
    }
    set('summary-' + experiment + '-rnn', cells[0]);
    set('summary-' + experiment + '-attn', cells[1]);
    if (ns.conclusion) ns.conclusion.refresh(last);  // the claims table reads the same facts
  }

  ns.summary = { update: update, refresh: refresh };
})();
