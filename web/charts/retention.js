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
      y: c.axis(theme, 'how much of the signal is left (1 = all)', { type: 'linear', min: -1, max: 1.05 }),
    };
    options.scales.y.ticks.callback = (v) => (Math.abs(v) < 1e-9 ? '0' : String(Number(v.toFixed(2))));
    options.plugins.tooltip.callbacks = {
      label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3),
      title: (items) => 'n = ' + items[0].parsed.x,
    };
    const band = { borderWidth: 0, pointRadius: 0, pointHitRadius: 0, order: 5 };
    const datasets = [
      { label: 'RNN: signal’s influence on h_n', data: [], borderWidth: 2.5, pointRadius: 0, order: 1 },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: read-out R² (held out)', data: [], borderWidth: 2, borderDash: [6, 3], order: 2,
        pointRadius: (context) => (context.dataset.data.length > 60 ? 0 : 3) },
      Object.assign({ label: '', data: [], fill: false }, band),
      Object.assign({ label: '', data: [], fill: '-1' }, band),
      { label: 'RNN: kata’s cos(h_n, h_0)', data: [], borderWidth: 1, pointRadius: 0, order: 4 },
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
    ds[3].data = c.points(grid, r.readout_r2.median);
    ds[4].data = c.points(grid, r.readout_r2.q1);
    ds[5].data = c.points(grid, r.readout_r2.q3);
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

  // The figures at the last step N (read-out at the last grid point).
  function atEnd(r) {
    const i = r.steps.length - 1;
    const j = r.readout_steps.length - 1;
    return {
      n: r.steps[i],
      influence: r.influence.median[i],
      readoutN: r.readout_steps[j],
      readout: r.readout_r2.median[j],
      kata: r.kata_cosine[i],
      attnCosine: r.attention_cosine.median[i],
      attnWeight: r.attention_weight.median[i],
    };
  }

  // First step where the influence falls below 1%.
  function forgottenBy(r) {
    for (let i = 0; i < r.steps.length; ++i) if (r.influence.median[i] < 0.01) return r.steps[i];
    return null;
  }

  function readout(run) {
    const e = atEnd(run.main);
    return [
      { label: 'RNN at N = ' + e.n + ': influence', value: c.sig(e.influence, 2) },
      { label: 'RNN at N = ' + e.readoutN + ': read-out R²', value: e.readout.toFixed(2) },
      { label: 'Attention at N = ' + e.n + ': cosine', value: e.attnCosine.toFixed(3) },
      { label: 'Attention at N = ' + e.n + ': weight', value: e.attnWeight.toFixed(3) },
    ];
  }

  function notice(run) {
    const r = run.main;
    const e = atEnd(r);
    const gone = forgottenBy(r);
    return (gone === null
      ? 'Within these ' + e.n + ' steps the RNN still holds more than 1% of the signal. '
      : 'After ' + gone + ' steps less than 1% of the signal’s influence is left in the RNN’s state. ') +
      'Attention still reads it at n = ' + e.n + ' (cosine ' + e.attnCosine.toFixed(3) + '), even though its weight ' +
      'on that token has thinned to ' + e.attnWeight.toFixed(2) + ' as the other tokens share the softmax. ' +
      'The kata’s cosine jumps around: it compares directions only, and a state made of noise still has one.';
  }

  function requests(params) {
    return [{ as: 'main', params: params }];
  }

  ns.charts.retention = { paint: paint, create: create, render: render, table: table, readout: readout,
    notice: notice, requests: requests, atEnd: atEnd };
})();
