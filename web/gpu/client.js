// The page's side of the GPU worker (web/gpu/worker.js, whose source, WGSL included, the build
// puts in dist/gpu-source.js): one worker, started on first use from a Blob URL of that source
// through web/core.js (the page's one Trusted Types policy) and spoken to through web/bridge.js
// (its watchdog notices a worker that dies or goes silent). The worker owns the WebGPU device;
// the page never touches it, so a long GPU run cannot block the page.
// probe() -> {available, adapter, limits, ...} | {available: false, reason, detail};
// run({params, inputs}, onProgress) -> the worker's result; cancel() / supersede: a new run or
// cancel() terminates the worker (the only way to stop a queue of GPU work from outside), and the
// next call starts a fresh one.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const stopped = (reason, text) => ns.bridge.stopped(reason, text);

  // After experiment.js's "The computation failed: ".
  const SILENT = 'the worker driving the GPU stopped answering, so it will be started afresh; press Measure again to retry.';
  const DIED = (detail) => 'the worker driving the GPU stopped' + (detail ? ' (' + detail + ')' : '') +
    ', so it will be started afresh; press Measure again to retry, perhaps with smaller settings.';

  function createGpuClient(source) {
    const url = ns.core.workerUrl(source);
    const limits = ns.core.DEADLINES;
    let bridge = null;
    let probed = null;  // the probe's promise: the adapter does not change while the page is open

    function connect() {
      if (bridge) return bridge;
      bridge = ns.bridge.connect(url, null, 'gpu', {
        started: () => limits.first,
        progress(call, data) {
          const now = performance.now();
          call.gap = Math.max(call.gap || 0, now - (call.heard || now));
          call.heard = now;
          if (call.onProgress) call.onProgress(data.progress);
          return limits.paced(call.gap);
        },
        begun(call) { call.heard = performance.now(); },
        lost(detail) {
          const held = bridge.calls();
          bridge = null;
          probed = null;
          for (const call of held) call.reject(stopped('crashed', detail === null ? SILENT : DIED(detail)));
        },
      });
      return bridge;
    }

    function call(message, onProgress) {
      return new Promise((resolve, reject) => {
        connect().post({ message: message, resolve: (data) => resolve(data.result), reject: reject, onProgress: onProgress });
      });
    }

    // Stops the worker; the calls it held fail with `reason` ('cancelled' | 'superseded').
    function stop(reason) {
      if (!bridge) return;
      const held = bridge.calls();
      bridge.terminate();
      bridge = null;
      probed = null;
      for (const c of held) c.reject(stopped(reason));
    }

    let current = null;  // the run in flight: a newer one supersedes it
    return {
      probe() {
        if (!probed) {
          probed = call({ op: 'probe' });
          probed.catch(() => { probed = null; });
        }
        return probed;
      },
      async run(request, onProgress) {
        if (current) stop('superseded');
        const mine = (current = {});
        try {
          return await call({ op: 'run', params: request.params, inputs: request.inputs }, onProgress);
        } finally {
          if (current === mine) current = null;
        }
      },
      cancel: () => stop('cancelled'),
    };
  }

  let client = null;
  // The page's one GPU client, or null when the page was built without the GPU worker.
  ns.gpuClient = () => {
    if (!client && typeof self.RNN_LESSON_GPU_SOURCE === 'string') client = createGpuClient(self.RNN_LESSON_GPU_SOURCE);
    return client;
  };
})();
