#!/usr/bin/env node
// Experiment 9's GPU worker (dist/gpu-source.js) timed in Debian's headless Chromium with
// --enable-unsafe-webgpu, i.e. on SwiftShader: WebGPU run on this machine's CPU, so the figures
// say how long the page's run takes here, not how fast any GPU is. Prints the adapter, how the
// kernels were timed, the per-dispatch cost of the empty kernel, each kernel's median time per
// length, and the wall time of the whole run request (the check at Lc included) as the page
// would see it. Inputs are uniform random numbers (the kernels' cost does not depend on them).
// Needs ./build-wasm.sh first.
//
//   node bench/gpu.js [--hidden 64] [--key 64] [--batch 32] [--check 256] [--repeats 5]
//                     [--lengths 16,64,256,1024]
'use strict';

const harness = require('../tests/browser/harness.js');
const { chromium } = require('playwright-core');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const params = {
  hidden: Number(option('hidden', 64)), key_size: Number(option('key', 64)), batch: Number(option('batch', 32)),
  check_length: Number(option('check', 256)), repeats: Number(option('repeats', 5)),
  lengths: option('lengths', '16,64,256,1024').split(',').map(Number),
};

async function main() {
  harness.requireDist();
  const site = await harness.serveWithBlankPage();
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--enable-unsafe-webgpu'] });
  try {
    const page = await browser.newPage();
    await page.goto(site.url + '__bench.html');
    await page.addScriptTag({ url: site.url + 'gpu-source.js' });
    const out = await page.evaluate(async (p) => {
      const worker = new Worker(URL.createObjectURL(new Blob([self.RNN_LESSON_GPU_SOURCE], { type: 'text/javascript' })));
      const ask = (msg) => new Promise((resolve) => {
        // bridge.js's protocol: {started}, then {progress}s, then {ok, result | error}.
        worker.onmessage = (e) => { if ('ok' in e.data) resolve(e.data); };
        worker.postMessage(msg);
      });
      const probe = await ask({ op: 'probe', id: 1 });
      const n = (k) => (k === 'rnn_wh' ? p.hidden * p.hidden : ['attention_q', 'attention_k', 'attention_v'].includes(k)
        ? p.check_length * p.key_size : p.check_length * p.hidden);
      const inputs = {};
      for (const k of ['rnn_wh', 'rnn_drive', 'attention_q', 'attention_k', 'attention_v', 'scan_a', 'scan_b']) {
        inputs[k] = Float32Array.from({ length: n(k) }, () => (k === 'scan_a' ? 0.5 + 0.5 * Math.random() : 2 * Math.random() - 1)
          * (k === 'rnn_wh' ? 1 / Math.sqrt(p.hidden) : 1));
      }
      const t0 = performance.now();
      const run = await ask({ op: 'run', id: 2, params: p, inputs: inputs });
      const total = performance.now() - t0;
      if (run.result) delete run.result.outputs;
      return { probe: probe.result, run: run, total_ms: total };
    }, params);
    const a = out.probe.adapter || {};
    console.log('adapter: ' + [a.vendor, a.architecture, a.description].filter(Boolean).join(' / ') + (a.software ? ' (software)' : ''));
    console.log('params: ' + JSON.stringify(params));
    if (out.run.error) throw new Error(out.run.error);
    const r = out.run.result;
    console.log('method: ' + r.method + '; per-dispatch overhead (empty kernel): median ' + r.dispatch_us.median.toFixed(1) +
      ' us (min ' + r.dispatch_us.min.toFixed(1) + ', max ' + r.dispatch_us.max.toFixed(1) + ', n ' + r.dispatch_us.n + ')');
    console.log('median ms per run (min-max); a run of rnn_per_step is L dispatches');
    console.log('kernel'.padEnd(16) + params.lengths.map((L) => ('L=' + L).padStart(22)).join(''));
    for (const [name, rows] of Object.entries(r.kernels)) {
      console.log(name.padEnd(16) + rows.map((row) => (row.ms.median.toFixed(2) + ' (' + row.ms.min.toFixed(2) + '-' +
        row.ms.max.toFixed(2) + ')').padStart(22)).join(''));
    }
    console.log('workgroups: ' + JSON.stringify(r.workgroups));
    console.log('whole run request (check at Lc, dispatch cost, warm-ups and repeats): ' + (out.total_ms / 1000).toFixed(2) + ' s');
    // The page's own run at its defaults (?embed=gpu, Measure pressed): the core's references in
    // the page's worker, then the GPU worker, as a learner waits for it.
    const lesson = await browser.newPage();
    await lesson.goto(site.url + '?embed=gpu');
    await lesson.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 60000, polling: 100 });
    await lesson.click('#experiment-gpu [data-role="run"]');
    await lesson.waitForFunction(() => document.querySelector('#experiment-gpu').dataset.result !== 'running', null, { timeout: 120000, polling: 100 });
    console.log('the page at its defaults, Measure to result: ' + await lesson.textContent('#experiment-gpu [data-role="status"]'));
  } finally {
    await browser.close();
    await site.close();
  }
}

main().catch((e) => { console.error('bench/gpu.js: ' + e.message); process.exit(1); });
