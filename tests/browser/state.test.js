// The page's state is a function of its settings, not of its history: after hundreds of
// rapid changes through the controls, the page (its readiness, which experiments have
// current results, every chart of a deterministic experiment, every control) is the same as
// a fresh load of its own address. A change that never ran (cancelled) leaves its chart
// marked as from earlier settings, and the state says which experiment that is.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

// Seeded experiments give the same numbers on every load; timing and the parallel section
// measure time, so only their state is compared, not their data.
const DETERMINISTIC = ['gradient', 'retention', 'architectures', 'memory'];
const CHANGED = ['timing'].concat(DETERMINISTIC);

// Everything about the page that should follow from its address.
function snapshot(page) {
  return page.evaluate((deterministic) => {
    const root = document.documentElement;
    const sections = Array.from(document.querySelectorAll('section.experiment'));
    const charts = {};
    for (const e of deterministic) {
      charts[e] = Array.from(document.querySelectorAll('#experiment-' + e + ' canvas')).map((canvas) => {
        const chart = window.Chart.getChart(canvas);
        return chart ? JSON.stringify(chart.data.datasets.map((d) => d.data)) : null;
      });
    }
    const controls = Array.from(document.querySelectorAll('[data-role="controls"] input, [data-role="controls"] select'))
      .map((el) => el.id + '=' + (el.type === 'checkbox' ? el.checked : el.value));
    return {
      search: location.search,
      state: root.dataset.lessonState,
      current: root.dataset.lessonCurrent,
      stale: root.dataset.lessonStale,
      results: sections.map((s) => s.dataset.experiment + ':' + s.dataset.result),
      staleMarks: sections.filter((s) => s.classList.contains('is-stale')).map((s) => s.dataset.experiment),
      charts: charts,
      controls: controls,
    };
  }, DETERMINISTIC);
}

const settledState = (page, timeout) => page.waitForFunction(() => document.documentElement.dataset.lessonState !== 'loading',
  null, { timeout: timeout, polling: 100 });

