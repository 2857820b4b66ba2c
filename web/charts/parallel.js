// The "sequential vs parallel" section's three charts: measured speedup against workers;
// counted work W and depth S against L (the linear recurrence counted as a parallel scan); the Brent projection T_P = t_op (W/P + S) built from
// the measured t_op (its run and words: web/experiments/parallel.js).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const KINDS = [['attention', 'attention, rows split', 'attn'], ['rnn_batch', 'RNN, batch split', 'rnn'],
    ['rnn_relay', 'RNN, one sequence relayed', 'kata'], ['linear_scan', 'linear recurrence, one sequence scanned', 'linear']];
  const ARCH = ['rnn', 'lstm', 'gru', 'attention', 'linear'];
  const SHORT = (a) => (a === 'linear' ? 'linear' : c.ARCHITECTURES[a].short);
  const colourOf = (t, a) => (a === 'linear' ? t.linear : t[c.ARCHITECTURES[a].colour]);
  const K = KINDS.length;
  const A = ARCH.length;

  const speedups = (s, kind) => s[kind].ms.map((ms) => s[kind].ms[0] / ms);
  const pIndex = (w, values) => Math.max(0, Array.from(w.processors).indexOf(Number(values['parallel.processors'])));

  function paint(ds, t, i) {
    const colour = (name) => colourOf(t, name);
    if (i === 0) {
      KINDS.forEach((k, j) => Object.assign(ds[j], { borderColor: t[k[2]], backgroundColor: t[k[2]] }));
      Object.assign(ds[K], { borderColor: t.muted, backgroundColor: t.muted });
    } else if (i === 1) {
      ARCH.forEach((a, j) => {
        Object.assign(ds[j], { borderColor: colour(a), backgroundColor: colour(a) });
        Object.assign(ds[j + A], { borderColor: colour(a), backgroundColor: colour(a) });
      });
    } else {
      [t.rnn, t.attn, t.attn, t.rnn, t.attn, t.linear, t.linear].forEach((col, j) => Object.assign(ds[j], { borderColor: col, backgroundColor: col }));
    }
  }

  function create(canvas, theme, i) {
    const o = c.baseOptions(theme);
    let ds;
    const line = (label, extra) => Object.assign({ label: label, type: 'line', data: [], borderWidth: 2, pointRadius: 3 }, extra);
    if (i === 0) {
      o.scales = {
        x: c.axis(theme, 'workers w (each with its own copy of the core)', { type: 'linear', min: 1, ticks: { color: theme.muted, stepSize: 1 } }),
        y: c.axis(theme, 'speedup T(1) / T(w), measured', { type: 'linear', min: 0 }),
      };
      ds = KINDS.map((k) => line(k[1] + ' (measured)', { pointRadius: 5 })).concat([line('ideal: w workers, w times faster', { borderDash: [6, 4], pointRadius: 0 })]);
    } else if (i === 1) {
      o.scales = {
        x: c.decadeAxis(c.axis(theme, 'sequence length L', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'operations (counted)', { type: 'logarithmic' })),
      };
      ds = ARCH.map((a) => line('W ' + SHORT(a), { pointRadius: 0, borderWidth: 2.5 }))
        .concat(ARCH.map((a) => line('S ' + SHORT(a), { pointRadius: 0, borderDash: [2, 3] })));
    } else {
      o.scales = {
        x: c.decadeAxis(c.axis(theme, 'sequence length L', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'forward pass (ms)', { type: 'logarithmic' })),
      };
      ds = [line('RNN (projected)', { borderDash: [6, 4], pointRadius: 0 }), line('attention (projected)', { borderDash: [6, 4], pointRadius: 0 }),
        { label: 'attention faster here (projected)', data: [], pointStyle: 'triangle', pointRadius: 6 },
        { label: 'RNN, 1 worker (measured)', data: [], pointStyle: 'rectRot', pointRadius: 7 },
        { label: 'attention, 1 worker (measured)', data: [], pointStyle: 'rectRot', pointRadius: 7 },
        line('linear recurrence (projected)', { borderDash: [12, 3, 2, 3], pointRadius: 0 }),
        { label: 'linear recurrence, 1 worker (measured)', data: [], pointStyle: 'rectRot', pointRadius: 7 }];
    }
    o.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3) + ' at ' + item.parsed.x };
    paint(ds, theme, i);
    return new Chart(canvas, { type: 'scatter', data: { datasets: ds }, options: o, plugins: [c.background] });
  }

  function render(chart, run, values, i) {
    const r = run.main;
    const s = r.scaling;
    const w = r.workdepth;
    const ds = chart.data.datasets;
    const n = Array.from(w.lengths);
    if (i === 0) {
      KINDS.forEach((k, j) => { ds[j].data = c.points(s.workers, speedups(s, k[0])); });
      ds[K].data = s.workers.map((k) => ({ x: k, y: k }));
    } else if (i === 1) {
      ARCH.forEach((a, j) => {
        const cnt = w.counts.find((x) => x.architecture === a);
        ds[j].data = c.points(n, cnt.work);
        ds[j + A].data = c.points(n, cnt.depth);
      });
    } else {
      const p = pIndex(w, values);
      ds[0].data = c.points(n, w.rnn_projected_ms[p]);
      ds[1].data = c.points(n, w.attention_projected_ms[p]);
      ds[2].data = c.points(n, w.attention_projected_ms[p]).filter((pt, j) => w.attention_faster[p][j]);
      ds[3].data = [{ x: r.params.length, y: s.rnn_relay.ms[0] }];
      ds[4].data = [{ x: r.params.length, y: s.attention.ms[0] }];
      ds[5].data = c.points(n, w.linear_projected_ms[p]);
      ds[6].data = [{ x: r.params.scan_length, y: s.linear_scan.ms[0] }];
      const P = w.processors[p];
      ds[0].label = 'RNN, P = ' + P + ' (projected)';
      ds[1].label = 'attention, P = ' + P + ' (projected)';
      ds[5].label = 'linear recurrence, P = ' + P + ' (projected)';
    }
    chart.update('none');
  }

  ns.charts.parallel = { paint: paint, create: create, render: render, KINDS: KINDS, ARCH: ARCH, speedups: speedups, pIndex: pIndex };
})();
