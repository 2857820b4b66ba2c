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

  // Starts a worker from `url` and gives it the core before anything else is posted to it
  // (a worker handles its messages in order, so requests may follow at once).
  function startWorker(url, core) {
    const worker = new Worker(url);
    try {
      if (!core.module) throw new Error('not compiled here');
      worker.postMessage({ op: 'init', module: core.module });
    } catch (e) {
      // A browser that cannot hand a compiled module to a worker gives it the bytes instead.
      worker.postMessage({ op: 'init', bytes: core.bytes });
    }
    return worker;
  }

  ns.core = { coreModule: coreModule, startWorker: startWorker };
  // Begin compiling while the other scripts load.
  coreModule().catch(() => {});
})();
