// Experiment 3's chart: what is left of a signal stored at step 0 after n steps of noise.
// RNN measures (warm colours): the signal's influence on h_n (median and quartile band),
// a held-out linear read-out's R², and the kata's cosine cos(h_n, h_0). Attention (cool
// colours): the cosine between what a matching query reads and the signal, and the softmax
// weight it puts on the stored token.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;

  function paint(ds, t) {
    Object.assign(ds[0], { borderColor: t.rnn, backgroundColor: t.rnn });
    Object.assign(ds[1], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[2], { borderColor: t.rnnBand, backgroundColor: t.rnnBand });
    Object.assign(ds[3], { borderColor: t.rnn2, backgroundColor: t.rnn2 });
    Object.assign(ds[4], { borderColor: t.rnn2Band, backgroundColor: t.rnn2Band });
    Object.assign(ds[5], { borderColor: t.rnn2Band, backgroundColor: t.rnn2Band });
    Object.assign(ds[6], { borderColor: t.kataFaint, backgroundColor: t.kata });
    Object.assign(ds[7], { borderColor: t.attn, backgroundColor: t.attn });
    Object.assign(ds[8], { borderColor: t.attn2, backgroundColor: t.attn2 });
  }

  function create(canvas, theme) {
    const options = c.baseOptions(theme);
    options.scales = {
      x: c.axis(theme, 'noise steps n after the signal was stored', { type: 'linear', beginAtZero: true }),
      // From 0 while the kata's cosine (which goes negative) is hidden; Chart.js leaves hidden
      // lines out of the range, so showing it extends the axis down to -1.
      y: c.axis(theme, 'how much of the signal is left (1 = all)', { type: 'linear', suggestedMin: 0, max: 1.05 }),
    };
    // No label above 1 (the axis ends at 1.05 only to keep the lines at 1 off its edge).
    options.scales.y.ticks.callback = (v) => (v > 1 ? '' : Math.abs(v) < 1e-9 ? '0' : String(Number(v.toFixed(2))));
    options.plugins.tooltip.callbacks = {
      label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
      title: (items) => 'n = ' + items[0].parsed.x,
    };
    const band = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 5 };
    const datasets = [
      { label: 'RNN: signal’s influence on h_n', data: [], borderWidth: 2.5, pointRadius: 0, order: 1 },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: read-out R² (held out; below 0 drawn at 0)', data: [], borderWidth: 2, borderDash: [6, 3], order: 2,
        pointRadius: (context) => (context.dataset.data.length > 60 ? 0 : 3) },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: kata’s cos(h_n, h_0)', data: [], borderWidth: 1, pointRadius: 0, order: 4, hidden: true },
      { label: 'attention: cosine of what it reads', data: [], borderWidth: 3, pointRadius: 0, order: 0 },
      { label: 'attention: weight on the stored token', data: [], borderWidth: 2, borderDash: [2, 3], pointRadius: 0, order: 3 },
    ];
    paint(datasets, theme);
    return new Chart(canvas, {
      type: 'line',
      data: { datasets: datasets },
      options: options,
      plugins: [c.background],
    });
  }

  function render(chart, run) {
    const r = run.main;
    const n = Array.from(r.steps);
    const grid = Array.from(r.readout_steps);
    const ds = chart.data.datasets;
    ds[0].data = c.points(n, r.influence.median);
    ds[1].data = c.points(n, r.influence.q1);
    ds[2].data = c.points(n, r.influence.q3);
    // Held-out R² below 0 (worse than guessing the average) is drawn at 0; the table keeps it.
    const floor0 = (ys) => Array.from(ys, (y) => Math.max(0, y));
    ds[3].data = c.points(grid, floor0(r.readout_r2.median));
    ds[4].data = c.points(grid, floor0(r.readout_r2.q1));
    ds[5].data = c.points(grid, floor0(r.readout_r2.q3));
    ds[6].data = c.points(n, r.kata_cosine);
    ds[7].data = c.points(n, r.attention_cosine.median);
    ds[8].data = c.points(n, r.attention_weight.median);
    chart.update('none');
  }

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

  function readout(run) {
    const f = facts(run);
    return [
      { label: 'Attention at n = ' + f.n + ': weight on the stored token', value: c.sig(f.attnWeight, 2) + ' (even share ' + c.sig(f.evenShare, 2) + ')' },
      { label: 'RNN at n = ' + f.n + ': influence left', value: f.influence === 0 ? '0 (to machine precision)' : c.sig(f.influence, 2) },
      { label: 'RNN at n = ' + f.readoutN + ': read-out R²', value: r2Text(f.readout) },
      { label: 'Influence below 1% after', value: f.below1Percent === null ? 'not within ' + f.n + ' steps' : f.below1Percent + ' steps' },
      { label: 'Attention at n = ' + f.n + ': cosine of what it reads', value: f.attnCosine.toFixed(3) },
    ];
  }

  function notice(run) {
    const f = facts(run);
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

  function describe(run) {
    const f = facts(run);
    return 'Chart: how much of a stored signal is left after n noise steps. RNN: influence ' + c.sig(f.influence, 2) + ' at n = ' + f.n +
      (f.below1Percent === null ? '' : ', below 1% from n = ' + f.below1Percent) + '; read-out R² ' + r2Text(f.readout) + ' at n = ' + f.readoutN +
      '. Attention: weight ' + c.sig(f.attnWeight, 2) + ' on the stored token at n = ' + f.n + ' (even share ' + c.sig(f.evenShare, 2) +
      '). The data table below has every number.';
  }

  function headline(run) {
    const f = facts(run);
    return 'RNN ' + (f.below1Percent === null ? 'still above 1% after ' + f.n + ' steps' : 'below 1% after ' + f.below1Percent + ' steps') +
      '; attention’s weight ' + c.sig(f.attnWeight, 2) + ' at n = ' + f.n;
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.retention = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, requests: requests, facts: facts, describe: describe, headline: headline };
})();
