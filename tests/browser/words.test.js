// The lesson's words around its numbers: predict mode really covers each result until a
// guess is made; chart descriptions and status lines carry the current run's figures; one
// quantity has one value wherever it is quoted; axes do not draw impossible values.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

describe('the lesson text beside the numbers', () => {
  const env = h.useBrowser();

  async function open(query, body) {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(env.site.url + query);
      await body(page);
      assert.deepEqual(watched.errors, [], 'console errors');
    } finally {
      await context.close();
    }
  }

  const visible = (page, selector) => page.locator(selector).first().isVisible();
  const statusDone = (id) => (page) => page.waitForFunction((sel) => /Computed/.test(document.querySelector(sel).textContent),
    '#experiment-' + id + ' [data-role="status"]', { timeout: 30000, polling: 50 });

  it('predict=1 covers every result until a guess is committed or skipped', async () => {
    await open('?predict=1', async (page) => {
      for (const e of ['timing', 'gradient', 'retention', 'architectures', 'memory', 'recall']) await statusDone(e)(page);
      assert.equal(await page.isChecked('#predict-switch'), true, 'the switch shows the mode');
      for (const e of ['timing', 'gradient', 'retention', 'architectures', 'memory', 'parallel', 'recall']) {
        const s = '#experiment-' + e;
        assert.equal(await visible(page, s + ' figure.chart'), false, e + ': chart covered');
        assert.equal(await visible(page, s + ' [data-role="readout"]'), false, e + ': readout covered');
        assert.equal(await visible(page, s + ' .notice'), false, e + ': notice covered');
        assert.equal(await visible(page, s + ' fieldset legend >> nth=-1'), true, e + ': the question is shown');
      }
      // Nothing of a covered result leaks through the status line or the summary table.
      assert.match(await page.textContent('#experiment-gradient [data-role="status"]'), /^Experiment 2: Computed on this device/);
      assert.match(await page.textContent('#summary-gradient-rnn'), /Hidden until you make your guess in experiment 2/);
      assert.equal(await page.locator('#experiment-gradient .predict-result').innerText(), 'The result is ready. Make your guess to see it.');

      // Commit without a choice: asked to choose; then choose and commit.
      const gradient = page.locator('#experiment-gradient');
      await gradient.getByRole('button', { name: 'Show the result' }).click();
      assert.match(await gradient.locator('.predict-result').innerText(), /Pick one of the answers first/);
      assert.equal(await visible(page, '#experiment-gradient figure.chart'), false);
      await gradient.getByLabel('×10⁻⁴').check();
      await gradient.getByRole('button', { name: 'Show the result' }).click();
      assert.equal(await visible(page, '#experiment-gradient figure.chart'), true, 'revealed');
      assert.equal(await visible(page, '#experiment-gradient [data-role="readout"]'), true);
      assert.match(await gradient.locator('.predict-result').innerText(), /^You guessed ×10⁻⁴\. Measured: ×[\d.×⁰-⁹⁻]+ \(/);
      assert.equal(await page.evaluate(() => document.activeElement.dataset.role), 'prediction', 'focus on the comparison');
      await page.waitForFunction(() => location.search.includes('predict.gradient=1e-4'));
      assert.doesNotMatch(await page.textContent('#summary-gradient-rnn'), /Hidden/);
      assert.equal(await gradient.getByLabel('×10⁻⁴').isDisabled(), true, 'a committed guess is final');

      // Skip shows the result with the measurement only.
      const retention = page.locator('#experiment-retention');
      await retention.getByRole('button', { name: 'Skip: just show it' }).click();
      assert.equal(await visible(page, '#experiment-retention figure.chart'), true);
      assert.match(await retention.locator('.predict-result').innerText(), /^Measured: \S+% after 25 steps\.$/);

      // Switching the mode off uncovers the rest.
      await page.uncheck('#predict-switch');
      assert.equal(await visible(page, '#experiment-timing figure.chart'), true);
      await page.waitForFunction(() => !location.search.includes('predict=1'));
    });
  });

  it('without predict mode nothing gives the answer away before a guess', async () => {
    await open('?embed=gradient', async (page) => {
      await statusDone('gradient')(page);
      assert.equal(await page.locator('#experiment-gradient .predict-result').innerText(), '');
      assert.equal(await visible(page, '#experiment-gradient figure.chart'), true);
    });
  });

  it('chart descriptions, status and notice carry the same current figures', async () => {
    await open('?embed=gradient', async (page) => {
      await statusDone('gradient')(page);
      const figures = async () => ({
        label: await page.getAttribute('#chart-gradient', 'aria-label'),
        status: await page.textContent('#experiment-gradient [data-role="status"]'),
        readout: await page.locator('#experiment-gradient [data-role="readout"]').innerText(),
        notice: await page.textContent('#experiment-gradient [data-role="notice"]'),
      });
      const before = await figures();
      const decay = /Factor per step \(fitted\)\s+(×[\d.]+)/.exec(before.readout)[1];
      const at50 = /Gradient at k = 50\s+(\S+)/.exec(before.readout)[1];
      assert.ok(before.label.includes('Factor ' + decay + ' per step'), before.label);
      assert.ok(before.label.includes('at k = 50 it is ' + at50), 'the description quotes the readout’s k = 50 value');
      assert.ok(before.notice.includes('to ' + at50 + ','), 'the notice quotes the same k = 50 value: ' + before.notice);
      assert.match(before.status, new RegExp('^Experiment 2: ' + decay.replace('.', '\\.') + ' per step, ' + at50.replace(/[.×]/g, '.') + ' at k = 50\\. Computed'));
      await page.fill('#ctl-gradient-weight_scale', '0.5');
      await page.press('#ctl-gradient-weight_scale', 'Enter');
      await page.waitForFunction((old) => document.getElementById('chart-gradient').getAttribute('aria-label') !== old, before.label, { polling: 50 });
      await statusDone('gradient')(page);
      const after = await figures();
      const decay2 = /Factor per step \(fitted\)\s+(×[\d.]+)/.exec(after.readout)[1];
      assert.notEqual(decay2, decay);
      assert.ok(after.label.includes('Factor ' + decay2 + ' per step'), 'the description follows the new run');
    });
  });

  it('the whole lesson quotes one value per fact and no impossible axis', async () => {
    await open('', async (page) => {
      assert.equal(await h.waitReady(page, 60000), 'ready');
      await h.showCharts(page, ['chart-retention', 'chart-timing']);
      const readout = await page.locator('#experiment-gradient [data-role="readout"]').innerText();
      const at50 = /Gradient at k = 50\s+(\S+)/.exec(readout)[1];
      assert.ok((await page.textContent('#summary-gradient-rnn')).includes('at k = 50 the gradient is ' + at50), 'summary quotes the readout');
      // σ₁ and ρ are two quantities with two symbols; λ₁ is gone.
      assert.doesNotMatch(await page.textContent('body'), /λ₁/);
      // Experiment 3: nothing drawn below 0 while the kata's cosine is hidden; timing from 0.
      const axes = await page.evaluate(() => ({
        retention: Chart.getChart(document.getElementById('chart-retention')).scales.y.min,
        r2: Chart.getChart(document.getElementById('chart-retention')).data.datasets[3].data.map((p) => p.y),
        timing: Chart.getChart(document.getElementById('chart-timing')).scales.y.min,
      }));
      assert.ok(axes.retention >= 0, 'retention axis from ' + axes.retention);
      assert.ok(axes.r2.every((y) => y >= 0), 'held-out R² drawn from 0');
      assert.equal(axes.timing, 0);
      // No raw checksums and no "1 units" in the parallel section.
      const notice = await page.textContent('#experiment-parallel [data-role="notice"]');
      assert.doesNotMatch(notice, /\d{6,}/, 'no raw checksums: ' + notice);
      assert.doesNotMatch(await page.textContent('body'), /\b1 units\b|RNN wins everywhere/);
      // The status lines name their experiment (experiments 7 and 9 say they run when asked).
      const statuses = await page.$$eval('[data-role="status"]', (ps) => ps.map((p) => p.textContent));
      const asked = { 6: 'Not trained yet: press Train to start.', 8: 'Not measured yet: press Measure to start.' };  // experiments 7, 9
      statuses.forEach((s, i) => { if (asked[i]) assert.equal(s, asked[i]); else assert.match(s, new RegExp('^Experiment ' + (i + 1) + ': .*Computed')); });
    });
  });
});
