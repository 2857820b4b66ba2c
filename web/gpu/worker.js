// The GPU worker of experiment 9 "gpu" (issue 13): runs the WGSL kernels of web/gpu/ with
// WebGPU, checks them once at the check length Lc, then times each kernel at each length.
// A classic worker script started from a Blob URL: no modules, no imports, no eval (the page's
// CSP forbids them). build-wasm.sh puts `const WGSL = {name: source, ...}` before this file.
// Messages: {op:'probe', id}, {op:'run', id, params, inputs}; {op:'init'} is ignored (the page may send it).
// Replies (web/bridge.js's protocol, so the page's watchdog follows a run): {id, started: true}
// first, then {id, progress} (after every run of a kernel), then {id, ok: true, result} or
// {id, ok: false, error: one sentence}; nothing is thrown out.
'use strict';
/* global WGSL */

const KERNELS = ['rnn_persistent', 'rnn_per_step', 'rnn_batch', 'attention', 'scan'];
const DISPATCH_N = 1024;  // empty-kernel dispatches per pass when timing the per-dispatch cost
// Browsers coarsen both clocks (performance.now to 0.1 ms here; Chrome rounds timestamp queries to
// 0.1 ms unless its developer features are on), so a run shorter than this is recorded several
// times in one pass and its time divided by that count (the `in_pass` of a row).
const TARGET_MS = 4;
const MAX_IN_PASS = 256;
let gpu = null;          // {adapter, device, adapterInfo, timestamp, lost: null or a sentence}
let chain = Promise.resolve();  // one request at a time, in order

self.onmessage = (e) => {
  const m = e.data;
  if (!m || typeof m !== 'object' || m.op === 'init') return;
  chain = chain.then(() => handle(m));
};

async function handle(m) {
  const id = m.id;
  self.postMessage({ id: id, started: true });
  try {
    if (m.op === 'probe') self.postMessage({ id: id, ok: true, result: await probe() });
    else if (m.op === 'run') self.postMessage({ id: id, ok: true, result: await run(id, m.params || {}, m.inputs || {}) });
    else self.postMessage({ id: id, ok: false, error: 'The GPU worker has no request called "' + m.op + '".' });
  } catch (err) {
    self.postMessage({ id: id, ok: false, error: sentence(err) });
  }
}

function sentence(err) {
  let s = String((err && err.message) || err || 'unknown error').trim().replace(/\s+/g, ' ');
  if (!/[.!?]$/.test(s)) s += '.';
  return s.charAt(0).toUpperCase() + s.slice(1);
}

// --- adapter and device ---------------------------------------------------------------------

async function describe(adapter) {
  let info = adapter.info;
  if (!info && typeof adapter.requestAdapterInfo === 'function') {
    try { info = await adapter.requestAdapterInfo(); } catch (e) { info = null; }
  }
  info = info || {};
  const out = { vendor: info.vendor || '', architecture: info.architecture || '', device: info.device || '',
    description: info.description || '', isFallbackAdapter: Boolean(info.isFallbackAdapter || adapter.isFallbackAdapter) };
  const text = [out.vendor, out.architecture, out.device, out.description].join(' ').toLowerCase();
  out.software = out.isFallbackAdapter || /swiftshader|llvmpipe/.test(text);
  return out;
}

// Resolves to {gpu} or {unavailable: {available:false, reason, detail}}. The device keeps
// WebGPU's default limits (the kernels are sized for them) and asks for timestamp queries when
// the adapter has them. A lost device is replaced at the next request.
async function open() {
  if (gpu && !gpu.lost) return { gpu: gpu };
  const no = (reason, detail) => ({ unavailable: { available: false, reason: reason, detail: detail } });
  if (!self.navigator || !navigator.gpu) return no('no-webgpu', 'This browser offers no WebGPU to workers (navigator.gpu is missing).');
  let adapter = null;
  try { adapter = await navigator.gpu.requestAdapter(); } catch (e) { adapter = null; }
  if (!adapter) return no('no-adapter', 'WebGPU is present but the browser gave no adapter (no usable GPU, or WebGPU is turned off).');
  const timestamp = adapter.features.has('timestamp-query');
  let device = null;
  try {
    device = await adapter.requestDevice({ requiredFeatures: timestamp ? ['timestamp-query'] : [] });
  } catch (e) {
    return no('no-device', 'The adapter refused a device: ' + sentence(e));
  }
  const g = { adapter: adapter, device: device, adapterInfo: await describe(adapter), timestamp: timestamp, lost: null };
  // One promise that fails when the device is lost, raced by every wait (handled here once, so a
  // loss while idle is no unhandled rejection).
  g.failOnLoss = device.lost.then((info) => {
    g.lost = 'The GPU device was lost (' + (info.reason || 'unknown') + '): ' + sentence(info.message);
    throw new Error(g.lost);
  });
  g.failOnLoss.catch(() => {});
  gpu = g;
  return { gpu: g };
}

