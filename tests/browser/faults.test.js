// Faults that must leave nothing stuck (issue 9, parts 1 and 3). A worker is closed while
// idle, cut off mid-run (Runtime.terminateExecution) or paused in the debugger, through the
// DevTools protocol on the worker's own target (found by its name: compute, checker, pool):
// each time the panel says so in a sentence, drops its progress bar, and Run works again. And
// the page runs under Trusted Types (require-trusted-types-for 'script') with no violation.
// The page's deadlines (web/core.js DEADLINES, 20 s at least) are shortened to 5 s right after
// load, so each test waits seconds, not minutes; the rule (a clock reset by every message) is
// the page's own.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

const NOTICE_MS = 90000;  // a deadline (20 s) plus a second of confirmation, on a loaded machine
const RUN_MS = 120000;

// Sends protocol commands, in order, to the page's worker named `name` (its target's title).
// -> the replies (a command a worker never answers, e.g. self.close(), counts as answered
// after 2 s). The session stays attached: detaching would resume a worker paused through it.
async function onWorker(browser, name, commands) {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'worker' && t.title === name);
  assert.ok(target, 'a worker named ' + name + ' among ' + targetInfos.map((t) => t.type + ':' + t.title).join(', '));
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  const waiting = new Map();
  cdp.on('Target.receivedMessageFromTarget', (e) => {
    const m = JSON.parse(e.message);
    if (waiting.has(m.id)) waiting.get(m.id)(m);
  });
  const replies = [];
  for (const [i, [method, params]] of commands.entries()) {
    const reply = new Promise((resolve) => {
      waiting.set(i + 1, resolve);
      setTimeout(() => resolve({ unanswered: method }), 2000);
    });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id: i + 1, method, params: params || {} }) });
    replies.push(await reply);
  }
  return replies;
}

const closeWorker = (browser, name) => onWorker(browser, name, [['Runtime.evaluate', { expression: 'self.close()' }]]);

// The panel's run, error line and busy bar, as a learner sees them.
function panel(page, experiment) {
  return page.evaluate((e) => {
    const s = document.getElementById('experiment-' + e);
    const error = s.querySelector('[data-role="error"]');
    return { error: error.hidden ? '' : error.textContent, running: s.classList.contains('is-running'),
      busy: !s.querySelector('[data-role="busy"]').hidden, status: s.querySelector('[data-role="status"]').textContent };
  }, experiment);
}

// Waits until the panel shows an error, then checks it is the sentence `wanted` with nothing
// left running.
async function expectNotice(page, experiment, wanted) {
  await page.waitForFunction((e) => !document.querySelector('#experiment-' + e + ' [data-role="error"]').hidden,
    experiment, { timeout: NOTICE_MS, polling: 250 });
  const shown = await panel(page, experiment);
  assert.match(shown.error, wanted);
  assert.equal(shown.running, false, 'no longer running');
  assert.equal(shown.busy, false, 'no progress bar');
}

// Presses Run and waits for a finished run: its status line, no error, and a drawn chart.
async function runAgain(page, experiment, chart) {
  await page.locator('#experiment-' + experiment + ' [data-role="run"]').click();
  await page.waitForFunction((e) => /Computed on this device/.test(document.querySelector('#experiment-' + e + ' [data-role="status"]').textContent),
    experiment, { timeout: RUN_MS, polling: 250 });
  assert.equal((await panel(page, experiment)).error, '');
  assert.ok((await h.chartLengths(page, [chart]))[0] > 0, chart + ' drawn');
}

// Waits until the panel's progress bar shows a reported fraction: the run is under way.
function runUnderWay(page, experiment) {
  return page.waitForFunction((e) => document.querySelector('#experiment-' + e + ' [data-role="progress"]').value > 0,
    experiment, { timeout: RUN_MS, polling: 100 });
}

