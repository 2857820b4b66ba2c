// Accessibility of the lesson page: every chart's HTML legend (a toggle button per line,
// reachable with Tab, toggled with Enter and Space, showing each line's colour and dash
// pattern); at least 3:1 contrast of every drawn line against the chart's background in the
// light and the dark scheme; nothing wider than its card at 320 px; the skip link moves
// focus; Cancel hands focus back to Run.
'use strict';
const { describe, it, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const h = require('./harness.js');

// Each chart's legend: [{label, pressed, dataset}] and the labelled datasets that have data.
function legendState(page, id) {
  return page.evaluate((cid) => {
    const canvas = document.getElementById(cid);
    const chart = window.Chart.getChart(canvas);
    const list = canvas.closest('.chart-box').nextElementSibling;
    const buttons = list && list.matches('ul.chart-legend') ? Array.from(list.querySelectorAll('button')) : [];
    return {
      buttons: buttons.map((b) => {
        const swatch = b.querySelector('canvas.legend-swatch');
        // Along the swatch's middle row: how many times the line breaks off (a gap after ink).
        let gaps = 0;
        if (swatch) {
          const row = swatch.getContext('2d').getImageData(0, Math.floor(swatch.height / 2), swatch.width, 1).data;
          let ink = false;
          for (let x = 0; x < swatch.width; ++x) {
            const on = row[4 * x + 3] > 60;
            if (ink && !on) ++gaps;
            ink = on;
          }
          if (!ink) --gaps;  // the end of the line is no gap
        }
        return { label: b.textContent, pressed: b.getAttribute('aria-pressed'), dataset: Number(b.dataset.dataset),
          swatch: Boolean(swatch), dash: swatch ? swatch.dataset.dash : null, gaps: gaps };
      }),
      lines: chart.data.datasets.map((ds, i) => ({ i: i, label: ds.label, n: ds.data.length, dash: (ds.borderDash || []).join(' '),
        drawsLine: Boolean(chart.getDatasetMeta(i).dataset) && ds.borderWidth !== 0, shown: chart.isDatasetVisible(i) }))
        .filter((d) => d.label && d.n > 0),
    };
  }, id);
}

// Contrast of every drawn dataset (border width > 0, with data) against the chart's background,
// its colour composited over that background when translucent (WCAG 2 relative luminance).
function lineContrasts(page) {
  return page.evaluate((ids) => {
    const ctx = document.createElement('canvas').getContext('2d');
    const rgba = (colour) => {
      ctx.fillStyle = '#000';
      ctx.fillStyle = colour;
      const s = ctx.fillStyle;
      if (s[0] === '#') return [1, 3, 5].map((k) => parseInt(s.slice(k, k + 2), 16)).concat([1]);
      return s.replace(/[^\d.,]/g, '').split(',').map(Number);
    };
    const lum = (c) => c.slice(0, 3).map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); })
      .reduce((a, v, i) => a + v * [0.2126, 0.7152, 0.0722][i], 0);
    const out = [];
    for (const id of ids) {
      const chart = window.Chart.getChart(document.getElementById(id));
      const bg = rgba(chart.options.plugins.lessonBackground.color);
      chart.data.datasets.forEach((ds, i) => {
        if (ds.borderWidth === 0 || !ds.data.length) return;
        const fg = rgba(ds.borderColor);
        const a = fg.length > 3 ? fg[3] : 1;
        const mixed = [0, 1, 2].map((k) => a * fg[k] + (1 - a) * bg[k]);
        const [l1, l2] = [lum(mixed), lum(bg)];
        out.push({ chart: id, dataset: i, label: ds.label, colour: String(ds.borderColor), background: chart.options.plugins.lessonBackground.color,
          contrast: (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05) });
      });
    }
    return out;
  }, h.CHARTS);
}

