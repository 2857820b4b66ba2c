#!/usr/bin/env node
// The page's own figures, measured in Debian's headless Chromium against dist/ served on
// 127.0.0.1 with the strict CSP (the browser tests' server):
//   - time from navigation to lessonState 'ready' (every section's results shown; charts are
//     made near the screen), cold: a new browser context per load, nothing cached; when the
//     first chart shows data, loaded at the top and opened at #experiment-gradient; how long a
//     far chart takes to draw once scrolled to; all of it also with the main thread slowed 4x;
//   - total bytes the page loads, raw and gzipped (gzip -9 of every response body);
//   - the longest main-thread task while the experiments run (Long Tasks API, which reports
//     tasks over 50 ms, but only those that run script), and the longest animation frame (Long
//     Animation Frames API: a frame's tasks plus its style and layout, so it also sees the first
//     layout of the whole page, a long task with no script in it);
//   - ns per RNN step of the wasm core inside a page worker (the timing experiment at
//     H=32, D=8), next to the native CLI running the same protocol and the kata's numpy loop.
// Figures, not a test: nothing here fails on a slow machine. Needs ./build-wasm.sh and
// build/rnn-lesson first.
//
//   node bench/page.js [--loads 5] [--runs 5] [--against DIR]
// --against DIR: also load another build of the page (e.g. an earlier commit's dist/, copied
// aside), its loads interleaved with this one's, so before and after see the same machine.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const { execFileSync } = require('node:child_process');
const harness = require('../tests/browser/harness.js');

const ROOT = path.resolve(__dirname, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf('--' + name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
};
const LOADS = option('loads', 5);
const RUNS = option('runs', 5);
const AGAINST = args.indexOf('--against') >= 0 ? path.resolve(args[args.indexOf('--against') + 1]) : null;
const { TIMING } = require('./step_protocol.js');  // shared by the three step measurements

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const kb = (bytes) => (bytes / 1024).toFixed(1) + ' KB';

// Watches the main thread from the very start of the page.
const WATCH_MAIN_THREAD = () => {
  window.__bench = { settled: 0 };
  // When lessonState leaves 'loading' (the waiting below polls, so it would be late). The
  // document is observed: this runs before the <html> element exists.
  new MutationObserver(() => {
    const state = document.documentElement && document.documentElement.dataset.lessonState;
    if (!window.__bench.settled && state && state !== 'loading') window.__bench.settled = performance.now();
  }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-lesson-state'] });
  // Long tasks (script only) and long animation frames (Chromium 123+; tasks plus style and
  // layout): how many, and the longest. NaN where the browser lacks the API (observe() would
  // only warn about an unknown type).
  const watch = (type, count, longest) => {
    const has = typeof PerformanceObserver === 'function' && (PerformanceObserver.supportedEntryTypes || []).includes(type);
    window.__bench[count] = window.__bench[longest] = has ? 0 : NaN;
    if (!has) return;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        window.__bench[count] += 1;
        window.__bench[longest] = Math.max(window.__bench[longest], e.duration);
      }
    }).observe({ type: type, buffered: true });
  };
  watch('longtask', 'longTasks', 'longest');
  watch('long-animation-frame', 'longFrames', 'longestFrame');
  // When each chart first shows data (polled every 20 ms; Chart.js keeps the instance on the canvas).
  window.__bench.charts = {};
  const poll = setInterval(() => {
    if (!window.Chart) return;
    for (const canvas of document.querySelectorAll('canvas[id^="chart-"]')) {
      const chart = window.Chart.getChart(canvas);
      const has = chart && chart.data.datasets.some((d) => d.data && d.data.length);
      if (has && !(canvas.id in window.__bench.charts)) window.__bench.charts[canvas.id] = performance.now();
    }
    if (window.__bench.stop) clearInterval(poll);
  }, 20);
};

