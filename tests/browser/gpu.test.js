// Experiment 9 on WebGPU, both paths headless Chromium offers here (../shared/TOOLCHAIN.md):
// with --enable-unsafe-webgpu a SwiftShader adapter (a software GPU on the CPU), on which
// the experiment measures, names the adapter as software, and finds every GPU result equal to the
// core's within the float32 tolerance; without the switch no adapter, where one sentence says so
// and every other experiment still reaches its results. Small sizes: SwiftShader runs on the CPU.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

const SMALL = '?embed=gpu&gpu.hidden=16&gpu.key_size=16&gpu.batch=4&gpu.lengths=8,32,128&gpu.check_length=64&gpu.repeats=2';
const SECTION = '#experiment-gpu';
const KERNELS = 5;

const text = (page, role) => page.textContent(SECTION + ' [data-role="' + role + '"]');
const adapterLine = (page) => page.textContent(SECTION + ' [data-gpu-adapter]');
const measure = (page) => page.click(SECTION + ' [data-role="run"]');
const result = (page, wanted, timeout) => page.waitForFunction((w) => document.querySelector('#experiment-gpu').dataset.result === w,
  wanted, { timeout: timeout || 60000, polling: 100 });
// Each kernel's median line (datasets 0, 3, 6, 9, 12) in both charts: its number of points.
const linePoints = (page) => page.evaluate(() => ['chart-gpu', 'chart-gpu-per-token'].map((id) => {
  const chart = window.Chart.getChart(document.getElementById(id));
  return chart ? chart.data.datasets.filter((d, i) => i % 3 === 0).map((d) => d.data.length) : [];
}));

describe('experiment 9 with a WebGPU adapter (SwiftShader)', () => {
  const env = h.useBrowser(['--enable-unsafe-webgpu']);

  it('names the software adapter, measures every kernel, and agrees with the core', async () => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(env.site.url + SMALL);
      assert.equal(await h.waitReady(page), 'ready', 'ready before anything is measured');
      assert.equal(await page.getAttribute(SECTION, 'data-result'), 'idle');
      await page.waitForFunction(() => /SwiftShader/.test(document.querySelector('[data-gpu-adapter]').textContent), null, { timeout: 20000 });
      assert.match(await adapterLine(page), /^This browser offers WebGPU here, on SwiftShader, a software GPU, which runs on the CPU: its times will say nothing about a real GPU\.$/);

      await measure(page);
      await result(page, 'current');
      assert.equal(await h.waitReady(page), 'ready');
      const notice = await text(page, 'notice');
      assert.match(notice, /^Measured on SwiftShader, a software GPU, which runs on this device’s CPU: these times say nothing about a real GPU\./);
      assert.match(notice, /Every GPU result agreed with the core’s on the same inputs at L = 64: the largest difference was [^,]+, within the float32 tolerance/, notice);
      assert.match(await text(page, 'readout'), /5 of 5 results within tolerance/);
      assert.deepEqual(await linePoints(page), [Array(KERNELS).fill(3), Array(KERNELS).fill(3)], 'three lengths for every kernel, in both charts');
      // The data table: every median positive; the per-step kernel dispatches once per step.
      await page.click(SECTION + ' details.data summary');
      await page.waitForFunction((s) => document.querySelectorAll(s + ' [data-role="table"] tbody tr').length > 0, SECTION, { timeout: 5000 });
      const rows = await page.$$eval(SECTION + ' [data-role="table"] tbody tr', (trs) => trs.map((tr) => Array.from(tr.cells, (td) => td.textContent)));
      const timing = rows.filter((r) => r.length === 8);
      assert.equal(timing.length, 3 * KERNELS);
      for (const r of timing) assert.ok(Number(r[2].replace(/,/g, '')) > 0, r.join(' | '));
      for (const r of timing.filter((x) => /one dispatch per step/.test(x[0]))) assert.equal(r[5], r[1], 'one dispatch per step: ' + r.join(' | '));
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('Cancel stops a run; Measure again completes; works from file:// too', async () => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(h.fileUrl(SMALL.replace('gpu.lengths=8,32,128', 'gpu.lengths=8,32,128,1024')));
      assert.equal(await h.waitReady(page), 'ready');
      await measure(page);
      await page.waitForFunction(() => document.querySelector('#experiment-gpu [data-role="progress"]').value > 0.05, null, { timeout: 30000, polling: 50 });
      await page.click(SECTION + ' [data-role="cancel"]');
      await result(page, 'cancelled');
      assert.equal(await h.waitReadyState(page, 'incomplete'), 'incomplete');
      await measure(page);
      await result(page, 'current', 90000);
      assert.match(await text(page, 'readout'), /5 of 5 results within tolerance/);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});

describe('experiment 9 without a WebGPU adapter', () => {
  const env = h.useBrowser();

  it('says so in one sentence and the rest of the page is unaffected', async () => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(h.fileUrl());
      assert.equal(await h.waitReady(page, 60000), 'ready');
      for (const n of await h.chartLengths(page)) assert.ok(n > 0, 'every other chart has data');
      await page.$eval(SECTION, (s) => s.scrollIntoView());
      await page.waitForFunction(() => /cannot run/.test(document.querySelector('[data-gpu-adapter]').textContent), null, { timeout: 20000 });
      assert.match(await adapterLine(page), /^This browser cannot run this experiment: this browser offers WebGPU but no GPU adapter .*\. WebGPU ships in Chrome and Edge on Windows, macOS and ChromeOS, on Android 12 or later and, for some GPUs, on Linux; in Safari 26; and in Firefox on Windows and Apple-silicon Macs \(as of 2026\)\.$/);
      await measure(page);
      await result(page, 'current');
      assert.equal(await h.waitReady(page), 'ready', 'no WebGPU is not an error');
      assert.match(await text(page, 'notice'), /^Nothing was measured here: this browser offers WebGPU but no GPU adapter/);
      assert.match(await page.textContent('#summary-gpu-rnn'), /^Not measured: /);
      // No empty charts, and no compute time, for a run that measured nothing.
      assert.deepEqual(await page.$$eval(SECTION + ' figure.chart', (fs) => fs.map((f) => getComputedStyle(f).display)), ['none', 'none']);
      assert.equal(await text(page, 'status'), 'Experiment 9: nothing measured, because this browser offers WebGPU but no GPU adapter (WebGPU may be switched off, or this GPU not supported).');
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});