describe('the page state follows the settings, not their history', () => {
  const env = h.useBrowser();

  async function newPage() {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    return { context, page, watched };
  }

  it('after 300 rapid changes the page equals a fresh load of its own address', async () => {
    const live = await newPage();
    const fresh = await newPage();
    try {
      await live.page.goto(env.site.url);
      assert.equal(await h.waitReady(live.page, 60000), 'ready');
      // 300 changes in quick bursts: sliders dragged, values typed (some far beyond what the
      // other settings allow), choices and switches flipped; seeded, so a failure repeats.
      await live.page.evaluate(async (experiments) => {
        let seed = 12345;
        const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        const pick = (list) => list[Math.floor(random() * list.length)];
        const controls = experiments.flatMap((e) => Array.from(document.querySelectorAll(
          '#experiment-' + e + ' [data-role="controls"] input, #experiment-' + e + ' [data-role="controls"] select')))
          .filter((el) => !el.disabled && !el.closest('[hidden]'));
        for (let i = 0; i < 300; ++i) {
          const el = pick(controls);
          if (el.tagName === 'SELECT') {
            el.value = pick(Array.from(el.options)).value;
            el.dispatchEvent(new Event('change'));
          } else if (el.type === 'checkbox') {
            el.checked = !el.checked;
            el.dispatchEvent(new Event('change'));
          } else if (el.type === 'range') {
            const lo = Number(el.min);
            const hi = Number(el.max);
            el.value = String(lo + (hi - lo) * random() * random());  // mostly the cheaper end
            el.dispatchEvent(new Event('input'));
          } else if (el.type === 'number') {
            const lo = Number(el.min);
            const hi = Number(el.max);
            el.value = String(random() < 0.2 ? hi : lo + (hi - lo) * random() * random() * random());
            el.dispatchEvent(new Event('change'));
          }
          if (i % 10 === 9) await new Promise((resolve) => setTimeout(resolve, random() * 150));
        }
      }, CHANGED);
      await settledState(live.page, 240000);
      // The checker and the debounced runs may still be catching up with the last change.
      await live.page.waitForTimeout(1500);
      await settledState(live.page, 240000);
      const after = await snapshot(live.page);
      assert.ok(after.search.length > 1, 'the changes reached the address');
      assert.deepEqual(after.staleMarks, [], 'no chart is marked stale after changes that all ran');

      await fresh.page.goto(env.site.url + after.search);
      await settledState(fresh.page, 240000);
      const again = await snapshot(fresh.page);
      assert.equal(again.search, after.search, 'the fresh load keeps its address');
      assert.equal(after.state, again.state, 'state');
      assert.equal(after.current, again.current, 'experiments with current results');
      assert.deepEqual(after.results, again.results, 'each panel\'s result');
      assert.deepEqual(after.controls, again.controls, 'every control');
      for (const e of DETERMINISTIC) assert.deepEqual(after.charts[e], again.charts[e], e + ': every chart');
      assert.deepEqual(live.watched.errors, [], 'console errors (live)');
      assert.deepEqual(fresh.watched.errors, [], 'console errors (fresh)');
    } finally {
      await live.context.close();
      await fresh.context.close();
    }
  });

  it('a cancelled change leaves its chart marked as from earlier settings, and Run brings it back', async () => {
    const { context, page, watched } = await newPage();
    try {
      await page.goto(env.site.url + '?timing.trials=3&timing.min_interval_ms=20');
      assert.equal(await h.waitReady(page, 60000), 'ready');
      const before = await h.chartData(page, 'chart-timing');
      // A change whose run is cancelled: the chart stays, marked, and the state says so.
      await page.fill('#experiment-timing input[type="number"][id$="trials"]', '51');
      await page.press('#experiment-timing input[type="number"][id$="trials"]', 'Enter');
      await page.waitForFunction(() => !document.querySelector('#experiment-timing [data-role="cancel"]').disabled, null, { polling: 20 });
      await page.click('#experiment-timing [data-role="cancel"]');
      await h.waitReadyState(page, 'incomplete');
      const marks = await page.evaluate(() => ({
        stale: document.documentElement.dataset.lessonStale,
        current: document.documentElement.dataset.lessonCurrent.split(' '),
        marked: document.getElementById('experiment-timing').classList.contains('is-stale'),
        note: document.querySelector('#experiment-timing .stale-note').textContent,
        noteShown: !document.querySelector('#experiment-timing .stale-note').hidden,
        summary: document.getElementById('summary-timing-rnn').textContent,
        status: document.querySelector('#experiment-timing [data-role="status"]').textContent,
        describedBy: document.getElementById('chart-timing').getAttribute('aria-describedby'),
      }));
      assert.equal(marks.stale, 'timing');
      assert.ok(!marks.current.includes('timing') && marks.current.includes('gradient'), 'current: ' + marks.current);
      assert.equal(marks.marked, true, 'the panel is marked');
      assert.equal(marks.noteShown, true);
      assert.equal(marks.note, 'The chart, figures and table below are for earlier settings: Trials per length was 3 (now 51). ' +
        'Press Run again to compute the current ones.');
      assert.match(marks.summary, /^For earlier settings \(experiment 1 has not run with the current ones\): /);
      assert.equal(marks.status, 'Cancelled. The results below are for earlier settings.');
      assert.equal(marks.describedBy, 'experiment-timing-stale', 'the chart is described by the mark');
      assert.equal(await h.chartData(page, 'chart-timing'), before, 'the earlier chart is kept, not half-replaced');

      // Back to the settings shown: the mark goes, nothing runs.
      await page.fill('#experiment-timing input[type="number"][id$="trials"]', '3');
      await page.press('#experiment-timing input[type="number"][id$="trials"]', 'Enter');
      await h.waitReadyState(page, 'ready');
      assert.equal(await page.textContent('#experiment-timing [data-role="status"]'), 'Back to the settings of the results shown.');
      assert.equal(await h.chartData(page, 'chart-timing'), before, 'the same run');
      await page.fill('#experiment-timing input[type="number"][id$="trials"]', '51');
      await page.press('#experiment-timing input[type="number"][id$="trials"]', 'Enter');
      await page.waitForFunction(() => !document.querySelector('#experiment-timing [data-role="cancel"]').disabled, null, { polling: 20 });
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lessonState), 'loading', 'loading while it runs');
      await page.click('#experiment-timing [data-role="cancel"]');
      await h.waitReadyState(page, 'incomplete');

      // Run computes the current settings: nothing is stale any more.
      await page.click('#experiment-timing [data-role="run"]');
      assert.equal(await h.waitReady(page, 120000), 'ready');
      assert.equal(await page.evaluate(() => document.getElementById('experiment-timing').classList.contains('is-stale')), false);
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lessonStale), '');
      assert.doesNotMatch(await page.textContent('#summary-timing-rnn'), /earlier settings/);
      assert.equal(await page.evaluate(() => document.getElementById('chart-timing').getAttribute('aria-describedby')), null);
      assert.deepEqual(watched.errors, [], 'console errors');
    } finally {
      await context.close();
    }
  });
});
