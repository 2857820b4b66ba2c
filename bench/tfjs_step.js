#!/usr/bin/env node
// Issue 15's comparison with TF.js: one step h <- tanh(h Wh + x_t Wx + b) of a float32 RNN over
// a sequence, timed in Chromium workers, our wasm module against TF.js 4.22.0's wasm backend
// (SIMD, without and with threads) and its cpu backend, at H = 512 and H = 32, D = 8 (the D of
// bench/step_protocol.js, which this script's H = 512 keeps: the module's work cap allows it).
// Figures, not a test. Needs ./build-wasm.sh (dist/).
//
// TF.js is NOT a dependency of the project: on first use this script installs the pinned
// packages into bench/.tfjs/ (gitignored) with
//   npm install --prefix bench/.tfjs --no-save @tensorflow/tfjs-core@4.22.0 \
//       @tensorflow/tfjs-backend-wasm@4.22.0 @tensorflow/tfjs-backend-cpu@4.22.0
// and serves their browser bundles from there. Nothing else reads that folder.
//
// Both sides run the same protocol, the module's timing experiment (bench/step_protocol.js:
// lengths 200, 500, 1000, 2000, 5 trials, 20 ms intervals, warm-up, median per length, the
// fitted slope in ns per step): ours is the module's own run('timing') in its worker (under the
// page's strict CSP, as bench/step_floor.js runs it); TF.js's is the same protocol re-written in
// JS (measureLengths below) around one forward pass. A pass of either starts from h = 0, does
// all the work of its L steps (input projection included) and reads the final state once.
// TF.js's pass, as a competent user writes it: one tf.tidy around the loop; the inputs as L
// tensors (1, D) made once, untimed, like the kata's list (slicing one (L, D) tensor row by row
// inside the pass costs O(L) per slice in the wasm backend: 8 s per pass at H = 512, L = 2000);
// per step, form 'concat' (3 ops): tanh(fused.matMul([h, x_t], [Wh; Wx], bias b)), or form 'add'
// (4 ops): tanh(add(matMul(h, Wh), fused.matMul(x_t, Wx, bias b))). tanh is not among TF.js's
// fused activations (linear, relu, relu6, prelu, leakyrelu, sigmoid, elu). A precomputed
// projection row p_t as the fused matMul's bias is no way out: the wasm backend caches its
// XNNPACK operator (the packed Wh) per (weights, bias) tensor pair, so a new bias every step
// repacks Wh every step. Weights and inputs are the module's (seed 42, drawn by a JS copy of its
// numpy-compatible generator), b = 0 as ours has none; the final states are checked against a
// double-precision reference (largest difference printed) and against the module's state_sum.
//
// Rounds are interleaved (each round runs every measurement once, the order rotating) and print
// the 1-minute load average; the summary gives medians, ranges and per-round ratios TF.js / ours.
//
//   node bench/tfjs_step.js [--rounds 7] [--sizes 512,32] [--step concat|add]
//        [--dist dist] (or label=dir,...: e.g. after=dist,before=/tmp/old-dist, each its own page)
//        [--configs wasm,wasm:add,wasm-threads,cpu] (backend[:form]; form defaults to --step)
//        [--cpu-max-h 64] (the cpu backend is skipped above this H: ~1 min per run at 512)
'use strict';

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const harness = require('../tests/browser/harness.js');
const { TIMING, timingWorker } = require('./step_protocol.js');

const ROOT = path.resolve(__dirname, '..');
const TFJS_VERSION = '4.22.0';
const TFJS_DIR = path.join(__dirname, '.tfjs');
const TFJS_PACKAGES = ['tfjs-core', 'tfjs-backend-wasm', 'tfjs-backend-cpu'];
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const ROUNDS = Number(option('rounds', 7));
const SIZES = option('sizes', '512,32').split(',').map(Number);
const STEP = option('step', 'concat');
// label=path,... (a bare path is its own label): e.g. after=dist,before=/tmp/old-dist.
const DISTS = option('dist', 'dist').split(',').map((x) => {
  const [label, dir] = x.includes('=') ? x.split('=') : ['ours', x];
  return { label, dir: path.resolve(ROOT, dir) };
});
const D = TIMING.input_size;
const SEED = 42;
const CONFIGS = {
  wasm: { label: 'tfjs wasm simd', backend: 'wasm', threads: 0 },
  'wasm-threads': { label: 'tfjs wasm simd threaded', backend: 'wasm', threads: 2 },
  cpu: { label: 'tfjs cpu', backend: 'cpu', threads: 0 },
};
// name[:form], e.g. wasm:add; the cpu backend only up to --cpu-max-h (at H = 512 one of its
// protocol runs takes about a minute).
const USED = option('configs', 'wasm,wasm:add,wasm-threads,cpu').split(',').map((spec) => {
  const [name, form = STEP] = spec.split(':');
  if (!CONFIGS[name] || !['concat', 'add'].includes(form)) throw new Error('unknown config ' + spec);
  return { ...CONFIGS[name], label: `${CONFIGS[name].label} ${form}`, form };
});
const CPU_MAX_H = Number(option('cpu-max-h', 64));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const spread = (xs, digits = 1) => `${median(xs).toFixed(digits)} [${Math.min(...xs).toFixed(digits)}-${Math.max(...xs).toFixed(digits)}]`;

