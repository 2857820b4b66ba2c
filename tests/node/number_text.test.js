// The page reads no number itself: every text that holds numbers (the address's values, the
// fields a learner types into, the specs' defaults) is read by the core (core/params.h
// read_text) through the module's readText, asked of a worker (web/worker.js 'read'). This
// runs the built worker and web/state.js as the page does and checks: (1) the page uses a
// text as given exactly when the CLI accepts it, with the number the CLI reads, for texts on
// both sides of every rule plus the words strtod knows (inf, nan); (2) the messages for bad
// address values are the ones the page showed when it still had a reader of its own (written
// out below); (3) the page takes its numbers from the core's answer, never from the text.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const vm = require('node:vm');
const { spawnSync } = require('node:child_process');
const h = require('./helpers');

const TEXTS = ['1', '-1', '+1', '0', '-0', '1.', '.5', '0.5', '5e-1', '5E+1', '00012', '12.50', '1e', 'e1', '.', '-.5',
  '+-1', '--1', '1e+', '1.2.3', '0x10', '0X1p3', '0b1', '1_000', '1f', '1d', '7 7', '', ' ', ' 7', '7\t', '\t7 ',
  '7\n', '\n7', '\r7', '7\v', '\u00a07', '7\u2028', '\u0661', '\uff17', '1e-400', '0e-400', '0.0e-999', '1e400', '-1e400',
  '9'.repeat(400)];
// strtod also reads these words; the core reads only decimal numbers.
const WORDS = ['inf', '-Infinity', 'INF', '+inf', 'nan', 'NaN', 'nan(1)'];

// The built worker (dist/worker-source.js: the glue, then web/worker.js) in a worker-like sandbox.
function startWorker() {
  const file = path.join(h.DIST, 'worker-source.js');
  h.requireBuilt(file);
  const holder = vm.createContext({ self: {} });
  vm.runInContext(fs.readFileSync(file, 'utf8'), holder);
  const waiting = new Map();
  const sandbox = {
    location: { href: 'blob:null/worker' }, WebAssembly, performance, console, setTimeout, clearTimeout,
    importScripts() { throw new Error('importScripts called'); },
    postMessage(message) {
      if (message.started || message.progress !== undefined) return;
      waiting.get(message.id)(message);
    },
  };
  sandbox.self = sandbox;
  vm.runInContext(holder.self.RNN_LESSON_WORKER_SOURCE, vm.createContext(sandbox));
  sandbox.onmessage({ data: { op: 'init', bytes: fs.readFileSync(h.WASM) } });
  let id = 0;
  return (message) => new Promise((resolve, reject) => {
    const own = ++id;
    waiting.set(own, (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))));
    sandbox.onmessage({ data: Object.assign({ id: own }, message) });
  });
}

// web/state.js over the worker's specs, with one page row of a number (memory.show_n).
const SHOW_N = { name: 'show_n', type: 'integer', default: 0, min: 0, max: 256, range: 'an integer from 0 to 256', redraw: true };
function loadState(specs) {
  const list = ['timing', 'gradient', 'retention', 'memory', 'train'];
  const sandbox = { URLSearchParams, window: { RnnLesson: { LIST: list,
    experiments: { timing: {}, gradient: {}, retention: {}, memory: { rows: [SHOW_N] }, train: {} } } } };
  vm.runInNewContext(fs.readFileSync(path.join(h.ROOT, 'web', 'state.js'), 'utf8'), sandbox);
  const state = sandbox.window.RnnLesson.state;
  return { state, table: state.createTable(specs) };
}

let ask;
let read;  // the checker's read (web/checker.js), straight to the worker
let page;
before(async () => {
  ask = startWorker();
  const { specs } = await ask({ op: 'specs' });
  read = (items) => ask({ op: 'read', items: items }).then((r) => r.result.readings);
  page = loadState(specs);
});

const row = (key) => page.table.find((r) => r.key === key);

