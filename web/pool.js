// A section's own workers: k of them, each with its own module instance, started from the
// same Blob URL as the page's main worker but separate from it. measure() (experiment 6) times
// the same forward pass split over 1, 2, ... k workers; runJobs() (experiment 7) hands a list
// of independent runs to k workers, each taking the next as it finishes one; stop() terminates
// every worker (they are created again, lazily, by the next run). A worker that dies or goes silent past its
// deadline (web/core.js, DEADLINES) fails the measurement with a sentence and stops them all.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const stopped = (reason, text) => ns.bridge.stopped(reason, text);

  const median = (xs) => {
    const s = xs.slice().sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };

  // After experiment.js's "The computation failed: ".
  const SILENT = 'one of the workers measuring this section stopped answering, so the workers will be started afresh; press Run again to retry.';
  const DIED = (detail) => 'one of the workers measuring this section stopped' + (detail ? ' (' + detail + ')' : '') +
    ', so the workers will be started afresh; press Run again to retry, perhaps with smaller settings.';

  // `source`: the worker's script; `core`: the compiled module (ns.core.coreModule()).
  function createPool(source, core) {
    const url = ns.core.workerUrl(source);
    const limits = ns.core.DEADLINES;
    let workers = [];
    let terminated = 0;
    // The pace of the measurement in progress: its longest slice so far of each kind (ms;
    // the kinds differ by orders of magnitude with some settings), and its number of workers
    // (a slice on 1 worker is up to that many times a slice on all of them).
    const pace = { longest: {}, workers: 1 };

    // Each call must be acknowledged within DEADLINES.start, and then answered within
    // DEADLINES.slice until this measurement has timed a slice of that kind, afterwards
    // DEADLINES.paced of the longest such slice scaled to 1 worker.
    function spawn() {
      const w = { created: performance.now() };
      w.bridge = ns.bridge.connect(url, core, 'pool', {
        started(p) {
          p.started = p.heard = performance.now();
          if (p.kind === 'run') return limits.first;  // until its first progress report
          const longest = p.kind && pace.longest[p.kind];
          return longest ? limits.paced(longest * pace.workers) : limits.slice;
        },
        // A run's reports: paced like the compute worker's runs (web/client.js).
        progress(p, data) {
          const now = performance.now();
          p.gap = Math.max(p.gap || 0, now - p.heard);
          p.heard = now;
          if (p.onProgress) p.onProgress(data.progress);
          return limits.paced(p.gap);
        },
        replied(p) {
          if (p.started && p.kind) pace.longest[p.kind] = Math.max(pace.longest[p.kind] || 0, performance.now() - p.started);
        },
        lost: (detail) => fail(w, detail === null ? SILENT : DIED(detail)),
      });
      return w;
    }

    // A worker died or went silent: its calls fail with `text` and every worker is stopped, so
    // the next run starts a fresh pool.
    function fail(w, text) {
      for (const p of w.bridge.calls()) {
        w.bridge.forget(p);
        p.reject(stopped('crashed', text));
      }
      stop('crashed');
    }

    function call(w, message, onProgress) {
      return new Promise((resolve, reject) => {
        w.bridge.post({ message: message, resolve: resolve, reject: reject, kind: message.op === 'run' ? 'run' : message.kind, onProgress: onProgress });
      });
    }

    // Starts workers up to k and waits until each has its module. A worker's start-up is
    // timed from `new Worker` to the module being ready; `instantiate` is the part inside it.
    function ensure(k) {
      while (workers.length < k) workers.push(spawn());
      return Promise.all(workers.slice(0, k).map((w) => {
        if (!w.ready) {
          w.ready = call(w, { op: 'load' }).then((d) => {
            w.startup = { total: performance.now() - w.created, instantiate: d.ms };
          });
        }
        return w.ready;
      }));
    }

    function stop(reason) {
      for (const w of workers) {
        w.bridge.terminate();
        ++terminated;
        for (const p of w.bridge.calls()) {
          w.bridge.forget(p);
          p.reject(stopped(reason || 'cancelled'));
        }
      }
      workers = [];
    }

    // One timed pass of `kind` with k workers: wall time from the first dispatch to the last
    // reply, the combined checksum, and the operations counted.
    async function pass(kind, k, params) {
      const t0 = performance.now();
      let checksum = 0;
      let operations = 0;
      const add = (d) => {
        if (d.result.error) throw stopped('refused', d.result.error);
        operations += d.result.operations;
        return d;
      };
      // Part i of k: the core computes its bounds (attention's rows cut for about equal causal
      // work, a batch's sequences or a relayed sequence's steps evenly).
      const slice = (i, state) => ({ op: 'slice', kind: kind, params: params, part: i, parts: k, state: state });
      if (kind === 'linear_scan' && k === 1) {
        // The reference: one worker runs the plain sequential recurrence.
        const d = add(await call(workers[0], { op: 'slice', kind: 'scan_sequential', params: params, part: 0, parts: 1 }));
        checksum = d.result.checksum;
      } else if (kind === 'linear_scan') {
        // Phase 1: every worker reduces its chunk to a summary. Phase 2: worker i gets the
        // summaries of chunks 0..i; the core combines them into its start state and finishes.
        const summaries = (await Promise.all(workers.slice(0, k).map((w, i) => call(w, Object.assign(slice(i), { kind: 'scan_chunk' })))))
          .map((d) => add(d).result.state);
        const upTo = (i) => {
          const out = new Float64Array(summaries[0].length * (i + 1));
          for (let j = 0; j <= i; ++j) out.set(summaries[j], j * summaries[0].length);
          return out;
        };
        const finished = await Promise.all(workers.slice(0, k).map((w, i) => call(w, Object.assign(slice(i, upTo(i)), { kind: 'scan_finish' }))));
        for (const d of finished) checksum += add(d).result.checksum;
      } else if (kind === 'rnn_relay') {
        let state;
        for (let i = 0; i < k; ++i) {
          const d = add(await call(workers[i], slice(i, state)));
          state = d.result.state;
          checksum = d.result.checksum;  // the state the relay ends with
        }
      } else {
        const replies = await Promise.all(workers.slice(0, k).map((w, i) => call(w, slice(i))));
        for (const d of replies) checksum += add(d).result.checksum;
      }
      return { ms: performance.now() - t0, checksum: checksum, operations: operations };
    }

    // linear_scan: one worker runs the sequential pass; k > 1 the two phases of the scan.
    const KINDS = ['attention', 'rnn_batch', 'rnn_relay', 'linear_scan'];

    // -> {workers: [1..K], startup: [{total, instantiate}], attention|rnn_batch|rnn_relay|linear_scan:
    //     {ms: [median per k], checksum: [per k], operations}}
    // An untimed round first (the engine swaps in optimised code while it runs), then
    // `repeats` rounds, each timing every kind at every k in turn: drift on the machine (the
    // engine's code, other programs) falls on every k alike instead of on whichever k is timed
    // at that moment. (Timing all of k = 1 before k = 2 gave efficiencies from 55% to 124%.)
    async function measure(params, maxWorkers, repeats, onProgress) {
      const K = Math.max(1, maxWorkers);
      pace.longest = {};  // these parameters' slices may be longer than the last run's
      pace.workers = K;
      await ensure(K);
      const out = { workers: [], startup: workers.slice(0, K).map((w) => w.startup), repeats: repeats };
      const times = {};
      for (const kind of KINDS) {
        out[kind] = { ms: [], checksum: [], operations: 0 };
        times[kind] = Array.from({ length: K }, () => []);
      }
      // Progress at most every 250 ms: each update makes the page draw a frame, and frames
      // cost the cores the workers are being timed on (the page's thread, its compositor).
      let reported = -Infinity;
      const report = (fraction) => {
        const now = performance.now();
        if (onProgress && (now - reported >= 250 || fraction >= 1)) {
          reported = now;
          onProgress(fraction);
        }
      };
      report(0);  // a determinate bar from the start (an indeterminate one animates every frame)
      for (const kind of KINDS) await pass(kind, K, params);
      const total = K * KINDS.length * repeats;
      let done = 0;
      for (let r = 0; r < repeats; ++r) {
        for (let k = 1; k <= K; ++k) {
          for (const kind of KINDS) {
            const last = await pass(kind, k, params);
            times[kind][k - 1].push(last.ms);
            out[kind].checksum[k - 1] = last.checksum;
            if (k === 1) out[kind].operations = last.operations;
            report(++done / total);
          }
        }
      }
      for (let k = 1; k <= K; ++k) {
        out.workers.push(k);
        for (const kind of KINDS) out[kind].ms.push(median(times[kind][k - 1]));
      }
      return out;
    }

    // Runs every job ({experiment, params, weight}) on up to k workers, the jobs in the order
    // given, each worker taking the next one as soon as it is free. onDone(index, reply) as each
    // one finishes (reply.result may be {error}); onProgress(fraction of the summed weights).
    // Resolves when all are done; rejects (reason 'cancelled', 'crashed', ...) if the pool is
    // stopped meanwhile.
    async function runJobs(jobs, k, onDone, onProgress) {
      const K = Math.max(1, Math.min(k, jobs.length));
      await ensure(K);
      const total = jobs.reduce((s, j) => s + (j.weight || 1), 0);
      const fraction = jobs.map(() => 0);
      let reported = -Infinity;
      const report = (force) => {
        const now = performance.now();
        if (onProgress && (force || now - reported >= 250)) {
          reported = now;
          onProgress(jobs.reduce((s, j, i) => s + (j.weight || 1) * fraction[i], 0) / total);
        }
      };
      let next = 0;
      const lane = async (w) => {
        while (next < jobs.length) {
          const i = next++;
          const reply = await call(w, { op: 'run', experiment: jobs[i].experiment, params: jobs[i].params },
            (f) => { fraction[i] = Math.max(0, Math.min(1, f)); report(false); });
          fraction[i] = 1;
          report(true);
          onDone(i, reply);
        }
      };
      await Promise.all(workers.slice(0, K).map(lane));
    }

    return {
      measure: measure,
      runJobs: runJobs,
      stop: stop,
      // For tests and the curious: how many workers are alive, jobs outstanding, workers ended.
      info: () => ({ workers: workers.length, pending: workers.reduce((s, w) => s + w.bridge.calls().length, 0), terminated: terminated }),
    };
  }

  // The bookkeeping of a section's one run in progress over its pool (experiments 6 and 7): a
  // new run supersedes the last (its pool stopped, its token marked), cancel() stops it.
  //   const runs = ns.poolRuns();  mine = runs.begin(o.pool) ... finally runs.end(mine);
  //   if (mine.cancelled) ...;  cancel: (o) => runs.cancel(o.pool)
  function poolRuns() {
    let current = null;  // the run in progress: {cancelled}
    return {
      begin(pool) {
        if (current) { current.cancelled = true; pool.stop('superseded'); }
        return (current = { cancelled: false });
      },
      end(mine) { if (current === mine) current = null; },
      cancel(pool) {
        if (current) current.cancelled = true;
        pool.stop('cancelled');
      },
    };
  }

  ns.createPool = createPool;
  ns.poolRuns = poolRuns;
})();
