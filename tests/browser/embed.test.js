// Embedding: ?embed=<experiment> inside an iframe on ANOTHER origin shows only that
// experiment, links to the full lesson with the same settings, and posts its height to the
// parent on load and on resize; three frames stacked in one host page, two below the fold
// and never scrolled to, all reach their content height. The instructors' snippets carry
// the listener, never a file:// address, and copy. Classroom mode: ?hide= hides controls.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const h = require('./harness.js');

const PARENT_HTML = '<!doctype html><meta charset="utf-8"><title>parent</title><link rel="icon" href="/favicon.svg">' +
  '<script src="/parent.js"></script><iframe id="lesson" title="lesson" width="700" height="400"></iframe>';
const PARENT_JS = 'window.heights = [];' +
  'window.addEventListener("message", function (e) {' +
  '  if (e.data && e.data.type === "rnn-lesson:height") window.heights.push({origin: e.origin, height: e.data.height, experiment: e.data.experiment});' +
  '});';
// A course page with three experiments stacked, each frame sized by the snippet's listener
// (the frames start at the snippet's 900 px: the second and third begin below the fold).
const STACK = ['gradient', 'retention', 'architectures'];
const STACK_HTML = '<!doctype html><meta charset="utf-8"><title>course</title><link rel="icon" href="/favicon.svg">' +
  '<script src="/stack.js"></script><h1>A course page</h1>' +
  STACK.map((e) => '<iframe id="rnn-lesson-' + e + '" title="' + e + '" width="100%" height="900" style="border:0;display:block"></iframe><p>Text between the frames.</p>').join('');