// `throttle`: the main thread slowed that many times (CDP Emulation.setCPUThrottlingRate, as
// DevTools' "CPU: 4x slowdown"; workers run at full speed), 1 = not slowed.
// `hash`: the address's fragment, e.g. '#experiment-gradient' (a link into the lesson: that
// section is on the first screen, and its charts are the first a learner sees).
// Charts are made only near the screen (web/experiment.js), so a load at the top draws those of
// the first screens; once ready, FAR is scrolled to and the time until its chart shows the run
// already computed is `scrolledDraw` (the wait a reader who scrolls there could see).
const FAR = 'chart-recall';
async function coldLoad(browser, url, throttle, hash) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (throttle > 1) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  }
  const bodies = [];
  page.on('response', async (response) => {
    if (!response.url().startsWith(url)) return;  // the worker's blob: URL is not a download
    try { bodies.push({ url: response.url(), body: await response.body() }); } catch (e) { /* redirects etc. */ }
  });
  await page.addInitScript(WATCH_MAIN_THREAD);
  await page.goto(url + (hash || ''));
  // Polled every 50 ms: Playwright's default polls on every animation frame, which makes the
  // page draw 60 frames a second and takes CPU from what is being measured.
  await page.waitForFunction(() => document.documentElement.dataset.lessonState !== 'loading', null, { timeout: 60000, polling: 50 });
  const figures = await page.evaluate(() => {
    window.__bench.stop = true;
    return { ...window.__bench, ready: window.__bench.settled, state: document.documentElement.dataset.lessonState,
      // main.js's and experiment.js's User Timing marks, ms after navigation.
      marks: Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('lesson:'))
        .map((m) => [m.name.slice(7), m.startTime])),
      // When the page's scripts finished: the end of the HTML's parsing, and DOMContentLoaded.
      domInteractive: performance.getEntriesByType('navigation')[0].domInteractive,
      domContentLoaded: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd };
  });
  figures.scrolledDraw = hash ? NaN : await page.evaluate((id) => new Promise((resolve) => {
    const canvas = document.getElementById(id);
    const start = performance.now();
    canvas.scrollIntoView({ block: 'center' });
    const poll = () => {
      const chart = window.Chart.getChart(canvas);
      if (chart && chart.data.datasets.some((d) => d.data.length)) resolve(performance.now() - start);
      else setTimeout(poll, 10);
    };
    poll();
  }), FAR);
  await page.waitForTimeout(200);  // let late response bodies arrive
  const raw = bodies.reduce((s, b) => s + b.body.length, 0);
  const gz = bodies.reduce((s, b) => s + zlib.gzipSync(b.body, { level: 9 }).length, 0);
  await context.close();
  const drawn = Object.values(figures.charts);
  return { ...figures, raw, gz, files: bodies.map((b) => [new URL(b.url).pathname, b.body.length]),
    firstChart: drawn.length ? Math.min(...drawn) : NaN, allCharts: drawn.length ? Math.max(...drawn) : NaN };
}

async function wasmStepInPage(browser, url) {
  const { context, page } = await harness.openCorePage(browser, url);  // same origin, nothing else running
  const result = await page.evaluate(async ({ timing, runs }) => {
    // The page's own Blob URL: core.js's Trusted Types policy starts workers from no other.
    const url = window.RnnLesson.core.workerUrl(self.RNN_LESSON_WORKER_SOURCE);
    const worker = window.RnnLesson.core.startWorker(url, await window.RnnLesson.core.coreModule());
    const ask = (id) => new Promise((resolve, reject) => {
      worker.onmessage = (e) => {
        if (e.data.id !== id || e.data.progress !== undefined || e.data.started) return;  // not the reply yet
        if (e.data.ok) resolve(e.data.result); else reject(new Error(e.data.error));
      };
      worker.postMessage({ id, op: 'run', experiment: 'timing', params: timing });
    });
    const ns = [];
    for (let i = 0; i < runs; ++i) ns.push((await ask(i + 1)).ns_per_step);
    worker.terminate();
    return ns;
  }, { timing: TIMING, runs: RUNS });
  await context.close();
  return result;
}

function nativeStep() {
  const cli = process.env.RNN_LESSON_CLI || path.join(ROOT, 'build', 'rnn-lesson');
  const ns = [];
  for (let i = 0; i < RUNS; ++i) {
    const out = execFileSync(cli, ['timing', '--json', '--hidden_size', '32', '--input_size', '8',
      '--lengths', TIMING.lengths.join(','), '--trials', String(TIMING.trials),
      '--min_interval_ms', String(TIMING.min_interval_ms)]);
    ns.push(JSON.parse(out).ns_per_step);
  }
  return ns;
}

function numpyStep() {
  try {
    const out = execFileSync('/usr/bin/python3', [path.join(__dirname, 'kata_numpy_step.py'), '--json'], { encoding: 'utf8' });
    const j = JSON.parse(out);
    return { wall: j.median_wall_ns_per_step, cpu: j.median_cpu_ns_per_step };
  } catch (e) {
    return null;
  }
}

// The last 'shown <experiment>' mark but the measurements' (timing, parallel): every other
// section's results on the page, charts drawn where the section is near the screen.
const MEASURED = ['timing', 'parallel'];
const lastShown = (l) => Math.max(...Object.keys(l.marks).filter((m) => m.startsWith('shown ') &&
  !MEASURED.includes(m.slice(6))).map((m) => l.marks[m]));

