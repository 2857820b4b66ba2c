// A long visit: re-running an experiment many times holds nothing more per run. Measured
// from inside the page (a CDP evaluation per run would itself compile code and grow the
// heap): the JavaScript objects alive after a full GC, the DOM's node and listener counts,
// and layout shifts (each one is an entry the browser keeps, and a jump the learner sees).
// What does grow on a long visit is V8's optimised code as more of the page's functions
// tier up, bounded by the number of functions; it is not counted here.
'use strict';
const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

const SNAPSHOT_NOISE = 4096; // bytes; see the bound below

const JS_TYPES = new Set(['object', 'closure', 'array', 'string', 'concatenated string', 'sliced string', 'regexp', 'number',
  'bigint', 'symbol']);

// Bytes of JavaScript objects alive after a full GC (a heap snapshot's self sizes).
async function liveJsBytes(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const chunks = [];
  const onChunk = (e) => chunks.push(e.chunk);
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk);
  await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
  cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk);
  const s = JSON.parse(chunks.join(''));
  const fields = s.snapshot.meta.node_fields;
  const types = s.snapshot.meta.node_types[0];
  const typeAt = fields.indexOf('type');
  const sizeAt = fields.indexOf('self_size');
  let bytes = 0;
  for (let i = 0; i < s.nodes.length; i += fields.length) if (JS_TYPES.has(types[s.nodes[i + typeAt]])) bytes += s.nodes[i + sizeAt];
  return bytes;
}

// Clicks Run `n` times in a row from inside the page, each after the last run is shown.
function installRunner(page) {
  return page.evaluate(() => {
    window.__rerun = (experiment, n) => new Promise((resolve) => {
      const section = document.getElementById('experiment-' + experiment);
      const status = section.querySelector('[data-role="status"]');
      let left = n;
      const observer = new MutationObserver(() => {
        if (section.classList.contains('is-running') || document.documentElement.dataset.lessonState !== 'ready' ||
          !/Computed/.test(status.textContent)) return;
        if (--left <= 0) {
          observer.disconnect();
          resolve();
        } else setTimeout(() => section.querySelector('[data-role="run"]').click(), 0);
      });
      observer.observe(section, { attributes: true, subtree: true, childList: true, characterData: true });
      section.querySelector('[data-role="run"]').click();
    });
    window.__shifts = 0;
    new PerformanceObserver((list) => { window.__shifts += list.getEntries().length; }).observe({ type: 'layout-shift' });
  });
}

describe('a long visit', () => {
  const env = h.useBrowser();

  for (const [experiment, warm, runs] of [['memory', 5, 25], ['parallel', 2, 6]]) {
    it(experiment + ': ' + runs + ' more runs hold no more objects, DOM nodes or listeners, and shift nothing', async () => {
      const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      const watched = await h.watch(context, page);
      try {
        await page.goto(env.site.url + '?embed=' + experiment);
        assert.equal(await h.waitReady(page, 60000), 'ready');
        const cdp = await context.newCDPSession(page);
        await installRunner(page);
        await page.evaluate(([e, n]) => window.__rerun(e, n), [experiment, warm]);
        const before = { js: await liveJsBytes(cdp), dom: await cdp.send('Memory.getDOMCounters') };
        const shiftsBefore = await page.evaluate(() => window.__shifts);
        await page.evaluate(([e, n]) => window.__rerun(e, n), [experiment, runs]);
        const after = { js: await liveJsBytes(cdp), dom: await cdp.send('Memory.getDOMCounters') };
        // Two snapshots of the same idle page differ by up to ~3 KB (measured on the parallel
        // section: 1,307,644 to 1,310,696 bytes over 12 snapshots, with no trend), so the bound
        // is that noise plus 256 bytes per run; the leak this guards against was ~5 KB per run.
        const grown = after.js - before.js;
        assert.ok(grown < SNAPSHOT_NOISE + 256 * runs,
          'live JS objects grew ' + grown + ' bytes over ' + runs + ' runs (' + (grown / runs).toFixed(0) + ' per run)');
        assert.equal(after.dom.nodes, before.dom.nodes, 'DOM nodes');
        assert.equal(after.dom.jsEventListeners, before.dom.jsEventListeners, 'event listeners');
        assert.equal(after.dom.documents, before.dom.documents, 'documents');
        assert.equal(await page.evaluate(() => window.__shifts) - shiftsBefore, 0, 'layout shifts during re-runs');
        assert.deepEqual(watched.errors, [], 'console errors');
      } finally {
        await context.close();
      }
    });
  }
});
