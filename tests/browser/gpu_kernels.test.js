// The GPU worker (dist/gpu-source.js: web/gpu/*.wgsl + web/gpu/worker.js) in headless Chromium.
// With --enable-unsafe-webgpu Chromium offers SwiftShader (WebGPU on the CPU): the worker is
// started from a Blob URL on a blank page served with the page's strict CSP, probed, and run at
// small sizes on random inputs drawn here; every output is compared with a double-precision
// reference written below (independent of the core) within 1e-4 + 1e-4 |ref| (measured: at most
// 5e-7 off, from float32 sums of at most 256 terms over at most 70 steps). Shims put before the
// worker's source hide the timestamp queries (the wall-clock path) and destroy the device during a
// run (the lost-device path). Without the flag there is no adapter, and the probe must say so.
'use strict';
const { test, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');
const { DIST, serveWithBlankPage, requireDist } = require('./harness.js');

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];
// Two sizes: the small one has attention in one tile; the second walks several key tiles
// (K = 128: 16 keys a tile) in two workgroups of 64 queries, and spreads the scan over 8 workgroups.
const SMALL = { H: 8, K: 8, B: 3, Lc: 20, lengths: [4, 20, 37], repeats: 2 };
const WIDER = { H: 64, K: 128, B: 2, Lc: 70, lengths: [70], repeats: 1 };
// And the ends of the ranges: one unit and one step; the widest workgroups (H = K = 256: 8 keys a
// tile; Wh read from the storage buffer, where the others keep its columns in registers).
const TINY = { H: 1, K: 1, B: 2, Lc: 1, lengths: [1, 2], repeats: 1 };
const WIDEST = { H: 256, K: 256, B: 2, Lc: 11, lengths: [11], repeats: 1 };
const tolerance = (ref) => 1e-4 + 1e-4 * Math.abs(ref);

let site = null;
const browsers = [];
after(async () => {
  for (const b of browsers) await b.close();
  if (site) await site.close();
});

// Opens the blank page of a fresh Chromium (with `extraArgs`) and starts the GPU worker there,
// its source preceded by `prefix` (a test's shim). -> page with window.ask(message) resolving to
// {reply, progress: [..]}.
async function openWorker(extraArgs, prefix) {
  requireDist();
  if (!fs.existsSync(path.join(DIST, 'gpu-source.js'))) throw new Error('dist/gpu-source.js is missing: run ./build-wasm.sh');
  if (!site) site = await serveWithBlankPage();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS.concat(extraArgs) });
  browsers.push(browser);
  const page = await browser.newPage();
  const problems = [];
  // (the blank page has no favicon: Chromium's request for it is the one 404 to expect)
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 404/.test(m.text())) problems.push(m.text()); });
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(site.url + '__bench.html');
  await page.addScriptTag({ url: site.url + 'gpu-source.js' });
  await page.evaluate((before) => {
    const url = URL.createObjectURL(new Blob([before + self.RNN_LESSON_GPU_SOURCE], { type: 'text/javascript' }));
    const worker = new Worker(url, { name: 'gpu' });
    const pending = new Map();
    worker.onmessage = (e) => {
      const p = pending.get(e.data.id);
      if (!p) return;
      // web/bridge.js's protocol: the acknowledgement first, then progress, then {ok, result | error}.
      if (e.data.started) { p.started = !p.progress.length; return; }
      if ('progress' in e.data && !('ok' in e.data)) { p.progress.push(e.data.progress); return; }
      pending.delete(e.data.id);
      const reply = Object.assign({}, e.data);
      if (!p.started) reply.error = 'no acknowledgement before the reply';
      else if ((reply.ok === true) !== ('result' in reply) || (reply.ok === false) !== ('error' in reply)) reply.error = 'ok does not match the reply';
      p.resolve({ reply: reply, progress: p.progress });
    };
    worker.onerror = (e) => { for (const p of pending.values()) p.resolve({ reply: { error: 'worker error: ' + e.message }, progress: [] }); };
    worker.postMessage({ op: 'init', module: null });  // must be ignored
    let next = 1;
    window.ask = (message) => new Promise((resolve) => {
      const id = next++;
      pending.set(id, { resolve: resolve, progress: [] });
      worker.postMessage(Object.assign({ id: id }, message));
    });
  }, prefix || '');
  return { page, problems };
}

