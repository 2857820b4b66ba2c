// The timing protocol of the step measurements that are compared with one another
// (bench/page.js: wasm in a page worker, the native CLI; bench/step_floor.js: wasm beside the
// native kernels): lengths long enough that the fixed cost of a pass is small next to the
// per-step cost, and 20 ms intervals (the page's 2 ms suit its first draw; at 0.1 ms clock
// ticks they leave run-to-run spreads of +-20% here). H = 32, D = 8: the kata's size.
// timingWorker: the module's own worker, where the page runs it, for the benchmarks that time it
// (bench/step_floor.js, bench/tfjs_step.js).
'use strict';
const harness = require('../tests/browser/harness.js');

const TIMING = { hidden_size: 32, input_size: 8, lengths: [200, 500, 1000, 2000], trials: 5, min_interval_ms: 20 };

// A page on `dir` (a dist/: same origin as its scripts, the strict CSP) with one of the module's
// workers started; it lives for the whole benchmark (its JIT stays warm). -> {run(params) ->
// Promise of the timing experiment's result for those params, close()}.
async function timingWorker(browser, dir) {
  const server = await harness.serveWithBlankPage(dir);
  const { context, page } = await harness.openCorePage(browser, server.url);
  await page.evaluate(async () => {
    const url = window.RnnLesson.core.workerUrl(self.RNN_LESSON_WORKER_SOURCE);
    window.__worker = window.RnnLesson.core.startWorker(url, await window.RnnLesson.core.coreModule());
    window.__id = 0;
  });
  const run = (params) => page.evaluate((p) => new Promise((resolve, reject) => {
    const id = ++window.__id;
    window.__worker.onmessage = (e) => {
      if (e.data.id !== id || e.data.progress !== undefined || e.data.started) return;  // not the reply yet
      if (e.data.ok) resolve(e.data.result); else reject(new Error(e.data.error));
    };
    window.__worker.postMessage({ id, op: 'run', experiment: 'timing', params: p });
  }), params);
  return { run, close: async () => { await context.close(); await server.close(); } };
}

module.exports = { TIMING, timingWorker };
