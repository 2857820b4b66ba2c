// Experiment 7 trains only when asked: the page is ready without it; Train streams each job's
// runs as it finishes, Cancel stops every worker and keeps what had finished (marked as
// such), Train again completes; and the figures shown equal the module's own run of the same
// sweep (the same wasm, here in Node). A tiny sweep keeps this under ~20 s.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const h = require('./harness.js');

// Four quick jobs (lag 4, two of them the truncated-BPTT comparison's) stream first; the two at
// lag 300 run last, side by side, ~1-2 s each: Cancel is pressed while at most 4 have finished
// (a notice of 5 finished may come moments before the last).
const PARAMS = { architectures: 'rnn,attention', lags: [4, 300], steps: 100, eval_every: 20, hidden_size: 16 };
const QUERY = '?embed=train&train.architectures=rnn,attention&train.lags=4,300&train.steps=100&train.eval_every=20&train.hidden_size=16&train.show_lag=300&train.window=2';

function moduleRun(params) {
  const glue = path.join(h.ROOT, 'build-wasm', 'rnn_lesson_wasm.js');
  const create = require(glue);
  return create({ wasmBinary: fs.readFileSync(path.join(h.ROOT, 'build-wasm', 'rnn_lesson_wasm.wasm')) })
    .then((m) => m.runExperiment('train', params));
}

describe('experiment 7: training on request', () => {
  const env = h.useBrowser();

  it('is ready untrained; Train streams results, Cancel stops them, Train again equals the module', async () => {
    const expected = moduleRun(PARAMS);
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    const section = '#experiment-train';
    const status = () => page.textContent(section + ' [data-role="status"]');
    try {
      await page.goto(env.site.url + QUERY);
      assert.equal(await h.waitReady(page), 'ready', 'ready without training');
      assert.equal(await page.getAttribute(section, 'data-result'), 'idle');
      assert.equal(await status(), 'Not trained yet: press Train to start.');
      assert.equal(await page.evaluate(() => window.RnnLesson.pools.train.info().workers), 0, 'no worker started');

      // Every notice shown, in order: the partial ones say how many runs have finished.
      await page.evaluate((s) => {
        window.notices = [];
        new MutationObserver(() => window.notices.push(document.querySelector(s).textContent))
          .observe(document.querySelector(s), { childList: true, characterData: true, subtree: true });
      }, section + ' [data-role="notice"]');
      await page.click(section + ' [data-role="run"]');
      await page.waitForFunction(() => window.notices.some((n) => /^[1-4] of 6 jobs \(one network at one lag each\) finished so far\./.test(n)), null, { timeout: 20000, polling: 50 });
      assert.equal(await page.getAttribute(section, 'data-result'), 'running');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lessonState), 'loading');
      await page.click(section + ' [data-role="cancel"]');
      await h.waitReadyState(page, 'incomplete');
      assert.equal(await page.getAttribute(section, 'data-result'), 'cancelled');
      assert.equal(await page.evaluate(() => window.RnnLesson.pools.train.info().workers), 0, 'every worker stopped');
      assert.match(await status(), /^Cancelled\./);
      assert.match(await page.textContent(section + ' .stale-note'),
        /^Cancelled: the charts, figures and tables below show only the [1-5] of 6 jobs that had finished\. Press Train to compute them all\.$/);

      await page.click(section + ' [data-role="run"]');
      assert.equal(await h.waitReady(page, 30000), 'ready');
      assert.equal(await page.getAttribute(section, 'data-result'), 'current');
      assert.match(await status(), /^Experiment 7: .* Computed on this device in /);
      const notice = await page.textContent(section + ' [data-role="notice"]');
      assert.match(notice, /^Within 100 training steps \(3,200 training sequences\), the tanh RNN learned .*; attention learned /);

      // The data table shown against the module's run of the same sweep.
      await page.click(section + ' details.data > summary');
      // (The tables are filled on the <details>' toggle event, which fires after the click returns.)
      await page.waitForFunction((s) => document.querySelector(s + ' table[data-role="table"] tbody tr'), section, { timeout: 5000, polling: 50 });
      const rows = await page.$$eval(section + ' table[data-role="table"]', (tables) =>
        Array.from(tables[0].querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent)));
      const runs = (await expected).runs;
      assert.equal(rows.length, 4);
      assert.deepEqual(rows.map((r) => r.slice(0, 3)), runs.map((r) => [r.architecture === 'rnn' ? 'tanh RNN' : 'attention', String(r.lag),
        r.steps_to_learn === null ? 'not within 100' : String(r.steps_to_learn)]));
      const data = await page.evaluate(() => window.RnnLesson.pools && Chart.getChart(document.getElementById('chart-train')).data.datasets[0].data);
      const rnnAt300 = runs.find((r) => r.architecture === 'rnn' && r.lag === 300);
      assert.deepEqual(data.map((p) => p.y), Array.from(rnnAt300.accuracy), 'the RNN curve at lag 300 is the module’s');
      // The truncated-BPTT comparison at lag 4 (positions 0..3; a window of W = 2 covers 2 and 3):
      // no gradient reaches the first token through the window.
      const cut = await page.$$eval(section + ' table[data-role="table"]', (tables) =>
        Array.from(tables[2].querySelectorAll('tbody tr'), (tr) => Array.from(tr.children, (td) => td.textContent)));
      assert.deepEqual(cut.map((r) => r.slice(0, 3)), [['tanh RNN', '4', 'full BPTT'], ['tanh RNN', '4', 'last 2 positions']]);
      assert.equal(cut[1][5], '0');
      assert.match(notice, /At lag 4, whose first token lies outside a window of the last W = 2 positions, reached 90%: the tanh RNN with the full gradient (yes \(step \d+\)|no \(\d+% at the end\)), with the window (yes \(step \d+\)|no \(\d+% at the end\))\. The gradient reaching the first token through the window was exactly 0 at every evaluation\./);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});
