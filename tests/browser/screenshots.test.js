// Phone width and dark mode: no horizontal overflow, charts big enough, and screenshots in
// tests/browser/screenshots/ (gitignored) for a person to look at.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');

describe('layouts and colour schemes', () => {
  let chromium;
  before(async () => {
    h.requireDist();
    chromium = await h.launch();
    fs.mkdirSync(h.SCREENSHOTS, { recursive: true });
  });
  after(async () => {
    if (chromium) await chromium.close();
  });

  const CASES = [
    { name: 'phone-light', viewport: { width: 375, height: 800 }, colorScheme: 'light' },
    { name: 'phone-dark', viewport: { width: 375, height: 800 }, colorScheme: 'dark' },
    { name: 'desktop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark' },
    { name: 'desktop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light' },
    { name: 'embed-phone-dark', viewport: { width: 375, height: 800 }, colorScheme: 'dark', query: '?embed=retention' },
    { name: 'embed-architectures-phone-light', viewport: { width: 375, height: 800 }, colorScheme: 'light', query: '?embed=architectures' },
    { name: 'embed-memory-phone-dark', viewport: { width: 375, height: 800 }, colorScheme: 'dark', query: '?embed=memory' },
    { name: 'embed-parallel-phone-dark', viewport: { width: 375, height: 800 }, colorScheme: 'dark', query: '?embed=parallel' },
    { name: 'embed-parallel-desktop-light', viewport: { width: 1280, height: 900 }, colorScheme: 'light', query: '?embed=parallel&predict.parallel=2' },
    { name: 'embed-memory-desktop-dark', viewport: { width: 1280, height: 900 }, colorScheme: 'dark', query: '?embed=memory' },
  ];

  for (const c of CASES) {
    it(c.name, async () => {
      const context = await chromium.browser.newContext({ viewport: c.viewport, colorScheme: c.colorScheme, reducedMotion: 'reduce' });
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      try {
        await page.goto(h.fileUrl(c.query));
        assert.equal(await h.waitReady(page), 'ready');
        // Charts are made as their panels come near the screen: scrolled through, as a reader would.
        await h.showCharts(page, await page.$$eval('.chart-box canvas', (cs) => cs.filter((x) => x.offsetParent).map((x) => x.id)));
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(overflow <= 0, 'no horizontal scrolling (' + overflow + ' px too wide)');
        const sizes = await page.$$eval('.chart-box canvas', (cs) => cs.filter((x) => x.offsetParent).map((x) => [x.clientWidth, x.clientHeight]));
        for (const [w, hgt] of sizes) {
          assert.ok(w >= Math.min(300, c.viewport.width - 80) && hgt >= 280, 'chart size ' + w + 'x' + hgt);
        }
        // The charts follow the scheme: their background is the page's surface colour.
        const bg = await page.evaluate(() => Chart.getChart(Array.from(document.querySelectorAll('.chart-box canvas')).find((x) => x.offsetParent))
          .options.plugins.lessonBackground.color);
        assert.equal(bg, c.colorScheme === 'dark' ? '#1b1e23' : '#ffffff');
        await page.screenshot({ path: path.join(h.SCREENSHOTS, c.name + '.png'), fullPage: true });
        assert.deepEqual(watched.errors, []);
      } finally {
        await context.close();
      }
    });
  }
});
