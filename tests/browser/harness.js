// Shared by the browser tests: Debian's Chromium through playwright-core (never a
// downloaded browser), a tiny static server for dist/ that sends the strict CSP, and
// collectors for console errors and CSP violations.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const http = require('node:http');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.join(ROOT, 'dist');
const SCREENSHOTS = path.join(__dirname, 'screenshots');
const CHROMIUM = '/usr/bin/chromium';
const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; style-src 'self'";
// The page's charts (each made when its panel comes near the screen: showCharts). Experiment
// 7's (chart-train, chart-train-steps) are made only when its Train button is pressed:
// tests/browser/train.test.js covers them.
const CHARTS = ['chart-timing', 'chart-gradient', 'chart-retention', 'chart-architectures', 'chart-architectures-context',
  'chart-memory', 'chart-memory-r2', 'chart-memory-attention', 'chart-scaling', 'chart-workdepth', 'chart-projection',
  'chart-recall', 'chart-recall-capacity'];

function requireDist() {
  for (const f of ['index.html', 'core-wasm.js', 'worker-source.js', 'gpu-source.js', 'vendor/chart.umd.min.js', 'main.js']) {
    if (!fs.existsSync(path.join(DIST, f))) {
      throw new Error('dist/' + f + ' is missing: run ./build-wasm.sh first (it builds the module and copies web/ into dist/)');
    }
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(CHROMIUM + ' is missing: apt-get install chromium');
}

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.png': 'image/png', '.svg': 'image/svg+xml', '.json': 'application/json', '.wasm': 'application/wasm' };

// Serves `dir` on 127.0.0.1 (a free port) with the strict CSP (or the policy `csp`);
// `extra(req, res)` may answer first (returns true when it did). The header adds a
// report-uri, so violations anywhere (the page, and the worker too, where no document event
// fires) are POSTed back and collected in `reports`.
function serve(dir, extra, csp) {
  const reports = [];
  const server = http.createServer((req, res) => {
    if (req.method === 'POST' && req.url === '/__csp-report') {
      let body = '';
      req.on('data', (chunk) => { body += chunk; });
      req.on('end', () => { reports.push(body); res.writeHead(204).end(); });
      return;
    }
    if (extra && extra(req, res)) return;
    const url = new URL(req.url, 'http://x');
    const file = path.normalize(path.join(dir, decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname)));
    if (!file.startsWith(path.resolve(dir) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
      'Content-Security-Policy': (csp || CSP) + '; report-uri /__csp-report',
      'Cache-Control': 'no-store',
    });
    fs.createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    resolve({ server, reports, url: 'http://127.0.0.1:' + server.address().port + '/', close: () => new Promise((r) => server.close(r)) });
  }));
}

// playwright's launch() gives the browser a fresh temporary profile and deletes it on close.
// `extraArgs`: more command-line switches (experiment 9's tests add --enable-unsafe-webgpu,
// without which headless Chromium offers no WebGPU adapter).
async function launch(extraArgs) {
  requireDist();
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'].concat(extraArgs || []),
  });
  return { browser, close: () => browser.close() };
}

// Records CSP violations in every frame (via an init script) plus console errors, page
// errors and dialogs. Returns {problems(), dialogs}.
async function watch(context, page) {
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error('CSP violation: ' + e.violatedDirective + ' blocked ' + e.blockedURI);
    });
  });
  const errors = [];
  const dialogs = [];
  const onPage = (p) => {
    p.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    p.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
    p.on('dialog', (d) => { dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  };
  onPage(page);
  context.on('page', onPage);
  return { errors, dialogs };
}

// Polls every 50 ms, not on every animation frame (Playwright's default): frame polling makes
// the page draw 60 frames a second, which takes CPU from the workers being timed.
async function waitReady(page, timeout) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.documentElement.dataset.lessonState),
    null, { timeout: timeout || 20000, polling: 50 });
  return page.evaluate(() => document.documentElement.dataset.lessonState);
}

async function waitReadyState(page, wanted, timeout) {
  await page.waitForFunction((w) => document.documentElement.dataset.lessonState === w, wanted, { timeout: timeout || 20000, polling: 50 });
  return wanted;
}

// Scrolls each chart given into view, as a reader would, and waits until the page has drawn a
// run in it: experiment.js makes a panel's charts only when the panel comes near the screen and
// has a run to show, and counts in section[data-drawn] the times its charts showed one. A chart
// in a hidden section, or in a panel with no run shown (its PNG button is disabled until one
// is), is not waited for.
async function showCharts(page, ids, timeout) {
  for (const id of [].concat(ids)) {
    await page.evaluate((cid) => { const c = document.getElementById(cid); if (c) c.scrollIntoView({ block: 'center' }); }, id);
    await page.waitForFunction((cid) => {
      const canvas = document.getElementById(cid);
      const section = canvas && canvas.closest('section');
      if (!section || !window.Chart || !section.getClientRects().length) return true;
      const png = section.querySelector('[data-role="png"]');
      return (!!window.Chart.getChart(canvas) && !!section.dataset.drawn) || !png || png.disabled;
    }, id, { polling: 50, timeout: timeout || 20000 });
  }
}

// Dataset 0's length for each chart id given (0 when there is no chart), once shown (showCharts).
async function chartLengths(page, ids) {
  await showCharts(page, ids || CHARTS);
  return page.evaluate((list) => list.map((id) => {
    const canvas = document.getElementById(id);
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    return chart ? chart.data.datasets[0].data.length : 0;
  }), ids || CHARTS);
}

async function chartData(page, id) {
  await showCharts(page, id);
  return page.evaluate((cid) => JSON.stringify(window.Chart.getChart(document.getElementById(cid)).data.datasets[0].data), id);
}

function fileUrl(query) {
  return 'file://' + path.join(DIST, 'index.html') + (query || '');
}

// For benchmarks that talk to a worker directly: dist/ served as above plus a blank page,
// /__bench.html, on the same origin; openCorePage() opens it in a new context with the core's
// scripts loaded (window.RnnLesson.core and self.RNN_LESSON_WORKER_SOURCE), nothing else running.
function serveWithBlankPage(dir) {
  return serve(dir || DIST, (req, res) => {
    if (req.url !== '/__bench.html') return false;
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end('<!doctype html><title>bench</title><body></body>');
    return true;
  });
}

async function openCorePage(browser, url) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url + '__bench.html');
  for (const script of ['core-wasm.js', 'core.js', 'worker-source.js']) await page.addScriptTag({ url: url + script });
  return { context, page };
}

// Registers the calling suite's before/after hooks: one Chromium and one server for dist/
// (with the strict CSP) for all its tests. -> {chromium, site}, filled in by `before`.
function useBrowser(extraArgs) {
  const { before, after } = require('node:test');
  const env = { chromium: null, site: null };
  before(async () => {
    requireDist();
    env.chromium = await launch(extraArgs);
    env.site = await serve(DIST);
  });
  after(async () => {
    if (env.site) await env.site.close();
    if (env.chromium) await env.chromium.close();
  });
  return env;
}

module.exports = { useBrowser, ROOT, DIST, SCREENSHOTS, CSP, CHARTS, serve, serveWithBlankPage, openCorePage, launch, watch, waitReady,
  waitReadyState, showCharts, chartLengths, chartData, fileUrl, requireDist };
