// The experiment core's WebAssembly module, compiled once for the whole page and handed to
// every worker (the page's main worker and the parallel section's pool), so no worker
// decodes or compiles it again. core-wasm.js (built by build-wasm.sh) holds the bytes as a
// string with one character per byte: a classic script, which loads from file:// as well as
// from a server (from file:// a browser refuses to fetch a .wasm).
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  let compiled = null;

  // encoded: {ALPHABET, BYTES}; ALPHABET[b] is the character that stands for byte b.
  function bytesOf(encoded) {
    const table = new Uint8Array(0x10000);
    for (let b = 0; b < 256; ++b) table[encoded.ALPHABET.charCodeAt(b)] = b;
    const text = encoded.BYTES;
    const bytes = new Uint8Array(text.length);
    for (let i = 0; i < text.length; ++i) bytes[i] = table[text.charCodeAt(i)];
    return bytes;
  }

  // -> Promise<{module, bytes}>: the compiled WebAssembly.Module (null where the page may not
  // compile wasm itself: each worker then compiles the bytes). Rejects when core-wasm.js is
  // missing.
  function coreModule() {
    if (!compiled) {
      const encoded = self.RNN_LESSON_WASM;
      if (!encoded || typeof encoded.BYTES !== 'string') return Promise.reject(new Error('core-wasm.js is missing'));
      const bytes = bytesOf(encoded);
      self.RNN_LESSON_WASM = undefined;  // the string is as large as the module: let it go
      // Compiles off the main thread; a page whose policy forbids wasm here falls back to
      // giving each worker the bytes.
      compiled = WebAssembly.compile(bytes).then((module) => ({ module: module, bytes: bytes }),
        () => ({ module: null, bytes: bytes }));
    }
    return compiled;
  }

  // Trusted Types: under `require-trusted-types-for 'script'` a worker's script URL must be a
  // TrustedScriptURL. This one narrow policy vouches only for the Blob URLs workerUrl() made
  // from the page's own worker source, and is used only by startWorker(). Browsers without
  // Trusted Types (or a page policy that does not allow the name) get the plain URL.
  const ownUrls = new Map();  // worker source -> its Blob URL
  let policy = null;
  if (self.trustedTypes && typeof self.trustedTypes.createPolicy === 'function') {
    try {
      policy = self.trustedTypes.createPolicy('rnn-lesson-worker', {
        createScriptURL(url) {
          for (const own of ownUrls.values()) if (own === url) return url;
          throw new TypeError('rnn-lesson-worker starts workers only from this page\'s own Blob URLs');
        },
      });
    } catch (e) { /* no policy allowed by name: new Worker then reports the page's refusal */ }
  }

  // One Blob URL per worker source for the whole page (the main worker, the checker and the
  // pool all run the same script).
  function workerUrl(source) {
    if (!ownUrls.has(source)) ownUrls.set(source, URL.createObjectURL(new Blob([source], { type: 'text/javascript' })));
    return ownUrls.get(source);
  }

  // Workers started before the module is compiled, each waiting to be handed out once by
  // startWorker: a worker takes ~100 ms or more to start (a thread, a JS engine, its script), and
  // the main thread must be free for part of that, which it rarely is once main.js runs.
  const started = [];  // {url, name, worker}
  const spawn = (url, name) => new Worker(policy ? policy.createScriptURL(url) : url, { name: name || 'rnn-lesson' });
  function startEarly(source, names) {
    const url = workerUrl(source);
    try {
      for (const name of names) started.push({ url: url, name: name, worker: spawn(url, name) });
    } catch (e) { /* refused here: startWorker tries again, and reports it */ }
  }

  // Starts a worker from `url` (from workerUrl) and gives it the core before anything else is
  // posted to it (a worker handles its messages in order, so requests may follow at once).
  // `name` ('compute', 'checker', 'pool') is what DevTools and tests see as the worker's name.
  // A worker that needs no core (the GPU worker) is given null.
  function startWorker(url, core, name) {
    const early = started.findIndex((w) => w.url === url && w.name === name);
    const worker = early >= 0 ? started.splice(early, 1)[0].worker : spawn(url, name);
    if (!core) return worker;
    try {
      if (!core.module) throw new Error('not compiled here');
      worker.postMessage({ op: 'init', module: core.module });
    } catch (e) {
      // A browser that cannot hand a compiled module to a worker gives it the bytes instead.
      worker.postMessage({ op: 'init', bytes: core.bytes });
    }
    return worker;
  }

  // How long a worker may stay silent before the page decides it has stopped. A worker
  // whose script was stopped (terminated, closed, paused in a debugger) sends nothing and
  // fires no event, so silence is the only sign. The limits are generous enough that a legal
  // run on a slow phone never reaches them: measured with the wasm module in Node on a
  // desktop-class core, one seed at the 2e9 multiply-add cap takes ~0.5 s and a 1-worker pool
  // slice at parallel.cpp's 4e9-operation cap ~5 s; a slow phone is taken as 20x slower.
  const DEADLINES = {
    // A free worker acknowledges a request as soon as its module is ready: instantiating the
    // compiled module takes milliseconds, compiling its 0.5 MB from bytes (the fallback) on a
    // slow phone a few seconds.
    start: 20e3,
    // From the acknowledgement to a run's first progress report: one seed (~10 s on that
    // phone), or the timing experiment's warm-up (at most 1e9 multiply-adds, ~10 s there) or
    // one length's calibration (one interval of at most 1 s or 2e8 multiply-adds): timing.cpp
    // reports after each of them.
    first: 60e3,
    // From the acknowledgement to a pool slice's reply: one slice at parallel.cpp's 4e9-operation
    // cap with one worker, ~5 s on a desktop (~100 s there).
    slice: 180e3,
    // Once a run has reported progress its seeds (or rounds) are equal in work, so the gaps
    // between reports vary only with the machine's load: 10x the longest gap seen in this run,
    // and never under 20 s.
    paced: (longestGap) => Math.max(20e3, 10 * longestGap),
  };

  // watch(onSilent) -> {set(ms), clear()}: set(ms) (re)starts the clock; if set or clear is not
  // called again within ms, onSilent() runs. Time while the page is hidden does not count: a
  // browser may freeze a hidden tab's workers until it is shown again. A deadline found passed
  // is confirmed a second later, so that replies queued while this thread was busy arrive first.
  const watches = new Set();
  function watch(onSilent) {
    let limit = null;
    let since = 0;
    let timer = 0;
    let generation = 0;
    const arm = (ms) => { clearTimeout(timer); timer = setTimeout(check, Math.max(0, ms)); };
    function check() {
      if (limit === null) return;
      if (typeof document !== 'undefined' && document.hidden) since = performance.now();
      const left = since + limit - performance.now();
      if (left > 0) return arm(left);
      const seen = generation;
      timer = setTimeout(() => { if (seen === generation && limit !== null) { handle.clear(); onSilent(); } }, 1000);
    }
    const handle = {
      set(ms) {
        ++generation;
        limit = ms;
        since = performance.now();
        watches.add(handle);
        arm(ms);
      },
      clear() {
        ++generation;
        limit = null;
        clearTimeout(timer);
        watches.delete(handle);
      },
      restart() { if (limit !== null) handle.set(limit); },
    };
    return handle;
  }
  // (Guarded: tests load this file where there is no document.)
  if (typeof document !== 'undefined') {
    document.addEventListener('visibilitychange', () => { for (const w of watches) w.restart(); });
  }

  ns.core = { coreModule: coreModule, workerUrl: workerUrl, startWorker: startWorker, watch: watch, DEADLINES: DEADLINES };
  // Begin compiling while the other scripts load, and start the two workers every page
  // starts (client.js's 'compute' and checker.js's 'checker'), where worker-source.js came first.
  coreModule().catch(() => {});
  if (typeof self.RNN_LESSON_WORKER_SOURCE === 'string' && typeof Worker === 'function') {
    startEarly(self.RNN_LESSON_WORKER_SOURCE, ['compute', 'checker']);
  }
})();