describe('a dead or silent worker is noticed, replaced, and the run can be tried again', () => {
  const env = h.useBrowser();

  async function open(query, fn) {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(env.site.url + query);
      await page.evaluate(() => {
        const d = window.RnnLesson.core.DEADLINES;
        d.start = 5000;
        d.paced = (gap) => Math.max(5000, 10 * gap);
      });
      await fn(page);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  }

  it('the compute worker closed while idle: Run says so, and the next Run draws', async () => {
    await open('?embed=gradient', async (page) => {
      assert.equal(await h.waitReady(page, RUN_MS), 'ready');
      await closeWorker(env.chromium.browser, 'compute');
      await page.locator('#experiment-gradient [data-role="run"]').click();
      await expectNotice(page, 'gradient', /^The computation failed: the worker computing this experiment stopped answering, so a new one has been started; press Run again to retry\.$/);
      await runAgain(page, 'gradient', 'chart-gradient');
    });
  });

  it('the compute worker cut off mid-run (terminateExecution): the panel says so, and Run works', async () => {
    // 21 rounds of about 8 timed intervals of 100 ms: ~20 s, with a progress report per round.
    await open('?embed=timing&timing.trials=21&timing.min_interval_ms=100', async (page) => {
      await runUnderWay(page, 'timing');
      const [reply] = await onWorker(env.chromium.browser, 'compute', [['Runtime.terminateExecution']]);
      assert.ok(!reply.error, JSON.stringify(reply));
      await expectNotice(page, 'timing', /stopped answering, so a new one has been started; press Run again to retry\.$/);
      assert.equal(await h.waitReady(page), 'error', 'the page is not ready without a result');
      await runAgain(page, 'timing', 'chart-timing');
    });
  });

  it('a pool worker closed while idle: the measurement fails with a sentence, and the next Run measures', async () => {
    await open('?embed=parallel', async (page) => {
      assert.equal(await h.waitReady(page, RUN_MS), 'ready');
      await closeWorker(env.chromium.browser, 'pool');
      await page.locator('#experiment-parallel [data-role="run"]').click();
      await expectNotice(page, 'parallel', /^The computation failed: one of the workers measuring this section stopped answering, so the workers will be started afresh; press Run again to retry\.$/);
      assert.deepEqual(await page.evaluate(() => window.RnnLesson.pools.parallel.info().workers), 0, 'the pool was stopped');
      await runAgain(page, 'parallel', 'chart-scaling');
    });
  });

  it('a pool worker paused in the debugger mid-measurement: the panel says so, and Run measures', async () => {
    await open('?embed=parallel', async (page) => {
      await runUnderWay(page, 'parallel');
      const replies = await onWorker(env.chromium.browser, 'pool', [['Debugger.enable'], ['Debugger.pause']]);
      assert.ok(replies.every((r) => !r.error), JSON.stringify(replies));
      await expectNotice(page, 'parallel', /one of the workers measuring this section stopped answering/);
      await runAgain(page, 'parallel', 'chart-scaling');
    });
  });

  it('the checker closed: a changed setting is still judged, by a new checker, and a legal one applied', async () => {
    await open('?embed=gradient', async (page) => {
      assert.equal(await h.waitReady(page, RUN_MS), 'ready');
      await closeWorker(env.chromium.browser, 'checker');
      const field = (key) => page.locator('#experiment-gradient [data-key="gradient.' + key + '"] input:not([type="range"])');
      // Inside the spec's range but over the work cap: only the core's limits() refuses it, so
      // the refusal shows the question was asked again and answered.
      await field('hidden_size').fill('256');
      await field('hidden_size').press('Enter');
      await page.waitForFunction(() => {
        const e = document.querySelector('#experiment-gradient [data-key="gradient.hidden_size"] .field-error');
        return !e.hidden && e.textContent;
      }, null, { timeout: NOTICE_MS, polling: 250 });
      assert.ok(!(await page.evaluate(() => location.search)).includes('hidden_size=256'));
      await field('max_distance').fill('150');
      await field('max_distance').press('Enter');
      await page.waitForFunction(() => location.search.includes('gradient.max_distance=150'), null, { timeout: NOTICE_MS, polling: 250 });
    });
  });
});

// Trusted Types on top of the strict policy: a script URL needs a TrustedScriptURL, and the
// only policy allowed is the page's own. Violations are caught as events in the page (an
// init script), console errors, and reports (a worker fires no document event).
const TT_CSP = "require-trusted-types-for 'script'; trusted-types rnn-lesson-worker; default-src 'self'; " +
  "script-src 'self' 'wasm-unsafe-eval'; worker-src blob:; style-src 'self'";

describe('Trusted Types', () => {
  it('the whole page runs under require-trusted-types-for with every chart drawn and no violation', async () => {
    const site = await h.serve(h.DIST, null, TT_CSP);
    const { browser, close } = await h.launch();
    try {
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      await page.goto(site.url);
      assert.equal(await h.waitReady(page, 180000), 'ready', await page.evaluate(() => document.body.innerText.slice(0, 300)));
      const lengths = await h.chartLengths(page);
      assert.ok(lengths.every((n) => n > 0), 'every chart drawn: ' + h.CHARTS.map((id, i) => id + '=' + lengths[i]).join(' '));
      assert.deepEqual(watched.errors, []);
      assert.deepEqual(site.reports, [], 'no CSP or Trusted Types violation reported');
      // And the header was in force: a plain string as a worker's URL is refused.
      assert.equal(await page.evaluate(() => {
        try { new Worker(URL.createObjectURL(new Blob(['']))); return 'started'; } catch (e) { return e.name; }
      }), 'TypeError');
      await context.close();
    } finally {
      await close();
      await site.close();
    }
  });

  it('from file:// (no headers) the page still starts its workers and draws', async () => {
    const { browser, close } = await h.launch();
    try {
      const context = await browser.newContext();
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      await page.goto(h.fileUrl('?embed=gradient'));
      assert.equal(await h.waitReady(page, RUN_MS), 'ready');
      assert.ok((await h.chartLengths(page, ['chart-gradient']))[0] > 0);
      assert.deepEqual(watched.errors, []);
      await context.close();
    } finally {
      await close();
    }
  });
});
