#!/usr/bin/env node
// Issue 15's floor under the wasm step, in one run, interleaved round by round:
//   - the wasm step in a Chromium page worker (the timing experiment at H=32, D=8, the same
//     protocol as bench/page.js), for one or more builds of dist/ (e.g. before and after a
//     change), each in its own page and long-lived worker;
//   - the native 128-bit kernel without FMA (bench_rnn_step, variant 1 "portable": what wasm
//     SIMD128 can express) and native AVX2+FMA with 16 registers (variant 3, or variant 0 of a
//     bench_rnn_step built before variant 3 existed), H=32, D=8, L=1000.
// GCC's 128-bit kernel is SSE2 code (two-operand forms, a broadcast is a load and a shuffle);
// V8 emits AVX encodings for the same SIMD128 operations (three-operand forms, vbroadcastss)
// when the CPU has AVX, so the floor under wasm SIMD128 is the same kernel built with
// `CXX=clang++ cmake -S . -B build-vex -DRNN_LESSON_BENCH=ON -DCMAKE_CXX_FLAGS=-mavx` (AVX
// encoding, no FMA): pass it as e.g. --native vex=build-vex/bench/bench_rnn_step,gcc=build/...
// Each round runs every measurement once, in turn, and prints the load average beside it, so
// drift on this shared machine falls on all of them alike; the summary gives medians, ranges
// and the per-round ratios. Figures, not a test. Needs ./build-wasm.sh and a native build
// with -DRNN_LESSON_BENCH=ON.
//
//   node bench/step_floor.js [--rounds 7] [--dist after=dist,before=/tmp/old/dist]
//                            [--native after=build/bench/bench_rnn_step,before=/tmp/old/bench_rnn_step]
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const harness = require('../tests/browser/harness.js');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const ROUNDS = Number(option('rounds', 7));
// label=path,label=path (a bare path is its own label).
const labelled = (list) => list.split(',').map((s) => {
  const [label, file] = s.includes('=') ? s.split('=') : [s, s];
  return { label, file: path.resolve(ROOT, file) };
});
const DISTS = labelled(option('dist', 'dist=dist'));
const NATIVES = labelled(option('native', 'native=build/bench/bench_rnn_step'));
const { TIMING, timingWorker } = require('./step_protocol.js');  // bench/page.js's protocol

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs, digits = 1) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}]`;

// The module's worker on `dir` (step_protocol.js); each call of the returned run() times one
// pass of the protocol, after one warm-up pass.
async function wasmWorker(browser, dir) {
  const worker = await timingWorker(browser, dir);
  const run = async () => (await worker.run(TIMING)).ns_per_step;
  await run();  // warm-up, not counted
  return { run, close: worker.close };
}

// ns/step of both native kernels at H=32 from one bench_rnn_step call.
function nativeStep(binary) {
  const out = execFileSync(binary, ['--benchmark_filter=BM_RnnStep/H:32/variant:[013]$', '--benchmark_format=json',
    '--benchmark_min_time=0.3', '--benchmark_repetitions=1'], { encoding: 'utf8' });
  const by = {};
  for (const b of JSON.parse(out).benchmarks) by[b.name.slice(-1)] = b.ns_per_step * 1e9;
  // AVX2+FMA: variant 3 (since the AVX-512VL kernel, which variant 0 may be); a bench_rnn_step
  // built before it has no variant 3, and its variant 0 was AVX2+FMA on AVX2 CPUs.
  return { portable: by['1'], best: '3' in by ? by['3'] : by['0'] };
}

(async () => {
  for (const n of NATIVES) if (!fs.existsSync(n.file)) throw new Error(n.file + ' is missing: build with -DRNN_LESSON_BENCH=ON');
  const { browser } = await harness.launch();
  const workers = [];
  try {
    for (const d of DISTS) workers.push(await wasmWorker(browser, d.file));
    const rows = [];
    console.log(`Step floor, H=32 D=8: ${ROUNDS} rounds, ${new Date().toISOString()}, ${os.cpus()[0].model}`);
    for (let r = 0; r < ROUNDS; ++r) {
      const row = { load: os.loadavg()[0] };
      // Each round in turn starts with a different measurement, so none always runs first.
      const jobs = DISTS.map((d, i) => async () => { row['wasm ' + d.label] = await workers[i].run(); })
        .concat(NATIVES.map((n) => async () => {
          const ns = nativeStep(n.file);
          row[n.label + ' 128-bit'] = ns.portable;
          row[n.label + ' avx2-fma'] = ns.best;
        }));
      for (let i = 0; i < jobs.length; ++i) await jobs[(i + r) % jobs.length]();
      rows.push(row);
      console.log(`  round ${r + 1} (load ${row.load.toFixed(2)}): ` +
        Object.keys(row).filter((k) => k !== 'load').map((k) => `${k} ${row[k].toFixed(1)}`).join(', ') + ' ns/step');
    }
    const col = (k) => rows.map((row) => row[k]);
    const ratio = (a, b) => spread(rows.map((row) => row[a] / row[b]), 3);
    console.log(`summary, ns/step median [range]; load average (1 min) ${spread(col('load'), 2)}:`);
    const base = NATIVES[0].label;
    for (const d of DISTS) {
      console.log(`  wasm ${d.label} (${path.relative(ROOT, d.file) || '.'}) in a Chromium worker: ${spread(col('wasm ' + d.label))};` +
        ` per round / native ${base} 128-bit ${ratio('wasm ' + d.label, base + ' 128-bit')}, / ${base} avx2-fma ${ratio('wasm ' + d.label, base + ' avx2-fma')}`);
    }
    for (const n of NATIVES) {
      console.log(`  native ${n.label} 128-bit (portable, no FMA): ${spread(col(n.label + ' 128-bit'))}; avx2-fma: ${spread(col(n.label + ' avx2-fma'))}`);
    }
    for (let i = 1; i < DISTS.length; ++i) console.log(`  per round wasm ${DISTS[0].label} / ${DISTS[i].label}: ${ratio('wasm ' + DISTS[0].label, 'wasm ' + DISTS[i].label)}`);
    for (let i = 1; i < NATIVES.length; ++i) {
      for (const k of ['128-bit', 'avx2-fma']) console.log(`  per round native ${k} ${NATIVES[0].label} / ${NATIVES[i].label}: ${ratio(NATIVES[0].label + ' ' + k, NATIVES[i].label + ' ' + k)}`);
    }
  } finally {
    for (const w of workers) await w.close();
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
