// The page's main thread, shared fairly: long work is cut into tasks, and between them the
// page yields at a priority. The first charts a learner waits for are drawn at
// 'user-visible' priority; building the panels further down waits at 'background', so a
// result that has arrived is drawn before the next panel is built (with one queue for both,
// experiment 2's first chart waited behind five panel builds of 15-85 ms each).
// scheduler.postTask where the browser has it (Chromium 94, Firefox 142); elsewhere every
// priority is a plain task (setTimeout), as before. hold/unheld: work that can wait, waiting for
// a measurement that needs every core.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const scheduler = self.scheduler && typeof self.scheduler.postTask === 'function' ? self.scheduler : null;

  // -> Promise resolved in a new task of `priority` ('user-visible' or 'background').
  function next(priority) {
    if (scheduler) return scheduler.postTask(() => {}, { priority: priority || 'user-visible' });
    return new Promise((resolve) => setTimeout(resolve, 0));
  }

  // Work that can wait (charts made on scrolling) waits while a measurement that times every
  // core runs: hold(promise) -> promise, until it settles; unheld() -> Promise resolved when
  // nothing is held.
  const holds = new Set();
  function hold(promise) {
    holds.add(promise);
    const drop = () => holds.delete(promise);
    promise.then(drop, drop);
    return promise;
  }
  async function unheld() {
    while (holds.size) await Promise.allSettled(Array.from(holds));
  }

  ns.tasks = { next: next, hold: hold, unheld: unheld };
})();
