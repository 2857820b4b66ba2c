// dist/ as assembled by build-wasm.sh: worker-source.js is one classic script whose string is
// the worker's whole source (wasm bytes + Emscripten glue + web/worker.js), and that
// source runs as a worker would run it.
'use strict';

const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const h = require('./helpers');

const WORKER_SOURCE = path.join(h.DIST, 'worker-source.js');

function workerSource() {
  h.requireBuilt(WORKER_SOURCE);
  const context = vm.createContext({ self: {} });
  vm.runInContext(fs.readFileSync(WORKER_SOURCE, 'utf8'), context, { filename: 'worker-source.js' });
  const source = context.self.RNN_LESSON_WORKER_SOURCE;
  assert.equal(typeof source, 'string', 'worker-source.js sets self.RNN_LESSON_WORKER_SOURCE to a string');
  return source;
}

test('worker-source.js holds the wasm bytes, then the glue, then web/worker.js', () => {
  h.requireBuilt(h.WASM);
  h.requireBuilt(h.GLUE);
  const source = workerSource();
  const prefix = 'self.RNN_LESSON_WASM_BYTES = "';
  assert.ok(source.startsWith(prefix));
  const end = source.indexOf('";\n', prefix.length);
  // One character per byte: evaluate the literal (plain data, no code) and compare.
  const literal = vm.runInNewContext(source.slice(prefix.length - 1, end + 2));
  const wasm = fs.readFileSync(h.WASM);
  assert.equal(literal.length, wasm.length, 'one character per wasm byte');
  assert.ok(Buffer.from(literal, 'latin1').equals(wasm), 'the string decodes to build-wasm/rnn_lesson_wasm.wasm');
  const glue = fs.readFileSync(h.GLUE, 'utf8');
  assert.equal(source.slice(end + 3, end + 3 + glue.length), glue, 'the Emscripten glue follows');
  assert.ok(glue.includes('createRnnLesson'));
  const worker = path.join(h.ROOT, 'web', 'worker.js');
  if (fs.existsSync(worker)) {
    assert.ok(source.endsWith('\n' + fs.readFileSync(worker, 'utf8')), 'web/worker.js comes last');
  }
  // No dynamic code generation: the page's CSP has no 'unsafe-eval'.
  assert.ok(!/new Function|\beval\(/.test(glue), 'the glue does not use eval or new Function');
  // Every file of web/ is in dist/, unchanged, plus Chart.js.
  for (const file of listFiles(path.join(h.ROOT, 'web'))) {
    const copy = path.join(h.DIST, path.relative(path.join(h.ROOT, 'web'), file));
    assert.ok(fs.existsSync(copy) && fs.readFileSync(copy).equals(fs.readFileSync(file)), `dist has ${copy}`);
  }
  assert.ok(fs.statSync(path.join(h.DIST, 'vendor', 'chart.umd.min.js')).size > 100000);
});

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]);
}

test('the core in worker-source.js instantiates from its own bytes without fetching anything', async () => {
  const source = workerSource();
  // A worker-like global: importScripts makes the glue take its worker path; fetch throws.
  const sandbox = {
    location: { href: 'blob:null/worker' },
    importScripts() { throw new Error('importScripts called'); },
    fetch() { throw new Error('fetch called'); },
    XMLHttpRequest: function () { throw new Error('XMLHttpRequest used'); },
    atob, performance, console, setTimeout, clearTimeout,
    messages: [],
    postMessage(message) { sandbox.messages.push(message); },
  };
  sandbox.self = sandbox;
  const context = vm.createContext(sandbox);
  // Only the core: wasm bytes + glue (the worker's message loop is the page's to test).
  const glueEnd = source.length - (fs.existsSync(path.join(h.ROOT, 'web', 'worker.js'))
    ? fs.readFileSync(path.join(h.ROOT, 'web', 'worker.js'), 'utf8').length : 0);
  vm.runInContext(source.slice(0, glueEnd) + '\n;self.createRnnLesson = createRnnLesson;', context);
  assert.equal(typeof sandbox.createRnnLesson, 'function');
  const bytes = Uint8Array.from(sandbox.RNN_LESSON_WASM_BYTES, (c) => c.charCodeAt(0));
  const m = await sandbox.createRnnLesson({ wasmBinary: bytes });
  assert.match(m.version(), /^\d+\.\d+\.\d+$/);
  const r = m.runGradient({ mode: 'kata', distances: [1, 10] });
  assert.equal(r.error, '');
  assert.equal(r.distances.length, 2);
});

test('the whole worker source runs as a worker and answers a specs request', async (t) => {
  if (!fs.existsSync(path.join(h.ROOT, 'web', 'worker.js'))) {
    assert.fail('web/worker.js is missing, so dist/worker-source.js has no message loop');
  }
  const source = workerSource();
  const replies = [];
  let resolveReply;
  const replied = new Promise((resolve) => { resolveReply = resolve; });
  const sandbox = {
    location: { href: 'blob:null/worker' },
    importScripts() { throw new Error('importScripts called'); },
    fetch() { throw new Error('fetch called'); },
    atob, performance, console, setTimeout, clearTimeout,
    postMessage(message) { replies.push(message); if (message.ok !== undefined) resolveReply(message); },
  };
  sandbox.self = sandbox;
  vm.runInContext(source, vm.createContext(sandbox), { filename: 'worker-source' });
  assert.equal(typeof sandbox.onmessage, 'function', 'web/worker.js sets self.onmessage');
  sandbox.onmessage({ data: { id: 1, op: 'specs' } });
  const reply = await replied;
  assert.equal(reply.id, 1);
  assert.equal(reply.ok, true, `worker replied ${JSON.stringify(reply).slice(0, 200)}`);
  t.diagnostic(`worker answered specs for ${Object.keys(reply.specs || {}).join(', ')}`);
});
