// The "sequential vs parallel" section: three charts (measured speedup against workers;
// counted work W and depth D against n; the Brent projection T_P = t_op (W/P + D) built from
// the measured t_op), and its run, which uses the page's pool of workers (web/pool.js)
// rather than the main worker.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const KINDS = [['attention', 'attention, rows split', 'attn'], ['rnn_batch', 'RNN, batch split', 'rnn'],
    ['rnn_relay', 'RNN, one sequence relayed', 'kata']];
  const ARCH = ['rnn', 'lstm', 'gru', 'attention'];
  const REPEATS = 3;

  const maxWorkers = () => Math.max(2, Math.min(navigator.hardwareConcurrency || 2, 8));
  const speedups = (s, kind) => s[kind].ms.map((ms) => s[kind].ms[0] / ms);
  const nsPerOp = (s, kind) => s[kind].ms[0] * 1e6 / s[kind].operations;
  const pIndex = (w, values) => Math.max(0, Array.from(w.processors).indexOf(Number(values['parallel.processors'])));

  function paint(ds, t, i) {
    const colour = (name) => t[c.ARCHITECTURES[name].colour];
    if (i === 0) {
      KINDS.forEach((k, j) => Object.assign(ds[j], { borderColor: t[k[2]], backgroundColor: t[k[2]] }));
      Object.assign(ds[3], { borderColor: t.muted, backgroundColor: t.muted });
    } else if (i === 1) {
      ARCH.forEach((a, j) => {
        Object.assign(ds[j], { borderColor: colour(a), backgroundColor: colour(a) });
        Object.assign(ds[j + 4], { borderColor: colour(a), backgroundColor: colour(a) });
      });
    } else {
      [t.rnn, t.attn, t.attn, t.rnn, t.attn].forEach((col, j) => Object.assign(ds[j], { borderColor: col, backgroundColor: col }));
    }
  }

  function create(canvas, theme, i) {
    const o = c.baseOptions(theme);
    let ds;
    const line = (label, extra) => Object.assign({ label: label, type: 'line', data: [], borderWidth: 2, pointRadius: 3 }, extra);
    if (i === 0) {
      o.scales = {
        x: c.axis(theme, 'workers k (each with its own module)', { type: 'linear', min: 1, ticks: { color: theme.muted, stepSize: 1 } }),
        y: c.axis(theme, 'speedup T(1) / T(k), measured', { type: 'linear', min: 0 }),
      };
      ds = KINDS.map((k) => line(k[1] + ' (measured)', { pointRadius: 5 })).concat([line('ideal: k times faster', { borderDash: [6, 4], pointRadius: 0 })]);
    } else if (i === 1) {
      o.scales = {
        x: c.decadeAxis(c.axis(theme, 'sequence length n', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'operations (counted)', { type: 'logarithmic' })),
      };
      ds = ARCH.map((a) => line('W ' + c.ARCHITECTURES[a].short, { pointRadius: 0, borderWidth: 2.5 }))
        .concat(ARCH.map((a) => line('D ' + c.ARCHITECTURES[a].short, { pointRadius: 0, borderDash: [2, 3] })));
    } else {
      o.scales = {
        x: c.decadeAxis(c.axis(theme, 'sequence length n', { type: 'logarithmic' })),
        y: c.decadeAxis(c.axis(theme, 'forward pass (ms)', { type: 'logarithmic' })),
      };
      ds = [line('RNN (projected)', { borderDash: [6, 4], pointRadius: 0 }), line('attention (projected)', { borderDash: [6, 4], pointRadius: 0 }),
        { label: 'attention faster here (projected)', data: [], pointStyle: 'triangle', pointRadius: 6 },
        { label: 'RNN, 1 worker (measured)', data: [], pointStyle: 'rectRot', pointRadius: 7 },
        { label: 'attention, 1 worker (measured)', data: [], pointStyle: 'rectRot', pointRadius: 7 }];
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
      ds[3].data = s.workers.map((k) => ({ x: k, y: k }));
    } else if (i === 1) {
      ARCH.forEach((a, j) => {
        const cnt = w.counts.find((x) => x.architecture === a);
        ds[j].data = c.points(n, cnt.work);
        ds[j + 4].data = c.points(n, cnt.depth);
      });
    } else {
      const p = pIndex(w, values);
      ds[0].data = c.points(n, w.rnn_projected_ms[p]);
      ds[1].data = c.points(n, w.attention_projected_ms[p]);
      ds[2].data = c.points(n, w.attention_projected_ms[p]).filter((pt, j) => w.attention_faster[p][j]);
      ds[3].data = [{ x: r.params.length, y: s.rnn_relay.ms[0] }];
      ds[4].data = [{ x: r.params.length, y: s.attention.ms[0] }];
      const P = w.processors[p];
      ds[0].label = 'RNN, P = ' + P + ' (projected)';
      ds[1].label = 'attention, P = ' + P + ' (projected)';
    }
    chart.update('none');
  }

  // Where attention's projection is below the RNN's, at the chosen P: "n = a … b" or ''.
  function crossover(w, p) {
    const n = Array.from(w.lengths).filter((x, j) => w.attention_faster[p][j]);
    return n.length ? 'n = ' + n[0] + (n.length > 1 ? ' to ' + n[n.length - 1] : '') : '';
  }

  function table(run) {
    const r = run.main;
    const s = r.scaling;
    const w = r.workdepth;
    const n = Array.from(w.lengths);
    return [{
      caption: 'Measured: median wall time (ms) and speedup with k workers, n = ' + r.params.length,
      columns: ['workers k'].concat(...KINDS.map((k) => [k[1] + ' ms', 'speedup', 'checksum'])),
      rows: s.workers.map((k, i) => [k].concat(...KINDS.map((kd) => [s[kd[0]].ms[i], s[kd[0]].ms[0] / s[kd[0]].ms[i], s[kd[0]].checksum[i]]))),
    }, {
      caption: 'Counted: work W and depth D (operations) per length n',
      columns: ['n'].concat(...ARCH.map((a) => ['W ' + a, 'D ' + a])),
      rows: n.map((x, j) => [x].concat(...ARCH.map((a) => { const cnt = w.counts.find((q) => q.architecture === a); return [cnt.work[j], cnt.depth[j]]; }))),
      file: 'workdepth',
    }, {
      caption: 'Projected (not measured): T_P in ms from the measured t_op, per P and n',
      columns: ['P', 'n', 'RNN ms (projected)', 'attention ms (projected)', 'faster'],
      rows: [].concat(...Array.from(w.processors, (P, p) => n.map((x, j) =>
        [P, x, w.rnn_projected_ms[p][j], w.attention_projected_ms[p][j], w.attention_faster[p][j] ? 'attention' : 'RNN']))),
      file: 'projection',
    }];
  }

  function atTwo(s, kind) {
    const sp = speedups(s, kind)[1];
    return c.sig(sp, 3) + '× (' + Math.round(100 * sp / 2) + '% efficiency)';
  }

  function readout(run, values) {
    const r = run.main;
    const s = r.scaling;
    const w = r.workdepth;
    const p = pIndex(w, values);
    const st = s.startup.map((x) => x.instantiate);
    return [
      { label: 'Attention, 2 workers', value: atTwo(s, 'attention') },
      { label: 'RNN batch, 2 workers', value: atTwo(s, 'rnn_batch') },
      { label: 'RNN relay, 2 workers', value: atTwo(s, 'rnn_relay') },
      { label: 'Worker start-up (module)', value: st.map((x) => c.sig(x, 3)).join(', ') + ' ms; ' +
        c.sig(Math.max.apply(null, s.startup.map((x) => x.total)), 3) + ' ms until ready' },
      { label: 't_op measured (1 worker)', value: 'RNN ' + c.sig(w.rnn_ns_per_op, 3) + ' ns, attention ' + c.sig(w.attention_ns_per_op, 3) + ' ns' },
      { label: 'Projected, P = ' + w.processors[p], value: crossover(w, p) ? 'attention faster for ' + crossover(w, p) : 'the RNN is faster at every n' },
    ];
  }

  // The "same answer" line: each kind's checksum with k workers against 1 worker.
  function sameAnswer(s) {
    let worst = 0;
    for (const k of KINDS) for (const x of s[k[0]].checksum) worst = Math.max(worst, Math.abs(x - s[k[0]].checksum[0]) / Math.max(1e-300, Math.abs(s[k[0]].checksum[0])));
    return (worst <= 1e-9 ? 'Same answer: ' : 'Answers differ: ') + 'with 1 to ' + s.workers.length + ' workers the checksums agree to ' +
      c.sig(worst, 2) + ' (relative); attention ' + c.sig(s.attention.checksum[0], 8) + ', RNN batch ' + c.sig(s.rnn_batch.checksum[0], 8) + '.';
  }

  function notice(run) {
    const s = run.main.scaling;
    const K = s.workers.length;
    return 'With ' + K + ' workers attention ran ' + c.sig(speedups(s, 'attention')[K - 1], 3) + '× faster and the RNN batch ' +
      c.sig(speedups(s, 'rnn_batch')[K - 1], 3) + '×, but one RNN sequence handed from worker to worker ' +
      c.sig(speedups(s, 'rnn_relay')[K - 1], 3) + '×: its steps still run one after another. ' + sameAnswer(s);
  }

  // Resolves when the page's own thread has an idle stretch (10 ms with nothing to do; at most
  // ~1 s of waiting): a page still drawing its charts takes one of a 2-core laptop's two
  // cores, and a measurement started then showed 55-69% efficiency at 2 workers, not ~90%.
  function mainThreadQuiet() {
    if (typeof requestIdleCallback !== 'function') return new Promise((resolve) => setTimeout(resolve, 200));
    const started = performance.now();
    return new Promise((resolve) => {
      const check = (deadline) => {
        if (deadline.didTimeout || deadline.timeRemaining() >= 10 || performance.now() - started > 1000) resolve();
        else requestIdleCallback(check, { timeout: 500 });
      };
      requestIdleCallback(check, { timeout: 500 });
    });
  }

  let current = null;  // the run in progress: {cancelled}
  // The section's own run: waits for the main worker and the page to be idle, pauses it, measures with the
  // pool, then asks the main worker for the counts and the projection with the measured t_op.
  async function run(params, values, onProgress, o) {
    if (current) { current.cancelled = true; o.pool.stop('superseded'); }
    const mine = (current = { cancelled: false });
    const t0 = performance.now();
    try {
      if (onProgress) onProgress(0);  // a determinate bar: an indeterminate one animates every frame
      await o.client.whenIdle();
      await mainThreadQuiet();
      if (mine.cancelled) throw Object.assign(new Error('cancelled'), { reason: 'cancelled' });
      o.client.pause();
      let scaling;
      try {
        scaling = await o.pool.measure(params, maxWorkers(), REPEATS, onProgress);
      } finally {
        o.client.resume();
      }
      const measured = performance.now() - t0;
      // Powers of two from 16 to 65,536, with n = 1,000 (the summary's row) and the measured n.
      const lengths = [1000, params.length];
      for (let n = 16; n <= 65536; n *= 2) if (n !== 1024) lengths.push(n);
      const reply = await o.client.run('parallel-workdepth', 'workdepth', { hidden_size: params.hidden_size,
        lengths: Array.from(new Set(lengths)).sort((a, b) => a - b),
        input_size: params.input_size, rnn_ns_per_op: nsPerOp(scaling, 'rnn_batch'), attention_ns_per_op: nsPerOp(scaling, 'attention') });
      if (reply.result.error) return { error: reply.result.error };
      return { ms: measured + reply.ms, main: { params: params, scaling: scaling, workdepth: reply.result } };
    } catch (e) {
      if (e.reason === 'refused') return { error: e.message };
      throw e;
    } finally {
      if (current === mine) current = null;
    }
  }

  function cancel(o) {
    if (current) current.cancelled = true;
    o.pool.stop('cancelled');
  }

  ns.charts.parallel = { paint: paint, create: create, render: render, table: table, readout: readout, notice: notice,
    run: run, cancel: cancel, speedups: speedups, crossover: crossover, pIndex: pIndex };
})();
