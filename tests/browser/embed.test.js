// Embedding: ?embed=<experiment> inside an iframe on ANOTHER origin shows only that
// experiment, links to the full lesson with the same settings, and posts its height to the
// parent on load and on resize. Classroom mode: ?hide= hides controls.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

const PARENT_HTML = '<!doctype html><meta charset="utf-8"><title>parent</title><link rel="icon" href="/favicon.svg">' +
  '<script src="/parent.js"></script><iframe id="lesson" title="lesson" width="700" height="400"></iframe>';
const PARENT_JS = 'window.heights = [];' +
  'window.addEventListener("message", function (e) {' +
  '  if (e.data && e.data.type === "rnn-lesson:height") window.heights.push({origin: e.origin, height: e.data.height, experiment: e.data.experiment});' +
  '});';

describe('embed and classroom mode', () => {
  let chromium;
  let site;
  let parent;
  before(async () => {
    h.requireDist();
    chromium = await h.launch();
    site = await h.serve(h.DIST);
    // A second origin (another port) for the embedding page.
    parent = await h.serve(h.DIST, (req, res) => {
      if (req.url.startsWith('/parent.html')) {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(PARENT_HTML);
        return true;
      }
      if (req.url === '/parent.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(PARENT_JS);
        return true;
      }
      return false;
    });
  });
  after(async () => {
    if (parent) await parent.close();
    if (site) await site.close();
    if (chromium) await chromium.close();
  });

  it('embedded cross-origin, shows one experiment and posts its height', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 900, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      assert.notEqual(new URL(parent.url).origin, new URL(site.url).origin);
      await page.goto(parent.url + 'parent.html');
      const src = site.url + '?embed=gradient&gradient.hidden_size=20';
      await page.evaluate((s) => { document.getElementById('lesson').src = s; }, src);
      const frame = await (await page.waitForSelector('#lesson')).contentFrame();
      await frame.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 20000 });
      await page.waitForFunction(() => window.heights.some((m) => m.experiment === 'gradient' && m.height > 300));
      const first = await page.evaluate(() => window.heights[window.heights.length - 1]);
      assert.equal(first.origin, new URL(site.url).origin);

      assert.equal(await frame.locator('#experiment-gradient').isVisible(), true);
      for (const other of ['#experiment-timing', '#experiment-retention', '.summary', '.intro', '.lesson-header']) {
        assert.equal(await frame.locator(other).isVisible(), false, other + ' is hidden when embedded');
      }
      assert.deepEqual(await h.chartLengths(frame, ['chart-gradient']).then((l) => l[0] > 0), true);
      const full = frame.locator('#open-full');
      assert.match(await full.textContent(), /open the full lesson/i);
      const href = new URL(await full.getAttribute('href'));
      assert.equal(href.searchParams.get('embed'), null, 'the full lesson is not embedded');
      assert.equal(href.searchParams.get('gradient.hidden_size'), '20', 'and keeps the settings');

      // Narrower frame -> taller content -> a new height.
      const count = await page.evaluate(() => window.heights.length);
      await page.evaluate(() => { document.getElementById('lesson').width = '360'; });
      await page.waitForFunction((n) => window.heights.length > n, count);
      const second = await page.evaluate(() => window.heights[window.heights.length - 1]);
      assert.ok(second.height > first.height, 'height grows when the frame narrows: ' + first.height + ' -> ' + second.height);
      assert.deepEqual(watched.errors, []);
      assert.deepEqual(site.reports, [], 'no CSP violation in the embedded page or its worker');
    } finally {
      await context.close();
    }
  });

  for (const [experiment, charts] of [['architectures', ['chart-architectures', 'chart-architectures-context']],
    ['memory', ['chart-memory', 'chart-memory-r2', 'chart-memory-attention']]]) {
    it('embed=' + experiment + ' cross-origin: only that experiment, its charts drawn, its height posted', async () => {
      const context = await chromium.browser.newContext({ viewport: { width: 900, height: 900 } });
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      try {
        await page.goto(parent.url + 'parent.html');
        await page.evaluate((s) => { document.getElementById('lesson').src = s; }, site.url + '?embed=' + experiment + '&seed=7');
        const frame = await (await page.waitForSelector('#lesson')).contentFrame();
        await frame.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 20000 });
        await page.waitForFunction((e) => window.heights.some((m) => m.experiment === e && m.height > 300), experiment);
        const last = await page.evaluate(() => window.heights[window.heights.length - 1]);
        assert.equal(last.origin, new URL(site.url).origin);
        assert.equal(await frame.locator('#experiment-' + experiment).isVisible(), true);
        for (const other of ['timing', 'gradient', 'retention', 'architectures', 'memory'].filter((e) => e !== experiment)) {
          assert.equal(await frame.locator('#experiment-' + other).isVisible(), false, other + ' is hidden');
        }
        const lengths = await h.chartLengths(frame, charts);
        assert.ok(lengths.every((n) => n > 0), 'every chart of the experiment has data: ' + lengths);
        const href = new URL(await frame.locator('#open-full').getAttribute('href'));
        assert.equal(href.searchParams.get('seed'), null, 'the shorthand became per-experiment keys');
        assert.equal(href.searchParams.get(experiment + '.seed'), '7', 'and the full lesson keeps them');
        assert.deepEqual(watched.errors, []);
        assert.deepEqual(site.reports, [], 'no CSP violation in the embedded page or its worker');
      } finally {
        await context.close();
      }
    });
  }

  it('classroom mode hides the listed controls', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '?hide=hidden_size,gradient.seed');
      assert.equal(await h.waitReady(page), 'ready');
      for (const key of ['timing.hidden_size', 'gradient.hidden_size', 'retention.hidden_size', 'architectures.hidden_size', 'gradient.seed']) {
        assert.equal(await page.locator('[data-key="' + key + '"]').isHidden(), true, key + ' hidden');
      }
      assert.equal(await page.locator('[data-key="retention.seed"]').count(), 1);
      assert.equal(await page.locator('[data-key="gradient.weight_scale"]').isVisible(), true);
      assert.match(await page.locator('#experiment-gradient .classroom-note').textContent(), /fixed for this class/);
      assert.match(page.url(), /hide=hidden_size,gradient\.seed/, 'the URL keeps the hide list');
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});
