// Experiment 6 (sequential vs parallel): the scaling run with a pool of >= 2 workers, the
// counted and projected charts (the linear recurrence's scan among them), predictions kept in the URL, Cancel stopping every pool
// worker, hostile values for the new settings, and ?embed=parallel in a cross-origin iframe.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

describe('experiment 6: sequential vs parallel', () => {
  let chromium;
  let site;
  before(async () => {
    h.requireDist();
    chromium = await h.launch();
    site = await h.serve(h.DIST);
  });
  after(async () => {
    if (site) await site.close();
    if (chromium) await chromium.close();
  });

  async function open(query, fn) {
    const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 900 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + query);
      await fn(page, watched);
      assert.deepEqual(watched.errors, []);
      assert.deepEqual(site.reports, [], 'no CSP violations');
    } finally {
      await context.close();
    }
  }

  it('measures speedup with >= 2 workers, same checksums; counts and projects', async () => {
    await open('?embed=parallel&predict.parallel=2', async (page) => {
      assert.equal(await h.waitReady(page, 60000), 'ready');
      const scaling = await page.evaluate(() => Chart.getChart(document.getElementById('chart-scaling')).data.datasets
        .map((d) => ({ label: d.label, data: d.data })));
      const attention = scaling[0].data;
      assert.ok(attention.length >= 2, 'at least 2 workers');
      assert.deepEqual(attention.slice(0, 2).map((p) => p.x), [1, 2]);
      assert.equal(attention[0].y, 1);
      for (const d of scaling.slice(0, 4)) assert.ok(d.data.every((p) => Number.isFinite(p.y) && p.y > 0), d.label);
      assert.match(await page.locator('#experiment-parallel [data-role=notice]').innerText(), /Every split computed (exactly )?the same answer as one worker/);
      const wd = JSON.parse(await h.chartData(page, 'chart-workdepth'));
      assert.ok(wd.length >= 10);
      const labels = await page.evaluate(() => Chart.getChart(document.getElementById('chart-projection')).data.datasets
        .map((d) => [d.label, d.data.length, d.borderDash || []]));
      assert.match(labels[0][0], /\(projected\)$/);
      assert.match(labels[1][0], /\(projected\)$/);
      assert.ok(labels[0][1] > 5 && labels[0][2].length, 'projected lines have data and are dashed');
      assert.match(labels[3][0], /\(measured\)$/);
      const readout = await page.locator('#experiment-parallel [data-role=readout]').innerText();
      assert.match(readout, /Attention, 2 workers\s+[\d.]+× \(\d+% efficiency\)/);
      assert.match(readout, /Time to start the workers/);
      // The linear recurrence: its measured line, its agreement with the sequential pass, its
      // counted depth and projection.
      assert.match(scaling[3].label, /^linear recurrence, one sequence scanned/);
      assert.match(readout, /Linear recurrence scan, 2 workers\s+[\d.]+× \(\d+% efficiency\)/);
      assert.match(readout, /Scan against the sequential pass\s+(identical|relative difference [\d.]+(×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?), within 1×10⁻⁹/);
      assert.match(await page.locator('#experiment-parallel [data-role=notice]').innerText(),
        /One linear-recurrence sequence of 65,536 steps, scanned in chunks, ran .* its summed outputs matched the sequential pass to \S+ \(relative; the page allows 1×10⁻⁹\)/);
      const linearDepth = await page.evaluate(() => Chart.getChart(document.getElementById('chart-workdepth')).data.datasets
        .find((d) => d.label === 'S linear').data);
      const rnnDepth = await page.evaluate(() => Chart.getChart(document.getElementById('chart-workdepth')).data.datasets
        .find((d) => d.label === 'S RNN').data);
      const at = (pts, x) => pts.find((p) => p.x === x).y;
      assert.ok(at(linearDepth, 65536) < at(rnnDepth, 65536) / 1000, 'the scan\'s depth is logarithmic');
      assert.match(labels[5][0], /^linear recurrence, P = \d+ \(projected\)$/);
      assert.ok(labels[5][1] > 5 && labels[6][1] === 1, 'linear projection and its measured point');
      console.log(readout.replace(/\n/g, ' | '));
      assert.match(await page.locator('#experiment-parallel .predict-result').innerText(), /^You guessed nearly 2×\. Measured: (\S+× faster|no faster|slower than one worker)/);
      // P = 1 redraws the projection; the sentences follow it (one unit, and whatever the
      // projection says about the crossing, nothing fixed in the text).
      await page.selectOption('#ctl-parallel-processors', '1');
      await page.waitForFunction(() => /P = 1 unit,/.test(document.querySelector('#experiment-parallel [data-role=notice]').textContent));
      const one = await page.locator('#experiment-parallel [data-role=readout]').innerText();
      assert.match(one, /Projected with P = 1 unit\s+(attention faster for (L = \d+|every charted L)|the RNN is faster at every L charted)/);
      assert.doesNotMatch(await page.textContent('#experiment-parallel'), /\b1 units\b/);
    });
  });

  it('a prediction is recorded in the URL and shown beside the result after reload', async () => {
    await open('?embed=timing', async (page) => {
      assert.equal(await h.waitReady(page), 'ready');
      await page.locator('#experiment-timing .predict summary').click();
      await page.getByLabel('like the length squared').check();
      await page.waitForFunction(() => location.search.includes('predict.timing=quadratic'));
      // Graded from the medians' slope; a run with 0 ms intervals or medians off a line grades nothing.
      const graded = /^You guessed like the length squared\. Measured: (in a disturbed run, )?from L = 50 to 2000 \(40× longer\) a pass took [\d.]+× as long, about [\d.]+ ns per step/;
      const withheld = /^You guessed like the length squared\. This run cannot grade a guess: (some of its intervals measured 0 ms|its medians stray from a straight line) \(the "What to notice" box below says why\)\. Press Run again\.$/;
      const checkSaid = async () => {
        const notice = await page.locator('#experiment-timing [data-role=notice]').innerText();
        const poor = /^Some timed intervals measured 0 ms|^The medians stray from a straight line/.test(notice);
        assert.match(await page.locator('#experiment-timing .predict-result').innerText(), poor ? withheld : graded);
      };
      await checkSaid();
      await page.reload();
      assert.equal(await h.waitReady(page), 'ready');
      assert.equal(await page.getByLabel('like the length squared').isChecked(), true);
      await checkSaid();
    });
  });

  it('a timing run whose clock did not tick grades no guess and shows no made-up ratio; one only spread is graded', async () => {
    await open('?embed=timing&predict.timing=quadratic', async (page) => {
      assert.equal(await h.waitReady(page), 'ready');
      const said = await page.evaluate(() => {
        const words = window.RnnLesson.experiments.timing;
        const lengths = [50, 100, 200, 500, 1000, 2000];
        // What timing.cpp returns when the clock did not tick during most intervals of L = 50
        // (spread marked with 2 x kMaxSpread, disturbed), and for slow trials spread at L = 2000.
        const run = (zero) => {
          const ms = lengths.map((L) => L * 1.2e-4);
          if (zero) ms[0] = 0;
          return { ms: 100, main: { lengths: lengths, median_ms: ms, min_ms: ms.map((t) => t * 0.95), max_ms: ms.map((t) => t * 1.05 + 0.01),
            repeats: lengths.map(() => 1), spread: lengths.map((L, i) => (zero && i === 0 ? 2.4 : !zero && i === 5 ? 1.6 : 1.05)),
            ns_per_step: 121, intercept_ms: -0.002, r_squared: 0.9999, disturbed: true, clock_too_coarse: zero,
            r_squared_threshold: 0.99, spread_threshold: 1.2 } };
        };
        const f = words.facts(run(true));
        const g = words.facts(run(false));
        return { notice: words.notice(f), measured: words.question.measure(f), spreadNotice: words.notice(g), spreadMeasured: words.question.measure(g) };
      });
      assert.deepEqual([said.measured.value, said.measured.withheld], ['', true], 'no verdict');
      assert.match(said.notice, /^Some timed intervals measured 0 ms: this browser's clock ticks more coarsely than the shortest timed interval, .* not trustworthy\. Raise "Shortest timed interval" under More settings/);
      assert.doesNotMatch(said.notice + said.measured.text, /–|2\.4×/, 'no ratio the run did not measure');
      // Slow trials spread the timings but leave the medians, and the slope, in place.
      assert.equal(said.spreadMeasured.value, 'linear');
      assert.match(said.spreadMeasured.text, /^in a disturbed run, from L = 50 to 2000 \(40× longer\) a pass took 40× as long/);
      assert.match(said.spreadNotice, /^The trials of one length disagree \(its 80th-percentile trial took 1\.6× as long/);
    });
  });

  it('Cancel stops a scaling run on every pool worker', async () => {
    await open('?embed=parallel&parallel.length=4096', async (page) => {
      await page.waitForFunction(() => window.RnnLesson.pools && window.RnnLesson.pools.parallel && window.RnnLesson.pools.parallel.info().pending > 0, null, { timeout: 20000 });
      const before = await page.evaluate(() => window.RnnLesson.pools.parallel.info());
      assert.ok(before.workers >= 2, 'pool has >= 2 workers');
      await page.locator('#experiment-parallel [data-role=cancel]').click();
      const after = await page.evaluate(() => window.RnnLesson.pools.parallel.info());
      assert.deepEqual({ workers: after.workers, pending: after.pending }, { workers: 0, pending: 0 });
      assert.equal(after.terminated - before.terminated, before.workers, 'every worker terminated');
      await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#experiment-parallel [data-role=status]').textContent));
      // Run again works with fresh workers.
      await page.locator('#experiment-parallel [data-role=run]').click();
      await page.waitForFunction(() => window.RnnLesson.pools.parallel.info().workers >= 2, null, { timeout: 20000 });
      await page.locator('#experiment-parallel [data-role=cancel]').click();
    });
  });

  it('hostile values for the new settings are refused with a message, nothing injected', async () => {
    const bad = encodeURIComponent('<img src=x onerror=alert(1)>');
    await open('?embed=parallel&parallel.length=-5&parallel.processors=' + bad + '&predict.parallel=' + bad + '&predict.timing=%22%3E', async (page, watched) => {
      assert.equal(await h.waitReady(page, 60000), 'ready');
      const messages = await page.locator('#url-messages-list').innerText();
      assert.match(messages, /parallel\.length=.*below the minimum, so 16 is used/);
      assert.match(messages, /parallel\.processors=.*is not one of 1, 10/);
      assert.match(messages, /predict\.parallel=/);
      assert.equal(await page.locator('img').count(), 0);
      assert.deepEqual(watched.dialogs, []);
      assert.equal(await page.inputValue('#ctl-parallel-processors'), '10000');
    });
  });

  it('?embed=parallel inside a cross-origin iframe posts its height', async () => {
    const parent = await h.serve(h.DIST, (req, res) => {
      if (req.url === '/parent.html') {
        res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><meta charset="utf-8"><title>p</title>' +
          '<script src="/parent.js"></script><iframe id="f" title="lesson" width="700" height="400"></iframe>');
        return true;
      }
      if (req.url === '/parent.js') {
        res.writeHead(200, { 'Content-Type': 'text/javascript' }).end('window.heights=[];addEventListener("message",function(e){' +
          'if(e.data&&e.data.type==="rnn-lesson:height")heights.push([e.origin,e.data.height,e.data.experiment]);});');
        return true;
      }
      return false;
    });
    try {
      const context = await chromium.browser.newContext();
      const page = await context.newPage();
      await page.goto(parent.url + 'parent.html');
      await page.evaluate((s) => { document.getElementById('f').src = s; }, site.url + '?embed=parallel');
      const frame = await (await page.waitForSelector('#f')).contentFrame();
      await frame.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 60000 });
      await page.waitForFunction(() => heights.some((m) => m[2] === 'parallel' && m[1] > 600));
      const m = await page.evaluate(() => heights[heights.length - 1]);
      assert.equal(m[0], new URL(site.url).origin);
      assert.equal(await frame.locator('#experiment-timing').isVisible(), false);
      await context.close();
    } finally {
      await parent.close();
    }
  });
});