// A small deterministic generator (mulberry32); values rounded to float32 as the GPU sees them.
function generator(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function draw(rand, n, lo, hi) {
  return Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * rand()));
}

// References in double, straight from GPU.md's equations.
function rnnFinal({ H, Lc }, wh, drive, steps, offset) {
  let h = new Array(H).fill(0);
  for (let t = 0; t < steps; ++t) {
    const row = (t + offset) % Lc;
    h = h.map((_, j) => {
      let s = drive[row * H + j];
      for (let i = 0; i < H; ++i) s += h[i] * wh[i * H + j];
      return Math.tanh(s);
    });
  }
  return h;
}
function attention({ K, Lc }, q, k, v) {
  const y = [];
  for (let i = 0; i < Lc; ++i) {
    const s = [];
    for (let j = 0; j <= i; ++j) {
      let dot = 0;
      for (let c = 0; c < K; ++c) dot += q[i * K + c] * k[j * K + c];
      s.push(dot / Math.sqrt(K));
    }
    const m = Math.max(...s);
    const w = s.map((x) => Math.exp(x - m));
    const z = w.reduce((a, b) => a + b, 0);
    for (let c = 0; c < K; ++c) {
      let acc = 0;
      for (let j = 0; j <= i; ++j) acc += w[j] * v[j * K + c];
      y.push(acc / z);
    }
  }
  return y;
}
function scan({ H, Lc }, a, b) {
  const out = [];
  const h = new Array(H).fill(0);
  for (let t = 0; t < Lc; ++t) for (let c = 0; c < H; ++c) out.push(h[c] = a[t * H + c] * h[c] + b[t * H + c]);
  return out;
}

function near(name, got, want) {
  assert.equal(got.length, want.length, name + ': length');
  let worst = 0;
  for (let i = 0; i < want.length; ++i) {
    const err = Math.abs(got[i] - want[i]);
    assert.ok(Number.isFinite(got[i]) && err <= tolerance(want[i]), name + '[' + i + ']: GPU ' + got[i] + ' vs reference ' + want[i]);
    worst = Math.max(worst, err);
  }
  return worst;
}

test('with --enable-unsafe-webgpu the worker finds SwiftShader, and every kernel agrees with a double reference', { timeout: 120000 }, async () => {
  const { page, problems } = await openWorker(['--enable-unsafe-webgpu']);
  const probe = (await page.evaluate(() => window.ask({ op: 'probe' }))).reply;
  assert.equal(probe.error, undefined, 'probe error: ' + probe.error);
  assert.equal(probe.result.available, true);
  assert.equal(probe.result.adapter.architecture, 'swiftshader');
  assert.equal(probe.result.adapter.software, true);
  assert.ok(probe.result.limits.maxComputeInvocationsPerWorkgroup >= 256);
  assert.equal(typeof probe.result.timestampQuery, 'boolean');

  assert.equal((await checkRun(page, SMALL, 20261204)).method, probe.result.timestampQuery ? 'timestamp' : 'wall');
  await checkRun(page, WIDER, 7);
  await checkRun(page, TINY, 3);
  await checkRun(page, WIDEST, 5);

  // A request the worker cannot serve comes back as one sentence, not a throw.
  const bad = (await page.evaluate((msg) => window.ask(msg), { op: 'run', params: { hidden: 300, key_size: 8, batch: 1,
    lengths: [4], check_length: 4, repeats: 1 }, inputs: {} })).reply;
  assert.match(bad.error, /^GPU run: hidden must be an integer from 1 to 256/);
  assert.deepEqual(problems, []);
  assert.deepEqual(site.reports, [], 'no CSP violations');
});

