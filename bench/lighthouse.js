#!/usr/bin/env node
// Lighthouse's mobile performance score of the page (dist/ served on 127.0.0.1 by the browser
// tests' server), with Debian's Chromium: the score and the metrics it weighs (FCP, LCP, TBT,
// CLS, Speed Index), the median of several runs, and the largest-contentful-paint element.
// Lighthouse's default mobile setting simulates a slow 4G network and a CPU 4x slower than the
// machine's ("simulate"); --devtools applies the same throttling for real while loading
// instead. Figures, not a test. Lighthouse is not a dependency of the project: the first run
// installs a pinned version into bench/.lighthouse/ (ignored by git), from the npm registry.
//
//   node bench/lighthouse.js [--runs 3] [--devtools] [--against DIR]
// --against DIR: another build of the page (e.g. an earlier commit's dist/), its runs
// interleaved with this one's.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { execFileSync, execFile } = require('node:child_process');
const { promisify } = require('node:util');
const harness = require('../tests/browser/harness.js');

const LIGHTHOUSE = '12.8.2';
const HOME = path.join(__dirname, '.lighthouse');
const BIN = path.join(HOME, 'node_modules', '.bin', 'lighthouse');
const args = process.argv.slice(2);
const RUNS = args.indexOf('--runs') >= 0 ? Number(args[args.indexOf('--runs') + 1]) : 3;
const DEVTOOLS = args.includes('--devtools');
const AGAINST = args.indexOf('--against') >= 0 ? path.resolve(args[args.indexOf('--against') + 1]) : null;
const METRICS = ['first-contentful-paint', 'largest-contentful-paint', 'total-blocking-time', 'cumulative-layout-shift', 'speed-index'];

const median = (all) => {
  const xs = all.filter(Number.isFinite);
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function install() {
  if (fs.existsSync(BIN)) return;
  console.log('installing lighthouse@' + LIGHTHOUSE + ' into ' + HOME);
  fs.mkdirSync(HOME, { recursive: true });
  execFileSync('npm', ['install', '--prefix', HOME, '--no-audit', '--no-fund', '--no-save', 'lighthouse@' + LIGHTHOUSE], { stdio: 'inherit' });
}

// (Asynchronous: the page's server runs in this process.)
async function once(url) {
  const out = path.join(HOME, 'report.json');
  await promisify(execFile)(BIN, [url, '--only-categories=performance', '--output=json', '--output-path=' + out, '--quiet',
    '--chrome-flags=--headless=new --no-sandbox'].concat(DEVTOOLS ? ['--throttling-method=devtools'] : []),
  { env: Object.assign({}, process.env, { CHROME_PATH: '/usr/bin/chromium' }), timeout: 300e3 });
  const r = JSON.parse(fs.readFileSync(out, 'utf8'));
  const lcp = r.audits['largest-contentful-paint-element'];
  const item = lcp && lcp.details && lcp.details.items && lcp.details.items[0];
  const node = item && (item.node || (item.items && item.items[0] && item.items[0].node));
  return {
    // (A metric Lighthouse could not compute in a run is NaN, and so is that run's score.)
    score: r.categories.performance.score === null ? NaN : Math.round(r.categories.performance.score * 100),
    metrics: Object.fromEntries(METRICS.map((m) => [m, typeof r.audits[m].numericValue === 'number' ? r.audits[m].numericValue : NaN])),
    lcpElement: node ? node.selector : '?',
  };
}

(async () => {
  harness.requireDist();
  install();
  const builds = [{ name: 'dist/', site: await harness.serve(harness.DIST), runs: [] }];
  if (AGAINST) builds.push({ name: AGAINST, site: await harness.serve(AGAINST), runs: [] });
  try {
    for (let i = 0; i < RUNS; ++i) for (const b of builds) b.runs.push(await once(b.site.url));
  } finally {
    for (const b of builds) await b.site.close();
  }
  console.log(`Lighthouse ${LIGHTHOUSE}, mobile, ${DEVTOOLS ? 'devtools (real) throttling' : 'simulated throttling'}, ` +
    `${RUNS} runs each, ${new Date().toISOString()}, load average ${require('os').loadavg()[0].toFixed(2)}`);
  for (const b of builds) {
    const runs = b.runs;
    console.log(`${b.name}\n  performance score: median ${median(runs.map((r) => r.score))} (each: ${runs.map((r) => r.score).join(', ')})`);
    console.log('  ' + METRICS.map((m) => m.replace(/-/g, ' ') + ' ' + median(runs.map((r) => r.metrics[m])).toFixed(m === 'cumulative-layout-shift' ? 3 : 0) +
      (m === 'cumulative-layout-shift' ? '' : ' ms')).join(', '));
    console.log('  largest contentful paint element: ' + Array.from(new Set(runs.map((r) => r.lcpElement))).join(' | '));
  }
})().catch((e) => {
  console.error(e);
  process.exit(1);
});
