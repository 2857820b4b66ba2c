// Shared by the Node tests: loads the WebAssembly module built by ./build-wasm.sh and runs
// the native CLI (`rnn-lesson`) for reference results. Missing build outputs are an error,
// never a skip.
'use strict';

const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const GLUE = path.join(ROOT, 'build-wasm', 'rnn_lesson_wasm.js');
const WASM = path.join(ROOT, 'build-wasm', 'rnn_lesson_wasm.wasm');
const DIST = path.join(ROOT, 'dist');

function requireBuilt(file) {
  if (!fs.existsSync(file)) {
    throw new Error(`${path.relative(ROOT, file)} is missing: run ./build-wasm.sh first`);
  }
}

let modulePromise = null;
// The module, instantiated once per test file.
function loadModule() {
  if (!modulePromise) {
    requireBuilt(GLUE);
    requireBuilt(WASM);
    const createRnnLesson = require(GLUE);
    modulePromise = createRnnLesson({ wasmBinary: fs.readFileSync(WASM) });
  }
  return modulePromise;
}

// ---- the native CLI ------------------------------------------------------------------------

function newestSourceMtime() {
  let newest = fs.statSync(path.join(ROOT, 'CMakeLists.txt')).mtimeMs;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ['src/core', 'src/cli']) walk(path.join(ROOT, dir));
  return newest;
}

let cliPath = null;
// RNN_LESSON_CLI if set; else build/rnn-lesson if it is newer than every core/CLI source;
// else an up-to-date build in build-node-cli/ (configured and built here, -j2).
function cli() {
  if (cliPath) return cliPath;
  if (process.env.RNN_LESSON_CLI) {
    cliPath = path.resolve(process.env.RNN_LESSON_CLI);
    requireBuilt(cliPath);
    return cliPath;
  }
  const shared = path.join(ROOT, 'build', 'rnn-lesson');
  if (fs.existsSync(shared) && fs.statSync(shared).mtimeMs >= newestSourceMtime()) {
    cliPath = shared;
    return cliPath;
  }
  const dir = path.join(ROOT, 'build-node-cli');
  const run = (args) => {
    const r = spawnSync('cmake', args, { cwd: ROOT, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`cmake ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
  };
  if (!fs.existsSync(path.join(dir, 'CMakeCache.txt'))) {
    run(['-S', ROOT, '-B', dir, '-DCMAKE_BUILD_TYPE=Release', '-DRNN_LESSON_TESTS=OFF', '-DRNN_LESSON_BENCH=OFF']);
  }
  run(['--build', dir, '-j2', '--target', 'rnn-lesson']);
  cliPath = path.join(dir, 'rnn-lesson');
  requireBuilt(cliPath);
  return cliPath;
}

// `rnn-lesson <experiment> --name value ... --json`, parsed.
function cliJson(experiment, params) {
  const args = [experiment];
  for (const [k, v] of Object.entries(params)) args.push(`--${k}`, Array.isArray(v) ? v.join(',') : String(v));
  args.push('--json');
  return JSON.parse(execFileSync(cli(), args, { encoding: 'utf8', maxBuffer: 64 << 20 }));
}

function cliHelp(experiment) {
  return execFileSync(cli(), [experiment, '--help'], { encoding: 'utf8' });
}

// ---- comparing a module result with the CLI's JSON ------------------------------------------

// Typed arrays as plain arrays, everything else as is.
function plain(x) {
  if (ArrayBuffer.isView(x)) return Array.from(x);
  if (Array.isArray(x)) return x.map(plain);
  if (x && typeof x === 'object') {
    const o = {};
    for (const k of Object.keys(x)) o[k] = plain(x[k]);
    return o;
  }
  return x;
}

// Walks `expected` (CLI JSON) and `actual` (module result, typed arrays allowed) together:
// same keys in the same order, same array lengths, strings equal, numbers within
// `tolerance(path, expected, actual)` (a function returning true when close enough). The
// CLI writes non-finite numbers as null; those must be non-finite in the module too. An
// optional without a value (core/fields.h) is null in both.
function assertSameShapeAndClose(expected, actual, tolerance, where = '') {
  if (expected === null) {
    if (actual === null) return;
    assert.ok(typeof actual === 'number' && !Number.isFinite(actual), `${where}: CLI has null, module has ${actual}`);
    return;
  }
  if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual) || ArrayBuffer.isView(actual), `${where}: expected an array`);
    assert.equal(actual.length, expected.length, `${where}: length`);
    for (let i = 0; i < expected.length; ++i) assertSameShapeAndClose(expected[i], actual[i], tolerance, `${where}[${i}]`);
    return;
  }
  if (typeof expected === 'object') {
    assert.ok(actual && typeof actual === 'object' && !ArrayBuffer.isView(actual), `${where}: expected an object`);
    assert.deepEqual(Object.keys(actual), Object.keys(expected), `${where}: keys`);
    for (const k of Object.keys(expected)) assertSameShapeAndClose(expected[k], actual[k], tolerance, `${where}.${k}`);
    return;
  }
  if (typeof expected === 'number') {
    assert.equal(typeof actual, 'number', `${where}: type`);
    assert.ok(tolerance(where, expected, actual), `${where}: CLI ${expected} vs module ${actual} (difference ${Math.abs(expected - actual)})`);
    return;
  }
  // A flag derived from measured times (timing's `disturbed`) is compared by type when the
  // numbers are (tolerance anyValue).
  if (typeof expected === 'boolean' && tolerance === anyValue) {
    assert.equal(typeof actual, 'boolean', `${where}: type`);
    return;
  }
  assert.equal(actual, expected, where);
}

// The tolerance for results that measure the machine: any number, any flag (shapes and keys
// are still compared).
function anyValue() {
  return true;
}

// A tolerance for assertSameShapeAndClose: |a - b| <= rel * max(|a|, |b|) + absFloor.
function relativelyClose(rel, absFloor = 0) {
  return (where, a, b) => a === b || Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + absFloor;
}

// The module's result without the trailing `error: ''`, for comparing with the CLI.
function withoutError(result) {
  assert.equal(result.error, '', `module returned an error: ${result.error}`);
  const keys = Object.keys(result);
  assert.equal(keys[keys.length - 1], 'error', 'error is the last key');
  const o = {};
  for (const k of keys) if (k !== 'error') o[k] = result[k];
  return o;
}

// One experiment of the module as a function: (params, progress?) => m.runExperiment(experiment, ...).
function runner(m, experiment) {
  return (params, progress) => m.runExperiment(experiment, params, progress);
}

// The experiments' names, in the module's order (m.experiments(): the core's list).
function experimentNames(m) {
  return m.experiments().map((e) => e.name);
}

module.exports = {
  ROOT, GLUE, WASM, DIST, requireBuilt, loadModule, cli, cliJson, cliHelp, plain,
  assertSameShapeAndClose, relativelyClose, anyValue, withoutError, runner, experimentNames,
};
