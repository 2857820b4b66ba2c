// The page's side of the worker: turns messages into promises, queues runs, supersedes
// stale ones and cancels by terminating the worker.
//
// One worker runs one experiment at a time. Experiments are queued rather than given a
// worker each because experiment 1 measures time: on a 2-core laptop a gradient run in a
// second worker would steal the core the timing run is measuring. Each "slot" (usually an
// experiment) has at most one job waiting; a newer request replaces it. The worker is given
// the next job while it still runs the current one (at most two are handed over), so it
// never waits for the page's main thread, which may be busy drawing the last result. A job
// handed over whose slot gets a newer request is stale: dropped when it finishes if it ran
// less than RESTART_AFTER_MS, otherwise (or as soon as a stale job starts) stopped by
// restarting the worker, the only way to stop synchronous code; jobs it still held are
// handed to the new worker. (A restart is cheap: the module is compiled once for the page.)
// A worker that dies (its error event) or goes silent past a deadline (web/core.js,
// DEADLINES) fails the job it was running with a sentence and is replaced the same way.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const RESTART_AFTER_MS = 150;
  const HANDED_OVER = 2;  // the running job and the next one

  const stopped = (reason, text) => ns.bridge.stopped(reason, text);

  // What the learner reads (after experiment.js's "The computation failed: ") when the
  // worker died or went silent.
  const SILENT = 'the worker computing this experiment stopped answering, so a new one has been started; press Run again to retry.';
  const DIED = (detail) => 'the worker computing this experiment stopped' + (detail ? ' (' + detail + ')' : '') +
    ', so a new one has been started; press Run again to retry, perhaps with smaller settings.';

  // `source` is the worker's whole script as a string (self.RNN_LESSON_WORKER_SOURCE);
  // `core` the compiled module every worker is given (ns.core.coreModule()).
  function createClient(source, core) {
    const url = ns.core.workerUrl(source);
    const limits = ns.core.DEADLINES;
    let bridge = null;   // the worker and the jobs handed to it, in order; the oldest is running
    const queue = [];    // jobs waiting, oldest first: {slot, message, resolve, reject, onProgress, started, stale}
    let paused = false;  // while the parallel section measures, nothing else computes
    let idleWaiters = [];
    const sent = () => bridge.calls();

    // The deadline of DEADLINES that applies to what has been heard of the running job so far
    // (the acknowledgement, progress at some pace).
    function heard(job, progress) {
      const now = performance.now();
      if (job.heard && progress) job.gap = Math.max(job.gap, now - job.heard);
      job.heard = now;
      return job.gap ? limits.paced(job.gap) : limits.first;
    }

    function startWorker() {
      bridge = ns.bridge.connect(url, core, 'compute', {
        // A job has become the oldest: the worker is free to begin it now.
        begun(job) {
          job.started = performance.now();
          job.heard = 0;  // last message of it: 0 = none yet
          job.gap = 0;    // longest stretch between its progress reports
        },
        started: (job) => heard(job, false),
        progress(job, data) {
          if (!job.stale && job.onProgress) job.onProgress(data.progress);
          return heard(job, true);
        },
        replied(job, data) {
          if (job.stale) job.reject(stopped('superseded'));
          else if (data.ok) job.resolve(data);
          else job.reject(stopped('crashed', data.error));
          const head = bridge.head();
          if (head && head.stale) restartWorker();  // a stale job has just started
          pump();
          return true;
        },
        // The running job will not be answered: it fails with a sentence, the worker is
        // replaced, and the jobs it also held go back to the queue.
        lost(detail) {
          const job = bridge.head();
          if (job) bridge.forget(job);
          restartWorker();
          if (job) job.reject(stopped('crashed', detail === null ? SILENT : DIED(detail)));
          pump();
        },
      });
    }

    // Stops the worker and starts a new one. Stale jobs it held are dropped; the others go
    // back to the front of the queue, in order.
    function restartWorker() {
      bridge.terminate();
      const held = sent();
      for (const job of held) if (job.stale) job.reject(stopped('superseded'));
      queue.unshift(...held.filter((job) => !job.stale));
      startWorker();
    }

    function pump() {
      while (!paused && sent().length < HANDED_OVER && queue.length) bridge.post(queue.shift());
      if (!sent().length && !queue.length) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
    }

    function submit(slot, message, onProgress) {
      return new Promise((resolve, reject) => {
        const job = { slot: slot, message: message, resolve: resolve, reject: reject, onProgress: onProgress, stale: false };
        const waiting = queue.findIndex((j) => j.slot === slot);
        if (waiting >= 0) queue.splice(waiting, 1, job)[0].reject(stopped('superseded'));
        else queue.push(job);
        for (const held of sent()) if (held.slot === slot) held.stale = true;
        const head = bridge.head();
        if (head && head.stale && performance.now() - head.started >= RESTART_AFTER_MS) restartWorker();
        pump();
      });
    }

    startWorker();

    return {
      specs() {
        return submit('specs', { op: 'specs' });
      },
      // Resolves {result, ms}; rejects with error.reason 'superseded' | 'cancelled' | 'crashed'.
      run(slot, experiment, params, onProgress) {
        return submit(slot, { op: 'run', experiment: experiment, params: params }, onProgress);
      },
      // Hands over no new job (those handed over finish) until resume().
      pause() { paused = true; },
      resume() { paused = false; pump(); },
      // Resolves once nothing is running or waiting.
      whenIdle() {
        return new Promise((resolve) => { idleWaiters.push(resolve); pump(); });
      },
      // Stops the jobs whose slot passes `matches(slot)`, running or waiting.
      cancel(matches) {
        for (let i = queue.length - 1; i >= 0; --i) {
          if (matches(queue[i].slot)) queue.splice(i, 1)[0].reject(stopped('cancelled'));
        }
        // A job handed over but not started is stopped when it starts (as a stale one).
        for (const job of sent().slice(1)) {
          if (matches(job.slot)) {
            job.stale = true;
            job.reject(stopped('cancelled'));
          }
        }
        const head = bridge.head();
        if (head && matches(head.slot)) {
          bridge.forget(head);
          restartWorker();
          head.reject(stopped('cancelled'));
        }
        pump();
      },
    };
  }

  // Hands an experiment's runs to the worker before its panel exists (the page does this for
  // every experiment as soon as the settings are known, so the worker computes while the
  // panels are built). -> a handle for the panel's first runNow(handle).
  function submitRuns(client, experiment, words, params, values) {
    const relay = { onProgress: null };
    const requests = words.requests(params, values);
    const replies = requests.map((req, i) => client.run(experiment + (i ? '-' + req.as : ''), experiment, req.params,
      i ? null : (f) => { if (relay.onProgress) relay.onProgress(f); }));
    for (const reply of replies) reply.catch(() => {});  // handled by runNow; this only silences the early window
    return { requests: requests, replies: replies, relay: relay };
  }

  ns.createClient = createClient;
  ns.submitRuns = submitRuns;
})();