async function probe() {
  const o = await open();
  if (o.unavailable) return o.unavailable;
  const l = o.gpu.device.limits;
  return { available: true, adapter: o.gpu.adapterInfo, timestampQuery: o.gpu.timestamp,
    limits: { maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup, maxComputeWorkgroupSizeX: l.maxComputeWorkgroupSizeX,
      maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize, maxComputeWorkgroupsPerDimension: l.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: l.maxStorageBufferBindingSize } };
}

// Waits for `promise` unless the device is lost first (a lost device may never settle it).
function wait(g, promise) {
  return Promise.race([promise, g.failOnLoss]);
}

// --- sizes, inputs, buffers -------------------------------------------------------------------

function checkParams(params, inputs, limits) {
  const int = (name, lo, hi) => {
    const v = params[name];
    if (!Number.isInteger(v) || v < lo || v > hi) throw new Error('GPU run: ' + name + ' must be an integer from ' + lo + ' to ' + hi + ', not ' + v);
    return v;
  };
  const maxWg = Math.min(256, limits.maxComputeInvocationsPerWorkgroup, limits.maxComputeWorkgroupSizeX);
  const P = { H: int('hidden', 1, maxWg), K: int('key_size', 1, 256), B: int('batch', 1, Math.min(1024, limits.maxComputeWorkgroupsPerDimension)),
    Lc: int('check_length', 1, 2048), repeats: int('repeats', 1, 50) };
  const lengths = params.lengths;
  if (!Array.isArray(lengths) && !ArrayBuffer.isView(lengths)) throw new Error('GPU run: lengths must be a list of integers');
  P.lengths = Array.from(lengths);
  if (P.lengths.length < 1 || P.lengths.length > 12 || !P.lengths.every((L) => Number.isInteger(L) && L >= 1 && L <= 16384)) {
    throw new Error('GPU run: lengths must be 1 to 12 integers from 1 to 16384');
  }
  const want = { rnn_wh: P.H * P.H, rnn_drive: P.Lc * P.H, attention_q: P.Lc * P.K, attention_k: P.Lc * P.K,
    attention_v: P.Lc * P.K, scan_a: P.Lc * P.H, scan_b: P.Lc * P.H };
  P.inputs = {};
  for (const name of Object.keys(want)) {
    const x = inputs[name];
    if (!x || typeof x.length !== 'number' || x.length !== want[name]) {
      throw new Error('GPU run: input ' + name + ' must hold ' + want[name] + ' numbers, not ' + (x && x.length));
    }
    P.inputs[name] = Float32Array.from(x);
  }
  const biggest = 4 * Math.max(...P.lengths, P.Lc) * Math.max(P.H, P.K);  // attention's or the scan's output
  const cap = Math.min(limits.maxStorageBufferBindingSize, limits.maxBufferSize);
  if (biggest > cap) throw new Error('GPU run: an output of ' + biggest + ' bytes exceeds this adapter\'s buffer limit of ' + cap + ' bytes');
  return P;
}

// Attention's tiles: TQ = 64 queries per workgroup (one per invocation) and as many keys per tile
// (<= 64) as fit twice (keys and values) in the workgroup memory.
function attentionShape(K, limits) {
  const words = Math.floor(limits.maxComputeWorkgroupStorageSize / 4);
  return { TQ: 64, TK: Math.max(1, Math.min(64, Math.floor(words / (2 * K)))), WG: 64 };
}

