// Experiment 8, "the memory bound that stays": associative recall from a fixed d x d state
// (what a linear recurrence with a matrix state holds) against softmax attention over the
// whole key-value cache, for several key sizes d.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  // A fraction as the page shows it, in percent: whole percents, one decimal near 0 and 100
  // (so 0.4% and 99.6% are not shown as 0% and 100%). Comparisons in the words use the shown
  // value, so a sentence never ranks two figures it prints alike.
  const shown = (x) => (x > 0 && x < 0.01) || (x > 0.99 && x < 1) ? Math.round(1000 * x) / 10 : Math.round(100 * x);
  const pct = (x) => shown(x) + '%';
  const list = (xs) => (xs.length <= 1 ? xs.join('') : xs.slice(0, -1).join(', ') + ' and ' + xs[xs.length - 1]);
  // One figure per key size d, in the order of the d's: "100% at every d" when they are all the same.
  const perD = (xs) => (xs.length > 1 && xs.every((x) => x === xs[0]) ? xs[0] + (xs.length === 2 ? ' at both d' : ' at every d') : list(xs));

  function table(run) {
    const r = run.main;
    const order = ns.charts.recall.byPairs(r);
    const columns = ['pairs n', 'chance 1/n'];
    r.dims.forEach((d) => columns.push('fixed state d = ' + d + ' median', 'quartile 1', 'quartile 3',
      'attention d = ' + d + ' median', 'quartile 1', 'quartile 3'));
    return [{
      caption: 'Fraction of the n pairs recalled, per key size d (across ' + r.params.seeds + ' draws)',
      columns: columns,
      rows: order.map((o) => [o.n, r.chance[o.i]].concat(...Array.from(r.dims, (d, j) => {
        const f = r.fixed_state_spread[j], a = r.attention_spread[j];
        return [f.median[o.i], f.q1[o.i], f.q3[o.i], a.median[o.i], a.q1[o.i], a.q3[o.i]];
      }))),
    }, {
      file: 'capacity',
      caption: 'Largest n recalled at ' + pct(r.params.threshold) + ' or better, and each memory’s size in numbers',
      columns: ['key size d', 'fixed state: largest n', 'fixed state numbers d²', 'attention: largest n',
        'cache numbers 2·n·d at the largest n', 'inverse temperature β'],
      rows: Array.from(r.dims, (d, j) => [d, r.fixed_state_capacity[j], r.state_numbers[j], r.attention_capacity[j],
        Math.max(...r.cache_numbers[j]), r.inverse_temperature[j]]),
    }];
  }

  // The run's figures, computed once: every sentence, readout, claim and the question read these.
  function facts(run) {
    const r = run.main;
    const order = ns.charts.recall.byPairs(r);
    const last = order[order.length - 1];  // the largest n run
    const maxN = last.n;
    const dims = Array.from(r.dims, (d, j) => ({
      d: d,
      state: r.state_numbers[j],
      fixedCap: r.fixed_state_capacity[j],
      attnCap: r.attention_capacity[j],
      // A capacity equal to the largest n run is a lower bound: larger n was not tried.
      fixedCensored: r.fixed_state_capacity[j] === maxN,
      attnCensored: r.attention_capacity[j] === maxN,
      fixedAtMax: r.fixed_state[j][last.i],
      attnAtMax: r.attention[j][last.i],
      cacheAtMax: r.cache_numbers[j][last.i],
      beta: r.inverse_temperature[j],
    })).sort((a, b) => a.d - b.d);
    const widest = dims[dims.length - 1];
    // State numbers per recalled pair, d^2 / n at the fixed state's limit, where the limit was
    // found inside the run (not 0, not the largest n run).
    const perPair = dims.filter((x) => !x.fixedCensored && x.fixedCap > 0).map((x) => x.state / x.fixedCap);
    // At the largest n, at how many key sizes the cache recalls more than the fixed state (as shown).
    const cacheAhead = dims.filter((x) => shown(x.attnAtMax) > shown(x.fixedAtMax)).length;
    const cacheBehind = dims.filter((x) => shown(x.attnAtMax) < shown(x.fixedAtMax)).length;
    return {
      dims: dims, widest: widest, maxN: maxN, minN: order[0].n, threshold: r.params.threshold, sharpness: r.params.sharpness,
      seeds: r.params.seeds, perPair: perPair, cacheAhead: cacheAhead, cacheBehind: cacheBehind, chanceAtMax: r.chance[last.i],
      memoryNumber: ns.numberOf('memory'),
    };
  }

  const capText = (cap, censored) => (cap === 0 ? 'none (even the smallest n falls short)' : censored ? 'every n run (up to ' + cap + ')' : 'n = ' + cap);

  function readout(f) {
    const items = f.dims.map((x) => ({ label: 'Fixed state, d = ' + x.d + ' (' + x.state + ' numbers): ≥ ' + pct(f.threshold) + ' recalled up to',
      value: capText(x.fixedCap, x.fixedCensored) }));
    items.push({ label: 'At n = ' + f.maxN + ', fixed state recalls (d = ' + f.dims.map((x) => x.d).join(', ') + ')',
      value: f.dims.map((x) => pct(x.fixedAtMax)).join(', ') });
    items.push({ label: 'At n = ' + f.maxN + ', attention cache recalls', value: f.dims.map((x) => pct(x.attnAtMax)).join(', ') +
      ' (guessing ' + c.sig(100 * f.chanceAtMax, 2) + '%)' });
    items.push({ label: 'Attention’s inverse temperature β = ' + f.sharpness + '·√d', value: f.dims.map((x) => c.sig(x.beta, 3)).join(', ') });
    return items;
  }

  // The proportion sentence: state numbers per recalled pair where the limit was found in the run.
  function proportionText(f) {
    if (f.perPair.length === 0) return 'No key size here has its fixed-state limit inside the range of n run, so this run cannot show how the limit moves with d. ';
    const lo = Math.min(...f.perPair), hi = Math.max(...f.perPair);
    const spent = 'At its limit the state held one recalled pair per ' + (lo === hi ? c.sig(lo, 2) : c.sig(lo, 2) + ' to ' + c.sig(hi, 2)) +
      ' of its d² numbers';
    if (f.perPair.length === 1) return spent + ' (one key size with its limit inside the run). ';
    return spent + ' across the ' + f.perPair.length + ' key sizes whose limit fell inside the run' +
      (hi <= 2 * lo ? ': the ceiling rose about in proportion to the state’s size. ' : ': the ratio moves with d here (the ceiling also depends on ln n, and n is run on a coarse grid). ');
  }

  function notice(f) {
    const w = f.widest;
    const held = f.dims.filter((x) => x.fixedCap > 0), none = f.dims.filter((x) => x.fixedCap === 0);
    return 'The fixed state (d² numbers, whatever n is) recalls at least ' + pct(f.threshold) + ' of the pairs ' +
      (held.length ? 'up to ' + list(held.map((x) => (x.fixedCensored ? 'every n run' : 'n = ' + x.fixedCap) + ' at d = ' + x.d)) : '') +
      (held.length && none.length ? '; ' : '') +
      (none.length ? 'not even at the smallest n run (' + f.minN + ') at ' + list(none.map((x) => 'd = ' + x.d)) : '') + '. ' +
      proportionText(f) +
      'At n = ' + f.maxN + ' it recalls ' + list(f.dims.map((x) => pct(x.fixedAtMax) + ' at d = ' + x.d)) + '; the attention cache, which keeps all ' +
      '2·n·d numbers (' + w.cacheAtMax + ' at d = ' + w.d + '), recalls ' + perD(f.dims.map((x) => pct(x.attnAtMax))) +
      (f.cacheAhead === f.dims.length ? ', more than the fixed state at every d. '
        : f.cacheAhead === 0 ? ', no more than the fixed state at any d. ' : ', more than the fixed state at ' + f.cacheAhead + ' of the ' + f.dims.length +
          ' key sizes' + (f.cacheBehind ? ', less at ' + f.cacheBehind : '') + (f.cacheAhead + f.cacheBehind < f.dims.length ? ', the same at ' + (f.dims.length - f.cacheAhead - f.cacheBehind) : '') + '. ') +
      (f.dims.some((x) => !x.attnCensored)
        ? 'The cache falls short of ' + pct(f.threshold) + ' somewhere too (' + list(f.dims.filter((x) => !x.attnCensored).map((x) => 'd = ' + x.d)) +
          '), but not for lack of room, since it holds every pair: what it shares among all n keys is the softmax’s weight (set by the sharpness), and at small d some keys nearly coincide. '
        : 'The cache never fell below ' + pct(f.threshold) + ' in this run.');
  }

  function claims(f) {
    const fixedList = f.dims.map((x) => 'd = ' + x.d + ': ' + capText(x.fixedCap, x.fixedCensored)).join('; ');
    return [
      { cite: 'Schlag, Irie and Schmidhuber 2021', claim: 'linear attention is a fast weight programmer: it adds v kᵀ to a d × d matrix at each step and reads it with a query. Keys live in d dimensions, so at most d orthogonal keys can be stored and retrieved without interference; more keys overlap and their values cross-talk.',
        measured: 'largest n recalled at ' + pct(f.threshold) + ' or better by the fixed state with random keys, ' + fixedList + '.' },
      { cite: 'Arora et al. 2023 (Zoology)', claim: 'on multi-query associative recall (MQAR), attention solves the task with a model dimension that does not grow with the sequence, while the gated convolutions they study need one that grows with it; most of the language-modelling gap they measured between the two (82% on the Pile) came from recall.',
        measured: 'at n = ' + f.maxN + ': fixed state ' + f.dims.map((x) => pct(x.fixedAtMax)).join(', ') + ', attention cache ' +
          f.dims.map((x) => pct(x.attnAtMax)).join(', ') + ' (d = ' + f.dims.map((x) => x.d).join(', ') + ').' },
      { cite: 'Jelassi et al. 2024 (Repeat after me)', claim: 'copying an input back out needs a state that grows with the input: a model with a fixed-size state (a generalised state space model) cannot copy strings longer than that state can encode, while a two-layer transformer can copy strings exponentially long in its size.',
        measured: 'the fixed state stays at ' + f.dims.map((x) => x.state).join(', ') + ' numbers for every n; the cache grows to ' +
          f.dims.map((x) => x.cacheAtMax).join(', ') + ' numbers at n = ' + f.maxN + '.' },
      { cite: 'Jaeger 2001 (experiment ' + f.memoryNumber + ')', claim: 'a state of N numbers holds at most N independent inputs’ worth of its past (MC ≤ N).',
        measured: 'N = d² here. ' + proportionText(f).trim() },
    ];
  }

  function summaryCells(f) {
    const w = f.widest;
    return [
      'A fixed d × d state (linear recurrence): at d = ' + w.d + ' (' + w.state + ' numbers) ≥ ' + pct(f.threshold) + ' recalled up to ' +
        capText(w.fixedCap, w.fixedCensored) + '; ' + pct(w.fixedAtMax) + ' at n = ' + f.maxN + '.',
      'The cache grows with n (' + w.cacheAtMax + ' numbers at n = ' + f.maxN + '): ' + pct(w.attnAtMax) + ' recalled at d = ' + w.d + '.',
    ];
  }

  function describe(f, index) {
    if (index === 1) {
      return 'Chart: the largest number of pairs recalled at ' + pct(f.threshold) + ' or better against the key size d, on logarithmic axes, with the line n = d. Fixed state: ' +
        f.dims.map((x) => 'd = ' + x.d + ' ' + capText(x.fixedCap, x.fixedCensored)).join(', ') + '. The data tables below have every number.';
    }
    return 'Chart: fraction of pairs recalled against the number of pairs n, per key size d, fixed state solid and attention dashed, with chance 1/n. At n = ' + f.maxN +
      ': fixed state ' + f.dims.map((x) => pct(x.fixedAtMax)).join(', ') + ', attention ' + f.dims.map((x) => pct(x.attnAtMax)).join(', ') +
      ' (d = ' + f.dims.map((x) => x.d).join(', ') + '). The data tables below have every number.';
  }

  function headline(f) {
    const w = f.widest;
    return 'd = ' + w.d + ': fixed state ' + capText(w.fixedCap, w.fixedCensored) + ', cache ' + pct(w.attnAtMax) + ' at n = ' + f.maxN;
  }

  ns.experiments.recall = {
    pct: pct,  // its way of showing a fraction, which the closing table reuses
    runRank: 4,  // the quickest first (about a tenth of a second at the defaults)
    rows: [],
    panel: { busy: 'Computing…', figures: 'Measured figures', claims: true,
      csv: ['Download CSV (accuracy by n)', 'CSV (capacity by d)'],
      tables: ['Recall by number of pairs', 'Capacity by key size'] },
    requests: (params) => [{ as: 'main', params: params }],
    facts: facts, table: table, readout: readout, notice: notice, claims: claims, describe: describe, headline: headline,
    summary: summaryCells,
    question: {
      question: 'The fixed state at the largest key size d run (64 by default) holds d² numbers (4,096 at d = 64). Up to how many stored pairs n will it recall at least the threshold (90% by default)?',
      choices: [['below_d', 'fewer than d pairs (fewer than the d that orthogonal keys would allow)'], ['few_d', 'from d to 4d pairs'],
        ['more', 'more than 4d pairs']],
      measure(f) {
        const w = f.widest;
        const x = w.fixedCap / w.d;
        return { value: x < 1 ? 'below_d' : x <= 4 ? 'few_d' : 'more',
          text: capText(w.fixedCap, w.fixedCensored) + ' at d = ' + w.d + ' (' + c.sig(x, 2) + ' pairs per dimension' + (w.fixedCensored ? ', at least: larger n was not run' : '') + ')' };
      },
    },
  };
})();
