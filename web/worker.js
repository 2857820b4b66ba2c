// The worker that owns the WebAssembly module. The build prepends
// `self.RNN_LESSON_WASM_BYTES = "..."` and the Emscripten glue (createRnnLesson) to this
// file, and the page starts it from a Blob URL, so it works from file:// too.
//
// Messages in:  {id, op: 'specs'}                      -> {id, ok, version, specs}
//               {id, op: 'run', experiment, params}    -> {id, progress} ... then {id, ok, result, ms}
//               {id, op: 'load'}                       -> {id, ok, ms} (ms: module start-up)
//               {id, op: 'slice', kind, params, begin, end, state}
//                                                      -> {id, ok, result, ms}
//                 kind: 'attention' (query rows), 'rnn_batch' (sequences), 'rnn_relay' (steps,
//                 from `state`); ms is measured here around the core call only.
// Failures answer {id, ok: false, error}. One request runs at a time (the module is
// synchronous); the page stops a run by terminating this worker.
(function () {
  'use strict';

  const RUNNERS = { timing: 'runTiming', gradient: 'runGradient', retention: 'runRetention',
    architectures: 'runArchitectures', memory: 'runMemory', workdepth: 'runWorkDepth' };
  const SLICES = { attention: 'attentionRows', rnn_batch: 'rnnSequences', rnn_relay: 'rnnRelaySegment' };
  const PROGRESS_INTERVAL_MS = 50;  // at most ~20 progress messages per second
  let modulePromise = null;

  // The build stores the wasm as a string with one character per byte (see build-wasm.sh).
  function bytesOf(text) {
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; ++i) bytes[i] = text.charCodeAt(i);
    return bytes;
  }

  // Initialised once, lazily; the module never fetches anything (the bytes are given).
  function loadModule() {
    if (!modulePromise) {
      modulePromise = createRnnLesson({ wasmBinary: bytesOf(self.RNN_LESSON_WASM_BYTES) });
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
    const loadStart = performance.now();
    const m = await loadModule();
    if (message.op === 'load') {
      self.postMessage({ id: message.id, ok: true, ms: performance.now() - loadStart });
      return;
    }
    if (message.op === 'slice' && Object.prototype.hasOwnProperty.call(SLICES, message.kind)) {
      const start = performance.now();
      const result = message.kind === 'rnn_relay'
        ? m.rnnRelaySegment(message.params, message.begin, message.end, message.state)
        : m[SLICES[message.kind]](message.params, message.begin, message.end);
      const ms = performance.now() - start;
      self.postMessage({ id: message.id, ok: true, result: result, ms: ms }, transferables(result, []));
      return;
    }
    if (message.op === 'specs') {
      const specs = {};
      for (const experiment of Object.keys(RUNNERS).concat(['scaling'])) {
        const list = m.parameterSpecs(experiment);
        if (!Array.isArray(list)) throw new Error(list && list.error ? list.error : 'no parameter specs');
        specs[experiment] = list;
      }
      self.postMessage({ id: message.id, ok: true, version: m.version(), specs: specs });
      return;
    }
    if (message.op === 'run' && Object.prototype.hasOwnProperty.call(RUNNERS, message.experiment)) {
      let last = 0;
      const progress = (fraction) => {
        const now = performance.now();
        if (now - last >= PROGRESS_INTERVAL_MS) {
          last = now;
          self.postMessage({ id: message.id, progress: fraction });
        }
        return true;
      };
      const start = performance.now();
      const result = m[RUNNERS[message.experiment]](message.params, progress);
      const ms = performance.now() - start;
      const reply = { id: message.id, ok: true, result: result, ms: ms };
      self.postMessage(reply, transferables(result, []));
      return;
    }
    throw new Error('unknown request');
  }

  self.onmessage = (event) => {
    const message = event.data || {};
    handle(message).catch((error) => {
      self.postMessage({ id: message.id, ok: false, error: String((error && error.message) || error) });
    });
  };
})();
