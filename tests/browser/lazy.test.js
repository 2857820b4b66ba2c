// Charts made only near the screen (web/panel-charts.js): at load, a panel far below the first
// screen shows its run's words at once but has no chart yet; scrolled to, it gets the chart of
// that same run (equal, point for point, to the chart the panel draws at once when embedded
// alone); a panel scrolled to while a measurement holds the cores waits for it; and printing
// draws every chart, near or not, but none for an experiment that has not run.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

const FAR = 'recall';  // 20 screens down at 1280 x 900
const CANVAS = 'chart-recall';

describe('charts made near the screen', () => {
  const env = h.useBrowser();

  // Runs fn(page) on a fresh load of `query`, ready, then checks it logged no error.
  const inPage = async (query, fn) => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    try {
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      await page.goto(env.site.url + query);
      assert.equal(await h.waitReady(page, 90000), 'ready');
      const out = await fn(page);
      assert.deepEqual(watched.errors, []);
      return out;
    } finally {
      await context.close();
    }
  };
  const hasChart = (page, id) => page.evaluate((cid) => !!window.Chart.getChart(document.getElementById(cid)), id);
  const marks = (page) => page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));

  it('a far panel shows its words at load, and the same run\'s chart once scrolled to', async () => {
    const expected = await inPage('?embed=' + FAR, async (page) => {
      assert.equal(await hasChart(page, CANVAS), true, 'embedded alone, the panel is on the first screen: drawn at once');
      return h.chartData(page, CANVAS);
    });

    await inPage('', async (page) => {
      assert.equal(await page.evaluate((id) => scrollY === 0 && document.getElementById(id).getBoundingClientRect().top > 4 * innerHeight,
        'experiment-' + FAR), true, 'the panel starts far below the first screen');
      assert.equal(await hasChart(page, 'chart-timing'), true, 'the first experiment, within a screen of the first one, is drawn');
      assert.equal(await hasChart(page, CANVAS), false, 'the far panel has no chart yet');
      assert.equal(await page.getAttribute('#experiment-' + FAR, 'data-result'), 'current');
      assert.notEqual((await page.textContent('#experiment-' + FAR + ' [data-role="readout"]')).trim(), '', 'its readout is filled');
      assert.ok((await marks(page)).includes('lesson:shown ' + FAR));
      assert.ok(!(await marks(page)).includes('lesson:drawn ' + FAR));

      assert.equal(await h.chartData(page, CANVAS), expected, 'scrolled to: the chart of the run computed at load');
      assert.ok((await marks(page)).includes('lesson:drawn ' + FAR));
    });
  });

  it('a panel scrolled to while a measurement holds the cores (the parallel section\'s pool) waits for it', async () => {
    await inPage('', async (page) => {
      await page.evaluate(() => { window.RnnLesson.tasks.hold(new Promise((resolve) => { window.releaseHold = resolve; })); });
      await page.evaluate((id) => document.getElementById(id).scrollIntoView({ block: 'center' }), CANVAS);
      await page.waitForTimeout(600);
      assert.equal(await hasChart(page, CANVAS), false, 'held: no chart made');
      await page.evaluate(() => window.releaseHold());
      await h.showCharts(page, CANVAS);
      assert.equal(await hasChart(page, CANVAS), true, 'made once released');
    });
  });

  it('printing draws every chart, near the screen or not', async () => {
    await inPage('', async (page) => {
      const ids = await page.$$eval('.chart-box canvas', (cs) => cs.filter((x) => x.offsetParent).map((x) => x.id));
      assert.ok(ids.length >= 12, ids.length + ' charts shown on the page');
      assert.ok((await Promise.all(ids.map((id) => hasChart(page, id)))).some((made) => !made), 'some are not made before printing');
      await page.emulateMedia({ media: 'print' });  // print.js hears the print media query change
      await page.waitForFunction(() => document.documentElement.classList.contains('printing'), null, { polling: 50, timeout: 5000 });
      const made = await Promise.all(ids.map((id) => hasChart(page, id)));
      assert.deepEqual(ids.filter((id, i) => !made[i]), [], 'every chart made for printing');
      // Each shows its panel's run (experiment 9 without WebGPU has no data to show).
      const empty = await page.evaluate((list) => list.filter((id) =>
        !window.Chart.getChart(document.getElementById(id)).data.datasets.some((d) => d.data.length) &&
        !document.getElementById(id).closest('section').classList.contains('nothing-measured')), ids);
      assert.deepEqual(empty, []);
      // Experiment 7 has not run: still no figure, and no empty chart made for the print.
      assert.equal(await page.evaluate(() => document.getElementById('experiment-train').classList.contains('no-charts-yet') &&
        !window.Chart.getChart(document.getElementById('chart-train'))), true);
    });
  });
});