async function checkRun(page, cfg, seed) {
  const { H, K, B, Lc } = cfg;
  const LENGTHS = cfg.lengths, REPEATS = cfg.repeats;
  const rand = generator(seed);
  const inputs = {
    rnn_wh: draw(rand, H * H, -1.2 / Math.sqrt(H), 1.2 / Math.sqrt(H)),
    rnn_drive: draw(rand, Lc * H, -1, 1),
    attention_q: draw(rand, Lc * K, -2, 2), attention_k: draw(rand, Lc * K, -2, 2), attention_v: draw(rand, Lc * K, -1, 1),
    scan_a: draw(rand, Lc * H, 0.5, 1), scan_b: draw(rand, Lc * H, -0.5, 0.5),
  };
  const params = { hidden: H, key_size: K, batch: B, lengths: LENGTHS, check_length: Lc, repeats: REPEATS };
  const { reply, progress } = await page.evaluate(async (msg) => {
    msg.inputs.rnn_wh = new Float64Array(msg.inputs.rnn_wh);  // typed arrays and plain arrays are both accepted
    const r = await window.ask(msg);
    if (r.reply.result) for (const k of Object.keys(r.reply.result.outputs)) r.reply.result.outputs[k] = Array.from(r.reply.result.outputs[k]);
    return r;
  }, { op: 'run', params: params, inputs: inputs });
  assert.equal(reply.error, undefined, 'run error: ' + reply.error);
  const res = reply.result;

  const out = res.outputs;
  const worst = {
    rnn_final: near('rnn_final', out.rnn_final, rnnFinal(cfg, inputs.rnn_wh, inputs.rnn_drive, Lc, 0)),
    rnn_per_step_final: near('rnn_per_step_final', out.rnn_per_step_final, rnnFinal(cfg, inputs.rnn_wh, inputs.rnn_drive, Lc, 0)),
    batch_final: near('batch_final', out.batch_final,
      [].concat(...Array.from({ length: B }, (_, b) => rnnFinal(cfg, inputs.rnn_wh, inputs.rnn_drive, Lc, b)))),
    attention_out: near('attention_out', out.attention_out, attention(cfg, inputs.attention_q, inputs.attention_k, inputs.attention_v)),
    scan_out: near('scan_out', out.scan_out, scan(cfg, inputs.scan_a, inputs.scan_b)),
  };
  console.log('H=' + H + ' K=' + K + ' B=' + B + ' Lc=' + Lc + ': largest |GPU - reference|: ' + JSON.stringify(worst));
  // The per-step kernel does the same sums in the same order as the persistent one.
  assert.deepEqual(out.rnn_per_step_final, out.rnn_final);

  assert.ok(['timestamp', 'wall'].includes(res.method));
  assert.ok(res.dispatch_us.n >= 5 && Number.isFinite(res.dispatch_us.median), 'dispatch_us: ' + JSON.stringify(res.dispatch_us));
  for (const name of ['rnn_persistent', 'rnn_per_step', 'rnn_batch', 'attention', 'scan']) {
    const rows = res.kernels[name];
    assert.deepEqual(rows.map((r) => r.length), LENGTHS, name + ': one row per length');
    for (const r of rows) {
      assert.equal(r.samples.length, REPEATS);
      assert.ok(r.samples.every((s) => s > 0 && Number.isFinite(s)), name + ' at ' + r.length + ': times ' + r.samples);
      assert.ok(r.ms.min <= r.ms.median && r.ms.median <= r.ms.max && r.ms.min > 0);
      assert.equal(r.dispatches, name === 'rnn_per_step' ? r.length : 1, name + ' dispatches at ' + r.length);
      assert.ok(Number.isInteger(r.in_pass) && r.in_pass >= 1 && r.in_pass <= 256, name + ' in_pass ' + r.in_pass);
    }
  }
  assert.deepEqual(res.workgroups.rnn_persistent, { count: 1, size: H, count_at_length: Lc, wh_in: H <= 128 ? 'registers' : 'storage' });
  assert.equal(res.workgroups.rnn_batch.count, B);
  assert.equal(res.workgroups.rnn_batch.size, H);
  assert.ok(res.workgroups.attention.size <= 256 && res.workgroups.scan.size <= 256);
  assert.equal(res.workgroups.attention.count, Math.ceil(Lc / res.workgroups.attention.queries_per_workgroup));
  assert.ok(progress.length >= 5 * LENGTHS.length && progress.every((p, i) => p > 0 && p <= 1 && (i === 0 || p >= progress[i - 1])));
  assert.equal(progress[progress.length - 1], 1);
  return res;
}