function report(name, loads, slowed, linked) {
  const first = loads[0];
  console.log(`${name}`);
  console.log(`  navigation -> every section's results shown (lessonState=${first.state}): median ${median(loads.map((l) => l.ready)).toFixed(0)} ms` +
    ` (each: ${loads.map((l) => l.ready.toFixed(0)).join(', ')} ms)`);
  const spread = (xs) => `${median(xs).toFixed(0)} [${Math.min(...xs).toFixed(0)}-${Math.max(...xs).toFixed(0)}]`;
  for (const [label, set, link] of [['unthrottled', loads, linked.loads], ['main thread slowed 4x (CDP)', slowed, linked.slowed]]) {
    console.log(`  ${label} (median [range]): first chart with data ${spread(set.map((l) => l.firstChart))} ms, last chart made at load ` +
      `${spread(set.map((l) => l.allCharts))} ms, every section but the measurements shown ${spread(set.map(lastShown))} ms; ` +
      `long tasks per load ${spread(set.map((l) => l.longTasks))}, longest ${spread(set.map((l) => l.longest))} ms; ` +
      `animation frames over 50 ms per load ${spread(set.map((l) => l.longFrames))}, longest ${spread(set.map((l) => l.longestFrame))} ms; ` +
      `opened at #experiment-gradient: its chart ${spread(link.map((l) => l.charts['chart-gradient'] || NaN))} ms; ` +
      `scrolled to ${FAR} once ready: drawn in ${spread(set.map((l) => l.scrolledDraw))} ms`);
  }
  const marks = Object.keys(first.marks);
  console.log('  start-up, median ms after navigation (User Timing marks of main.js and experiment.js): ' +
    [['DOM parsed', (l) => l.domInteractive], ['DOMContentLoaded', (l) => l.domContentLoaded]]
      .concat(marks.map((m) => [m, (l) => l.marks[m]]))
      .map(([label, get]) => label + ' ' + median(loads.map(get).filter(Number.isFinite)).toFixed(0)).join(', '));
  const charts = Object.keys(first.charts);
  console.log('  first data per chart (median ms after navigation): ' +
    charts.map((id) => `${id.replace('chart-', '')} ${median(loads.map((l) => l.charts[id] || NaN)).toFixed(0)}`).join(', '));
  console.log(`  bytes loaded: ${kb(first.raw)} raw, ${kb(first.gz)} gzipped (-9), ${first.files.length} responses`);
  for (const [file, size] of first.files.sort((a, b) => b[1] - a[1])) console.log(`      ${String(size).padStart(8)}  ${file}`);
  console.log(`  longest main-thread task (Long Tasks API, >50 ms only): median ${median(loads.map((l) => l.longest)).toFixed(0)} ms,` +
    ` worst ${Math.max(...loads.map((l) => l.longest)).toFixed(0)} ms; long tasks per load: ${loads.map((l) => l.longTasks).join(', ')}`);
}

(async () => {
  harness.requireDist();
  const server = await harness.serveWithBlankPage();
  const { browser } = await harness.launch();
  try {
    // Unthrottled and 4x-throttled loads interleaved (and the other build's), so all see the same machine.
    const other = AGAINST ? await harness.serve(AGAINST) : null;
    const builds = [{ name: 'dist/', url: server.url, loads: [], slowed: [], linked: { loads: [], slowed: [] } }];
    if (other) builds.push({ name: AGAINST, url: other.url, loads: [], slowed: [], linked: { loads: [], slowed: [] } });
    // Each round in turn starts with the other build: whichever loads first in a round was seen
    // to come out 100-150 ms later (a helper's runs, issue 15), so neither always does.
    for (let i = 0; i < LOADS; ++i) {
      for (const b of i % 2 ? [...builds].reverse() : builds) {
        b.loads.push(await coldLoad(browser, b.url, 1));
        b.slowed.push(await coldLoad(browser, b.url, 4));
        b.linked.loads.push(await coldLoad(browser, b.url, 1, '#experiment-gradient'));
        b.linked.slowed.push(await coldLoad(browser, b.url, 4, '#experiment-gradient'));
      }
    }
    if (other) await other.close();
    const wasm = await wasmStepInPage(browser, server.url);
    const native = nativeStep();
    const numpy = numpyStep();

    console.log(`Page figures: Chromium headless, on 127.0.0.1, ${LOADS} cold loads each, ${new Date().toISOString()}, load average ${require('os').loadavg()[0].toFixed(2)}`);
    for (const b of builds) report(b.name, b.loads, b.slowed, b.linked);
    const w = median(wasm), n = median(native);
    console.log(`  ns per RNN step, H=32 D=8, timing protocol (lengths ${TIMING.lengths.join(',')}, ${TIMING.trials} trials of >= ${TIMING.min_interval_ms} ms), medians of ${RUNS}:`);
    console.log(`      wasm in a page worker: ${w.toFixed(1)} ns   (runs: ${wasm.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`      native CLI:            ${n.toFixed(1)} ns   (runs: ${native.map((x) => x.toFixed(0)).join(', ')})`);
    if (numpy) console.log(`      kata numpy loop:       ${numpy.wall.toFixed(0)} ns wall (${numpy.cpu.toFixed(0)} ns CPU)`);
    console.log(`      wasm / native = ${(w / n).toFixed(2)}x` +
      (numpy ? `; numpy / wasm = ${(numpy.wall / w).toFixed(1)}x; numpy / native = ${(numpy.wall / n).toFixed(1)}x (wall clock on all three)` : ''));
  } finally {
    await browser.close();
    await server.close();
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
