// One worker and the calls it has been handed, by id: the one plumbing the compute client
// (client.js), the checker (checker.js) and the parallel section's pool (pool.js) share.
// A worker answers its calls in order, one at a time, so the oldest pending call is the one
// running; a watchdog (web/core.js, watch()) holds the deadline of what has been heard of it:
// DEADLINES.start until the worker acknowledges it ('started'), then whatever the caller's
// hooks say. A worker that dies (its error event) or stays silent past the deadline is
// stopped and reported to the caller, who decides what becomes of the calls it still held.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  let nextId = 1;

  // A rejection the panels read: error.reason 'superseded' | 'cancelled' | 'crashed' | 'refused'.
  function stopped(reason, text) {
    const e = new Error(text || reason);
    e.reason = reason;
    return e;
  }

  // connect(url, core, name, hooks) -> {post(call), calls(), head(), forget(call), terminate()}.
  // A call is {message, resolve, reject, ...the caller's own fields}; post() gives it an id.
  // hooks:
  //   lost(detail)          the worker was stopped: died (detail: the error's text, maybe '') or
  //                         went silent (detail null); the calls it held are still in calls()
  //   started(call) -> ms   the deadline once the worker has begun the call
  //   progress(call, data) -> ms   (optional) the deadline after a progress report
  //   begun(call)           (optional) the call has become the oldest: the worker is free for it
  //   replied(call, data)   (optional) settles the reply itself and returns true; otherwise an
  //                         ok reply resolves with the reply, any other rejects as 'crashed'
  function connect(url, core, name, hooks) {
    const worker = ns.core.startWorker(url, core, name);
    const pending = new Map();  // id -> call, oldest first
    const watchdog = ns.core.watch(() => fail(null));
    let alive = true;
    const head = () => pending.values().next().value;

    function fail(detail) {
      if (!alive) return;
      terminate();
      hooks.lost(detail);
    }

    // The oldest call has changed: its clock starts, or there is nothing left to watch.
    function next() {
      if (!pending.size) return watchdog.clear();
      watchdog.set(ns.core.DEADLINES.start);
      if (hooks.begun) hooks.begun(head());
    }

    function terminate() {
      alive = false;
      watchdog.clear();
      worker.terminate();
    }

    worker.onmessage = (event) => {
      const data = event.data || {};
      const call = pending.get(data.id);
      if (!call || !alive) return;  // a call already given up on
      // A later call beginning means the oldest one's run was cut off.
      if (call !== head()) return fail(null);
      if (data.started) return watchdog.set(hooks.started(call, data));
      if ('progress' in data) {
        if (hooks.progress) watchdog.set(hooks.progress(call, data));
        return;
      }
      pending.delete(data.id);
      next();
      if (hooks.replied && hooks.replied(call, data)) return;
      if (data.ok) call.resolve(data);
      else call.reject(stopped('crashed', data.error));
    };
    worker.onerror = (event) => {
      event.preventDefault();
      fail(event.message || '');
    };

    return {
      post(call) {
        call.id = nextId++;
        pending.set(call.id, call);
        if (pending.size === 1) next();
        worker.postMessage(Object.assign({ id: call.id }, call.message));
        return call;
      },
      calls: () => Array.from(pending.values()),
      head: head,
      // Drops a call without an answer (its caller settles it), e.g. before a restart.
      forget(call) { pending.delete(call.id); },
      terminate: terminate,
    };
  }

  ns.bridge = { connect: connect, stopped: stopped };
})();