test('on an adapter without timestamp queries the worker times with the wall clock', { timeout: 120000 }, async () => {
  // SwiftShader has timestamp queries: this shim hides them from the worker.
  const shim = 'GPUSupportedFeatures.prototype.has = ((has) => function (f) { return f !== "timestamp-query" && has.call(this, f); })' +
    '(GPUSupportedFeatures.prototype.has);\n';
  const { page, problems } = await openWorker(['--enable-unsafe-webgpu'], shim);
  const probe = (await page.evaluate(() => window.ask({ op: 'probe' }))).reply;
  assert.equal(probe.result.timestampQuery, false);
  assert.equal((await checkRun(page, SMALL, 99)).method, 'wall');
  assert.deepEqual(problems, []);
});

test('a device lost during a run gives one error sentence, and the next request gets a new device', { timeout: 120000 }, async () => {
  // This shim keeps the worker's device and destroys it on {op:'lose'} (the worker itself answers
  // that unknown request with an error, which is ignored here).
  const shim = 'const requestDevice = GPUAdapter.prototype.requestDevice;\n' +
    'GPUAdapter.prototype.requestDevice = async function (d) { self.shimDevice = await requestDevice.call(this, d); return self.shimDevice; };\n' +
    'self.addEventListener("message", (e) => { if (e.data.op === "lose") self.shimDevice.destroy(); });\n';
  const { page, problems } = await openWorker(['--enable-unsafe-webgpu'], shim);
  const n = (k) => (k === 'rnn_wh' ? 64 * 64 : 256 * 64);
  const run = (await page.evaluate(async (sizes) => {
    const inputs = {};
    for (const [k, len] of Object.entries(sizes)) inputs[k] = new Float32Array(len).fill(0.25);
    const reply = window.ask({ op: 'run', params: { hidden: 64, key_size: 64, batch: 64, lengths: [1024], check_length: 256, repeats: 5 },
      inputs: inputs });
    await new Promise((r) => setTimeout(r, 300));
    window.ask({ op: 'lose' });
    return reply;
  }, Object.fromEntries(['rnn_wh', 'rnn_drive', 'attention_q', 'attention_k', 'attention_v', 'scan_a', 'scan_b'].map((k) => [k, n(k)])))).reply;
  assert.match(run.error || '', /^The GPU device was lost \(destroyed\)/, JSON.stringify(run).slice(0, 300));
  const probe = (await page.evaluate(() => window.ask({ op: 'probe' }))).reply;
  assert.equal(probe.result.available, true);
  assert.deepEqual(problems, []);
});

test('without the flag there is no adapter, and the probe says so', { timeout: 60000 }, async () => {
  const { page, problems } = await openWorker([]);
  const probe = (await page.evaluate(() => window.ask({ op: 'probe' }))).reply;
  assert.equal(probe.result.available, false);
  assert.equal(probe.result.reason, 'no-adapter');
  assert.equal(typeof probe.result.detail, 'string');
  const run = (await page.evaluate(() => window.ask({ op: 'run', params: {}, inputs: {} }))).reply;
  assert.match(run.error, /no adapter/);
  assert.deepEqual(problems, []);
});
