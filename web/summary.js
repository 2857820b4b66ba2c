// The closing table "recurrence vs attention", filled from the runs made on this page. Every
// figure comes from the experiment's facts(run), the same object its readout and notice
// read. Cells say "waiting" until their experiment has a result, and stay hidden while the
// learner has still to guess that result (predict mode).
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = ns.chartCommon;
  const NUMBER = { timing: 1, gradient: 2, retention: 3, architectures: 4, memory: 5, parallel: 6 };

  function set(id, text) {
    const cell = document.getElementById(id);
    if (cell) cell.textContent = text;
  }

  const speed = (sp) => ns.charts.parallel.speed(sp);
  const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);

  function timing(f) {
    return [
      c.sig(f.nsPerStep, 3) + ' ns per step (R² ' + f.rSquared.toFixed(3) + (f.disturbed ? ', a disturbed measurement' : '') +
        '). L = ' + f.longest.L + ' is a chain of ' + f.longest.L + ' dependent steps: ' + c.sig(f.longest.ms, 3) + ' ms here.',
      'Its L² = ' + c.sig(f.longest.L * f.longest.L, 3) + ' scores at L = ' + f.longest.L + ' do not wait for one another, so parallel ' +
        'hardware can share them out; its longest chain of dependent operations grows only like log L (experiment 6 counts it).',
    ];
  }

  function gradient(f) {
    return [
      '×' + f.decay.toFixed(3) + ' per step (σ₁ = ' + f.sigma1.toFixed(2) + ', ρ = ' + f.rho.toFixed(2) + '): at k = ' + f.quoted.k +
        ' the gradient is ' + c.sigSmall(f.quoted.norm, 2) + (f.mode === 'kata' ? ' (the kata’s simulation).' : '.'),
      'One weighted sum links any two positions: the path back to k = ' + f.last.k + ' is one step long, not ' +
        plural(f.last.k, 'Jacobian', 'Jacobians') + ' (experiment 4 measures its size).',
    ];
  }

  function retention(f) {
    return [
      (f.below1Percent === null ? 'More than 1% of the signal’s influence is left after all ' + f.n + ' noise steps'
        : 'Less than 1% of the signal’s influence is left after ' + plural(f.below1Percent, 'noise step', 'noise steps')) +
        ' (weight scale ' + f.weightScale + '); read-out R² ' + (f.readout < 0 ? 'below 0' : f.readout.toFixed(2)) + ' at n = ' + f.readoutN + '.',
      'Weight ' + c.sig(f.attnWeight, 2) + ' on the stored token at n = ' + f.n + ', ' + c.sig(f.attnWeight / f.evenShare, 2) +
        '× the even share of ' + c.sig(f.evenShare, 2) + '.',
    ];
  }

  function architectures(f) {
    const rec = ['rnn', 'lstm', 'gru'];
    const short = (a) => c.ARCHITECTURES[a].short;
    return [
      'Per step: ' + rec.map((a) => short(a) + ' ×' + f.end[a].decay.toFixed(3)).join(', ') + ' (untrained, H = ' + f.hiddenSize +
        '). Left at k = ' + f.k + ': ' + rec.map((a) => short(a) + ' ' + c.sigSmall(f.end[a].norm, 2)).join(', ') + '.',
      '×' + f.end.attention.decay.toFixed(3) + ' per step: flat in distance. Its level depends on the context length n instead, ' +
        ns.charts.architectures.contextText(f.contextSlope) + '.',
    ];
  }

  function memory(f) {
    return ns.charts.memory.summaryCells(f);
  }

  function parallel(f) {
    return [
      'Measured with ' + plural(f.workers, 'worker', 'workers') + ': one sequence relayed ' + speed(f.speedup.rnn_relay) +
        ', a batch of independent ones ' + speed(f.speedup.rnn_batch) + '. Counted depth at L = 1,000: ' +
        c.sig(f.depthAt1000.rnn, 3) + ' operations in a row.',
      'Measured with ' + plural(f.workers, 'worker', 'workers') + ': ' + speed(f.speedup.attention) + '. Counted depth at L = 1,000: ' +
        c.sig(f.depthAt1000.attention, 3) + '. Projected with P = ' + f.processors + ': ' +
        (f.crossover ? 'faster than the RNN for ' + f.crossover : 'not faster than the RNN at any L charted') + '.',
    ];
  }

  const FILL = { timing: timing, gradient: gradient, retention: retention, architectures: architectures, memory: memory, parallel: parallel };
  const last = {};

  // `panel` is the experiment's panel (lastRun(), result(), isStale()); `values` the page's
  // settings: a run for earlier settings than the current ones is marked as such, and a panel
  // with no run whose attempt ended says so instead of "waiting".
  function update(experiment, panel, values) {
    const run = panel.lastRun();
    const result = panel.result();
    const row = document.getElementById('summary-' + experiment + '-rnn');
    const stale = panel.isStale();
    if (row && row.parentNode) row.parentNode.classList.toggle('is-stale', stale);
    if (!run || !run.main) {
      const text = result === 'running' || result === 'none' ? 'waiting for experiment ' + NUMBER[experiment] + '…'
        : 'no result yet: experiment ' + NUMBER[experiment] + ' has not finished a run.';
      set('summary-' + experiment + '-rnn', text);
      set('summary-' + experiment + '-attn', text);
      return;
    }
    last[experiment] = { run: run, values: values, stale: stale };
    refresh(experiment);
  }

  // Fills (or, while the learner has still to guess, hides) one experiment's row.
  function refresh(experiment) {
    const had = last[experiment];
    if (!had) return;
    let cells;
    if (ns.predict && ns.predict.isCovered(experiment)) {
      const text = 'Hidden until you make your guess in experiment ' + NUMBER[experiment] + '.';
      cells = [text, text];
    } else {
      cells = FILL[experiment](ns.charts[experiment].facts(had.run, had.values));
      // Said once per row: the row's first cell names it, the style marks both.
      if (had.stale) cells[0] = 'For earlier settings (experiment ' + NUMBER[experiment] + ' has not run with the current ones): ' + cells[0];
    }
    set('summary-' + experiment + '-rnn', cells[0]);
    set('summary-' + experiment + '-attn', cells[1]);
  }

  ns.summary = { update: update, refresh: refresh };
})();
