#!/usr/bin/env node
// Time of each experiment at its defaults in the WebAssembly core, inside a worker of Debian's
// headless Chromium (the page's own worker code and compiled module, nothing else running):
// the first call of a fresh worker (what a page load pays: the engine still runs baseline
// code) and the median of later calls. Then the page's parallel section as a learner sees it:
// speedup and efficiency at each worker count, and worker start-up, read from the page.
// Figures, not a test. Needs ./build-wasm.sh first.
//
//   node bench/experiments.js [--workers 5] [--repeats 5] [--loads 3] [--parallel-only | --only recall]
// (--parallel-only: the parallel section's page loads alone; each printed with the machine's
// 1-minute load average before and after, since other programs take cores from the workers.
// --only: time that experiment's rows alone, and skip the parallel section)
'use strict';

const harness = require('../tests/browser/harness.js');

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
};
const WORKERS = option('workers', 5);  // fresh workers, each: first call, then REPEATS more
const REPEATS = option('repeats', 5);
const PARALLEL_ONLY = args.includes('--parallel-only');
const ONLY = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1] : null;
const LOADS = ONLY ? 0 : option('loads', 3);  // page loads for the parallel section
const load = () => require('os').loadavg()[0].toFixed(2);

// What is timed: [label, experiment, params]. The page runs the first eight at load; memory at
// N = 128 alone and the parallel section's scaling defaults are the issues' other figures.
const ALL_RUNS = [
  ['gradient (bptt)', 'gradient', {}],
  ['gradient (kata overlay)', 'gradient', { mode: 'kata' }],
  ['retention', 'retention', {}],
  ['architectures', 'architectures', {}],
  ['memory', 'memory', {}],
  ['timing', 'timing', {}],
  ['workdepth', 'workdepth', {}],
  ['recall', 'recall', {}],
  ['memory, N = 128 only', 'memory', { hidden_sizes: [128] }],
];
const PAGE_ROWS = 8;  // the first eight rows are what a page load runs
const RUNS = ONLY ? ALL_RUNS.filter((r) => r[1] === ONLY) : ALL_RUNS;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function timeInWorker(page, runs, repeats) {
  return page.evaluate(async ({ runs, repeats }) => {
    const core = await window.RnnLesson.core.coreModule();
    // The page's own Blob URL: core.js's Trusted Types policy starts workers from no other.
    const url = window.RnnLesson.core.workerUrl(self.RNN_LESSON_WORKER_SOURCE);
    const worker = window.RnnLesson.core.startWorker(url, core);
    let id = 0;
    const ask = (experiment, params) => new Promise((resolve, reject) => {
      const mine = ++id;
      worker.onmessage = (e) => {
        if (e.data.id !== mine || e.data.progress !== undefined || e.data.started) return;  // not the reply yet
        if (e.data.ok && !e.data.result.error) resolve(e.data.ms);
        else reject(new Error(e.data.error || e.data.result.error));
      };
      worker.postMessage({ id: mine, op: 'run', experiment, params });
    });
    // First calls in the page's order, then the repeats.
    const first = [];
    for (const [, experiment, params] of runs) first.push(await ask(experiment, params));
    const later = runs.map(() => []);
    for (let r = 0; r < repeats; ++r) {
      for (let i = 0; i < runs.length; ++i) later[i].push(await ask(runs[i][1], runs[i][2]));
    }
    worker.terminate();
    return { first, later };
  }, { runs, repeats });
}

async function parallelSection(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url + '?embed=parallel');
  // Polled every 50 ms (Playwright's default, every animation frame, makes the page draw
  // 60 frames a second while the workers are being timed).
  await page.waitForFunction(() => document.documentElement.dataset.lessonState !== 'loading', null, { timeout: 120000, polling: 50 });
  const readout = await page.evaluate(() => Array.from(document.querySelectorAll('#experiment-parallel [data-role="readout"] div'),
    (d) => d.querySelector('dt').textContent + ': ' + d.querySelector('dd').textContent));
  await context.close();
  return readout;
}

(async () => {
  harness.requireDist();
  const server = await harness.serveWithBlankPage();
  const { browser } = await harness.launch();
  try {
    const first = RUNS.map(() => []);
    const later = RUNS.map(() => []);
    for (let w = 0; w < (PARALLEL_ONLY ? 0 : WORKERS); ++w) {
      const { context, page } = await harness.openCorePage(browser, server.url);
      const t = await timeInWorker(page, RUNS, REPEATS);
      t.first.forEach((ms, i) => first[i].push(ms));
      t.later.forEach((list, i) => later[i].push(...list));
      await context.close();
    }
    if (!PARALLEL_ONLY) report(first, later);
    for (let i = 0; i < LOADS; ++i) {
      const before = load();
      const readout = await parallelSection(browser, server.url);
      console.log(`  parallel section, page load ${i + 1} (?embed=parallel; load average ${before} -> ${load()}): ` + readout.join('; '));
    }
  } finally {
    await browser.close();
    await server.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});

function report(first, later) {
  console.log(`Experiments at their defaults, wasm core in a Chromium worker, ${new Date().toISOString()}`);
  console.log(`  ${WORKERS} fresh workers; first call (median over workers) and later calls (median of ${WORKERS * REPEATS})`);
  let firstSum = 0, laterSum = 0;
  RUNS.forEach(([label], i) => {
    const f = median(first[i]), l = median(later[i]);
    if (i < PAGE_ROWS) { firstSum += f; laterSum += l; }
    console.log(`  ${label.padEnd(24)} first ${f.toFixed(1).padStart(7)} ms   later ${l.toFixed(1).padStart(7)} ms` +
      `   (first calls: ${first[i].map((x) => x.toFixed(0)).join(', ')})`);
  });
  if (!ONLY) {
    console.log(`  ${'every run of the page'.padEnd(24)} first ${firstSum.toFixed(1).padStart(7)} ms   later ${laterSum.toFixed(1).padStart(7)} ms   (the first eight rows; the parallel section aside)`);
  }
}
