// The page's side of the worker: turns messages into promises, queues runs, supersedes
// stale ones and cancels by terminating the worker.
//
// One worker runs one experiment at a time. Experiments are queued rather than given a
// worker each because experiment 1 measures time: on a 2-core laptop a gradient run in a
// second worker would steal the core the timing run is measuring. Each "slot" (usually an
// experiment) has at most one job waiting; a newer request replaces it, and a running job
// of the same slot is either dropped when it finishes (short runs) or stopped at once by
// restarting the worker (runs already longer than RESTART_AFTER_MS). The module is
// synchronous, so terminating the worker is the only way to stop it mid-run.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const RESTART_AFTER_MS = 300;

  function stopped(reason, text) {
    const e = new Error(text || reason);
    e.reason = reason;  // 'superseded' | 'cancelled' | 'crashed'
    return e;
  }

  // `source` is the worker's whole script as a string (self.RNN_LESSON_WORKER_SOURCE);
  // `core` the compiled module every worker is given (ns.core.coreModule()).
  function createClient(source, core) {
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    let worker = null;
    let nextId = 1;
    let running = null;  // {id, slot, message, resolve, reject, onProgress, started, stale}
    const queue = [];    // jobs waiting, oldest first
    let paused = false;  // while the parallel section measures, nothing else computes
    let idleWaiters = [];

    function startWorker() {
      worker = ns.core.startWorker(url, core);
      worker.onmessage = (event) => {
        const data = event.data || {};
        if (!running || data.id !== running.id) return;  // from a job already given up on
        if ('progress' in data) {
          if (!running.stale && running.onProgress) running.onProgress(data.progress);
          return;
        }
        const job = running;
        running = null;
        if (job.stale) job.reject(stopped('superseded'));
        else if (data.ok) job.resolve(data);
        else job.reject(stopped('crashed', data.error));
        pump();
      };
      worker.onerror = (event) => {
        event.preventDefault();
        const job = running;
        running = null;
        restartWorker();
        if (job) job.reject(stopped('crashed', 'the computation stopped unexpectedly' +
          (event.message ? ': ' + event.message : '') + '. Try smaller parameters.'));
        pump();
      };
    }

    function restartWorker() {
      if (worker) worker.terminate();
      startWorker();
    }

    function pump() {
      if (!running && queue.length === 0) {
        const waiters = idleWaiters;
        idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (paused || running || queue.length === 0) return;
      running = queue.shift();
      running.started = performance.now();
      worker.postMessage(running.message);
    }

    function submit(slot, message, onProgress) {
      return new Promise((resolve, reject) => {
        const job = { id: nextId++, slot: slot, resolve: resolve, reject: reject, onProgress: onProgress, stale: false };
        job.message = Object.assign({ id: job.id }, message);
        const waiting = queue.findIndex((j) => j.slot === slot);
        if (waiting >= 0) queue.splice(waiting, 1, job)[0].reject(stopped('superseded'));
        else queue.push(job);
        if (running && running.slot === slot) {
          running.stale = true;
          if (performance.now() - running.started >= RESTART_AFTER_MS) {
            const old = running;
            running = null;
            restartWorker();
            old.reject(stopped('superseded'));
          }
        }
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
      // Holds queued jobs (a running one finishes) until resume().
      pause() { paused = true; },
      resume() { paused = false; pump(); },
      // Resolves once nothing is running or waiting.
      whenIdle() {
        return new Promise((resolve) => { idleWaiters.push(resolve); pump(); });
      },
      // Stops the running job and drops waiting ones whose slot passes `matches(slot)`.
      cancel(matches) {
        for (let i = queue.length - 1; i >= 0; --i) {
          if (matches(queue[i].slot)) queue.splice(i, 1)[0].reject(stopped('cancelled'));
        }
        if (running && matches(running.slot)) {
          const old = running;
          running = null;
          restartWorker();
          old.reject(stopped('cancelled'));
        }
        pump();
      },
    };
  }

  ns.createClient = createClient;
})();