// The scan's workgroup: CW neighbouring channels (a power of two up to 8) x P = 256/CW chunks.
function scanShape(H) {
  let CW = 1;
  while (CW * 2 <= Math.min(H, 8)) CW *= 2;
  return { CW: CW, P: 256 / CW, WG: 256 };
}

function buffer(g, bytes, usage, data) {
  const buf = g.device.createBuffer({ size: Math.max(16, Math.ceil(bytes / 4) * 4), usage: usage });
  if (data) g.device.queue.writeBuffer(buf, 0, data);
  return buf;
}
const STORAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC;
const uniform = (g, words) => buffer(g, 4 * words.length, GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST, new Uint32Array(words));

// A kernel whose WGSL is another's: the batch is the one-sequence kernel on B workgroups.
const SOURCE = { rnn_batch: 'rnn_persistent' };

async function pipelines(g, P) {
  const l = g.device.limits;
  const regs = P.H <= 128;  // Wh's columns in private memory (see rnn_persistent.wgsl)
  const rnn = { H: P.H, H2: 2 * P.H, WH_REGS: regs ? 1 : 0 };
  const at = attentionShape(P.K, l);
  const sc = scanShape(P.H);
  const constants = {
    rnn_persistent: rnn, rnn_batch: rnn, rnn_per_step: { H: P.H }, empty: {},
    attention: { TQ: at.TQ },
    scan: { CW: sc.CW, P: sc.P, WG: sc.WG },
  };
  const out = { attentionShape: at, scanShape: sc, whInRegisters: regs };
  for (const name of Object.keys(constants)) {
    // Sizes of private arrays must be constants: written into the kernels' `const` lines.
    const code = WGSL[SOURCE[name] || name].replace(/^const K: u32 = \d+u;/m, 'const K: u32 = ' + P.K + 'u;')
      .replace(/^const TK: u32 = \d+u;/m, 'const TK: u32 = ' + at.TK + 'u;').replace(/^const HC: u32 = \d+u;/m, 'const HC: u32 = ' + (regs ? P.H : 1) + 'u;');
    const module = g.device.createShaderModule({ code: code, label: name });
    try {
      out[name] = await wait(g, g.device.createComputePipelineAsync({ layout: 'auto', label: name,
        compute: { module: module, entryPoint: 'main', constants: constants[name] } }));
    } catch (e) {
      throw new Error('The GPU could not build the ' + name + ' kernel: ' + sentence(e));
    }
  }
  return out;
}

// One kernel at one length: its buffers and bind group, how to record one run, where its output
// is, and how many dispatches and workgroups a run takes.
function instance(g, pipes, inp, P, name, L) {
  const d = g.device;
  const own = [];
  const keep = (b) => { own.push(b); return b; };
  const bind = (entries) => d.createBindGroup({ layout: pipes[name].getBindGroupLayout(0),
    entries: entries.map((b, i) => ({ binding: i, resource: { buffer: b } })) });
  const one = (wgs) => (pass) => { pass.setPipeline(pipes[name]); pass.setBindGroup(0, group); pass.dispatchWorkgroups(wgs); };
  let group, out, it;
  if (name === 'rnn_persistent' || name === 'rnn_batch') {
    const count = name === 'rnn_batch' ? P.B : 1;
    out = keep(buffer(g, 4 * count * P.H, STORAGE()));
    group = bind([keep(uniform(g, [L, P.Lc])), inp.rnn_wh, inp.rnn_drive, out]);
    it = { encode: one(count), dispatches: 1, workgroups: count, size: P.H, words: count * P.H };
  } else if (name === 'rnn_per_step') {
    out = keep(buffer(g, 8 * P.H, STORAGE()));
    const step = keep(buffer(g, 4, STORAGE()));
    group = bind([keep(uniform(g, [P.Lc])), inp.rnn_wh, inp.rnn_drive, out, step]);
    it = { dispatches: L, workgroups: 1, size: P.H, words: 2 * P.H,
      before: (enc) => { enc.clearBuffer(out); enc.clearBuffer(step); },
      encode: (pass) => {
        pass.setPipeline(pipes[name]);
        pass.setBindGroup(0, group);
        for (let t = 0; t < L; ++t) pass.dispatchWorkgroups(1);
      } };
  } else if (name === 'attention') {
    const at = pipes.attentionShape;
    const count = Math.ceil(L / at.TQ);
    out = keep(buffer(g, 4 * L * P.K, STORAGE()));
    group = bind([keep(uniform(g, [L, P.Lc])), inp.attention_q, inp.attention_k, inp.attention_v, out]);
    it = { encode: one(count), dispatches: 1, workgroups: count, size: at.WG, words: L * P.K };
  } else if (name === 'scan') {
    const count = Math.ceil(P.H / pipes.scanShape.CW);
    out = keep(buffer(g, 4 * L * P.H, STORAGE()));
    group = bind([keep(uniform(g, [P.H, L, P.Lc])), inp.scan_a, inp.scan_b, out]);
    it = { encode: one(count), dispatches: 1, workgroups: count, size: pipes.scanShape.WG, words: L * P.H };
  }
  it.out = out;
  it.destroy = () => own.forEach((b) => b.destroy());
  return it;
}