// `rnn-lesson gradient --input_scale=<text>` on a small kata run: its exit status and output.
function cliReads(text) {
  const r = spawnSync(h.cli(), ['gradient', '--mode', 'kata', '--hidden_size', '4', '--distances', '1', '--input_scale=' + text, '--json'],
    { encoding: 'utf8' });
  return { accepted: r.status === 0, json: r.status === 0 ? JSON.parse(r.stdout) : null, error: r.stderr, status: r.status };
}

test('the page uses a text as given exactly when the CLI accepts it, with the same number', async () => {
  const scale = row('gradient.input_scale');
  for (const text of TEXTS.concat(WORDS)) {
    const cli = cliReads(text);
    const shown = await page.state.readValue(scale, text, read);
    const asGiven = 'value' in shown && !shown.message;
    assert.equal(asGiven, cli.accepted, JSON.stringify(text) + ': CLI ' + (cli.accepted ? 'accepts' : 'refuses (' + cli.status + '): ' +
      cli.error.trim()) + '; page ' + JSON.stringify(shown));
    if (asGiven) assert.ok(Object.is(shown.value, cli.json.params.input_scale) || shown.value === cli.json.params.input_scale,
      JSON.stringify(text) + ': page ' + shown.value + ', CLI ' + cli.json.params.input_scale);
    // What the page refuses outright (no value) is what the core cannot read as a number; a
    // number out of range is clamped by the page, refused by the CLI with the number.
    if (!cli.accepted) {
      const unread = /not a number|got nothing|too small to represent|a list of/.test(cli.error);
      assert.equal(!('value' in shown), unread, JSON.stringify(text) + ': CLI says ' + cli.error.trim() + '; page ' + JSON.stringify(shown));
    }
  }
});

