// dist/ as assembled by build-wasm.sh: core-wasm.js is a classic script holding the module's
// bytes as a string (one character per byte, decoded by web/core.js); worker-source.js holds
// the worker's source (Emscripten glue + web/worker.js) as a string, and that source runs as
// a worker would run it, given the module the page hands it.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const h = require('./helpers');

const WORKER_SOURCE = path.join(h.DIST, 'worker-source.js');
const CORE_WASM = path.join(h.DIST, 'core-wasm.js');

function workerSource() {
  h.requireBuilt(WORKER_SOURCE);
  const context = vm.createContext({ self: {} });
  vm.runInContext(fs.readFileSync(WORKER_SOURCE, 'utf8'), context, { filename: 'worker-source.js' });
  const source = context.self.RNN_LESSON_WORKER_SOURCE;
  assert.equal(typeof source, 'string', 'worker-source.js sets self.RNN_LESSON_WORKER_SOURCE to a string');
  return source;
}

// The bytes as the page gets them: core-wasm.js and web/core.js run in a window-like sandbox,
// with WebAssembly.compile recorded instead of run.
function pageBytes() {
  h.requireBuilt(CORE_WASM);
  const compiled = [];
  const sandbox = { WebAssembly: { compile: (bytes) => { compiled.push(bytes); return new Promise(() => {}); } } };
  sandbox.self = sandbox.window = sandbox;
  const context = vm.createContext(sandbox);
  vm.runInContext(fs.readFileSync(CORE_WASM, 'utf8'), context, { filename: 'core-wasm.js' });
  const encoded = sandbox.RNN_LESSON_WASM;
  vm.runInContext(fs.readFileSync(path.join(h.ROOT, 'web', 'core.js'), 'utf8'), context, { filename: 'core.js' });
  assert.equal(compiled.length, 1, 'web/core.js compiles the module once, as soon as it loads');
  assert.equal(sandbox.RNN_LESSON_WASM, undefined, 'and lets go of the string');
  return { encoded, bytes: compiled[0] };
}

test('core-wasm.js decodes, through web/core.js, to exactly build-wasm/rnn_lesson_wasm.wasm', () => {
  h.requireBuilt(h.WASM);
  const { encoded, bytes } = pageBytes();
  const wasm = fs.readFileSync(h.WASM);
  assert.equal(encoded.ALPHABET.length, 256);
  assert.equal(new Set(encoded.ALPHABET).size, 256, 'one character per byte value');
  assert.equal(encoded.BYTES.length, wasm.length, 'one character per wasm byte');
  assert.ok(Buffer.from(bytes).equals(wasm), 'the decoded bytes are the module');
  // Plain data: the file is one assignment of two string literals, nothing to execute.
  const text = fs.readFileSync(CORE_WASM, 'utf8');
  assert.match(text, /\nself\.RNN_LESSON_WASM = \{\n  ALPHABET: "[^"\\]{256}",\n  BYTES: "[^"\\\n]*",\n\};\n$/u);
});

