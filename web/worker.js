// The worker that owns the WebAssembly module. The build prepends the Emscripten glue
// (createRnnLesson) to this file, and the page starts it from a Blob URL, so it works from
// file:// too. The page compiles the core once and posts it here first.
//
// Messages in:  {op: 'init', module | bytes}           (first; no reply) the compiled
//                                                      WebAssembly.Module, or its bytes
//               {id, op: 'specs'}                      -> {id, ok, version, specs} (each spec
//                                                      with its defaultValue's readText())
//               {id, op: 'run', experiment, params}    -> {id, progress} ... then {id, ok, result, ms}
//               {id, op: 'load'}                       -> {id, ok, ms} (ms: module instantiation)
//               {id, op: 'limits', experiment, params} -> {id, ok, result} (result: the module's
//                                                      limits(): {error, refused, limits}); the
//                                                      page's checker worker (web/checker.js)
//               {id, op: 'read', items: [{experiment, parameter, text}]}
//                                                      -> {id, ok, result: {error: '', readings}}:
//                                                      the module's readText() for each item, in
//                                                      order (the page reads no number itself)
//               {id, op: 'slice', kind, params, part, parts, state}
//                                                      -> {id, ok, result, ms}
//                 the module's slice(): part `part` of `parts`, its bounds (result.begin,
//                 result.end) computed by the core; kind: 'attention' (query rows),
//                 'rnn_batch' (sequences), 'rnn_relay' (steps, from `state`); ms is measured
//                 here around the core call only.
// The experiments are the module's (m.experiments()); specs are those of every experiment
// plus the parallel section's 'scaling' table.
// Every request is first acknowledged with {id, started: true} once the module is ready.
// Failures answer {id, ok: false, error}. One request runs at a time (the module is
// synchronous); the page stops a run by terminating this worker.
(function () {
  'use strict';

  // The parameter table of the parallel section's slices (no run of its own).
  const SLICE_TABLE = 'scaling';
  // At most 4 progress messages a second: each makes the page draw its bar, on the core a
  // timing run may be sharing; the page's watch only needs one per deadline (web/core.js).
  const PROGRESS_INTERVAL_MS = 250;
  let giveCore;
  const core = new Promise((resolve) => { giveCore = resolve; });
  let modulePromise = null;
  let instantiateMs = 0;  // from the 'init' message to the module being ready

  // Instantiated once, from what the 'init' message brought; the module never fetches anything.
  function loadModule() {
    if (!modulePromise) {
      const start = performance.now();
      modulePromise = core.then((init) => {
        if (!init.module) return createRnnLesson({ wasmBinary: init.bytes });
        let failed;
        const failure = new Promise((resolve, reject) => { failed = reject; });
        return Promise.race([failure, createRnnLesson({
          instantiateWasm(imports, receive) {
            WebAssembly.instantiate(init.module, imports).then((instance) => receive(instance, init.module), failed);
            return {};
          },
        })]);
      }).then((m) => { instantiateMs = performance.now() - start; return m; });
    }
    return modulePromise;
  }

  // Typed arrays anywhere in a result travel as transfers, not copies.
  function transferables(value, out) {
    if (ArrayBuffer.isView(value)) out.push(value.buffer);
    else if (value && typeof value === 'object') for (const k of Object.keys(value)) transferables(value[k], out);
    return out;
  }

  async function handle(message) {
    const m = await loadModule();
    // Tells the page this request has begun: until then it cannot tell a busy worker from a
    // dead one (web/core.js, DEADLINES).
    self.postMessage({ id: message.id, started: true });
    if (message.op === 'load') {
      self.postMessage({ id: message.id, ok: true, ms: instantiateMs });
      return;
    }
    if (message.op === 'slice') {
      const start = performance.now();
      const result = m.slice(message.kind, message.params, message.part, message.parts, message.state);
      const ms = performance.now() - start;
      self.postMessage({ id: message.id, ok: true, result: result, ms: ms }, transferables(result, []));
      return;
    }
    if (message.op === 'limits') {
      self.postMessage({ id: message.id, ok: true, result: m.limits(message.experiment, message.params) });
      return;
    }
    if (message.op === 'read') {
      const items = Array.isArray(message.items) ? message.items : [];
      const readings = items.map((item) => m.readText(item.experiment, item.parameter, item.text));
      self.postMessage({ id: message.id, ok: true, result: { error: '', readings: readings } }, transferables(readings, []));
      return;
    }
    if (message.op === 'specs') {
      const specs = {};
      const names = m.experiments().map((e) => e.name).concat([SLICE_TABLE]);
      for (const experiment of names) {
        const list = m.parameterSpecs(experiment);
        if (!Array.isArray(list)) throw new Error(list && list.error ? list.error : 'no parameter specs');
        // Each default as the core reads it: the page builds its table from these, reading no digits.
        for (const spec of list) spec.defaultReading = m.readText(experiment, spec.name, spec.defaultValue);
        specs[experiment] = list;
      }
      self.postMessage({ id: message.id, ok: true, version: m.version(), specs: specs });
      return;
    }
    if (message.op === 'run') {
      let last = -Infinity;  // the first report always goes (a new worker's clock starts near 0)
      const progress = (fraction) => {
        const now = performance.now();
        if (now - last >= PROGRESS_INTERVAL_MS) {
          last = now;
          self.postMessage({ id: message.id, progress: fraction });
        }
        return true;
      };
      const start = performance.now();
      const result = m.runExperiment(message.experiment, message.params, progress);
      const ms = performance.now() - start;
      const reply = { id: message.id, ok: true, result: result, ms: ms };
      self.postMessage(reply, transferables(result, []));
      return;
    }
    throw new Error('unknown request');
  }

  self.onmessage = (event) => {
    const message = event.data || {};
    if (message.op === 'init') {
      giveCore(message);
      loadModule().catch(() => {});  // start at once; a failure is reported to the first request
      return;
    }
    handle(message).catch((error) => {
      self.postMessage({ id: message.id, ok: false, error: String((error && error.message) || error) });
    });
  };
})();