function emptyInstance(pipes, n) {
  return { encode: (pass) => { pass.setPipeline(pipes.empty); for (let i = 0; i < n; ++i) pass.dispatchWorkgroups(1); } };
}

// --- running and timing -----------------------------------------------------------------------

// Records and submits one run; resolves to its time in ms: the pass's timestamps where the
// device has timestamp queries, else the wall clock from queue.submit to onSubmittedWorkDone.
// `inner` runs in one pass: the time returned is the pass's over `inner` (the per-step kernel's
// counter just runs on past L; its rows are taken mod Lc, so every step costs the same).
async function timeOnce(g, it, ts, inner) {
  const n = inner || 1;
  const enc = g.device.createCommandEncoder();
  if (it.before) it.before(enc);
  const pass = enc.beginComputePass(ts ? { timestampWrites: { querySet: ts.set, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } } : {});
  for (let r = 0; r < n; ++r) it.encode(pass);
  pass.end();
  if (ts) {
    enc.resolveQuerySet(ts.set, 0, 2, ts.resolve, 0);
    enc.copyBufferToBuffer(ts.resolve, 0, ts.read, 0, 16);
  }
  const commands = enc.finish();
  const t0 = performance.now();
  g.device.queue.submit([commands]);
  await wait(g, g.device.queue.onSubmittedWorkDone());
  const wall = performance.now() - t0;
  if (!ts) return wall / n;
  await wait(g, ts.read.mapAsync(GPUMapMode.READ));
  const stamps = new BigUint64Array(ts.read.getMappedRange().slice(0));
  ts.read.unmap();
  return Number(stamps[1] - stamps[0]) / 1e6 / n;
}

