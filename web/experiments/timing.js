// Experiment 1, "every step waits for the one before": one timing run; the per-step cost
// and the straight line's fit in words.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;

  function table(run) {
    const r = run.main;
    return {
      caption: 'Forward-pass time per sequence length (one pass, milliseconds)',
      columns: ['length L', 'median ms', 'fastest ms', 'slowest ms', 'passes per timed interval', 'fitted line ms'],
      rows: Array.from(r.lengths, (L, i) => [L, r.median_ms[i], r.min_ms[i], r.max_ms[i], r.repeats[i],
        r.intercept_ms + r.ns_per_step * 1e-6 * L]),
    };
  }

  // The run's figures, computed once: the readout, notice, summary, prediction and chart
  // description all read these.
  function facts(run) {
    const r = run.main;
    const n = r.lengths.length;
    let shortest = 0;
    let longest = 0;
    for (let i = 1; i < n; ++i) {
      if (r.lengths[i] < r.lengths[shortest]) shortest = i;
      if (r.lengths[i] > r.lengths[longest]) longest = i;
    }
    // Log-log slope of time against length: ~1 for a fixed cost per step, ~2 for a cost
    // per pair of positions, ~0 for a flat cost (the prediction's three answers).
    const L = Array.from(r.lengths, Math.log);
    const T = Array.from(r.median_ms, (t) => Math.log(Math.max(t, 1e-9)));
    const mx = L.reduce((a, b) => a + b, 0) / n;
    const my = T.reduce((a, b) => a + b, 0) / n;
    let sxy = 0;
    let sxx = 0;
    L.forEach((x, i) => { sxy += (x - mx) * (T[i] - my); sxx += (x - mx) * (x - mx); });
    return {
      nsPerStep: r.ns_per_step,
      rSquared: r.r_squared,
      // The core's verdict: R² below r_squared_threshold, or some length's trials spread
      // (80th over 20th percentile) beyond spread_threshold.
      disturbed: Boolean(r.disturbed),
      rSquaredThreshold: r.r_squared_threshold,
      spreadThreshold: r.spread_threshold,
      worstSpread: Math.max.apply(null, Array.from(r.spread)),
      // The core's verdict: some length's 20th-percentile trial measured 0 ms (its spread is then
      // a marker, not a ratio). With calibration needing two long-enough intervals in a row, the
      // likely cause is a clock coarser than the shortest timed interval (a browser may tick
      // every 0.1 ms, 1 ms or more), which a re-run repeats.
      clockTooCoarse: Boolean(r.clock_too_coarse),
      shortest: { L: r.lengths[shortest], ms: r.median_ms[shortest] },
      longest: { L: r.lengths[longest], ms: r.median_ms[longest] },
      lengthRatio: r.lengths[longest] / r.lengths[shortest],
      timeRatio: r.median_ms[longest] / r.median_ms[shortest],
      interceptMs: r.intercept_ms,
      logSlope: sxx > 0 ? sxy / sxx : NaN,
    };
  }

  function readout(f) {
    return [
      { label: 'Cost of one step', value: c.sig(f.nsPerStep, 3) + ' ns' },
      { label: 'R² of the straight line', value: f.rSquared.toFixed(3) },
    ];
  }

  function notice(f) {
    if (f.clockTooCoarse) {
      return 'Some timed intervals measured 0 ms: this browser\'s clock ticks more coarsely than the shortest timed interval, ' +
        'so the medians, and the slope of ' + c.sig(f.nsPerStep, 3) + ' ns per step, are not trustworthy. Raise "Shortest timed ' +
        'interval" under More settings and press Run again.';
    }
    if (f.disturbed) {
      const why = f.rSquared < f.rSquaredThreshold
        ? 'The medians stray from a straight line (R² = ' + f.rSquared.toFixed(3) + ', below ' + f.rSquaredThreshold + ')'
        : 'The trials of one length disagree (its 80th-percentile trial took ' + c.sig(f.worstSpread, 3) + '× as long as its 20th-percentile one; above ' + f.spreadThreshold + '× counts as disturbed)';
      return why + ': something else on this device was probably busy while the page measured, so the slope of ' +
        c.sig(f.nsPerStep, 3) + ' ns per step is not trustworthy. Press Run again, ideally with other tabs idle.';
    }
    const overhead = f.timeRatio < 0.8 * f.lengthRatio && f.interceptMs > 0
      ? ' (less than ' + c.sig(f.lengthRatio, 3) + '× because every pass also pays a fixed start-up cost: the fitted line meets L = 0 above zero)'
      : '';
    return 'From L = ' + f.shortest.L + ' to L = ' + f.longest.L + ' the sequence got ' + c.sig(f.lengthRatio, 3) +
      '× longer and one pass took ' + c.sig(f.timeRatio, 3) + '× as long' + overhead + '. The medians lie close to a ' +
      'straight line (R² = ' + f.rSquared.toFixed(3) + '): each step costs about ' + c.sig(f.nsPerStep, 3) +
      ' ns. A straight line alone does not prove that the steps must wait for one another; experiment ' + ns.numberOf('parallel') + ' tests that with more workers.';
  }

  // The chart's accessible description, with this run's key figures.
  function describe(f) {
    return 'Chart: time of one forward pass against sequence length L. From L = ' + f.shortest.L + ' to ' + f.longest.L +
      ' the median time rose from ' + c.sig(f.shortest.ms, 3) + ' to ' + c.sig(f.longest.ms, 3) + ' ms; the fitted line has ' +
      c.sig(f.nsPerStep, 3) + ' ns per step, R² ' + f.rSquared.toFixed(3) + (f.disturbed ? ' (disturbed measurement)' : '') +
      '. The data table below has every number.';
  }

  // One line for the status after a run.
  function headline(f) {
    return c.sig(f.nsPerStep, 3) + ' ns per step' + (f.disturbed ? ' (disturbed: run again)' : '');
  }

  // Each ready-made request the experiment needs: here just one.
  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.experiments.timing = {
    // Timing runs after experiments 2-5: while the page is still building panels and drawing
    // the first results its main thread takes the second core, and on a 2-core machine 1 load
    // in 3 then measured 1.7-2x the per-step cost (R^2 as low as 0.96); run after the others,
    // 10 of 12 loads agreed within 6% (the other 2 at 1.5x, as often as the native CLI strays
    // on the same machine).
    runRank: 5,
    panel: { busy: 'Measuring…', figures: 'Fitted figures', tables: ['Timing data table'] },
    requests: requests,
    facts: facts, table: table, readout: readout, notice: notice, describe: describe, headline: headline,
    summary: (f) => [
      c.sig(f.nsPerStep, 3) + ' ns per step (R² ' + f.rSquared.toFixed(3) + (f.disturbed ? ', a disturbed measurement' : '') +
        '). L = ' + f.longest.L + ' is a chain of ' + f.longest.L + ' dependent steps: ' + c.sig(f.longest.ms, 3) + ' ms here.',
      'Its L² = ' + c.sig(f.longest.L * f.longest.L, 3) + ' scores at L = ' + f.longest.L + ' do not wait for one another, so parallel ' +
        'hardware can share them out; its longest chain of dependent operations grows only like log L (experiment ' + ns.numberOf('parallel') + ' counts it).',
    ],
    question: {
      question: 'As the sequence gets longer, how will the time of one pass grow?',
      choices: [['flat', 'it stays about the same'], ['linear', 'in proportion to the length'], ['quadratic', 'like the length squared']],
      measure(f) {
        // The answer is the medians' log-log slope, cut at 0.4 and 1.5. Slow trials that only
        // spread a length's timings (disturbed by spread) leave the medians, and so the slope,
        // in place; 0 ms medians or medians off a straight line do not: those runs grade
        // nothing (web/predict.js says so), and the guess waits for another run.
        if (f.clockTooCoarse || f.rSquared < f.rSquaredThreshold) {
          return { value: '', withheld: true, text: 'This run cannot grade a guess: ' +
            (f.clockTooCoarse ? 'some of its intervals measured 0 ms' : 'its medians stray from a straight line') +
            ' (the "What to notice" box below says why). Press Run again' };
        }
        const value = f.logSlope < 0.4 ? 'flat' : f.logSlope < 1.5 ? 'linear' : 'quadratic';
        return { value: value, text: (f.disturbed ? 'in a disturbed run, ' : '') + 'from L = ' + f.shortest.L + ' to ' + f.longest.L + ' (' + c.sig(f.lengthRatio, 3) + '× longer) a pass took ' +
          c.sig(f.timeRatio, 3) + '× as long, about ' + c.sig(f.nsPerStep, 3) + ' ns per step' };
      },
    },
  };
})();