// Messages and values for bad address values, as the page showed them with its own reader
// (before the core read its numbers). Two values differ on purpose: a line break inside a
// list ("\n5,6", "10,20\n") was trimmed by the page's list reader and is refused by the core's
// (and the CLI's) rule, like a line break around a single number.
const NOT = (key, text, range, d) => key + '="' + text + '" is not ' + range + '; the default ' + d + ' is used.';
const HS = 'an integer from 1 to 256';
const LENGTHS = 'a list of 1 to 32 integers, each from 1 to 20000';
const DEFAULT_LENGTHS = '50,100,200,500,1000,2000';
const ARCHS = 'a list of 1 to 5 different names from rnn, lstm, gru, linear, attention';
const CASES = [
  ['?gradient.hidden_size=%3Cimg%20src%3Dx%3E&hidden_size=NaN&gradient.weight_scale=1e999&timing.trials=-5&retention.noise_scale=0.0000001',
    { 'timing.trials': 1, 'gradient.weight_scale': 4, 'retention.noise_scale': 1e-7 },
    [NOT('timing.hidden_size', 'NaN', 'an integer from 1 to 1024', 32), NOT('gradient.hidden_size', 'NaN', HS, 16),
      NOT('retention.hidden_size', 'NaN', HS, 16), NOT('train.hidden_size', 'NaN', HS, 32), NOT('gradient.hidden_size', '<img src=x>', HS, 16),
      'gradient.weight_scale="1e999": above the maximum, so 4 is used (a number from 0 to 4).',
      'timing.trials="-5": below the minimum, so 1 is used (an integer from 1 to 51).']],
  ['?retention.noise_scale=1e-400&retention.weight_scale=0e-400&retention.seed=%0A5&retention.hidden_size=%206%09&timing.min_interval_ms=1e-400',
    { 'timing.min_interval_ms': 0.5, 'retention.hidden_size': 6, 'retention.weight_scale': 0 },
    ['retention.noise_scale="1e-400" is too close to 0 to be told apart from 0; the default 0.01 is used.',
      NOT('retention.seed', '?5', 'an integer from 0 to 2147483647', 42),
      'timing.min_interval_ms="1e-400": below the minimum, so 0.5 is used (a number from 0.5 to 1000).']],
  ['?timing.hidden_size=2.5&timing.lengths=50,1e-400,2.6,%2020000.4%09,99999&gradient.input_scale=inf&retention.seed=-0',
    { 'timing.hidden_size': 3, 'timing.lengths': [50, 1, 3, 20000, 20000], 'retention.seed': 0 },
    ['timing.hidden_size="2.5": rounded to 3 (an integer from 1 to 1024).',
      'timing.lengths="50,1e-400,2.6, 20000.4?,99999": "1e-400" below the minimum, so 1 is used; "2.6" rounded to 3; ' +
      '"20000.4" rounded to 20000; "99999" above the maximum, so 20000 is used (' + LENGTHS + ').',
      NOT('gradient.input_scale', 'inf', 'a number from 0 to 10', 1)]],
  ['?timing.lengths=5,,6&gradient.distances=&memory.show_n=1e-400&memory.hidden_sizes=%205%20',
    { 'memory.hidden_sizes': [5] },
    [NOT('timing.lengths', '5,,6', LENGTHS, DEFAULT_LENGTHS),
      NOT('gradient.distances', '', 'a list of 1 to 64 integers, each from 1 to 2000', '1,5,10,20,50,100,200'),
      'memory.show_n="1e-400" is too close to 0 to be told apart from 0; the default 0 is used.']],
  ['?memory.show_n=abc&gradient.weight_scale=1.23456789012345&gradient.input_scale=-1e400&retention.hidden_size=0x10',
    { 'gradient.weight_scale': 1.23456789012, 'gradient.input_scale': 0 },
    [NOT('memory.show_n', 'abc', 'an integer from 0 to 256', 0),
      'gradient.input_scale="-1e400": below the minimum, so 0 is used (a number from 0 to 10).',
      NOT('retention.hidden_size', '0x10', HS, 16)]],
  ['?memory.show_n=3.7&timing.trials=7,8&gradient.input_scale=.5&retention.noise_scale=5E-1&timing.lengths=%0A5,6',
    { 'gradient.input_scale': 0.5, 'retention.noise_scale': 0.5, 'memory.show_n': 4 },
    ['memory.show_n="3.7": rounded to 4 (an integer from 0 to 256).', NOT('timing.trials', '7,8', 'an integer from 1 to 51', 7),
      NOT('timing.lengths', '?5,6', LENGTHS, DEFAULT_LENGTHS)]],  // was [5, 6], no message
  ['?train.architectures=rnn,%20gru&train.lags=5,2.5,1&timing.seed=1e400&gradient.input_scale=nan&timing.lengths=10,20%0A',
    { 'timing.seed': 2147483647, 'train.architectures': 'rnn,gru', 'train.lags': [5, 3, 2] },
    ['train.lags="5,2.5,1": "2.5" rounded to 3; "1" below the minimum, so 2 is used (a list of 1 to 12 integers, each from 2 to 1000).',
      'timing.seed="1e400": above the maximum, so 2147483647 is used (an integer from 0 to 2147483647).',
      NOT('gradient.input_scale', 'nan', 'a number from 0 to 10', 1),
      NOT('timing.lengths', '10,20?', LENGTHS, DEFAULT_LENGTHS)]],  // was [10, 20], no message
  ['?train.architectures=rnn,rnn&train.lags=1e-400&seed=1e-400&memory.show_n=-1e-400',
    { 'train.lags': [2] },
    ['timing', 'gradient', 'retention', 'memory', 'train'].map((e) => e + '.seed="1e-400" is too close to 0 to be told apart from 0; the default 42 is used.')
      .concat([NOT('train.architectures', 'rnn,rnn', ARCHS, 'rnn,lstm,gru,linear,attention'),
        'train.lags="1e-400": "1e-400" below the minimum, so 2 is used (a list of 1 to 12 integers, each from 2 to 1000).',
        'memory.show_n="-1e-400" is too close to 0 to be told apart from 0; the default 0 is used.'])],
  ['?timing.lengths=1e-400,abc&gradient.input_scale=1_0&gradient.hidden_size=%2B12&timing.hidden_size=1.5e2',
    { 'timing.hidden_size': 150, 'gradient.hidden_size': 12 },
    [NOT('timing.lengths', '1e-400,abc', LENGTHS, DEFAULT_LENGTHS), NOT('gradient.input_scale', '1_0', 'a number from 0 to 10', 1)]],
  ['?train.architectures=&train.architectures=lstm&train.lags=%2080,%0910',
    { 'train.architectures': 'lstm', 'train.lags': [80, 10] },
    ['The address gives train.architectures 2 times; the last, "lstm", is used.',
      NOT('train.architectures', '', ARCHS, 'rnn,lstm,gru,linear,attention')]],
];

