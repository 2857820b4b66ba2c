#!/usr/bin/env node
// Nanoseconds per recurrent step of the WebAssembly core, to compare with the native
// benchmark. Uses the module's own timing experiment (run('timing'): float32 forward pass, the
// same protocol as the page) at the kata's size, H=32, D=8, and reports the median of the
// fitted ns/step over several runs.
//
//   node bench/wasm_step.js [--runs 7] [--hidden 32] [--input 8] [--lengths 200,500,1000,2000]
//                           [--wasm build-wasm/rnn_lesson_wasm.wasm] [--json]
'use strict';

const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv) {
  const o = { runs: 7, hidden: 32, input: 8, lengths: '200,500,1000,2000', wasm: path.join(ROOT, 'build-wasm', 'rnn_lesson_wasm.wasm'), json: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i];
    if (a === '--json') { o.json = true; continue; }
    const key = a.replace(/^--/, '');
    if (!(key in o) || i + 1 >= argv.length) {
      console.error(`usage: node bench/wasm_step.js [--runs N] [--hidden H] [--input D] [--lengths L1,L2,...] [--wasm FILE] [--json]`);
      process.exit(2);
    }
    o[key] = argv[++i];
  }
  o.runs = Number(o.runs);
  return o;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const wasm = path.resolve(o.wasm);
  const glue = wasm.replace(/\.wasm$/, '.js');
  for (const f of [wasm, glue]) {
    if (!fs.existsSync(f)) {
      console.error(`${path.relative(ROOT, f)} is missing: run ./build-wasm.sh first`);
      process.exit(1);
    }
  }
  const m = await require(glue)({ wasmBinary: fs.readFileSync(wasm) });
  const params = { hidden_size: Number(o.hidden), input_size: Number(o.input), lengths: o.lengths, trials: 7, min_interval_ms: 5 };
  const warm = m.runExperiment('timing', { ...params, trials: 1 });  // JIT tiers up, heap settles
  if (warm.error) {
    console.error(`run('timing'): ${warm.error}`);
    process.exit(2);
  }
  const perRun = [];
  for (let i = 0; i < o.runs; ++i) {
    const r = m.runExperiment('timing', params);
    perRun.push({ ns_per_step: r.ns_per_step, r_squared: r.r_squared });
  }
  const ns = median(perRun.map((r) => r.ns_per_step));
  if (o.json) {
    console.log(JSON.stringify({ module: path.relative(ROOT, wasm), node: process.version, params, runs: perRun, median_ns_per_step: ns }));
    return;
  }
  console.log(`wasm core (${path.relative(ROOT, wasm)}, node ${process.version}), H=${params.hidden_size} D=${params.input_size}, lengths ${params.lengths}`);
  perRun.forEach((r, i) => console.log(`  run ${i + 1}: ${r.ns_per_step.toFixed(1)} ns/step  (R^2 ${r.r_squared.toFixed(5)})`));
  console.log(`median: ${ns.toFixed(1)} ns per step over ${o.runs} runs`);
}

main().catch((e) => { console.error(e); process.exit(1); });
