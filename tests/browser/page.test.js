// The whole lesson, from file:// and from a server with the strict CSP header: it becomes
// ready with data in every chart and no console errors or CSP violations; controls re-run
// their experiment and land in the URL, which restores them; Cancel and superseding work;
// the downloads carry the data.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const h = require('./harness.js');

describe('lesson page', () => {
  let chromium;
  let site;

  before(async () => {
    h.requireDist();
    chromium = await h.launch();
    site = await h.serve(h.DIST);
  });
  after(async () => {
    if (site) {
      await site.close();
      assert.deepEqual(site.reports, [], 'no CSP violation reported during the whole file');
    }
    if (chromium) await chromium.close();
  });

  async function open(url, options) {
    const context = await chromium.browser.newContext(Object.assign({ viewport: { width: 1280, height: 900 } }, options));
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    const started = Date.now();
    await page.goto(url);
    const state = await h.waitReady(page);
    return { context, page, watched, state, ms: Date.now() - started };
  }

  for (const [name, url] of [['file://', () => h.fileUrl()], ['http with the CSP header', () => site.url]]) {
    it('is ready with data in every chart, from ' + name, async () => {
      const { context, page, watched, state, ms } = await open(url());
      try {
        assert.equal(state, 'ready', 'lessonState');
        const lengths = await h.chartLengths(page);
        assert.ok(lengths.every((n) => n > 0), 'every chart has data: ' + lengths);
        // Every readout and summary cell was filled from a run.
        const readouts = await page.$$eval('[data-role="readout"] dd', (dds) => dds.map((d) => d.textContent));
        assert.ok(readouts.length >= 18 && readouts.every((t) => /\d/.test(t)), 'readouts: ' + readouts);
        // Each published result stands beside a measured figure.
        const claims = await page.$$eval('[data-role="claims"] li', (lis) => lis.map((li) => li.textContent));
        for (const cite of ['Pascanu', 'Hochreiter', 'Vaswani', 'Jaeger', 'Schlag']) {
          assert.ok(claims.some((t) => t.includes(cite) && /Measured here: .*\d/.test(t)), cite + ' beside a measurement: ' + claims);
        }
        const summary = await page.$$eval('.summary-table td', (tds) => tds.map((d) => d.textContent));
        assert.ok(summary.every((t) => !/waiting/.test(t) && /\d/.test(t)), 'summary: ' + summary);
        // Experiment 7 trains only when asked: at load it has no chart, figure or table yet.
        assert.equal(await page.getAttribute('#experiment-train', 'data-result'), 'idle');
        assert.match(await page.textContent('#summary-train-rnn'), /^not run yet: experiment 7 runs when you press its Train button\.$/);
        // So does experiment 9 (the GPU): it measures only when asked.
        assert.equal(await page.getAttribute('#experiment-gpu', 'data-result'), 'idle');
        assert.match(await page.textContent('#summary-gpu-rnn'), /^not run yet: experiment 9 runs when you press its Measure button\.$/);
        // Tables are built when their <details> opens.
        for (const summary of await page.locator('details.data > summary').all()) await summary.click();
        // (A table is filled on its <details>' toggle event, which fires after the click returns.)
        await page.waitForFunction(() => Array.from(document.querySelectorAll('section:not(#experiment-train):not(#experiment-gpu) [data-role="table"]'))
          .every((t) => t.querySelector('tbody tr')), null, { timeout: 5000, polling: 50 });
        const rows = await page.$$eval('section:not(#experiment-train):not(#experiment-gpu) [data-role="table"]', (ts) => ts.map((t) => t.querySelectorAll('tbody tr').length));
        assert.equal(rows.length, 13, 'one table per experiment, two for experiments 4 and 8, three for 5 and 6 (7 and 9: none before they run)');
        assert.ok(rows.every((n) => n > 0), 'data tables are filled: ' + rows);
        // All charts of the page, recomputed at the defaults on arrival: the target is 1 s.
        const computed = await page.$$eval('[data-role="status"]', (ps) => ps.map((p) => p.textContent));
        console.log('  ' + computed.join('\n  '));
        assert.equal(await page.locator('#url-messages').isVisible(), false, 'no URL message for a clean URL');
        assert.deepEqual(watched.errors, [], 'console errors / CSP violations');
        console.log('  ready from ' + name + ' in ' + ms + ' ms');
      } finally {
        await context.close();
      }
    });
  }

  it('every control has a label, and the page can be worked from the keyboard', async () => {
    const { context, page } = await open(site.url + '?embed=retention');
    try {
      const unlabelled = await page.$$eval('input, select, button', (els) => els
        .filter((e) => e.offsetParent && e.type !== 'hidden')
        .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.textContent.trim())
        .map((e) => e.outerHTML.slice(0, 80)));
      assert.deepEqual(unlabelled, []);
      // Tab to the first number field, type a value, Enter: it runs and lands in the URL.
      let focused = '';
      for (let i = 0; i < 30 && focused !== 'ctl-retention-hidden_size'; ++i) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(() => document.activeElement.id);
      }
      assert.equal(focused, 'ctl-retention-hidden_size');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, 'none', 'focus is visible');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('12');
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => /retention\.hidden_size=12/.test(location.search));
    } finally {
      await context.close();
    }
  });

  it('re-runs on a control change, writes the URL, and the URL restores it', async () => {
    const { context, page, watched } = await open(site.url);
    try {
      const before = await h.chartData(page, 'chart-gradient');
      const input = page.locator('#ctl-gradient-hidden_size');
      await input.fill('24');
      await input.press('Enter');
      await page.waitForFunction((old) =>
        JSON.stringify(Chart.getChart(document.getElementById('chart-gradient')).data.datasets[0].data) !== old, before);
      assert.match(page.url(), /[?&]gradient\.hidden_size=24(&|$)/);

      // The keyboard moves a slider, which runs too.
      const timingBefore = page.url();
      await page.focus('[data-key="retention.max_steps"] input[type="range"]');
      await page.keyboard.press('ArrowLeft');
      await page.waitForFunction(() => /retention\.max_steps=199/.test(location.search));
      assert.notEqual(page.url(), timingBefore);
      await page.waitForFunction(() =>
        Chart.getChart(document.getElementById('chart-retention')).data.datasets[0].data.length === 200);

      const saved = page.url();
      const again = await open(saved);
      try {
        assert.equal(again.state, 'ready');
        assert.equal(await again.page.inputValue('#ctl-gradient-hidden_size'), '24');
        assert.equal(await again.page.inputValue('#ctl-retention-max_steps'), '199');
        assert.equal(await h.chartData(again.page, 'chart-gradient'),
          await h.chartData(page, 'chart-gradient'), 'same settings, same (seeded) gradient data');
        assert.deepEqual(again.watched.errors, []);
      } finally {
        await again.context.close();
      }
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('experiments 4 and 5: a control re-runs and lands in the URL, which restores it; show_n redraws without a run', async () => {
    const { context, page, watched } = await open(site.url + '?embed=architectures');
    try {
      const label = () => page.evaluate(() => Chart.getChart(document.getElementById('chart-architectures')).data.datasets[3].label);
      assert.match(await label(), /^LSTM ×0\.\d+ per step$/);
      await page.fill('#ctl-architectures-forget_bias', '4');
      await page.press('#ctl-architectures-forget_bias', 'Enter');
      await page.waitForFunction(() => /architectures\.forget_bias=4(&|$)/.test(location.search));
      // A forget gate held open keeps the LSTM's gradient from fading.
      await page.waitForFunction(() => /^LSTM ×(0\.99|1\.0)/.test(
        Chart.getChart(document.getElementById('chart-architectures')).data.datasets[3].label));
      const shown = await h.chartData(page, 'chart-architectures');
      const again = await open(page.url());
      try {
        assert.equal(again.state, 'ready');
        assert.equal(await again.page.inputValue('#ctl-architectures-forget_bias'), '4');
        assert.equal(await h.chartData(again.page, 'chart-architectures'), shown, 'same settings, same (seeded) data');
        assert.deepEqual(again.watched.errors, []);
      } finally {
        await again.context.close();
      }
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }

    const memory = await open(site.url + '?embed=memory&memory.hidden_sizes=4,12&memory.train_steps=200&memory.seeds=2');
    try {
      assert.equal(memory.state, 'ready');
      const r2Label = () => memory.page.evaluate(() => Chart.getChart(document.getElementById('chart-memory-r2')).data.datasets[0].label);
      assert.match(await r2Label(), /at H = 12 /, 'the largest H by default');
      const status = await memory.page.textContent('#experiment-memory [data-role="status"]');
      await memory.page.fill('#ctl-memory-show_n', '5');
      await memory.page.press('#ctl-memory-show_n', 'Enter');
      await memory.page.waitForFunction(() => /memory\.show_n=5(&|$)/.test(location.search));
      assert.match(await r2Label(), /at H = 4 /, 'the nearest H run');
      assert.match(await memory.page.textContent('#experiment-memory [data-role="readout"]'), /MC at H = 4/);
      assert.equal(await memory.page.textContent('#experiment-memory [data-role="status"]'), status, 'redrawn, not run again');
      assert.deepEqual(memory.watched.errors, []);
    } finally {
      await memory.context.close();
    }
  });

  it('from file:// too, a change lands in the URL and the full-lesson link', async () => {
    const { context, page, watched } = await open(h.fileUrl('?embed=gradient'));
    try {
      await page.fill('#ctl-gradient-hidden_size', '12');
      await page.press('#ctl-gradient-hidden_size', 'Enter');
      await page.waitForFunction(() => /gradient\.hidden_size=12/.test(location.search));
      assert.match(await page.getAttribute('#open-full', 'href'), /^file:.*\?gradient\.hidden_size=12$/);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('a newer change supersedes an older one', async () => {
    const { context, page } = await open(site.url + '?embed=gradient');
    try {
      const input = page.locator('#ctl-gradient-hidden_size');
      for (const v of ['20', '21', '22', '23']) {
        await input.fill(v);
        await input.press('Enter');
      }
      // Each value is applied once the checker has answered (ms): then it is in the URL.
      await page.waitForFunction(() => /gradient\.hidden_size=23/.test(location.search));
      await page.waitForFunction(() => /Computed/.test(document.querySelector('#experiment-gradient [data-role="status"]').textContent) &&
        !document.querySelector('#experiment-gradient').classList.contains('is-running'));
      const shown = await h.chartData(page, 'chart-gradient');
      const fresh = await open(site.url + '?embed=gradient&gradient.hidden_size=23');
      try {
        assert.equal(shown, await h.chartData(fresh.page, 'chart-gradient'), 'the chart shows the last request');
      } finally {
        await fresh.context.close();
      }
    } finally {
      await context.close();
    }
  });

  it('Cancel stops a long run, drops it, and the next run works', async () => {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      // About 12 s of timing: 51 trials x 6 lengths x 40 ms.
      await page.goto(site.url + '?embed=timing&timing.trials=51&timing.min_interval_ms=40');
      const section = page.locator('#experiment-timing');
      await section.locator('[data-role="busy"]').waitFor({ state: 'visible', timeout: 5000 });
      const started = Date.now();
      await section.locator('[data-role="cancel"]').click();
      await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#experiment-timing [data-role="status"]').textContent));
      assert.ok(Date.now() - started < 2000, 'cancel takes effect at once');
      assert.equal(await section.locator('[data-role="busy"]').isVisible(), false);
      assert.deepEqual(await h.chartLengths(page, ['chart-timing']), [0], 'nothing from the cancelled run');
      // Nothing runs and nothing failed, but the experiment has no result: not ready.
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lessonState), 'incomplete');

      await page.locator('#ctl-timing-trials').fill('1');
      await page.locator('#ctl-timing-trials').press('Enter');
      await page.locator('#ctl-timing-min_interval_ms').fill('1');
      await page.locator('#ctl-timing-min_interval_ms').press('Enter');
      assert.equal(await h.waitReady(page), 'ready');
      assert.deepEqual(await h.chartLengths(page, ['chart-timing']), [6]);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('the strict CSP reports no violation, from the page or the worker, across everything above', async () => {
    const { context, page, watched } = await open(site.url);
    try {
      await page.locator('#ctl-gradient-compare_kata').uncheck();
      await page.selectOption('#ctl-gradient-mode', 'kata');
      await page.waitForFunction(() => /kata/.test(Chart.getChart(document.getElementById('chart-gradient')).data.datasets[0].label));
      await page.locator('#experiment-retention details.data > summary').click();
      // The charts follow a live change of colour scheme.
      await page.emulateMedia({ colorScheme: 'dark' });
      await h.showCharts(page, h.CHARTS);
      await page.waitForFunction((ids) => ids.every((id) =>
        Chart.getChart(document.getElementById(id)).options.plugins.lessonBackground.color === '#1b1e23'), h.CHARTS);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
    // Reports arrive asynchronously.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(site.reports, [], 'CSP reports received by the server');
  });

  it('downloads the CSV and the PNG', async () => {
    const { context, page } = await open(site.url + '?embed=timing');
    try {
      const [csv] = await Promise.all([page.waitForEvent('download'),
        page.click('#experiment-timing [data-role="csv"]')]);
      assert.equal(csv.suggestedFilename(), 'rnn-lesson-timing.csv');
      const text = fs.readFileSync(await csv.path(), 'utf8');
      // After the three '# ' lines saying what it is (tests/browser/course.test.js checks them).
      const lines = text.trim().split('\n').slice(3);
      assert.match(lines[0], /^length L,median ms/);
      assert.equal(lines.length, 7, 'header + 6 lengths');
      const [png] = await Promise.all([page.waitForEvent('download'),
        page.click('#experiment-timing [data-role="png"]')]);
      assert.equal(png.suggestedFilename(), 'rnn-lesson-timing.png');
      const bytes = fs.readFileSync(await png.path());
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      assert.ok(bytes.length > 5000, 'a real image');
    } finally {
      await context.close();
    }
  });

  it('experiment 5 downloads each of its tables as CSV, and one PNG holding all three charts', async () => {
    const { context, page } = await open(site.url + '?embed=memory&memory.hidden_sizes=4,8&memory.seeds=1&memory.train_steps=100');
    try {
      const expect = [['rnn-lesson-memory.csv', /^hidden size H,RNN \(tanh\) MC median/, 2],
        ['rnn-lesson-memory-r2.csv', /^delay k,RNN \(tanh\) r² median/, 100],
        ['rnn-lesson-memory-attention.csv', /^context length n,median accuracy,quartile 1,quartile 3,chance 1\/n/, 6]];
      for (let i = 0; i < expect.length; ++i) {
        const [csv] = await Promise.all([page.waitForEvent('download'),
          page.click('#experiment-memory [data-role="csv"][data-table="' + i + '"]')]);
        assert.equal(csv.suggestedFilename(), expect[i][0]);
        const all = fs.readFileSync(await csv.path(), 'utf8').trim().split('\n');
        assert.deepEqual(all.slice(0, 4).map((l) => l.startsWith('# ')), [true, true, true, false], 'three header lines');
        const lines = all.slice(3);
        assert.match(lines[0], expect[i][1]);
        assert.equal(lines.length, 1 + expect[i][2], expect[i][0] + ' rows');
      }
      const [png] = await Promise.all([page.waitForEvent('download'), page.click('#experiment-memory [data-role="png"]')]);
      assert.equal(png.suggestedFilename(), 'rnn-lesson-memory.png');
      const bytes = fs.readFileSync(await png.path());
      const height = bytes.readUInt32BE(20);
      const canvases = await page.$$eval('#experiment-memory .chart-box canvas', (cs) => cs.map((c) => c.height));
      const charts = canvases.reduce((a, b) => a + b, 0);
      assert.ok(height > charts + 40 && height < charts + 300, 'the three charts stacked under the header: ' + height + ' vs ' + charts);
    } finally {
      await context.close();
    }
  });
});