test('worker-source.js holds the glue, then web/worker.js; dist/ has every file of web/', () => {
  h.requireBuilt(h.GLUE);
  const source = workerSource();
  const glue = fs.readFileSync(h.GLUE, 'utf8');
  assert.ok(source.startsWith(glue), 'the Emscripten glue comes first');
  assert.ok(glue.includes('createRnnLesson'));
  const worker = path.join(h.ROOT, 'web', 'worker.js');
  assert.ok(source.endsWith('\n' + fs.readFileSync(worker, 'utf8')), 'web/worker.js comes last');
  // No dynamic code generation: the page's CSP has no 'unsafe-eval'.
  assert.ok(!/new Function|\beval\(/.test(glue), 'the glue does not use eval or new Function');
  // Every file of web/ is in dist/, unchanged, plus Chart.js; but for the GPU worker's sources,
  // which travel inside gpu-source.js (checked below).
  const packed = (rel) => /^gpu\/(worker\.js|.*\.wgsl)$/.test(rel.split(path.sep).join('/'));
  for (const file of listFiles(path.join(h.ROOT, 'web'))) {
    const rel = path.relative(path.join(h.ROOT, 'web'), file);
    const copy = path.join(h.DIST, rel);
    if (packed(rel)) {
      assert.ok(!fs.existsSync(copy), `${rel} is packed into gpu-source.js, not copied`);
      const text = fs.readFileSync(file, 'utf8');
      assert.ok(gpuSource().includes(rel.endsWith('.wgsl') ? JSON.stringify(text) : text), `gpu-source.js holds ${rel}`);
      continue;
    }
    assert.ok(fs.existsSync(copy) && fs.readFileSync(copy).equals(fs.readFileSync(file)), `dist has ${copy}`);
  }
  assert.ok(fs.statSync(path.join(h.DIST, 'vendor', 'chart.umd.min.js')).size > 100000);
});

// The GPU worker's source as the page receives it (dist/gpu-source.js): WGSL strings, then web/gpu/worker.js.
function gpuSource() {
  const sandbox = { self: {} };
  require('node:vm').runInNewContext(fs.readFileSync(path.join(h.DIST, 'gpu-source.js'), 'utf8'), sandbox);
  return sandbox.self.RNN_LESSON_GPU_SOURCE;
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

// A worker-like global: importScripts makes the glue take its worker path; fetch throws.
function workerSandbox(onReply) {
  const sandbox = {
    location: { href: 'blob:null/worker' },
    importScripts() { throw new Error('importScripts called'); },
    fetch() { throw new Error('fetch called'); },
    XMLHttpRequest: function () { throw new Error('XMLHttpRequest used'); },
    WebAssembly, performance, console, setTimeout, clearTimeout,
    postMessage: onReply,
  };
  sandbox.self = sandbox;
  return sandbox;
}

for (const given of ['module', 'bytes']) {
  test(`the worker source, given the core as ${given === 'module' ? 'a compiled module' : 'bytes'}, answers specs and runs without fetching`, async (t) => {
    const source = workerSource();
    const { bytes } = pageBytes();
    const replies = new Map();
    const waiting = new Map();
    const sandbox = workerSandbox((message) => {
      if (message.progress !== undefined || message.started) return;  // progress and the start acknowledgement
      replies.set(message.id, message);
      if (waiting.has(message.id)) waiting.get(message.id)(message);
    });
    const reply = (id) => (replies.has(id) ? Promise.resolve(replies.get(id)) : new Promise((resolve) => waiting.set(id, resolve)));
    vm.runInContext(source, vm.createContext(sandbox), { filename: 'worker-source' });
    assert.equal(typeof sandbox.onmessage, 'function', 'web/worker.js sets self.onmessage');
    const init = given === 'module' ? { op: 'init', module: await WebAssembly.compile(bytes) } : { op: 'init', bytes };
    // Requests may follow the init message at once; the worker answers them once it is ready.
    sandbox.onmessage({ data: init });
    sandbox.onmessage({ data: { id: 1, op: 'specs' } });
    sandbox.onmessage({ data: { id: 2, op: 'run', experiment: 'gradient', params: { mode: 'kata', distances: [1, 10] } } });
    sandbox.onmessage({ data: { id: 3, op: 'load' } });
    sandbox.onmessage({ data: { id: 4, op: 'slice', kind: 'rnn_batch', params: { batch: 5, length: 20, hidden_size: 4 }, part: 1, parts: 2 } });
    const specs = await reply(1);
    assert.equal(specs.ok, true, `worker replied ${JSON.stringify(specs).slice(0, 200)}`);
    assert.match(specs.version, /^\d+\.\d+\.\d+$/);
    // Every experiment of the module's list, then the slices' table.
    assert.deepEqual(Object.keys(specs.specs), ['timing', 'gradient', 'retention', 'architectures', 'memory', 'workdepth', 'train', 'recall', 'gpu', 'scaling']);
    for (const e of Object.keys(specs.specs)) {
      assert.ok(Array.isArray(specs.specs[e]) && specs.specs[e].length > 0, `specs for ${e}`);
    }
    const run = await reply(2);
    assert.equal(run.ok, true);
    assert.equal(run.result.error, '');
    assert.equal(run.result.distances.length, 2);
    const load = await reply(3);
    assert.ok(load.ok && load.ms >= 0, 'load reports the instantiation time');
    t.diagnostic(`module instantiated in ${load.ms.toFixed(1)} ms`);
    const slice = await reply(4);
    assert.equal(slice.ok, true);
    assert.equal(slice.result.error, '');
    assert.deepEqual([slice.result.begin, slice.result.end], [2, 5], 'part 1 of 2 of 5 sequences, bounds from the core');
    assert.ok(slice.ms >= 0);
  });
}

test('the lede counts the experiments the page holds', () => {
  const html = fs.readFileSync(path.join(h.DIST, 'index.html'), 'utf8');
  const sections = (html.match(/<section id="experiment-[a-z_]+"/g) || []).length;
  const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve'];
  const said = /with (\w+) small experiments/.exec(html);
  assert.ok(said, 'the lede says how many experiments');
  assert.equal(words.indexOf(said[1]), sections, 'the lede says "' + said[1] + '" beside ' + sections + ' sections');
});
