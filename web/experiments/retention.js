// Experiment 3, "one vector cannot hold everything": what is left of a stored signal after
// n noise steps, for the RNN and for attention, in words.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;

  function table(run) {
    const r = run.main;
    const readout = new Map(Array.from(r.readout_steps, (n, i) => [n, i]));
    return {
      caption: 'Signal left after n noise steps (medians across networks)',
      columns: ['steps n', 'RNN influence', 'RNN read-out R²', 'kata cosine', 'attention cosine', 'attention weight on stored token'],
      rows: Array.from(r.steps, (n, i) => [n, r.influence.median[i],
        readout.has(n) ? r.readout_r2.median[readout.get(n)] : '', r.kata_cosine[i],
        r.attention_cosine.median[i], r.attention_weight.median[i]]),
    };
  }

  // First n at which the median influence has fallen below `level` (null if never).
  function firstBelow(r, level) {
    for (let i = 0; i < r.steps.length; ++i) if (r.influence.median[i] < level) return r.steps[i];
    return null;
  }

  // The run's figures, computed once: the readout, notice, summary, prediction and chart
  // description all read these. At step n attention sees n + 1 tokens (the signal and n
  // noise tokens), so weight spread evenly would give each 1 / (n + 1).
  function facts(run) {
    const r = run.main;
    const i = r.steps.length - 1;
    const j = r.readout_steps.length - 1;
    const n = r.steps[i];
    return {
      n: n,
      influence: r.influence.median[i],
      readoutN: r.readout_steps[j],
      readout: r.readout_r2.median[j],
      kata: r.kata_cosine[i],
      attnCosine: r.attention_cosine.median[i],
      attnWeight: r.attention_weight.median[i],
      evenShare: 1 / (n + 1),
      below1Percent: firstBelow(r, 0.01),
      weightScale: r.params.weight_scale,
      // Median influence after `k` steps (the step nearest to k that was run).
      influenceAt(k) {
        let best = 0;
        r.steps.forEach((s, t) => { if (Math.abs(s - k) < Math.abs(r.steps[best] - k)) best = t; });
        return { n: r.steps[best], influence: r.influence.median[best] };
      },
    };
  }

  // Held-out R² below 0 means "worse than always guessing the average signal": shown as 0.
  const r2Text = (x) => (x < 0 ? 'below 0' : x.toFixed(2));

  function readout(f) {
    return [
      { label: 'Attention at n = ' + f.n + ': weight on the stored token', value: c.sig(f.attnWeight, 2) + ' (even share ' + c.sig(f.evenShare, 2) + ')' },
      { label: 'RNN at n = ' + f.n + ': influence left', value: f.influence === 0 ? '0 (to machine precision)' : c.sig(f.influence, 2) },
      { label: 'RNN at n = ' + f.readoutN + ': read-out R²', value: r2Text(f.readout) },
      { label: 'Influence below 1% after', value: f.below1Percent === null ? 'not within ' + f.n + ' steps' : f.below1Percent + ' steps' },
      { label: 'Attention at n = ' + f.n + ': cosine of what it reads', value: f.attnCosine.toFixed(3) },
    ];
  }

  function notice(f) {
    const rnn = f.below1Percent === null
      ? 'With weight scale ' + f.weightScale + ', the RNN still holds more than 1% of the signal’s influence after all ' + f.n + ' steps. '
      : 'With weight scale ' + f.weightScale + ', less than 1% of the signal’s influence is left in the RNN’s state after ' +
        f.below1Percent + (f.below1Percent === 1 ? ' step' : ' steps') + '. ';
    const ratio = f.attnWeight / f.evenShare;
    const share = ratio >= 1.5
      ? ', ' + c.sig(ratio, 2) + '× the even share of ' + c.sig(f.evenShare, 2) + ' that plain averaging would give: it finds the token by its key. '
      : ratio >= 0.67
        ? ', about the even share of ' + c.sig(f.evenShare, 2) + ' that plain averaging would give: here the key does not single the token out. '
        : ', less than the even share of ' + c.sig(f.evenShare, 2) + ': the noise tokens’ keys outscore it. ';
    const attention = 'Attention puts ' + c.sig(f.attnWeight, 2) + ' of its weight on the stored token at n = ' + f.n + share;
    return rnn + attention + 'Its cosine (' + f.attnCosine.toFixed(3) + ') says less than it seems: when the noise tokens are faint, as they are by ' +
      'default, even a plain average of all the tokens points towards the signal. The kata’s cosine starts hidden (its legend entry shows it): ' +
      'it compares directions only, and a state made of noise still has one.';
  }

  function describe(f) {
    return 'Chart: how much of a stored signal is left after n noise steps. RNN: influence ' + c.sig(f.influence, 2) + ' at n = ' + f.n +
      (f.below1Percent === null ? '' : ', below 1% from n = ' + f.below1Percent) + '; read-out R² ' + r2Text(f.readout) + ' at n = ' + f.readoutN +
      '. Attention: weight ' + c.sig(f.attnWeight, 2) + ' on the stored token at n = ' + f.n + ' (even share ' + c.sig(f.evenShare, 2) +
      '). The data table below has every number.';
  }

  function headline(f) {
    return 'RNN ' + (f.below1Percent === null ? 'still above 1% after ' + f.n + ' steps' : 'below 1% after ' + f.below1Percent + ' steps') +
      '; attention’s weight ' + c.sig(f.attnWeight, 2) + ' at n = ' + f.n;
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.experiments.retention = {
    runRank: 2,  // the quickest first
    panel: { busy: 'Computing…', figures: 'Measured figures', tables: ['Retention data table'] },
    requests: requests,
    facts: facts, table: table, readout: readout, notice: notice, describe: describe, headline: headline,
    summary: (f) => [
      (f.below1Percent === null ? 'More than 1% of the signal’s influence is left after all ' + f.n + ' noise steps'
        : 'Less than 1% of the signal’s influence is left after ' + c.plural(f.below1Percent, 'noise step', 'noise steps')) +
        ' (weight scale ' + f.weightScale + '); read-out R² ' + (f.readout < 0 ? 'below 0' : f.readout.toFixed(2)) + ' at n = ' + f.readoutN + '.',
      'Weight ' + c.sig(f.attnWeight, 2) + ' on the stored token at n = ' + f.n + ', ' + c.sig(f.attnWeight / f.evenShare, 2) +
        '× the even share of ' + c.sig(f.evenShare, 2) + '.',
    ],
    question: {
      question: 'How much of the signal’s influence on the RNN’s state will be left after 25 noise steps?',
      choices: [['1', 'nearly all'], ['0.5', 'about half'], ['0.1', 'about a tenth'], ['0.01', 'about 1%'], ['0.0001', 'almost nothing (under 0.1%)']],
      measure(f) {
        const at = f.influenceAt(25);
        const options = [1, 0.5, 0.1, 0.01, 0.0001];
        const v = options[c.nearestIndex(options.map(Math.log), Math.log(Math.max(at.influence, 1e-12)))];
        return { value: String(v), text: c.sig(100 * at.influence, 2) + '% after ' + at.n + ' steps' };
      },
    },
  };
})();