describe('accessibility', () => {
  const env = h.useBrowser();
  before(() => {
    fs.mkdirSync(h.SCREENSHOTS, { recursive: true });
  });

  it('legends, line contrast in both schemes, the skip link, and focus after Cancel', async (t) => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(env.site.url);
      assert.equal(await h.waitReady(page, 90000), 'ready');

      // The skip link: the first Tab stop; Enter moves focus into experiment 1.
      await page.keyboard.press('Tab');
      assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
      await page.keyboard.press('Enter');
      assert.equal(await page.evaluate(() => document.getElementById('experiment-timing').contains(document.activeElement)), true,
        'focus moved into the first experiment');

      // A legend under every chart: one button per labelled line with data, its swatch
      // dashed where the line is, pressed exactly when the line is shown (all but experiment
      // 3's kata cosine, which starts hidden).
      for (const id of h.CHARTS) {
        await h.showCharts(page, id);
        const s = await legendState(page, id);
        assert.ok(s.buttons.length >= s.lines.length && s.lines.length > 0, id + ': ' + s.buttons.length + ' buttons, ' + s.lines.length + ' lines');
        for (const line of s.lines) {
          const button = s.buttons.find((b) => b.dataset === line.i);
          assert.ok(button, id + ': a legend button for "' + line.label + '"');
          assert.equal(button.pressed, String(line.shown), id + ': "' + line.label + '" pressed = shown');
          assert.ok(button.swatch, id + ': a swatch for "' + line.label + '"');
          if (line.dash) {
            assert.equal(button.dash, line.dash, id + ': "' + line.label + '" shows its dash pattern');
            assert.ok(button.gaps >= 2, id + ': "' + line.label + '" swatch is drawn dashed (' + button.gaps + ' gaps)');
          } else if (line.drawsLine) {
            assert.equal(button.gaps, 0, id + ': "' + line.label + '" swatch is a solid line');
          }
        }
      }
      // No canvas legend.
      assert.equal(await page.evaluate(() => window.Chart.getChart(document.getElementById('chart-gradient')).options.plugins.legend.display), false);

      // Keyboard: Tab reaches the LSTM entry of experiment 4; Enter hides the LSTM and its
      // quartile band, Space shows them again.
      await page.locator('#experiment-architectures [data-role="run"]').focus();
      let tabs = 0;
      while (tabs++ < 40 && !(await page.evaluate(() => document.activeElement.closest('.chart-legend') !== null &&
        document.activeElement.textContent.startsWith('LSTM')))) await page.keyboard.press('Tab');
      assert.ok(tabs <= 40, 'Tab reaches the LSTM legend entry');
      assert.equal(await page.evaluate(() => document.activeElement.closest('figure').querySelector('canvas').id), 'chart-architectures');
      const visible = () => page.evaluate(() => {
        const chart = window.Chart.getChart(document.getElementById('chart-architectures'));
        return [3, 4, 5].map((i) => chart.isDatasetVisible(i)).concat([chart.isDatasetVisible(0)]);
      });
      const pressed = () => page.evaluate(() => document.activeElement.getAttribute('aria-pressed'));
      await page.keyboard.press('Enter');
      assert.equal(await pressed(), 'false');
      assert.deepEqual(await visible(), [false, false, false, true], 'LSTM line and band hidden, RNN still shown');
      await page.locator('#experiment-architectures').screenshot({ path: path.join(h.SCREENSHOTS, 'a11y-legend-lstm-hidden.png') });
      await page.keyboard.press('Space');
      assert.equal(await pressed(), 'true');
      assert.deepEqual(await visible(), [true, true, true, true]);
      assert.match(await page.evaluate(() => document.activeElement.textContent), /^LSTM/, 'focus stays on the entry');

      // Every drawn line at least 3:1 against the chart's background, in both schemes.
      for (const scheme of ['light', 'dark']) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.waitForFunction(() => {
          const surface = getComputedStyle(document.documentElement).getPropertyValue('--surface').trim();
          return window.Chart.getChart(document.getElementById('chart-gradient')).options.plugins.lessonBackground.color === surface;
        }, null, { polling: 50 });
        const contrasts = await lineContrasts(page);
        assert.ok(contrasts.length > 30, 'lines measured: ' + contrasts.length);
        const byColour = {};
        for (const c of contrasts) byColour[c.colour] = c.contrast.toFixed(2);
        t.diagnostic(scheme + ': ' + JSON.stringify(byColour));
        for (const c of contrasts) {
          assert.ok(c.contrast >= 3, scheme + ': ' + c.chart + ' "' + (c.label || '#' + c.dataset) + '" ' + c.colour + ' on ' + c.background +
            ' has contrast ' + c.contrast.toFixed(2));
        }
        await page.locator('#experiment-memory').screenshot({ path: path.join(h.SCREENSHOTS, 'a11y-memory-' + scheme + '.png') });
      }

      // Cancel during a run: focus goes back to that panel's Run button.
      const run = page.locator('#experiment-timing [data-role="run"]');
      const cancel = page.locator('#experiment-timing [data-role="cancel"]');
      await run.click();
      assert.equal(await cancel.isEnabled(), true, 'the run is going');
      await cancel.click();
      assert.equal(await page.evaluate(() => document.activeElement === document.querySelector('#experiment-timing [data-role="run"]')), true,
        'focus is on Run after Cancel');
      await page.waitForFunction(() => /Cancelled/.test(document.querySelector('#experiment-timing [data-role="status"]').textContent), null, { polling: 50 });
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('at 320 px nothing is wider than its card and the page does not scroll sideways', async () => {
    const context = await env.chromium.browser.newContext({ viewport: { width: 320, height: 800 }, colorScheme: 'light' });
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    try {
      await page.goto(env.site.url);
      assert.equal(await h.waitReady(page, 90000), 'ready');
      // Open every fold (settings, data tables, the instructors' snippets) too.
      await page.evaluate(() => { for (const d of document.querySelectorAll('details')) d.open = true; });
      await page.waitForTimeout(300);
      const problems = await page.evaluate(() => {
        const out = [];
        const scrollRegion = (el) => el.closest('.table-scroll, pre, .formula');
        for (const card of document.querySelectorAll('main > section, .lesson-header')) {
          if (card.hidden) continue;
          const box = card.getBoundingClientRect();
          if (card.scrollWidth > card.clientWidth + 1) out.push((card.id || card.className) + ': scrollWidth ' + card.scrollWidth + ' > ' + card.clientWidth);
          for (const el of card.querySelectorAll('*')) {
            const r = el.getBoundingClientRect();
            if (!r.width || scrollRegion(el) && scrollRegion(el) !== el) continue;
            if (r.right > box.right + 1 || r.left < box.left - 1) {
              out.push((card.id || card.className) + ' > ' + el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
                (el.className && typeof el.className === 'string' ? '.' + el.className.split(' ').join('.') : '') +
                ': ' + Math.round(r.left) + '..' + Math.round(r.right) + ' outside ' + Math.round(box.left) + '..' + Math.round(box.right));
            }
          }
        }
        return out;
      });
      assert.deepEqual(problems.slice(0, 20), []);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 320),
        'no sideways scroll: ' + await page.evaluate(() => document.documentElement.scrollWidth));
      await page.locator('#experiment-memory').screenshot({ path: path.join(h.SCREENSHOTS, 'a11y-320-memory.png') });
      await page.locator('#experiment-parallel').screenshot({ path: path.join(h.SCREENSHOTS, 'a11y-320-parallel.png') });
      await page.locator('.about').screenshot({ path: path.join(h.SCREENSHOTS, 'a11y-320-instructors.png') });
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });
});