function installTfjs() {
  const versionOf = (p) => {
    try { return JSON.parse(fs.readFileSync(path.join(TFJS_DIR, 'node_modules/@tensorflow', p, 'package.json'), 'utf8')).version; } catch { return null; }
  };
  if (TFJS_PACKAGES.every((p) => versionOf(p) === TFJS_VERSION)) return;
  fs.mkdirSync(TFJS_DIR, { recursive: true });
  // Its own package.json, so npm takes this folder as the project and never the repository's.
  fs.writeFileSync(path.join(TFJS_DIR, 'package.json'), '{ "private": true, "description": "TF.js for bench/tfjs_step.js only" }\n');
  console.log(`installing TF.js ${TFJS_VERSION} into ${path.relative(ROOT, TFJS_DIR)}/ (gitignored; not a project dependency)`);
  execFileSync('npm', ['install', '--prefix', TFJS_DIR, '--no-save', '--no-audit', '--no-fund',
    ...TFJS_PACKAGES.map((p) => `@tensorflow/${p}@${TFJS_VERSION}`)], { stdio: 'inherit' });
}

// numpy's legacy generator (MT19937, random_sample, polar-method gauss), as
// src/core/blocks/numpy_random.cpp: the module's weights and inputs, drawn the same way.
function numpyRandom(seed) {
  const mt = new Uint32Array(624);
  mt[0] = seed >>> 0;
  for (let i = 1; i < 624; ++i) mt[i] = (Math.imul(1812433253, mt[i - 1] ^ (mt[i - 1] >>> 30)) + i) >>> 0;
  let index = 624, cached = null;
  const twist = (a, b, c) => {
    const y = ((a & 0x80000000) | (b & 0x7fffffff)) >>> 0;
    return (c ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
  };
  const word = () => {
    if (index >= 624) {
      let k = 0;
      for (; k < 227; ++k) mt[k] = twist(mt[k], mt[k + 1], mt[k + 397]);
      for (; k < 623; ++k) mt[k] = twist(mt[k], mt[k + 1], mt[k - 227]);
      mt[623] = twist(mt[623], mt[0], mt[396]);
      index = 0;
    }
    let y = mt[index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  };
  const sample = () => ((word() >>> 5) * 67108864 + (word() >>> 6)) / 9007199254740992;
  return () => {
    if (cached !== null) { const g = cached; cached = null; return g; }
    let x1, x2, r2;
    do {
      x1 = 2 * sample() - 1;
      x2 = 2 * sample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt(-2 * Math.log(r2) / r2);
    cached = f * x1;
    return f * x2;
  };
}

// TanhRnn::draw and run_timing's inputs, rounded to float32 as the kernels use them:
// Wh (H, H) and Wx (D, H) row-major, then X (maxL, D), one row per step.
function drawData(H, maxL) {
  const randn = numpyRandom(SEED);
  const Wh = new Float32Array(H * H), Wx = new Float32Array(D * H), X = new Float32Array(maxL * D);
  for (let i = 0; i < H * H; ++i) Wh[i] = randn() * (0.5 / Math.sqrt(H));
  for (let i = 0; i < D * H; ++i) Wx[i] = randn() * (0.5 / Math.sqrt(D));
  for (let i = 0; i < maxL * D; ++i) X[i] = randn() * 0.1;
  return { Wh, Wx, X };
}

// Double-precision h after each length in `lengths` (same float32 weights and inputs).
function reference({ Wh, Wx, X }, H, lengths) {
  let h = new Float64Array(H), z = new Float64Array(H);
  const out = {};
  for (let t = 0; t < Math.max(...lengths); ++t) {
    z.fill(0);
    for (let d = 0; d < D; ++d) { const x = X[t * D + d]; for (let j = 0; j < H; ++j) z[j] += x * Wx[d * H + j]; }
    for (let i = 0; i < H; ++i) { const hi = h[i]; for (let j = 0; j < H; ++j) z[j] += hi * Wh[i * H + j]; }
    for (let j = 0; j < H; ++j) z[j] = Math.tanh(z[j]);
    [h, z] = [z, h];
    if (lengths.includes(t + 1)) out[t + 1] = Float64Array.from(h);
  }
  return out;
}

// The timing experiment's protocol (src/core/experiments/timing.cpp, measure_lengths) around
// runOnce(L): warm-up passes over every length for >= 20 ms (at most 1e9 multiply-adds),
// repeats per length grown until an interval lasts min_interval_ms, then `trials` rounds of
// one interval per length (round r starts at length r mod n), medians, least-squares slope.
// Runs inside the TF.js workers (sent as source).
function measureLengths(p, runOnce) {
  const clock = () => performance.now() * 1e-3;
  const H = p.hidden_size, n = p.lengths.length, minInterval = p.min_interval_ms * 1e-3;
  let sink = 0, macs = 0;
  const macsPerRound = p.lengths.reduce((s, l) => s + l * H * (H + p.input_size), 0);
  const start = clock();
  while (macs < 1e9) {
    for (const l of p.lengths) sink += runOnce(l);
    macs += macsPerRound;
    if (clock() - start >= 0.02) break;
  }
  const repeats = p.lengths.map((l) => {
    const max = Math.min(1e6, Math.max(1, Math.floor(2e8 / (l * H * (H + p.input_size)))));
    sink += runOnce(l);
    for (let count = 1; ;) {
      const t0 = clock();
      for (let k = 0; k < count; ++k) sink += runOnce(l);
      const dt = Math.max(0, clock() - t0);
      if (dt >= minInterval || count >= max) return count;
      const grow = dt > 0 ? Math.ceil(1.25 * minInterval / dt) : 10;
      count = Math.min(max, count * Math.min(100, Math.max(2, grow)));
    }
  });
  const perPass = p.lengths.map(() => []);
  for (let round = 0; round < p.trials; ++round) {
    for (let j = 0; j < n; ++j) {
      const i = (j + round) % n;
      const t0 = clock();
      for (let k = 0; k < repeats[i]; ++k) sink += runOnce(p.lengths[i]);
      perPass[i].push(Math.max(0, clock() - t0) * 1e3 / repeats[i]);
    }
  }
  const med = perPass.map((t) => { const s = [...t].sort((a, b) => a - b), m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; });
  const x = p.lengths, mx = x.reduce((a, b) => a + b) / n, my = med.reduce((a, b) => a + b) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; ++i) { sxy += (x[i] - mx) * (med[i] - my); sxx += (x[i] - mx) ** 2; syy += (med[i] - my) ** 2; }
  const slope = sxy / sxx, res = med.reduce((s, y, i) => s + (y - my - slope * (x[i] - mx)) ** 2, 0);
  return { ns_per_step: slope * 1e6, r_squared: syy > 0 ? 1 - res / syy : 1, median_ms: med, repeats, sink };
}

// The TF.js worker (sent as source): {op: 'init', backend, threads, H, D, lengths, step} loads
// TF.js and the data, -> {info, states: {L: final h}}; {op: 'time', params} -> measureLengths().
function tfjsWorker() {
  let tf, run;
  const reply = (x) => self.postMessage(x);
  self.onmessage = async ({ data: m }) => {
    try {
      if (m.op === 'init') reply(await init(m));
      else reply(measureLengths(m.params, run));  // eslint-disable-line no-undef
    } catch (e) { reply({ error: String((e && e.stack) || (e && e.message) || e) }); }
  };
  async function init(m) {
    importScripts('/tfjs/tf-core.min.js', '/tfjs/tf-backend-cpu.min.js', '/tfjs/tf-backend-wasm.min.js');
    tf = self.tf;
    if (m.backend === 'wasm') {
      tf.wasm.setWasmPaths('/tfjs/');
      if (m.threads) tf.wasm.setThreadsCount(m.threads);
      else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);  // the single-threaded SIMD binary
    }
    if (!(await tf.setBackend(m.backend))) throw new Error('setBackend ' + m.backend + ' failed');
    await tf.ready();
    const { H, D } = m, maxL = Math.max(...m.lengths);
    const all = new Float32Array(await (await fetch('/data-' + H + '.bin')).arrayBuffer());
    const Wh = tf.tensor2d(all.subarray(0, H * H), [H, H]);
    const Wx = tf.tensor2d(all.subarray(H * H, H * H + D * H), [D, H]);
    const W = tf.concat([Wh, Wx], 0);  // (H + D, H): [h, x_t] W = h Wh + x_t Wx
    const b = tf.zeros([H]), h0 = tf.zeros([1, H]);
    // The inputs as L tensors (1, D), made once like the kata's list of inputs (slicing one
    // (L, D) or (L, H) tensor row by row in the pass costs O(L) per slice in the wasm backend).
    const xs = [];
    for (let t = 0; t < maxL; ++t) xs.push(tf.tensor2d(all.subarray(H * H + D * H + t * D, H * H + D * H + (t + 1) * D), [1, D]));
    const step = {
      // 3 ops: concat, matMul with its bias, tanh.
      concat: (h, t) => tf.tanh(tf.fused.matMul({ a: tf.concat([h, xs[t]], 1), b: W, bias: b })),
      // 4 ops: the two products, add, tanh (the bias in x_t's product).
      add: (h, t) => tf.tanh(tf.add(tf.matMul(h, Wh), tf.fused.matMul({ a: xs[t], b: Wx, bias: b }))),
    }[m.step];
    const pass = (L) => {
      const h = tf.tidy(() => {
        let h = h0;
        for (let t = 0; t < L; ++t) h = step(h, t);
        return h;
      });
      const v = h.dataSync();
      h.dispose();
      return v;
    };
    run = (L) => pass(L).reduce((s, v) => s + v, 0);
    const states = {};
    for (const L of m.lengths) states[L] = Array.from(pass(L));
    const info = { backend: tf.getBackend(), version: tf.version_core, crossOriginIsolated: self.crossOriginIsolated };
    if (m.backend === 'wasm') {
      info.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
      info.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
      info.threads = tf.wasm.getThreadsCount();
    }
    return { info, states };
  }
}

// TF.js's page: same origin as its bundles, cross-origin isolated (COOP + COEP) so the
// threaded binary can have SharedArrayBuffer; no CSP (the threaded backend loads its pthread
// workers' script from Blob URLs).
function serveTfjs(datasets) {
  const files = {};
  for (const p of TFJS_PACKAGES) {
    const dir = path.join(TFJS_DIR, 'node_modules/@tensorflow', p, 'dist');
    for (const f of fs.readdirSync(dir)) if (/\.(min\.js|wasm)$/.test(f) && !f.includes('es2017') && !f.includes('fesm')) files['/tfjs/' + f] = path.join(dir, f);
  }
  const source = `'use strict';\n${measureLengths.toString()}\n(${tfjsWorker.toString()})();\n`;
  return harness.serve(TFJS_DIR, (req, res) => {
    const url = req.url.split('?')[0];
    const head = (type) => ({ 'Content-Type': type, 'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp', 'Cross-Origin-Resource-Policy': 'same-origin', 'Cache-Control': 'no-store' });
    if (url === '/tfjs.html') res.writeHead(200, head('text/html; charset=utf-8')).end('<!doctype html><title>tfjs</title><body></body>');
    else if (url === '/tfjs-worker.js') res.writeHead(200, head('text/javascript')).end(source);
    else if (datasets[url]) res.writeHead(200, head('application/octet-stream')).end(datasets[url]);
    else if (files[url]) res.writeHead(200, head(url.endsWith('.wasm') ? 'application/wasm' : 'text/javascript')).end(fs.readFileSync(files[url]));
    else res.writeHead(404).end('not found');
    return true;
  });
}

// One TF.js worker in the TF.js page: -> {info, states, run(params)}.
async function tfjsRunner(page, key, init) {
  const call = (message) => page.evaluate(([k, msg]) => new Promise((resolve, reject) => {
    const w = window.__workers[k] || (window.__workers[k] = new Worker('/tfjs-worker.js'));
    w.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data));
    w.onerror = (e) => reject(new Error(e.message));
    w.postMessage(msg);
  }), [key, message]);
  const { info, states } = await call({ op: 'init', ...init });
  return { info, states, run: (params) => call({ op: 'time', params }) };
}


