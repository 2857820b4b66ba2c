// Untrusted URL values: markup, NaN, 1e999, negative, huge lists, unknown keys. Each is
// clamped or refused with a visible message, nothing is injected into the DOM, no dialog
// opens, and the page still becomes ready.
'use strict';
const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./harness.js');

describe('hostile URL values', () => {
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

  async function load(query, fromDisk) {
    const context = await chromium.browser.newContext();
    const page = await context.newPage();
    const watched = await h.watch(context, page);
    await page.goto(fromDisk ? h.fileUrl(query) : site.url + query);
    const state = await h.waitReady(page);
    return { context, page, watched, state };
  }

  it('refuses or clamps each value, shows why, and injects nothing', async () => {
    const markup = '<img src=x onerror=alert(1)>';
    const query = '?' + [
      'gradient.hidden_size=' + encodeURIComponent(markup),
      'hidden_size=NaN',
      'gradient.weight_scale=1e999',
      'timing.trials=-5',
      'retention.noise_scale=0.0000001',
      'timing.lengths=' + '7,'.repeat(3000) + '7',
      'gradient.distances=' + Array.from({ length: 80 }, (_, i) => i + 1).join(','),
      'gradient.mode=' + encodeURIComponent('<script>alert(2)</script>'),
      encodeURIComponent('<svg onload=alert(3)>') + '=1',
      'hide=' + encodeURIComponent('<b>x</b>,seed'),
      'architectures.forget_bias=1e999',
      'architectures.recurrent_scale=' + encodeURIComponent('"><img src=x onerror=alert(4)>'),
      'memory.hidden_sizes=' + encodeURIComponent('8,<svg/onload=alert(5)>'),
      'memory.show_n=-3',
      'embed=' + encodeURIComponent('memory<script>'),
    ].join('&');
    const { context, page, watched, state } = await load(query);
    try {
      assert.equal(state, 'ready', 'defaults and clamped values still run');
      const banner = page.locator('#url-messages');
      assert.equal(await banner.isVisible(), true, 'the adjustments are shown');
      assert.equal(await banner.getAttribute('role'), 'alert');
      const text = await banner.textContent();
      for (const fragment of ['gradient.hidden_size', '<img src=x', 'NaN', 'gradient.weight_scale', 'above the maximum',
        'timing.trials', 'below the minimum', 'timing.lengths', 'gradient.distances', 'gradient.mode', '<svg onload',
        'architectures.forget_bias', 'architectures.recurrent_scale', 'memory.hidden_sizes', '<svg/onload', 'memory.show_n', 'embed']) {
        assert.ok(text.includes(fragment), 'banner mentions ' + fragment + ':\n' + text);
      }
      // Shown as text only: no element was created from any of it.
      assert.equal(await page.locator('img, svg, main script, b').count(), 0, 'no injected elements');
      assert.deepEqual(watched.dialogs, [], 'no dialog opened');
      // The values actually used.
      assert.equal(await page.inputValue('#ctl-gradient-hidden_size'), '16', 'refused: default');
      assert.equal(await page.inputValue('#ctl-timing-hidden_size'), '32', 'NaN refused: default');
      assert.equal(await page.inputValue('#ctl-gradient-weight_scale'), '4', '1e999 clamped to the maximum');
      assert.equal(await page.inputValue('#ctl-timing-trials'), '1', '-5 clamped to the minimum');
      assert.equal(await page.inputValue('#ctl-retention-noise_scale'), '1e-7', 'a tiny value in range is kept');
      assert.equal(await page.inputValue('#ctl-timing-lengths'), '50,100,200,500,1000,2000', 'huge list refused');
      assert.equal(await page.inputValue('#ctl-gradient-mode'), 'bptt');
      assert.equal(await page.inputValue('#ctl-architectures-forget_bias'), '10', '1e999 clamped to the maximum');
      assert.equal(await page.inputValue('#ctl-architectures-recurrent_scale'), '0.9', 'markup refused: default');
      assert.equal(await page.inputValue('#ctl-memory-hidden_sizes'), '8,16,32,64,128', 'a list with markup refused whole');
      assert.equal(await page.inputValue('#ctl-memory-show_n'), '0', 'clamped to the minimum');
      assert.equal(await page.locator('#experiment-memory').isVisible(), true, 'a bad embed value shows the whole lesson');
      // hide=seed still applies; the markup entry was dropped.
      assert.equal(await page.locator('[data-key="timing.seed"]').isHidden(), true);
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('says which value counts when the address repeats a key, and refuses a number that underflows to 0', async () => {
    const { context, page, watched, state } = await load('?embed=gradient&embed=memory&gradient.seed=7&gradient.seed=8' +
      '&retention.noise_scale=1e-400&retention.weight_scale=0e-400&retention.seed=%0A5&retention.hidden_size=%206%09' +
      '&timing.min_interval_ms=1e-400&seed=7&seed=8&timing.seed=9&hide=trials&hide=washout');
    try {
      assert.equal(state, 'ready');
      const text = await page.locator('#url-messages-list').innerText();
      assert.match(text, /The address gives embed 2 times; the last, "memory", is used\./);
      assert.match(text, /The address gives gradient\.seed 2 times; the last, "8", is used\./);
      assert.match(text, /retention\.noise_scale="1e-400" is too close to 0 to be told apart from 0; the default 0.01 is used\./);
      assert.doesNotMatch(text, /weight_scale/, 'a zero written as 0e-400 is a zero, not an underflow');
      // Spaces and tabs around a number are ignored, a line break is not (the core's rule too).
      assert.match(text, /retention\.seed="\?5" is not an integer/);
      assert.doesNotMatch(text, /retention\.hidden_size/);
      // Where 0 is not allowed, an underflow is just below the minimum.
      assert.match(text, /timing\.min_interval_ms="1e-400": below the minimum, so 0\.5 is used/);
      // A shorthand repeated: the settings also given in full keep theirs, and the message says so.
      assert.match(text, /The address gives seed 2 times; the last, "8", is used \(not for timing\.seed, gradient\.seed, retention\.seed, which the address also gives in full\)\./);
      assert.match(text, /The address gives hide 2 times; the last, "washout", is used \(several values go in one, separated by commas: hide=a,b\)\./);
      assert.equal(await page.locator('#experiment-memory').isVisible(), true);
      assert.equal(await page.locator('#experiment-gradient').isVisible(), false, 'embed=memory, the last, is what is shown');
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  // From disk: node's server would refuse a request line this long (431) before the page saw it.
  it('ignores an absurdly long query as a whole, with a message', async () => {
    const { context, page, watched, state } = await load('?gradient.seed=' + '9'.repeat(30000), true);
    try {
      assert.equal(state, 'ready');
      assert.match(await page.locator('#url-messages').textContent(), /characters of settings/);
      assert.equal(await page.inputValue('#ctl-gradient-seed'), '42');
      assert.deepEqual(watched.errors, []);
    } finally {
      await context.close();
    }
  });

  it('settings the core refuses are replaced before the first run, with a message, and the page ends ready', async () => {
    const { context, page, state } = await load('?embed=timing&timing.lengths=50,50');
    try {
      assert.equal(state, 'ready');
      assert.equal(await page.locator('#experiment-timing [data-role="error"]').isVisible(), false);
      assert.equal(await page.inputValue('#ctl-timing-lengths'), '50,100,200,500,1000,2000');
      assert.match(await page.textContent('#url-messages'), /timing\.lengths=50,50: Sequence lengths L cannot be 50,50 with the other settings, so the default 50,100,200,500,1000,2000 is used\./);
      // The same list typed into the field is refused in a sentence; the page stays ready.
      await page.fill('#ctl-timing-lengths', '50,50');
      await page.press('#ctl-timing-lengths', 'Enter');
      await page.waitForFunction(() => /^Sequence lengths L cannot be 50,50 with the other settings as they are; kept 50,100,200,500,1000,2000\.$/
        .test(document.getElementById('ctl-timing-lengths-error').textContent));
      assert.equal(await page.inputValue('#ctl-timing-lengths'), '50,100,200,500,1000,2000');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.lessonState), 'ready');
    } finally {
      await context.close();
    }
  });

  it('a value typed into a control is checked the same way', async () => {
    const { context, page } = await load('?embed=gradient');
    try {
      const input = page.locator('#ctl-gradient-hidden_size');
      await input.fill('99999');
      await input.press('Enter');
      // Clamped to the range (256), which the core's work cap refuses with the other settings:
      // the last good value stays, with one sentence.
      await page.waitForFunction(() => /^Hidden size H can be at most \d+ with the other settings as they are; kept 16\.$/
        .test(document.getElementById('ctl-gradient-hidden_size-error').textContent));
      assert.equal(await input.inputValue(), '16', 'the last good value stays');
      await input.fill('-5');
      await input.press('Enter');
      // Clamped on commit, once the core has read the text (web/checker.js, milliseconds).
      await page.waitForFunction(() => document.getElementById('ctl-gradient-hidden_size').value === '1');
      assert.match(await page.locator('#ctl-gradient-hidden_size-error').textContent(), /from 1 to 256/);
      const list = page.locator('#ctl-gradient-distances');
      await page.locator('.more-settings > summary').click();
      await list.fill('1,5,<img src=x>');
      await list.press('Enter');
      await page.waitForFunction(() => /kept/.test(document.getElementById('ctl-gradient-distances-error').textContent));
      assert.equal(await list.inputValue(), '1,5,10,20,50,100,200', 'refused: the last good list is kept');
      assert.equal(await page.locator('img').count(), 0);
    } finally {
      await context.close();
    }
  });
});
