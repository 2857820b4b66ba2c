// The lesson in a course (issue 14). A SCORM 1.2 LMS: scorm-again's Scorm12API, put as
// window.API in a parent page on the same origin, with the lesson in an iframe; every call the
// page makes is recorded with its answer and scorm-again's error code. After a scripted visit
// (two experiments, one guess each, then the frame navigated away) it must hold: status
// incomplete then completed, one interaction per guess graded as the page itself graded it,
// a session time between the measured bounds, LMSFinish last. Every page is served from the
// package (./lesson.sh package's packer, run on dist/), unpacked. With no LMS (top level; an
// API on a parent of another origin): nothing called, no error. The built package: the
// manifest parsed and checked, every file of the zip listed. embed=a,b: both, in that order,
// one height message for the whole frame. Downloads: the CSV's header lines. Print media.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const h = require('./harness.js');

const SCORM12 = path.join(h.ROOT, 'node_modules', 'scorm-again', 'dist', 'scorm12.min.js');
const EMBED = 'retention,gradient';  // the reverse of the lesson's order
// The LMS page: scorm-again's API behind a recorder; heights from the frame are kept too.
const LMS_HTML = '<!doctype html><meta charset="utf-8"><title>LMS</title><link rel="icon" href="/favicon.svg">' +
  '<script src="/__scorm12.js"></script><script src="/__lms.js"></script>' +
  '<iframe id="sco" title="lesson" width="900" height="600"></iframe>';
const LMS_JS = `
  window.lms = new Scorm12API({ logLevel: 5 });
  window.calls = [];
  window.heights = [];
  window.API = {};
  for (const name of ['LMSInitialize', 'LMSFinish', 'LMSGetValue', 'LMSSetValue', 'LMSCommit', 'LMSGetLastError',
    'LMSGetErrorString', 'LMSGetDiagnostic']) {
    window.API[name] = function () {
      const answer = window.lms[name].apply(window.lms, arguments);
      window.calls.push({ name: name, args: Array.from(arguments), answer: String(answer), error: String(window.lms.LMSGetLastError()), at: Date.now() });
      return answer;
    };
  }
  addEventListener('message', (e) => { if (e.data && e.data.type === 'rnn-lesson:height') window.heights.push(e.data); });`;
// A parent page that is not an LMS: an API-shaped object, on another origin than the lesson.
const DECOY_HTML = '<!doctype html><meta charset="utf-8"><title>other</title><link rel="icon" href="/favicon.svg">' +
  '<script src="/__decoy.js"></script><iframe id="sco" title="lesson" width="900" height="600"></iframe>';
const DECOY_JS = 'window.called = []; window.API = {};' +
  '["LMSInitialize","LMSFinish","LMSGetValue","LMSSetValue","LMSCommit","LMSGetLastError"].forEach(function (n) {' +
  '  window.API[n] = function () { window.called.push(n); return "true"; }; });';

function extra(pages) {
  return (req, res) => {
    const url = req.url.split('?')[0];
    if (!(url in pages)) return false;
    const [type, body] = pages[url];
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' }).end(body);
    return true;
  };
}