function changed(values) {
  const out = {};
  for (const r of page.table) if (!page.state.sameValue(values[r.key], r.default)) out[r.key] = values[r.key];
  return JSON.parse(JSON.stringify(out));
}

test('the address\'s messages and values are the ones the page gave with its own reader', async () => {
  for (const [query, values, messages] of CASES) {
    const r = await page.state.deserialize(page.table, query, read);
    assert.deepEqual(Array.from(r.messages), messages, query);
    assert.deepEqual(changed(r.values), values, query);
  }
});

test('the page takes its numbers from the core\'s reading, never from the text', async () => {
  // A reader that reads every text as 7: the page uses 7 whatever the text says.
  const seven = (items) => Promise.resolve(items.map(() => ({ error: '', refused: '', numbers: [7], tiny: [], parts: ['x'], names: [] })));
  const r = await page.state.deserialize(page.table, '?gradient.hidden_size=12&timing.lengths=50,60&memory.show_n=3', seven);
  assert.deepEqual(changed(r.values), { 'gradient.hidden_size': 7, 'timing.lengths': [7], 'memory.show_n': 7 });
  // One that refuses everything: no number from the address is used, each is named.
  const none = (items) => Promise.resolve(items.map(() => ({ error: '', refused: 'no', numbers: [], tiny: [], parts: [], names: [] })));
  const refused = await page.state.deserialize(page.table, '?gradient.hidden_size=12&timing.lengths=50&memory.show_n=3', none);
  assert.deepEqual(changed(refused.values), {});
  assert.equal(refused.messages.length, 3);
  // No reader at all (the worker gone): defaults, one message, nothing thrown.
  const gone = await page.state.deserialize(page.table, '?gradient.hidden_size=12', () => Promise.reject(new Error('stopped')));
  assert.deepEqual(Array.from(gone.messages), ['The settings in the address could not be read; defaults are used.']);
  // And the page's files hold no reader of digits.
  for (const file of ['state.js', 'controls.js', 'checker.js']) {
    const source = fs.readFileSync(path.join(h.ROOT, 'web', file), 'utf8');
    assert.doesNotMatch(source, /parseFloat|parseInt|NUMBER_TEXT|checkNumber|Number\((raw|text|t|part|input\.value|slider\.value)\)/, file);
  }
});

test('a typed text is read the same way, one request per text, in order', async () => {
  const seen = [];
  const counting = (items) => { seen.push(Array.from(items, (i) => i.text)); return read(items); };
  const hs = row('gradient.hidden_size');
  const plain = (x) => JSON.parse(JSON.stringify(x));  // out of the sandbox's realm
  assert.deepEqual(plain(await page.state.readValue(hs, ' 24\t', counting)), { value: 24 });
  assert.deepEqual(plain(await page.state.readValue(hs, '999', counting)),
    { value: 256, message: 'gradient.hidden_size="999": above the maximum, so 256 is used (an integer from 1 to 256).' });
  assert.deepEqual(plain(await page.state.readValue(hs, '2e', counting)),
    { message: 'gradient.hidden_size="2e" is not an integer from 1 to 256; the default 16 is used.' });
  assert.deepEqual(seen, [[' 24\t'], ['999'], ['2e']]);
  // A choice is a name, not a number: the page judges it without asking.
  assert.deepEqual(plain(await page.state.readValue(row('gradient.mode'), 'kata', counting)), { value: 'kata' });
  assert.equal(seen.length, 3);
});