const STACK_JS = 'window.posts = 0;' +
  'addEventListener("message", function (e) {' +
  '  if (!e.data || e.data.type !== "rnn-lesson:height") return;' +
  '  for (const frame of document.querySelectorAll("iframe")) {' +
  '    if (e.source === frame.contentWindow) { frame.style.height = Math.ceil(e.data.height) + "px"; window.posts++; }' +
  '  }' +
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
      if (req.url.startsWith('/stack.html')) {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end(STACK_HTML);
        return true;
      }
      if (req.url === '/stack.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end(STACK_JS);
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
    ['memory', ['chart-memory', 'chart-memory-r2', 'chart-memory-attention']], ['recall', ['chart-recall', 'chart-recall-capacity']]]) {
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
        for (const other of ['timing', 'gradient', 'retention', 'architectures', 'memory', 'train', 'recall'].filter((e) => e !== experiment)) {
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

  it('three stacked cross-origin embeds, two below the fold and never scrolled to, each reach their content height', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 900, height: 700 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(parent.url + 'stack.html');
      await page.evaluate(([base, list]) => {
        for (const e of list) document.getElementById('rnn-lesson-' + e).src = base + '?embed=' + e + '&seed=3';
      }, [site.url, STACK]);
      const frames = [];
      for (const e of STACK) frames.push(await (await page.waitForSelector('#rnn-lesson-' + e)).contentFrame());
      for (const f of frames) await h.waitReady(f, 60000);
      // The frames below the fold are off screen (so Chromium throttles their rendering).
      const tops = await page.evaluate((list) => list.map((e) => document.getElementById('rnn-lesson-' + e).getBoundingClientRect().top), STACK);
      assert.ok(tops[1] > 700 && tops[2] > 700, 'frames 2 and 3 start below the fold: ' + tops);
      assert.equal(await page.evaluate(() => scrollY), 0, 'the host page is never scrolled');
      // Each frame's element height must come to equal its document's content height.
      const sizes = async () => {
        const out = [];
        for (let i = 0; i < STACK.length; ++i) {
          const frameHeight = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().height, 'rnn-lesson-' + STACK[i]);
          const content = await frames[i].evaluate(() => Math.ceil(document.documentElement.getBoundingClientRect().height));
          out.push({ experiment: STACK[i], frameHeight: frameHeight, content: content });
        }
        return out;
      };
      const settle = async () => {
        const deadline = Date.now() + 15000;
        let last = await sizes();
        while (Date.now() < deadline && !last.every((s) => Math.abs(s.frameHeight - s.content) <= 1)) {
          await new Promise((r) => setTimeout(r, 250));
          last = await sizes();
        }
        for (const s of last) {
          assert.ok(Math.abs(s.frameHeight - s.content) <= 1,
            s.experiment + ': the frame is ' + s.frameHeight + ' px tall, its content ' + s.content + ' px (' + JSON.stringify(last) + ')');
        }
        return last;
      };
      const first = await settle();
      for (const s of first) assert.ok(s.content > 900, s.experiment + ' content is taller than the first guess of 900 px: ' + s.content);
      // A change inside the last frame, still off screen: its data tables open, and it grows to fit.
      await frames[2].evaluate(() => { document.querySelector('#experiment-architectures details.data').open = true; });
      const second = await settle();
      assert.ok(second[2].content > first[2].content + 100, 'the open tables made frame 3 taller: ' + first[2].content + ' -> ' + second[2].content);
      assert.equal(await page.evaluate(() => scrollY), 0);
      await page.screenshot({ path: path.join(h.SCREENSHOTS, 'embed-stack-fold.png') });
      await page.screenshot({ path: path.join(h.SCREENSHOTS, 'embed-stack-full.png'), fullPage: true });
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it("the instructors' snippets: the frame and its listener, the served address, a working copy button", async () => {
    const origin = new URL(site.url).origin;
    const context = await chromium.browser.newContext();
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: origin });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '?seed=5');
      assert.equal(await h.waitReady(page, 60000), 'ready');
      await page.locator('.instructors > summary').click();
      const code = page.locator('#snippet-gradient');
      const text = await code.textContent();
      assert.match(text, /^<iframe id="rnn-lesson-gradient" src="http:\/\/127\.0\.0\.1:\d+\/\?gradient\.seed=5&amp;embed=gradient"/);
      assert.match(text, /addEventListener\('message'/, 'the snippet has the listener');
      assert.match(text, /e\.source === frame\.contentWindow/, 'which only believes its own frame');
      assert.match(text, /'rnn-lesson:height'/);
      assert.doesNotMatch(text, /file:/);
      assert.equal(await page.locator('#snippet-placeholder-note').isHidden(), true);
      // The copy button puts exactly the snippet on the clipboard and says so.
      const button = page.locator('button[data-copy="snippet-gradient"]');
      await button.focus();
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /Copied/.test(document.getElementById('copy-status').textContent), null, { polling: 50 });
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), text);
      // Where the Clipboard API refuses, the snippet is copied the old way or left selected.
      await page.evaluate(() => { navigator.clipboard.writeText = () => Promise.reject(new Error('refused')); });
      await page.locator('button[data-copy="snippet-memory"]').click();
      await page.waitForFunction(() => /memory capacity|Ctrl\+C/.test(document.getElementById('copy-status').textContent), null, { polling: 50 });
      assert.equal(await page.evaluate(() => String(window.getSelection())), await page.locator('#snippet-memory').textContent());
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it("opened from disk, the snippets use a placeholder address, never file://", async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(h.fileUrl('?gradient.seed=9'));
      assert.equal(await h.waitReady(page, 60000), 'ready');
      await page.locator('.instructors > summary').click();
      const snippets = await page.locator('[data-embed-snippet]').allTextContents();
      assert.equal(snippets.length, await page.evaluate(() => window.RnnLesson.LIST.length));  // one per experiment
      for (const text of snippets) {
        assert.doesNotMatch(text, /file:/);
        assert.match(text, /src="https:\/\/YOUR-SITE\.example\/rnn-lesson\/index\.html\?/);
        assert.match(text, /addEventListener\('message'/);
      }
      assert.match(snippets[1], /gradient\.seed=9&amp;embed=gradient/, 'with the current settings');
      assert.match(snippets[1], /index\.html\?gradient\.seed=9&amp;embed=gradient"/, 'and only the settings of that experiment');
      assert.equal(await page.locator('#snippet-placeholder-note').isVisible(), true, 'and a note says to replace it');
      assert.match(await page.locator('#snippet-placeholder-note').textContent(), /YOUR-SITE\.example/);
      assert.doesNotMatch(await page.locator('.instructors').textContent(), /file:/);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

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