describe('the lesson in a course', () => {
  let chromium;
  let site;
  let other;
  // The package, built from dist/ by the project's packer, and unpacked: the pages below are
  // served from what a course platform would unpack, not from dist/.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rnn-scorm-'));
  const zip = path.join(dir, 'lesson.zip');
  const unpacked = path.join(dir, 'sco');
  before(async () => {
    h.requireDist();
    execFileSync('python3', ['package-scorm.py', '--out', zip], { cwd: h.ROOT });
    execFileSync('python3', ['-c', 'import sys, zipfile\nzipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', zip, unpacked]);
    chromium = await h.launch();
    const pages = {
      '/__lms.html': ['text/html', LMS_HTML],
      '/__lms.js': ['text/javascript', LMS_JS],
      '/__scorm12.js': ['text/javascript', fs.readFileSync(SCORM12, 'utf8')],
      '/__decoy.html': ['text/html', DECOY_HTML],
      '/__decoy.js': ['text/javascript', DECOY_JS],
    };
    site = await h.serve(unpacked, extra(pages));
    other = await h.serve(unpacked, extra(pages));
  });
  after(async () => {
    if (other) await other.close();
    if (site) await site.close();
    if (chromium) await chromium.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('in an LMS: status, graded predictions, session time, commits and finish; embed=a,b in one frame', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '__lms.html');
      const opened = Date.now();
      await page.evaluate((s) => { document.getElementById('sco').src = s; }, site.url + '?embed=' + EMBED + '&seed=3');
      const frame = await (await page.waitForSelector('#sco')).contentFrame();
      await frame.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 30000, polling: 100 });

      // Two experiments, in the address's order, compact; the others hidden.
      const shown = await frame.evaluate(() => Array.from(document.querySelectorAll('[data-experiment]'))
        .filter((s) => !s.hidden).map((s) => s.dataset.experiment));
      assert.deepEqual(shown, EMBED.split(','));
      assert.equal(await frame.locator('#experiment-retention details.explain-fold').count(), 1, 'explanations folded');
      assert.equal(await frame.locator('#experiment-gradient details.explain-fold').count(), 1);
      assert.ok((await h.chartLengths(frame, ['chart-retention', 'chart-gradient'])).every((n) => n > 0), 'both drawn');
      // One height message for the whole frame: it names both, and covers both sections.
      await page.waitForFunction(() => window.heights.length > 0);
      const bottom = await frame.evaluate(() => Math.ceil(document.getElementById('experiment-gradient').getBoundingClientRect().bottom));
      await page.waitForFunction((b) => window.heights.length && window.heights[window.heights.length - 1].height >= b, bottom);
      const heights = await page.evaluate(() => window.heights);
      assert.ok(heights.every((m) => m.experiment === EMBED), 'every message names the frame\'s experiments: ' + JSON.stringify(heights.slice(-1)));

      // The status, once both experiments show a result.
      await page.waitForFunction(() => window.calls.some((c) => c.name === 'LMSSetValue' && c.args[1] === 'completed'), null, { timeout: 10000 });

      // A guess in each experiment, graded by the page (its sentence) and sent to the LMS.
      const guesses = {};
      for (const [experiment, index] of [['gradient', 0], ['retention', 1]]) {
        await frame.click('#experiment-' + experiment + ' details.predict > summary');
        await frame.check('#predict-' + experiment + '-' + index);
        const text = await frame.locator('#experiment-' + experiment + ' [data-role="prediction"]').textContent();
        assert.match(text, /You guessed/);
        guesses[experiment] = { letter: String.fromCharCode(97 + index), matches: /Your guess matches/.test(text) };
      }
      await page.waitForFunction(() => window.calls.filter((c) => /interactions\.\d+\.result/.test(c.args[0] || '')).length === 2);

      // Leaving the page finishes the session.
      await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
      await page.waitForFunction(() => window.calls.some((c) => c.name === 'LMSFinish'));
      const left = Date.now();
      const calls = await page.evaluate(() => window.calls);

      assert.equal(calls[0].name, 'LMSInitialize');
      assert.equal(calls[calls.length - 1].name, 'LMSFinish');
      for (const c of calls.filter((c) => c.name !== 'LMSGetLastError')) {
        assert.equal(c.answer === 'false' ? c.error : '0', '0', 'scorm-again accepted ' + c.name + '(' + c.args.join(', ') + ')');
      }
      const sets = calls.filter((c) => c.name === 'LMSSetValue').map((c) => c.args);
      const status = sets.filter(([k]) => k === 'cmi.core.lesson_status').map(([, v]) => v);
      assert.deepEqual(status, ['incomplete', 'completed']);
      // Interactions: one per guess, in the order made.
      const fields = {};
      for (const [k, v] of sets) {
        const m = /^cmi\.interactions\.(\d+)\.(.+)$/.exec(k);
        if (m) (fields[m[1]] = fields[m[1]] || {})[m[2]] = v;
      }
      assert.deepEqual(Object.keys(fields), ['0', '1']);
      for (const [n, experiment] of [['0', 'gradient'], ['1', 'retention']]) {
        const f = fields[n];
        assert.equal(f.id, 'predict_' + experiment);
        assert.equal(f.type, 'choice');
        assert.equal(f.student_response, guesses[experiment].letter);
        assert.equal(f.result, guesses[experiment].matches ? 'correct' : 'wrong', experiment + ': graded as the page did');
        assert.equal(f['correct_responses.0.pattern'] === f.student_response, guesses[experiment].matches);
        assert.match(f.time, /^\d\d:\d\d:\d\d$/);
      }
      // Session time: HH:MM:SS.SS, between the frame's lifetime bounds (0.5 s of slack each side).
      const session = sets.filter(([k]) => k === 'cmi.core.session_time').map(([, v]) => v);
      assert.equal(session.length, 1);
      assert.deepEqual(sets.filter(([k]) => k === 'cmi.core.exit').map(([, v]) => v), [''], 'completed: a normal exit');
      const m = /^(\d{2,4}):(\d\d):(\d\d(?:\.\d{1,2})?)$/.exec(session[0]);
      assert.ok(m, 'CMITimespan: ' + session[0]);
      const seconds = Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]);
      assert.ok(seconds > 0 && seconds <= (left - opened) / 1000 + 0.5, seconds + ' s within the ' + (left - opened) / 1000 + ' s visit');
      assert.ok(calls.filter((c) => c.name === 'LMSCommit').length >= 4, 'commits at start, completion, each interaction, the end');
      assert.equal(await page.evaluate(() => window.lms.cmi.core.lesson_status), 'completed', 'what the LMS keeps');
      assert.equal(await page.evaluate(() => window.lms.cmi.interactions.childArray.length), 2);
      assert.deepEqual(watched.errors, []);
      assert.deepEqual(site.reports, [], 'no CSP violation');
    } finally {
      await context.close();
    }
  });

  it('in an LMS that opens the lesson in a window (found through the opener); complete= names what completes it', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '__lms.html');
      // The whole lesson: experiment 7 runs only on its button, so only complete=gradient lets it complete.
      const [popup] = await Promise.all([context.waitForEvent('page'),
        page.evaluate((s) => { window.open(s, 'lesson'); }, site.url + '?complete=gradient')]);
      await page.waitForFunction(() => window.calls.some((c) => c.name === 'LMSSetValue' && c.args[1] === 'completed'), null,
        { timeout: 30000, polling: 100 });
      assert.equal(await popup.evaluate(() => document.querySelector('#experiment-gradient').dataset.result), 'current');
      await popup.close({ runBeforeUnload: true });
      await page.waitForFunction(() => window.calls.some((c) => c.name === 'LMSFinish'));
      const calls = await page.evaluate(() => window.calls);
      assert.equal(calls[0].name, 'LMSInitialize');
      assert.deepEqual(calls.filter((c) => c.args[0] === 'cmi.core.lesson_status' && c.name === 'LMSSetValue').map((c) => c.args[1]),
        ['incomplete', 'completed']);
      assert.equal(await page.evaluate(() => window.lms.cmi.core.lesson_status), 'completed');
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('no LMS: at the top, and under a parent of another origin that has an API, nothing is called', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 800 } });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '?embed=gradient');
      assert.equal(await h.waitReady(page), 'ready');
      assert.equal(await page.evaluate(() => window.RnnLesson.lms.state()), 'none');
      await page.goto(other.url + '__decoy.html');
      await page.evaluate((s) => { document.getElementById('sco').src = s; }, site.url + '?embed=gradient');
      const frame = await (await page.waitForSelector('#sco')).contentFrame();
      await frame.waitForFunction(() => document.documentElement.dataset.lessonState === 'ready', null, { timeout: 20000, polling: 100 });
      await frame.click('#experiment-gradient details.predict > summary');
      await frame.check('#predict-gradient-0');
      assert.equal(await frame.evaluate(() => window.RnnLesson.lms.state()), 'none');
      await page.evaluate(() => { document.getElementById('sco').src = 'about:blank'; });
      await page.waitForTimeout(200);
      assert.deepEqual(await page.evaluate(() => window.called), [], 'the other origin\'s API was never called');
      assert.deepEqual(watched.errors, []);
      assert.deepEqual(site.reports, []);
    } finally {
      await context.close();
    }
  });

  it('the SCORM 1.2 package: manifest at the root, one organisation, one SCO, every file listed', async () => {
    const listing = JSON.parse(execFileSync('python3', ['-c',
      'import json, sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\n' +
      'print(json.dumps({"names": z.namelist(), "manifest": z.read("imsmanifest.xml").decode("utf-8")}))', zip]));
    assert.equal(listing.names[0], 'imsmanifest.xml', 'at the root, first');
    for (const f of ['index.html', 'main.js', 'lms.js', 'core-wasm.js', 'worker-source.js', 'vendor/chart.umd.min.js'])
      assert.ok(listing.names.includes(f), f + ' is in the zip');
    // Parsed by the browser's XML parser, namespaces and all.
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    try {
      await page.goto(site.url + 'favicon.svg');
      const m = await page.evaluate((xml) => {
        const doc = new DOMParser().parseFromString(xml, 'application/xml');
        const CP = 'http://www.imsproject.org/xsd/imscp_rootv1p1p2';
        const ADL = 'http://www.adlnet.org/xsd/adlcp_rootv1p2';
        const all = (name) => Array.from(doc.getElementsByTagNameNS(CP, name));
        const text = (name) => all(name).map((e) => e.textContent.trim());
        const orgs = all('organizations')[0];
        return {
          error: doc.getElementsByTagName('parsererror').length,
          root: doc.documentElement.localName + ' ' + doc.documentElement.namespaceURI,
          schema: text('schema'), version: text('schemaversion'),
          orgDefault: orgs && orgs.getAttribute('default'),
          orgIds: all('organization').map((o) => o.getAttribute('identifier')),
          items: all('item').map((i) => ({ ref: i.getAttribute('identifierref'), title: i.getElementsByTagNameNS(CP, 'title')[0].textContent })),
          resources: all('resource').map((r) => ({ id: r.getAttribute('identifier'), type: r.getAttribute('type'),
            scormtype: r.getAttributeNS(ADL, 'scormtype'), href: r.getAttribute('href'),
            files: Array.from(r.getElementsByTagNameNS(CP, 'file')).map((f) => f.getAttribute('href')) })),
        };
      }, listing.manifest);
      assert.equal(m.error, 0, 'well-formed');
      assert.equal(m.root, 'manifest http://www.imsproject.org/xsd/imscp_rootv1p1p2');
      assert.deepEqual(m.schema, ['ADL SCORM']);
      assert.deepEqual(m.version, ['1.2']);
      assert.deepEqual(m.orgIds, [m.orgDefault], 'one organisation, the default');
      assert.equal(m.items.length, 1);
      assert.equal(m.resources.length, 1);
      const sco = m.resources[0];
      assert.deepEqual([m.items[0].ref, sco.type, sco.scormtype, sco.href], [sco.id, 'webcontent', 'sco', 'index.html']);
      assert.ok(m.items[0].title.length > 0);
      assert.deepEqual(sco.files.slice().sort(), listing.names.slice().sort(), 'every file of the zip is listed, and only those');
    } finally {
      await context.close();
    }
  });

  it('downloads stand alone: the CSV starts with title, settings, version and date; the PNG has a header above the chart', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 1000, height: 800 }, acceptDownloads: true });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '?embed=gradient&gradient.hidden_size=20&seed=5');
      assert.equal(await h.waitReady(page), 'ready');
      const started = Date.now();
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#experiment-gradient [data-role="csv"]')]);
      const lines = fs.readFileSync(await csv.path(), 'utf8').split('\n');
      const version = await page.textContent('#core-version');
      assert.equal(lines[0], '# Experiment 2: The learning signal fades with distance');
      assert.match(lines[1], /^# Settings: .*\bhidden_size=20, .*\bseed=5\b/);
      const made = /^# Made by the lesson Why Recurrence Struggles at Scale, version (\S+), on (\S+)$/.exec(lines[2]);
      assert.ok(made, lines[2]);
      assert.equal(made[1], version);
      assert.ok(Math.abs(Date.parse(made[2]) - started) < 60000, 'today\'s date and time: ' + made[2]);
      assert.ok(!lines[3].startsWith('#') && lines[3].split(',').length > 1, 'then the column names: ' + lines[3]);
      const [png] = await Promise.all([page.waitForEvent('download'), page.click('#experiment-gradient [data-role="png"]')]);
      const bytes = fs.readFileSync(await png.path());
      const canvas = await page.evaluate(() => [document.getElementById('chart-gradient').width, document.getElementById('chart-gradient').height]);
      // IHDR: width and height, big-endian, at bytes 16 and 20.
      assert.equal(bytes.readUInt32BE(16), canvas[0]);
      assert.ok(bytes.readUInt32BE(20) > canvas[1] + 40, 'a header above the chart: ' + bytes.readUInt32BE(20) + ' > ' + canvas[1]);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('print media: controls, buttons and predict boxes hidden, results kept, charts redrawn at the printed width', async () => {
    const context = await chromium.browser.newContext({ viewport: { width: 420, height: 800 }, colorScheme: 'dark' });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(site.url + '?embed=gradient');
      assert.equal(await h.waitReady(page), 'ready');
      const screenWidth = await page.evaluate(() => Chart.getChart(document.getElementById('chart-gradient')).width);
      await page.emulateMedia({ media: 'print' });
      await page.waitForFunction(() => Chart.getChart(document.getElementById('chart-gradient')).width === 640);
      const shown = (sel) => page.evaluate((s) => Array.from(document.querySelectorAll(s)).some((e) => e.getClientRects().length > 0), sel);
      for (const gone of ['#experiment-gradient .controls', '#experiment-gradient .actions button', '#experiment-gradient .downloads button',
        '#experiment-gradient details.predict'])
        assert.equal(await shown(gone), false, gone + ' hidden in print');
      for (const kept of ['#chart-gradient', '#experiment-gradient .chart-legend button', '#experiment-gradient [data-role="readout"]',
        '#experiment-gradient .notice'])
        assert.equal(await shown(kept), true, kept + ' kept in print');
      assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector('#experiment-gradient figure')).breakInside), 'avoid');
      // Printed in light colours though the screen is dark.
      assert.equal(await page.evaluate(() => getComputedStyle(document.body).color), 'rgb(29, 29, 31)');
      await page.screenshot({ path: path.join(h.SCREENSHOTS, 'print-gradient.png'), fullPage: true });
      await page.emulateMedia({ media: 'screen' });
      await page.waitForFunction((w) => Chart.getChart(document.getElementById('chart-gradient')).width === w, screenWidth);
      // A real print (to PDF) fires beforeprint: the chart is redrawn at the printed width and
      // in the printed colours, then back.
      await page.evaluate(() => {
        window.printed = [];
        addEventListener('beforeprint', () => window.printed.push([Chart.getChart(document.getElementById('chart-gradient')).width,
          document.documentElement.classList.contains('printing')]));
      });
      const pdf = await page.pdf({ format: 'A4' });
      assert.equal(pdf.subarray(0, 4).toString(), '%PDF');
      assert.deepEqual(await page.evaluate(() => window.printed), [[640, true]]);
      await page.waitForFunction((w) => Chart.getChart(document.getElementById('chart-gradient')).width === w, screenWidth);
      assert.equal(await page.evaluate(() => document.documentElement.classList.contains('printing')), false);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});