(async () => {
  installTfjs();
  const datasets = {}, refs = {};
  const maxL = Math.max(...TIMING.lengths);
  for (const H of SIZES) {
    const data = drawData(H, maxL);
    const all = new Float32Array(data.Wh.length + data.Wx.length + data.X.length);
    all.set(data.Wh);
    all.set(data.Wx, data.Wh.length);
    all.set(data.X, data.Wh.length + data.Wx.length);
    datasets['/data-' + H + '.bin'] = Buffer.from(all.buffer);
    refs[H] = reference(data, H, TIMING.lengths);
  }
  const { browser } = await harness.launch();
  const tfServer = await serveTfjs(datasets);
  const tfContext = await browser.newContext();
  const tfPage = await tfContext.newPage();
  await tfPage.goto(tfServer.url + 'tfjs.html');
  await tfPage.evaluate(() => { window.__workers = {}; });
  const ours = [];
  for (const d of DISTS) ours.push({ ...d, ...(await timingWorker(browser, d.dir))  /* our module's worker, strict CSP */ });
  try {
    console.log(`RNN step, ours (${DISTS.map((d) => `${d.label}=${path.relative(ROOT, d.dir)}`)}) vs TF.js ${TFJS_VERSION}, Chromium workers; ` +
      `D=${D}, lengths ${TIMING.lengths}, ${TIMING.trials} trials, ${TIMING.min_interval_ms} ms intervals; ${ROUNDS} rounds; ` +
      `${new Date().toISOString()}, ${os.cpus()[0].model}, ${os.cpus().length} CPUs`);
    const jobs = [];
    for (const H of SIZES) {
      const params = { ...TIMING, hidden_size: H };
      const sums = Object.fromEntries(TIMING.lengths.map((L) => [L, refs[H][L].reduce((a, b) => a + b, 0)]));
      let warm;
      for (const o of ours) {
        warm = await o.run(params);  // warm-up, not counted; its state_sum is checked
        const diff = Math.max(...TIMING.lengths.map((L, i) => Math.abs(warm.state_sum[i] - sums[L])));
        console.log(`H=${H}: ${o.label}: |state_sum - double reference| <= ${diff.toExponential(2)} over the lengths`);
        jobs.push({ key: `${o.label} H=${H}`, H, run: async () => (await o.run(params)).ns_per_step });
      }
      for (const c of USED.filter((c) => c.backend !== 'cpu' || H <= CPU_MAX_H)) {
        const key = `${c.label} H=${H}`;
        const r = await tfjsRunner(tfPage, key, { backend: c.backend, threads: c.threads, H, D, lengths: TIMING.lengths, step: c.form });
        let diff = 0;
        for (const L of TIMING.lengths) r.states[L].forEach((v, j) => { diff = Math.max(diff, Math.abs(v - refs[H][L][j])); });
        const sumDiff = Math.max(...TIMING.lengths.map((L, i) => Math.abs(r.states[L].reduce((a, b) => a + b, 0) - warm.state_sum[i])));
        console.log(`  ${c.label}: ${JSON.stringify(r.info)}; largest |h - double reference| ${diff.toExponential(2)}, ` +
          `|sum(h) - ${ours[ours.length - 1].label}'s state_sum| <= ${sumDiff.toExponential(2)}`);
        await r.run(params);  // warm-up, not counted
        jobs.push({ key, H, run: async () => (await r.run(params)).ns_per_step });
      }
    }
    const rows = [];
    for (let round = 0; round < ROUNDS; ++round) {
      const row = { load: os.loadavg()[0] };
      for (let i = 0; i < jobs.length; ++i) {
        const job = jobs[(i + round) % jobs.length];
        row[job.key] = await job.run();
      }
      rows.push(row);
      console.log(`  round ${round + 1} (load ${row.load.toFixed(2)}): ` + jobs.map((j) => `${j.key} ${row[j.key].toFixed(0)}`).join(', ') + ' ns/step');
    }
    const col = (k) => rows.map((r) => r[k]);
    console.log(`summary, ns/step median [range] over ${ROUNDS} rounds; load average (1 min) ${spread(col('load'), 2)}:`);
    for (const H of SIZES) {
      const tf = USED.map((c) => `${c.label} H=${H}`).filter((k) => rows[0][k] !== undefined);
      for (const { label } of DISTS) {
        const o = `${label} H=${H}`;
        console.log(`  H=${H}: ${label} ${spread(col(o))}`);
        for (const k of tf) console.log(`    ${k.replace(/ H=\d+$/, '')}: ${spread(col(k))}; per round TF.js / ${label} ${spread(rows.map((r) => r[k] / r[o]), 2)}`);
        console.log(`    TF.js's fastest per round / ${label}: ${spread(rows.map((r) => Math.min(...tf.map((k) => r[k])) / r[o]), 2)}`);
      }
      for (let i = 1; i < DISTS.length; ++i) {
        const a = `${DISTS[0].label} H=${H}`, b = `${DISTS[i].label} H=${H}`;
        console.log(`    per round ${DISTS[0].label} / ${DISTS[i].label}: ${spread(rows.map((r) => r[a] / r[b]), 3)}`);
      }
    }
  } finally {
    for (const o of ours) await o.close();
    await tfContext.close();
    await tfServer.close();
    await browser.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