async function readBack(g, src, words) {
  const read = g.device.createBuffer({ size: 4 * words, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const enc = g.device.createCommandEncoder();
    enc.copyBufferToBuffer(src, 0, read, 0, 4 * words);
    g.device.queue.submit([enc.finish()]);
    await wait(g, read.mapAsync(GPUMapMode.READ));
    return new Float32Array(read.getMappedRange().slice(0));
  } finally {
    read.destroy();
  }
}

function summary(samples) {
  const s = samples.slice().sort((a, b) => a - b);
  const n = s.length;
  return { median: n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2, min: s[0], max: s[n - 1] };
}

// Fails with the first validation or out-of-memory error of `body`, as a sentence.
async function scoped(g, what, body) {
  g.device.pushErrorScope('out-of-memory');
  g.device.pushErrorScope('validation');
  let value, thrown = null;
  try { value = await body(); } catch (e) { thrown = e; }
  const pop = () => g.device.popErrorScope().catch(() => null);  // fails only on a lost device
  const [validation, memory] = [await pop(), await pop()];
  if (g.lost) throw new Error(g.lost);
  if (thrown) throw thrown;
  const err = validation || memory;
  if (err) throw new Error('The GPU refused ' + what + ': ' + sentence(err));
  return value;
}

async function run(id, params, inputs) {
  const o = await open();
  if (o.unavailable) throw new Error(o.unavailable.detail);
  const g = o.gpu;
  const P = checkParams(params, inputs, g.device.limits);
  const owned = [];
  const progress = { done: 0, total: 2 + KERNELS.length * P.lengths.length };
  const report = (part) => self.postMessage({ id: id, progress: (progress.done + part) / progress.total });
  const step = () => { progress.done += 1; report(0); };
  try {
    const inp = {};
    const pipes = await scoped(g, 'the kernels or their inputs', async () => {
      for (const name of Object.keys(P.inputs)) owned.push(inp[name] = buffer(g, 4 * P.inputs[name].length, STORAGE(), P.inputs[name]));
      return pipelines(g, P);
    });
    let ts = null;
    if (g.timestamp) {
      ts = { set: g.device.createQuerySet({ type: 'timestamp', count: 2 }),
        resolve: buffer(g, 16, GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC),
        read: buffer(g, 16, GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST) };
      owned.push(ts.set, ts.resolve, ts.read);
    }
    // The per-dispatch cost: passes of DISPATCH_N empty dispatches against passes of one. Taken
    // first, on an idle device: on SwiftShader, measured right after the check's large kernels it
    // came out 40-80 us instead of 7-12 us (its CPU threads still busy or waking up).
    const many = emptyInstance(pipes, DISPATCH_N);
    const single = emptyInstance(pipes, 1);
    await timeOnce(g, many, ts);
    const dispatchSamples = [];
    for (let r = 0; r < Math.max(5, P.repeats); ++r) {
      const t1 = await timeOnce(g, single, ts);
      const tn = await timeOnce(g, many, ts);
      dispatchSamples.push(1000 * (tn - t1) / (DISPATCH_N - 1));
    }
    const dispatch = summary(dispatchSamples);
    dispatch.n = dispatchSamples.length;
    step();
    // The check at L = Lc: the outputs the page compares with the core's references.
    const outputs = {};
    const picks = { rnn_persistent: 'rnn_final', rnn_per_step: 'rnn_per_step_final', rnn_batch: 'batch_final', attention: 'attention_out', scan: 'scan_out' };
    const workgroups = {};
    for (const name of KERNELS) {
      await scoped(g, 'the ' + name + ' kernel at the check length', async () => {
        const it = instance(g, pipes, inp, P, name, P.Lc);
        try {
          await timeOnce(g, it, null);
          let out = await readBack(g, it.out, it.words);
          if (name === 'rnn_per_step') out = out.slice((P.Lc % 2) * P.H, (P.Lc % 2 + 1) * P.H);  // h_{Lc-1}'s half
          outputs[picks[name]] = out;
          if (name !== 'rnn_per_step') workgroups[name] = { count: it.workgroups, size: it.size, count_at_length: P.Lc };
        } finally { it.destroy(); }
      });
    }
    workgroups.attention.queries_per_workgroup = pipes.attentionShape.TQ;
    workgroups.attention.keys_per_tile = pipes.attentionShape.TK;
    workgroups.scan.channels_per_workgroup = pipes.scanShape.CW;
    workgroups.scan.chunks_per_channel = pipes.scanShape.P;
    workgroups.rnn_persistent.wh_in = pipes.whInRegisters ? 'registers' : 'storage';
    step();
    // The timings: per kernel and length, one warm-up run then `repeats` timed runs.
    const kernels = {};
    for (const name of KERNELS) {
      kernels[name] = [];
      for (const L of P.lengths) {
        const row = await scoped(g, 'the ' + name + ' kernel at length ' + L, async () => {
          const it = instance(g, pipes, inp, P, name, L);
          try {
            const warm = await timeOnce(g, it, ts);  // also compiles anything left to compile
            report(1 / (P.repeats + 1));
            const inner = Math.max(1, Math.min(MAX_IN_PASS, Math.floor(65536 / it.dispatches), Math.ceil(TARGET_MS / Math.max(warm, 0.01))));
            const samples = [];
            for (let r = 0; r < P.repeats; ++r) {
              samples.push(await timeOnce(g, it, ts, inner));
              if (r + 1 < P.repeats) report((r + 2) / (P.repeats + 1));
            }
            return { length: L, ms: summary(samples), samples: samples, dispatches: it.dispatches, workgroups: it.workgroups, in_pass: inner };
          } finally { it.destroy(); }
        });
        kernels[name].push(row);
        step();
      }
    }
    return { method: ts ? 'timestamp' : 'wall', dispatch_us: dispatch, kernels: kernels, workgroups: workgroups, outputs: outputs };
  } finally {
    owned.forEach((b) => b.destroy());
  }
}
