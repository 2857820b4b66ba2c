// The page reads numbers from the address with its own parser (web/state.js), because it
// must run before the module has compiled; the core reads the CLI's and the module's with
// params.cpp. This checks that the two agree on what is a number at all, text by text:
// the page refuses exactly the texts the core refuses as "not a number" or "too small to
// represent". (What then happens to a number out of range differs by design: the address
// clamps it with a message, the CLI and module refuse it.)
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const h = require('./helpers');

let m;
let page;
before(async () => {
  m = await h.loadModule();
  const sandbox = { window: { RnnLesson: { LIST: ['gradient'] } } };
  vm.runInNewContext(fs.readFileSync(path.join(__dirname, '..', '..', 'web', 'state.js'), 'utf8'), sandbox);
  page = sandbox.window.RnnLesson.state;
});

const TEXTS = ['1', '-1', '+1', '0', '-0', '1.', '.5', '0.5', '5e-1', '5E+1', '00012', '12.50', '1e', 'e1', '.', '-.5',
  '+-1', '--1', '1e+', '1.2.3', '0x10', '0X1p3', '0b1', '1_000', '1f', '1d', '7 7', '', ' ', ' 7', '7\t', '\t7 ',
  '7\n', '\n7', '\r7', '7\v', '\u00a07', '7\u2028', '\u0661', '\uff17', '1e-400', '0e-400', '0.0e-999', '1e400', '-1e400',
  '9'.repeat(400)];
// strtod also reads these words; the core then refuses them by range, the page as not a
// number. Either way neither uses them.
const WORDS = ['inf', '-Infinity', 'INF', 'nan', 'NaN', 'nan(1)'];

const ROW = { key: 'gradient.input_scale', name: 'input_scale', type: 'real', min: 0, max: 10, range: 'a number from 0 to 10', default: 1 };
const coreRefusal = (text) => {
  const r = m.limits('gradient', { input_scale: text });
  return r && r.error ? r.error : '';
};
const readsAsNumber = (error) => !/not a number|too small to represent|got nothing/.test(error);

test('the page and the core agree on which texts are numbers', () => {
  for (const text of TEXTS) {
    const core = readsAsNumber(coreRefusal(text));
    const shown = page.parseValue(ROW, text);
    assert.equal('value' in shown, core, JSON.stringify(text) + ': core ' + (core ? 'reads a number' : 'refuses: ' + coreRefusal(text)) +
      ', page ' + JSON.stringify(shown));
  }
});

test('the number words strtod knows are used by neither', () => {
  for (const text of WORDS) {
    assert.notEqual(coreRefusal(text), '', text + ': the core refused nothing');
    assert.ok(!('value' in page.parseValue(ROW, text)), text + ': the page used a value');
  }
});

test('a number the page reads is the number the core reads', () => {
  for (const text of TEXTS) {
    const shown = page.parseValue(ROW, text);
    if (!('value' in shown) || shown.message) continue;  // refused or clamped
    const p = m.limits('gradient', { input_scale: text });
    assert.ok(!p.error, text + ': ' + p.error);
    assert.ok(shown.value === Number(text.trim()), JSON.stringify(text) + ': page ' + shown.value);  // === : -0 and 0 are one value here
  }
});
