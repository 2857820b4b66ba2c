// The closing table "the kata's three claims, measured": one row per claim (every step waits
// for the last; the gradient shrinks with distance; a fixed-size state forgets), one column
// per kind of network (nonlinear recurrence, linear recurrence, attention). Each cell is
// written from the facts of the experiments that measured it, the same facts their readouts
// and notices read (summary.js keeps the latest), and names the experiment it waits for
// until that one has a result. A cell whose experiment is still hidden behind a guess
// (predict mode) stays hidden too.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const COLUMNS = ['nonlinear', 'linear', 'attention'];

  const c = () => ns.chartCommon;
  const x3 = (v) => '×' + v.toFixed(3);
  const count = (v) => String(Math.round(v));  // as the experiments' own words write counts
  const pct = (v) => ns.experiments.recall.pct(v);  // experiment 8's rounding, so its figures read the same here
  const workers = (k) => k + ' workers';

  // The fixed state's or the cache's reach: the largest n recalled at the threshold.
  function reach(cap, censored) {
    if (cap === 0) return 'at no n run';
    return censored ? 'at every n run (up to ' + count(cap) + ')' : 'up to n = ' + count(cap);
  }

  // Each row: the experiments it reads, and its three cells from their facts (by name).
  const ROWS = [
    { id: 'depth', needs: ['parallel'], cells: (f) => {
      const p = f.parallel;
      // Said where it applies: a device that gave the extra workers no spare core (even attention
      // did not speed up) measures no speedup for anything.
      const busy = p.noSpareCore
        ? ' This device gave the extra workers no spare core: even attention did not speed up much (experiment ' + ns.numberOf('parallel') + ').' : '';
      return [
        'Tanh RNN: ' + count(p.depthAt1000.rnn) + ' operations in a row at L = 1,000 (counted). One sequence handed along ' +
          workers(p.workers) + ': ' + c().sig(p.speedup.rnn_relay, 3) + '× the speed of one.',
        count(p.depthAt1000.linear) + ' in a row at L = 1,000, as a scan (counted). One sequence of ' + count(p.scanLength) +
          ' tokens scanned by ' + workers(p.workers) + ': ' + c().sig(p.speedup.linear_scan, 3) + '× the speed of one.' + busy,
        count(p.depthAt1000.attention) + ' in a row at L = 1,000 (counted). Rows split over ' + workers(p.workers) + ': ' +
          c().sig(p.speedup.attention, 3) + '× the speed of one.',
      ];
    } },
    { id: 'gradient', needs: ['architectures'], cells: (f) => {
      const e = f.architectures.end;
      return [
        'Per step back (untrained): RNN ' + x3(e.rnn.decay) + ', LSTM ' + x3(e.lstm.decay) + ', GRU ' + x3(e.gru.decay) +
          '; left at k = ' + e.rnn.k + ': RNN ' + c().sigSmall(e.rnn.norm, 2) + '.',
        'Per step back: exactly its decay a, ' + x3(e.linear_a.decay) + ' and ' + x3(e.linear_b.decay) + ' in the two settings' +
          '; left at k = ' + e.linear_a.k + ': ' + c().sigSmall(e.linear_a.norm, 2) + ' and ' + c().sigSmall(e.linear_b.norm, 2) + '.',
        'Per step back: ' + x3(e.attention.decay) + ' (one hop to every token); its size is shared among the tokens in view.',
      ];
    } },
    { id: 'memory', needs: ['memory', 'recall'], cells: (f) => {
      const m = f.memory;
      const r = f.recall;
      const w = r.widest;
      return [
        'Memory capacity with H = ' + m.h + ' numbers of state: ' + m.mc.map((x) => x.name + ' ' + x.mc.toFixed(1)).join(', ') +
          ' (at most H).',
        'A matrix state of d² = ' + count(w.state) + ' numbers (d = ' + w.d + ') recalls at least ' + pct(r.threshold) + ' of the pairs ' + reach(w.fixedCap, w.fixedCensored) +
          '; at n = ' + count(r.maxN) + ', ' + pct(w.fixedAtMax) + '.',
        'The cache keeps every pair (' + count(w.cacheAtMax) + ' numbers at n = ' + count(r.maxN) + ', d = ' + w.d + ') and recalls at least ' + pct(r.threshold) +
          ' of the pairs ' + reach(w.attnCap, w.attnCensored) + '; at n = ' + count(r.maxN) + ', ' + pct(w.attnAtMax) + '.',
      ];
    } },
  ];

  // `facts`: {experiment: {facts, stale}} as summary.js holds them.
  function refresh(facts) {
    for (const row of ROWS) {
      const missing = row.needs.filter((e) => !facts[e] || (ns.predict && ns.predict.isCovered(e)));
      let cells;
      if (missing.length) {
        const text = missing.map((e) => (ns.predict && ns.predict.isCovered(e) && facts[e] ? 'hidden until you make your guess in experiment ' : 'waiting for experiment ') +
          ns.numberOf(e)).join('; ') + '…';
        cells = [text, text, text];
      } else {
        const byName = {};
        for (const e of row.needs) byName[e] = facts[e].facts;
        cells = row.cells(byName);
        const stale = row.needs.filter((e) => facts[e].stale);
        if (stale.length) cells[0] = 'For earlier settings (experiment ' + stale.map(ns.numberOf).join(' and ') + ' has not run with the current ones): ' + cells[0];
      }
      COLUMNS.forEach((col, i) => {
        const cell = document.getElementById('conclusion-' + row.id + '-' + col);
        if (cell) cell.textContent = cells[i];
      });
    }
  }

  ns.conclusion = { refresh: refresh };
})();
