// Experiment 6, "sequential vs parallel": measured with the page's pool of workers
// (web/pool.js) rather than the main worker, then counted and projected by the core.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const KINDS = ns.charts.parallel.KINDS;
  const ARCH = ns.charts.parallel.ARCH;
  const speedups = (s, kind) => ns.charts.parallel.speedups(s, kind);
  const pIndex = (w, values) => ns.charts.parallel.pIndex(w, values);
  const REPEATS = 3;
  const maxWorkers = () => Math.max(2, Math.min(navigator.hardwareConcurrency || 2, 8));
  const nsPerOp = (s, kind) => s[kind].ms[0] * 1e6 / s[kind].operations;
  // The scan's summed outputs must equal the sequential pass's to this relative difference
  // (the core's tests hold it to 1e-12; the page allows rounding in any order).
  const SCAN_TOLERANCE = 1e-9;

  // Where attention's projection is below the RNN's, at the chosen P: "L = a … b" or ''.
  function crossover(w, p) {
    const all = Array.from(w.lengths);
    const n = all.filter((x, j) => w.attention_faster[p][j]);
    if (!n.length) return '';
    if (n.length === 1) return 'L = ' + n[0];
    const first = n[0] === all[0];
    const last = n[n.length - 1] === all[all.length - 1];
    if (first && last) return 'every charted L (' + n[0] + ' to ' + n[n.length - 1] + ')';
    if (first) return 'every charted L up to ' + n[n.length - 1];
    if (last) return 'L = ' + n[0] + ' and every longer charted L';
    return 'L = ' + n[0] + ' to ' + n[n.length - 1];
  }

  function table(run) {
    const r = run.main;
    const s = r.scaling;
    const w = r.workdepth;
    const n = Array.from(w.lengths);
    return [{
      caption: 'Measured: median wall time (ms) and speedup with w workers, L = ' + r.params.length +
        ' (linear recurrence: n = ' + r.params.scan_length + '; 1 worker runs it sequentially, more run the scan)',
      columns: ['workers w'].concat(...KINDS.map((k) => [k[1] + ' ms', 'speedup', 'checksum'])),
      rows: s.workers.map((k, i) => [k].concat(...KINDS.map((kd) => [s[kd[0]].ms[i], s[kd[0]].ms[0] / s[kd[0]].ms[i], s[kd[0]].checksum[i]]))),
    }, {
      caption: 'Counted: work W and depth S (operations) per sequence length L',
      columns: ['L'].concat(...ARCH.map((a) => ['W ' + a, 'S ' + a])),
      rows: n.map((x, j) => [x].concat(...ARCH.map((a) => { const cnt = w.counts.find((q) => q.architecture === a); return [cnt.work[j], cnt.depth[j]]; }))),
      file: 'workdepth',
    }, {
      caption: 'Projected (not measured): T_P in ms from the measured t_op, per P and L',
      columns: ['P', 'L', 'RNN ms (projected)', 'attention ms (projected)', 'faster (RNN or attention)', 'linear recurrence ms (projected)'],
      rows: [].concat(...Array.from(w.processors, (P, p) => n.map((x, j) =>
        [P, x, w.rnn_projected_ms[p][j], w.attention_projected_ms[p][j], w.attention_faster[p][j] ? 'attention' : 'RNN', w.linear_projected_ms[p][j]]))),
      file: 'projection',
    }];
  }

  // Largest relative difference between any split's checksum and the 1-worker one, over `kinds`.
  function worstDifference(s, kinds) {
    let worst = 0;
    for (const k of kinds) {
      for (const x of s[k].checksum) worst = Math.max(worst, Math.abs(x - s[k].checksum[0]) / Math.max(1e-300, Math.abs(s[k].checksum[0])));
    }
    return worst;
  }

  // The run's figures, computed once: the readout, notice, summary, prediction and chart
  // descriptions all read these.
  function facts(run, values) {
    const r = run.main;
    const s = r.scaling;
    const w = r.workdepth;
    const K = s.workers.length;
    const p = pIndex(w, values);
    const i1000 = Array.from(w.lengths).indexOf(1000);
    const depth = (a) => w.counts.find((x) => x.architecture === a).depth[i1000];
    const speedup = {};
    const atTwo = {};
    for (const k of KINDS) {
      speedup[k[0]] = speedups(s, k[0])[K - 1];
      atTwo[k[0]] = speedups(s, k[0])[1];
    }
    return {
      workers: s.workers[K - 1],
      speedup: speedup,
      // The device gave the extra workers no spare core (or the job was too small for handing it
      // out): even the splits that need no relay (attention's rows, the batch) ran under 1.3x.
      noSpareCore: Math.min(speedup.attention, speedup.rnn_batch) < 1.3,
      atTwo: atTwo,
      attentionAtTwo: atTwo.attention,
      depthAt1000: { rnn: depth('rnn'), attention: depth('attention'), linear: depth('linear') },
      scanLength: r.params.scan_length,
      // The scan (2..K workers) against the sequential pass (1 worker): summed outputs.
      scanDifference: worstDifference(s, ['linear_scan']),
      processors: w.processors[p],
      crossover: crossover(w, p),
      worstDifference: worstDifference(s, ['attention', 'rnn_batch', 'rnn_relay']),
      rnnNsPerOp: w.rnn_ns_per_op,
      attentionNsPerOp: w.attention_ns_per_op,
      linearNsPerOp: w.linear_ns_per_op,
      startupMs: s.startup.map((x) => x.instantiate),
      readyMs: Math.max.apply(null, s.startup.map((x) => x.total)),
    };
  }

  // A measured speed-up in words: below 1 is a slowdown, near 1 no gain.
  function speed(sp) {
    if (sp >= 1.05) return c.sig(sp, 3) + '× faster';
    if (sp > 0.95) return 'no faster (' + c.sig(sp, 3) + '×)';
    return 'slower than one worker (' + c.sig(sp, 3) + '× its speed)';
  }

  const units = (P) => 'P = ' + P + (P === 1 ? ' unit' : ' units');

  const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');  // 65536 -> '65,536'

  // The scan's summed outputs against the sequential pass's, and the tolerance.
  function agreement(f) {
    const d = f.scanDifference === 0 ? 'identical' : 'relative difference ' + c.sig(f.scanDifference, 2);
    return d + (f.scanDifference <= SCAN_TOLERANCE ? ', within ' : ', beyond ') + c.sig(SCAN_TOLERANCE, 1);
  }

  // The linear recurrence's sentence: its scan against the relayed tanh sequence, from the numbers.
  function scanWords(f) {
    const sp = f.speedup.linear_scan, relay = f.speedup.rnn_relay;
    const versus = sp > 1.2 * relay ? ', where' : sp < relay / 1.2 ? ', yet' : ', and';
    const agree = f.scanDifference <= SCAN_TOLERANCE
      ? 'its summed outputs matched the sequential pass to ' + (f.scanDifference === 0 ? '0' : c.sig(f.scanDifference, 2)) + ' (relative; the page allows ' + c.sig(SCAN_TOLERANCE, 1) + ')'
      : 'its summed outputs differed from the sequential pass by ' + c.sig(f.scanDifference, 2) + ', more than the ' + c.sig(SCAN_TOLERANCE, 1) + ' allowed';
    return 'One linear-recurrence sequence of ' + grouped(f.scanLength) + ' steps, scanned in chunks, ran ' + speed(sp) + ' with ' + f.workers +
      ' workers' + versus + ' one tanh-RNN sequence relayed ran ' + speed(relay) + '; ' + agree + '. Counted at L = 1,000, its depth is ' +
      c.sig(f.depthAt1000.linear, 3) + ' operations in a row against the tanh RNN’s ' + c.sig(f.depthAt1000.rnn, 3) + '. ';
  }

  function readout(f) {
    const atTwo = (kind) => c.sig(f.atTwo[kind], 3) + '× (' + Math.round(100 * f.atTwo[kind] / 2) + '% efficiency)';
    return [
      { label: 'Attention, 2 workers', value: atTwo('attention') },
      { label: 'RNN batch, 2 workers', value: atTwo('rnn_batch') },
      { label: 'RNN relay, 2 workers', value: atTwo('rnn_relay') },
      { label: 'Linear recurrence scan, 2 workers', value: atTwo('linear_scan') },
      { label: 'Scan against the sequential pass', value: agreement(f) },
      { label: 'Time to start the workers', value: f.startupMs.map((x) => c.sig(x, 3)).join(', ') + ' ms; ' + c.sig(f.readyMs, 3) + ' ms until ready' },
      { label: 'Time per operation, measured on 1 worker', value: 'RNN ' + c.sig(f.rnnNsPerOp, 3) + ' ns, attention ' + c.sig(f.attentionNsPerOp, 3) +
        ' ns, linear recurrence ' + c.sig(f.linearNsPerOp, 3) + ' ns' },
      { label: 'Projected with ' + units(f.processors), value: f.crossover ? 'attention faster for ' + f.crossover : 'the RNN is faster at every L charted' },
    ];
  }

  function notice(f) {
    const same = f.worstDifference === 0 ? 'Every split computed exactly the same answer as one worker.'
      : f.worstDifference <= 1e-9 ? 'Every split computed the same answer as one worker, to within ' + c.sig(f.worstDifference, 1) + ' (relative).'
      : 'The splits’ answers differ from one worker’s by up to ' + c.sig(f.worstDifference, 2) + ' (relative): rounding in a different order.';
    const splits = Math.min(f.speedup.attention, f.speedup.rnn_batch);
    const measured = f.noSpareCore
      ? 'With ' + f.workers + ' workers attention ran ' + speed(f.speedup.attention) + ' and the RNN batch ' + speed(f.speedup.rnn_batch) +
        ': this device gave the extra workers no spare core (or the job was too small for the cost of handing it out), so this run cannot show ' +
        'the difference between the designs; the counted depth in the second chart still does. '
      : 'With ' + f.workers + ' workers attention ran ' + speed(f.speedup.attention) + ' and the RNN batch ' + speed(f.speedup.rnn_batch) +
        (f.speedup.rnn_relay < 0.8 * splits
          ? ', but one RNN sequence handed from worker to worker ran ' + speed(f.speedup.rnn_relay) + ': its steps still run one after another. '
          : ', and one RNN sequence handed from worker to worker ran ' + speed(f.speedup.rnn_relay) + '. ');
    return measured + same + ' ' + scanWords(f) + 'Projected with ' + units(f.processors) + ', attention is ' +
      (f.crossover ? 'faster than the RNN for ' + f.crossover + '.' : 'not faster than the RNN at any L charted.');
  }

  function describe(f, i) {
    if (i === 1) {
      return 'Chart: counted work and depth against sequence length, logarithmic axes. At L = 1,000 the RNN’s depth is ' + c.sig(f.depthAt1000.rnn, 3) +
        ' operations in a row, attention’s ' + c.sig(f.depthAt1000.attention, 3) + ', the linear recurrence’s as a scan ' + c.sig(f.depthAt1000.linear, 3) + '. The data tables below have every number.';
    }
    if (i === 2) {
      return 'Chart: projected forward time against sequence length with ' + units(f.processors) + ', from the measured time per operation: attention ' +
        (f.crossover ? 'faster for ' + f.crossover : 'not faster at any L charted') + '; the linear recurrence’s projection beside them. The data tables below have every number.';
    }
    return 'Chart: measured speedup against the number of workers. With ' + f.workers + ' workers: attention ' + c.sig(f.speedup.attention, 3) +
      '×, RNN batch ' + c.sig(f.speedup.rnn_batch, 3) + '×, one RNN sequence relayed ' + c.sig(f.speedup.rnn_relay, 3) +
      '×, one linear-recurrence sequence scanned ' + c.sig(f.speedup.linear_scan, 3) + '×. The data tables below have every number.';
  }

  function headline(f) {
    return 'with ' + f.workers + ' workers attention ' + c.sig(f.speedup.attention, 3) + '×, one RNN sequence ' + c.sig(f.speedup.rnn_relay, 3) +
      '×, one linear-recurrence sequence ' + c.sig(f.speedup.linear_scan, 3) + '×';
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

  // The run in progress (web/pool.js, which loads after this file: made on first use).
  let bookkeeping = null;
  const inProgress = () => bookkeeping || (bookkeeping = ns.poolRuns());
  // The section's own run: waits for the main worker and the page to be idle, pauses it, measures with the
  // pool, then asks the main worker for the counts and the projection with the measured t_op.
  async function run(params, values, onProgress, o) {
    const mine = inProgress().begin(o.pool);
    const t0 = performance.now();
    try {
      if (onProgress) onProgress(0);  // a determinate bar: an indeterminate one animates every frame
      await o.client.whenIdle();
      await mainThreadQuiet();
      if (mine.cancelled) throw Object.assign(new Error('cancelled'), { reason: 'cancelled' });
      o.client.pause();
      let scaling;
      try {
        // Charts scrolled near meanwhile wait (web/tasks.js): the pool times every core.
        scaling = await ns.tasks.hold(o.pool.measure(params, maxWorkers(), REPEATS, onProgress));
      } finally {
        o.client.resume();
      }
      const measured = performance.now() - t0;
      // Powers of two from 16 to 65,536, with n = 1,000 (the summary's row) and the measured n.
      const lengths = [1000, params.length];
      for (let n = 16; n <= 65536; n *= 2) if (n !== 1024) lengths.push(n);
      const reply = await o.client.run('parallel-workdepth', 'workdepth', { hidden_size: params.hidden_size,
        lengths: Array.from(new Set(lengths)).sort((a, b) => a - b),
        input_size: params.input_size, rnn_ns_per_op: nsPerOp(scaling, 'rnn_batch'), attention_ns_per_op: nsPerOp(scaling, 'attention'),
        linear_ns_per_op: nsPerOp(scaling, 'linear_scan') });
      if (reply.result.error) return { error: reply.result.error };
      return { ms: measured + reply.ms, main: { params: params, scaling: scaling, workdepth: reply.result } };
    } catch (e) {
      if (e.reason === 'refused') return { error: e.message };
      throw e;
    } finally {
      inProgress().end(mine);
    }
  }

  const cancel = (o) => inProgress().cancel(o.pool);

  ns.experiments.parallel = {
    // The parallel section comes last and starts only when the others are done: it times
    // several workers at once.
    runAfterOthers: true,
    coreName: 'scaling',  // the core's parameter table for its slices
    pool: true,           // measured with a pool of workers of its own (web/pool.js)
    // Page defaults that differ from the core's: H = 64 makes one 1-worker attention pass
    // over n = 2,048 take ~100 ms in wasm, long enough that splitting it is not swamped by
    // the cost of handing it out.
    defaults: { hidden_size: 64 },
    rows: [
      { name: 'processors', type: 'choice', default: '10000', choices: ['1', '10', '100', '1000', '10000'],
        range: 'one of 1, 10, 100, 1000, 10000', redraw: true, label: 'Parallel units P (projection)',
        help: 'parallel units P for the projected chart (a GPU has thousands)' },
    ],
    panel: { busy: 'Measuring with several workers…', figures: 'Measured and projected figures',
      waiting: 'waiting for the other experiments to finish…',
      csv: ['Download CSV (speedup)', 'CSV (work, depth)', 'CSV (projection)'],
      tables: ['Measured speedup by workers', 'Counted work and depth', 'Projected time'] },
    requests: (params) => [{ as: 'main', params: params }],
    run: run, cancel: cancel,
    facts: facts, table: table, readout: readout, notice: notice, describe: describe, headline: headline,
    summary: (f) => [
      'Measured with ' + c.plural(f.workers, 'worker', 'workers') + ': one sequence relayed ' + speed(f.speedup.rnn_relay) +
        ', a batch of independent ones ' + speed(f.speedup.rnn_batch) + '. Counted depth at L = 1,000: ' +
        c.sig(f.depthAt1000.rnn, 3) + ' operations in a row. A linear recurrence, one sequence scanned: ' + speed(f.speedup.linear_scan) +
        ', depth ' + c.sig(f.depthAt1000.linear, 3) + '.',
      'Measured with ' + c.plural(f.workers, 'worker', 'workers') + ': ' + speed(f.speedup.attention) + '. Counted depth at L = 1,000: ' +
        c.sig(f.depthAt1000.attention, 3) + '. Projected with P = ' + f.processors + ': ' +
        (f.crossover ? 'faster than the RNN for ' + f.crossover : 'not faster than the RNN at any L charted') + '.',
    ],
    question: {
      question: 'With 2 workers instead of 1, how much faster will the attention pass be?',
      choices: [['1', 'no faster (1×)'], ['1.5', 'about 1.5×'], ['2', 'nearly 2×'], ['3', 'more than 2×']],
      measure(f) {
        const sp = f.attentionAtTwo;
        return { value: sp < 1.25 ? '1' : sp < 1.75 ? '1.5' : sp <= 2.2 ? '2' : '3', text: speed(sp) };
      },
    },
  };
})();
