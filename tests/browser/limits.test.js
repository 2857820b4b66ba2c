// No control breaks the page (issue 8, section 3): a slider dragged to either end, a value
// from the address at either extreme, or a typed value over a work cap never puts the page in
// its error state. Sliders span only what the core accepts with the other settings; a refused
// typed value gets one plain sentence and the last good value, URL and chart stay.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

// Experiment 7 trains only when its button is pressed: a control there changes what Train will
// run, and the page stays ready.
const EXPERIMENTS = ['timing', 'gradient', 'retention', 'architectures', 'memory', 'parallel', 'train', 'recall'];
const RUN_MS = 120000;
// Settings under which each experiment runs quickly, so that every end of every control can
// run to completion: experiment 1 with one trial per length (7 otherwise), the parallel
// section on a short, narrow, single-sequence batch. A tested key replaces its entry here.
const BASE = { timing: ['timing.trials=1'], parallel: ['parallel.length=256', 'parallel.batch=1', 'parallel.hidden_size=8'] };
const query = (experiment, extra) => '?' + ['embed=' + experiment].concat((BASE[experiment] || [])
  .filter((kv) => !extra || kv.split('=')[0] !== extra.split('=')[0])).concat(extra ? [extra] : []).join('&');

describe('no control breaks the page', () => {
  const env = h.useBrowser();

  async function open(query) {
    const context = await env.chromium.browser.newContext();
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    await page.goto(env.site.url + query);
    const state = await h.waitReady(page, RUN_MS);
    return { context, page, watched, state };
  }

  // What the page shows as an error: its state, any experiment's error line, the fatal box.
  function errors(page) {
    return page.evaluate(() => {
      const shown = Array.from(document.querySelectorAll('[data-role="error"], #fatal')).filter((e) => !e.hidden && e.textContent);
      return { state: document.documentElement.dataset.lessonState, texts: shown.map((e) => e.textContent) };
    });
  }

  // Sets a control like a learner would (a slider's input event; a field's text and Enter) and
  // waits until the experiment has run again or refused the value. -> false if nothing changed.
  async function drive(page, experiment, key, how, value) {
    const section = '#experiment-' + experiment;
    const target = await page.evaluate(({ section, key, how, value }) => {
      const box = document.querySelector(section + ' [data-key="' + key + '"]');
      const slider = box.querySelector('input[type="range"]');
      document.querySelector(section + ' [data-role="status"]').textContent = 'limits-test: waiting';
      if (how === 'type') return value;
      const v = slider[how];
      if (slider.value === v) return null;
      slider.value = v;
      slider.dispatchEvent(new Event('input', { bubbles: true }));
      return v;
    }, { section, key, how, value });
    if (target === null) return false;
    if (how === 'type') {
      const field = page.locator(section + ' [data-key="' + key + '"] input:not([type="range"])');
      await field.fill(value);
      await field.press('Enter');
    }
    await page.waitForFunction(({ section, key }) => {
      const s = document.querySelector(section);
      const status = s.querySelector('[data-role="status"]').textContent;
      const problem = s.querySelector('[data-key="' + key + '"] .field-error');
      return (!problem.hidden && /limits-test/.test(status)) ||
        (!/limits-test|Running/.test(status) && !s.classList.contains('is-running'));
    }, { section, key }, { timeout: RUN_MS, polling: 100 });
    return target;
  }

  for (const experiment of EXPERIMENTS) {
    it(experiment + ': every slider at its minimum and its maximum runs', async () => {
      const { context, page, watched, state } = await open(query(experiment));
      try {
        assert.equal(state, 'ready');
        const keys = await page.$$eval('#experiment-' + experiment + ' [data-key] input[type="range"]',
          (sliders) => sliders.filter((s) => !s.disabled).map((s) => s.closest('[data-key]').dataset.key));
        assert.ok(keys.length > 0);
        for (const key of keys) {
          for (const end of ['max', 'min']) {
            const value = await drive(page, experiment, key, end);
            assert.deepEqual(await errors(page), { state: 'ready', texts: [] }, key + ' at its ' + end + ' (' + value + ')');
            if (value !== false) {
              const kept = await page.$eval('[data-key="' + key + '"] input:not([type="range"])', (i) => Number(i.value));
              assert.equal(kept, Number(value), key + ': the value reached is the one run');
            }
          }
        }
        assert.deepEqual(watched.errors, []);
      } finally {
        await context.close();
      }
    });
  }

  it('timing: long sequence lengths, then the hidden size slider to its maximum', async () => {
    const { context, page, state } = await open('?embed=timing&timing.trials=1');
    try {
      assert.equal(state, 'ready');
      await drive(page, 'timing', 'timing.lengths', 'type', '1000,20000');
      assert.match(page.url(), /timing\.lengths=1000,20000/);
      const max = await drive(page, 'timing', 'timing.hidden_size', 'max');
      // H * (H + 8) * 21000 <= 1e9 multiply-adds allows 214, (H + 8) * 20000 <= 4e6 floats only 192.
      assert.equal(max, '192');
      assert.deepEqual(await errors(page), { state: 'ready', texts: [] });
      assert.match(await page.textContent('#ctl-timing-hidden_size-hint'), /Up to 192 with the other settings as they are\./);
    } finally {
      await context.close();
    }
  });

  it('a typed value over the cap is refused in one sentence; value, URL and chart stay', async () => {
    const { context, page, state } = await open('?embed=timing&timing.hidden_size=40&timing.trials=1');
    try {
      assert.equal(state, 'ready');
      const chart = await h.chartData(page, 'chart-timing');
      await drive(page, 'timing', 'timing.hidden_size', 'type', '900');
      assert.equal(await page.textContent('#ctl-timing-hidden_size-error'),
        'Hidden size H can be at most 505 with the other settings as they are; kept 40.');
      assert.equal(await page.inputValue('#ctl-timing-hidden_size'), '40');
      assert.match(page.url(), /timing\.hidden_size=40(&|$)/);
      assert.equal(await h.chartData(page, 'chart-timing'), chart, 'the last good chart stays');
      assert.deepEqual(await errors(page), { state: 'ready', texts: [] });
      // A list: 27 x 19000 + 20000 = 533,000 steps; H = 40 allows 1e9 / (40 * 48) = 520,833, so with
      // the others kept the largest may be 7,833.
      await drive(page, 'timing', 'timing.lengths', 'type', Array(27).fill(19000).concat([20000]).join(','));
      assert.equal(await page.textContent('#ctl-timing-lengths-error'), 'Sequence lengths L: with these other values ' +
        'and settings the largest can be at most 7833; kept 50,100,200,500,1000,2000.');
      assert.equal(await page.inputValue('#ctl-timing-lengths'), '50,100,200,500,1000,2000');
      assert.deepEqual(await errors(page), { state: 'ready', texts: [] });
    } finally {
      await context.close();
    }
  });

  it('a refused combination in the address is reduced before the first run and listed', async () => {
    const { context, page, state } = await open('?embed=timing&timing.hidden_size=1024&timing.trials=1&hide=seed,no_such_setting');
    try {
      assert.equal(state, 'ready');
      assert.equal(await page.inputValue('#ctl-timing-hidden_size'), '505');
      const text = await page.textContent('#url-messages');
      assert.match(text, /timing\.hidden_size=1024: Hidden size H can be at most 505 with the other settings, so 505 is used\./);
      assert.match(text, /"no_such_setting" is not a setting on this page/);
      assert.match(page.url(), /timing\.hidden_size=505/);
    } finally {
      await context.close();
    }
  });

  // Every parameter from the address at 1e9 (clamped to its range, then fitted to the
  // others), on top of BASE; then all of an experiment's parameters at -1e9 at once (each
  // single minimum is also reached by the slider test above).
  for (const experiment of EXPERIMENTS) {
    it(experiment + ': parameters at +-1e9 in the address end ready', async () => {
      const probe = await open(query(experiment));
      const names = await probe.page.$$eval('#experiment-' + experiment + ' [data-key] input:not([type="range"]), #experiment-' +
        experiment + ' [data-key] select', (inputs) => inputs.map((i) => i.closest('[data-key]').dataset.key));
      await probe.context.close();
      const urls = names.map((key) => query(experiment, key + '=1e9'))
        .concat(['?embed=' + experiment + '&' + names.map((key) => key + '=-1e9').join('&')]);
      for (const url of urls) {
        const { context, page, watched, state } = await open(url);
        try {
          assert.deepEqual(await errors(page), { state: 'ready', texts: [] }, url);
          assert.equal(state, 'ready');
          assert.deepEqual(watched.errors, []);
        } finally {
          await context.close();
        }
      }
    });
  }
});
