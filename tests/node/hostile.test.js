// Every export of the wasm module called with thousands of hostile values (a seeded,
// deterministic generator): undefined, null, odd numbers and strings, huge and mixed arrays,
// objects with throwing getters, Proxies whose traps throw, revoked Proxies, huge objects,
// too few and too many arguments. Each call is made bad on purpose, so each must return
// {error: "<one line>"}: never a throw, never a result, and no emval handle left behind.
// Failures are counted per kind and reported together, then the module must still compute.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
before(async () => { m = await h.loadModule(); });

const CALLS = 6000;
const SEED = 20261203;
// The API and each function's argument count (bindings.cpp).
const API = { version: 0, experiments: 0, parameterSpecs: 1, runExperiment: 3, limits: 2, readText: 3, slice: 5 };
const KINDS = ['attention', 'rnn_batch', 'rnn_relay'];

// mulberry32: small, seeded, the same sequence on every run.
function generator(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n) => Math.floor(next() * n);
  return { next, int, pick: (list) => list[int(list.length)] };
}

const thrower = () => { throw new Error('hostile'); };
const TRAPS = ['ownKeys', 'get', 'getOwnPropertyDescriptor', 'has', 'getPrototypeOf', 'isExtensible'];

// Names that are never parameters: control characters, line separators, huge, prototype-ish.
const BAD_NAMES = ['a\nb', 'x\r\ny', '\u2028', '\u0085', 'tab\there', '\x1b[31mred', '', ' ', 'zz_unknown',
  '__proto__', 'constructor', 'toString', 'Hidden_Size', 'x'.repeat(100000), '\ud800', 'é\u0000z'];

// Values that no parameter accepts (every parameter is numeric or a choice of plain words).
function badValue(r) {
  switch (r.int(14)) {
    case 0: return r.pick([null, undefined, true, false, Symbol('s'), 10n, thrower, {}, new Float64Array(2), new Date(0)]);
    case 1: return r.pick([NaN, Infinity, -Infinity, -1e308, 1e308]);
    case 2: return r.pick(['', 'abc', '\n5', '5\n', '\u20285', '1e-400', '-1e-999', '0x10', 'NaN', '1e999', 'a\nb', ' , ', '\u0000']);
    case 3: return 'x'.repeat(4097 + r.int(100000));
    case 4: return [];
    case 5: return new Array(10001 + r.int(1000000));
    case 6: return [1, r.pick(['2', null, [3], {}, 4n, undefined])];
    case 7: return new Array(20000).fill(50);
    case 8: return new Proxy([1, 2], { get: thrower });
    case 9: return new Proxy([1, 2], { get: (t, k) => (k === 'length' ? 'many' : 1) });
    case 10: { const p = Proxy.revocable([1], {}); p.revoke(); return p.proxy; }
    case 11: return { valueOf: thrower, toString: thrower };
    case 12: return [NaN, -5];
    default: return Object.defineProperty([1, 2], 0, { get: thrower });
  }
}

// A params object that is bad for every experiment, or not an object at all.
function badParams(r, known) {
  const name = () => (known.length && r.next() < 0.6 ? r.pick(known) : r.pick(BAD_NAMES));
  switch (r.int(12)) {
    case 0: return r.pick([0, NaN, 'hidden_size=32', '', true, 10n, Symbol('p'), thrower, [1, 2], new Array(1e6), []]);
    case 1: return { [r.pick(BAD_NAMES)]: r.next() < 0.5 ? 1 : badValue(r) };
    case 2: return known.length ? { [r.pick(known)]: badValue(r) } : { [r.pick(BAD_NAMES)]: 1 };
    case 3: return Object.defineProperty({}, name(), { get: thrower, enumerable: true });
    case 4: { // a Proxy whose target has an unknown key, with some traps throwing
      const handler = {};
      for (const trap of TRAPS) if (r.next() < 0.5) handler[trap] = thrower;
      return new Proxy({ [r.pick(BAD_NAMES)]: 1 }, handler);
    }
    case 5: return new Proxy({}, { ownKeys: r.pick([thrower, () => 5, () => ['a', 'a'], () => [1, 2]]) });
    case 6: { const p = Proxy.revocable({}, {}); p.revoke(); return p.proxy; }
    case 7: { // too many keys, known names among them
      const o = {};
      const count = 101 + r.int(10000);
      for (let i = 0; i < count; ++i) o['k' + i] = i;
      if (known.length) o[r.pick(known)] = 1;
      return o;
    }
    case 8: { const o = Object.create(null); o[name()] = badValue(r); return o; }
    case 9: { const v = badValue(r); return new Proxy({ zz_unknown: 1 }, { get: () => v, getOwnPropertyDescriptor: () => ({ value: 1, enumerable: true, configurable: true }) }); }
    case 10: // an own key (defined, so '__proto__' is a key too) over an inherited one
      return Object.defineProperty(Object.create({ inherited: 1 }), r.pick(BAD_NAMES), { value: badValue(r), enumerable: true });
    default: return { [name()]: badValue(r), [r.pick(BAD_NAMES)]: 1 };
  }
}

// Any value at all (for arguments whose badness is not needed).
function anyValue(r) {
  return r.next() < 0.5 ? badValue(r) : r.pick([undefined, null, 0, 1, 7, 'gradient', {}, () => true, [0.5]]);
}

// One call whose arguments are bad on purpose: [name, args].
function hostileCall(r, known) {
  const name = r.pick(Object.keys(API));
  const n = API[name];
  const args = [];
  for (let i = 0; i < n; ++i) args.push(anyValue(r));
  const extra = n === 0 || r.next() < 0.15;
  if (extra) for (let i = 1 + r.int(3); i > 0; --i) args.push(anyValue(r));
  else if (name === 'parameterSpecs' || name === 'limits') args[0] = r.pick([...BAD_NAMES, badValue(r), badParams(r, [])]);
  else if (name === 'readText') {
    // A known table with a bad parameter name, or a text that is not a string, or a bad table.
    const table = r.pick(Object.keys(known));
    switch (r.int(3)) {
      case 0: args.splice(0, 3, table, r.pick([...BAD_NAMES.filter((n) => n !== ''), badValue(r)]), '5'); break;
      case 1: args.splice(0, 3, table, r.pick(known[table]), r.pick([undefined, null, 5, [5], {}, thrower, 10n, new Proxy({}, { get: thrower })])); break;
      default: args.splice(0, 3, r.pick([...BAD_NAMES.filter((n) => n !== ''), badValue(r)]), 'seed', '5');
    }
  }
  else if (name === 'runExperiment') {
    // A known experiment with bad params, or a bad name with any params.
    if (r.next() < 0.8) {
      args[0] = r.pick(Object.keys(known).filter((t) => t !== 'scaling'));
      args[1] = badParams(r, known[args[0]]);
    } else args[0] = r.pick([...BAD_NAMES, 'scaling', 'kata', 'runGradient', badValue(r)]);
  } else { // slice: a known kind with bad params, or a bad kind, part or parts
    args[0] = r.pick(KINDS);
    switch (r.int(3)) {
      case 0: args[1] = badParams(r, known.scaling); break;
      case 1: args[0] = r.pick([...BAD_NAMES, 'rows', badValue(r)]); break;
      default: args[1] = {}; args[2 + r.int(2)] = r.pick([NaN, -1, 2.5, 1e7, 1025, '5', null, undefined, {}, thrower, new Proxy({}, { get: thrower })]);
    }
    if (r.next() < 0.2) args.length = r.int(4);  // too few
  }
  return [name, args];
}

function isOneLine(text) {
  return typeof text === 'string' && text.length > 0 && !/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(text);
}

// A short description of an argument for failure messages (never reads a hostile value).
function describe(value) {
  try {
    if (value && typeof value === 'object') return `{${Reflect.ownKeys(value).slice(0, 3).map(String).join(', ').slice(0, 60)}}`;
    return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
  } catch (e) {
    return 'an object that throws';
  }
}

function smallRun() {
  return h.plain(m.runExperiment('gradient', { mode: 'kata', hidden_size: 8, distances: [1, 2, 5] }));
}

test(`${CALLS} hostile calls: each returns {error} in one line, throws nothing, leaves no handle`, () => {
  const known = {};
  for (const t of h.experimentNames(m).concat(['scaling'])) known[t] = m.parameterSpecs(t).map((s) => s.name);
  const reference = smallRun();
  assert.equal(reference.error, '');
  const baseline = m.count_emval_handles();
  const r = generator(SEED);
  const failures = { threw: 0, notAnError: 0, notOneLine: 0, handlesLeft: 0 };
  const examples = [];
  for (let i = 0; i < CALLS; ++i) {
    const [name, args] = hostileCall(r, known);
    const before = m.count_emval_handles();
    let result;
    let kind = null;
    try {
      result = m[name](...args);
      if (!result || typeof result !== 'object' || ArrayBuffer.isView(result) || typeof result.error !== 'string' ||
          result.error === '' || Object.keys(result).length !== 1) kind = 'notAnError';
      else if (!isOneLine(result.error)) kind = 'notOneLine';
    } catch (e) {
      kind = 'threw';
      result = String(e).slice(0, 120);
    }
    if (kind) failures[kind] += 1;
    const left = m.count_emval_handles() - before;
    if (left !== 0) failures.handlesLeft += 1;
    if ((kind || left) && examples.length < 5) {
      examples.push(`${name}(${describe(args[0])}, ...${args.length}): ${kind || ''} ${left ? left + ' handles' : ''} ` +
        JSON.stringify(typeof result === 'object' ? result && result.error : result));
    }
  }
  const handlesAtEnd = m.count_emval_handles() - baseline;
  assert.deepEqual({ ...failures, handlesAtEnd }, { threw: 0, notAnError: 0, notOneLine: 0, handlesLeft: 0, handlesAtEnd: 0 },
    `failures of ${CALLS} calls; first ones:\n${examples.join('\n')}`);
  assert.deepEqual(smallRun(), reference, 'the module still computes the same small run');
});

test('wrong argument counts: too few and too many, for every export', () => {
  const baseline = m.count_emval_handles();
  for (const [name, n] of Object.entries(API)) {
    const tooMany = m[name](...new Array(n + 2).fill(undefined));
    assert.deepEqual(tooMany, { error: `${name} takes at most ${n} argument${n === 1 ? '' : 's'} (got ${n + 2})` });
  }
  assert.match(m.parameterSpecs().error, /^experiment must be one of .* \(got undefined\)$/);
  assert.match(m.runExperiment().error, /^experiment must be one of .* \(got undefined\)$/);
  assert.match(m.runExperiment({}).error, /^experiment must be one of .* \(got an object\)$/);
  assert.match(m.limits().error, /^experiment must be one of .* \(got undefined\)$/);
  assert.match(m.readText().error, /^experiment must be one of .* \(got undefined\)$/);
  assert.equal(m.readText('gradient', 'seed').error, 'text must be a string (got undefined)');
  assert.match(m.readText('gradient', undefined, '5').error, /^unknown parameter '' \(known: mode, /);
  assert.match(m.slice().error, /^kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk, scan_finish \(got undefined\)$/);
  assert.match(m.slice('attention', {}).error, /^part must be an integer \(got undefined\)$/);
  assert.match(m.slice('rnn_batch', {}, 0).error, /^parts must be an integer \(got undefined\)$/);
  assert.equal(m.version(), require('../../package.json').version);
  assert.equal(m.count_emval_handles(), baseline);
  // No embind function is left unwrapped (a wrapped one has no argCount).
  const unwrapped = Object.keys(m).filter((k) => typeof m[k] === 'function' && typeof m[k].argCount === 'number');
  assert.deepEqual(unwrapped, []);
  assert.deepEqual(Object.keys(API).filter((k) => typeof m[k] !== 'function'), []);
});

test('names and values are echoed on one line, control characters escaped', () => {
  assert.match(m.parameterSpecs('a\nb').error, /\(got 'a\\nb'\)$/);
  assert.match(m.runExperiment('gradient', { 'a\nb': 1 }).error, /^unknown parameter 'a\\nb' \(known: /);
  assert.match(m.runExperiment('gradient', { '\u2028\x1b': 1 }).error, /^unknown parameter '\\u2028\\x1b' /);
  assert.match(m.runExperiment('timing', { hidden_size: 'a\nb' }).error, /\(got 'a\\nb', not a number\)$/);
  assert.match(m.runExperiment('timing', { hidden_size: '5\n' }).error, /\(got '5\\n', not a number\)$/);
  assert.match(m.runExperiment('timing', { hidden_size: '\n5' }).error, /\(got '\\n5', not a number\)$/);
  assert.match(m.runExperiment('retention', { noise_scale: '1e-400' }).error,
    /^noise_scale must be a number from .* \(got '1e-400', too small to represent: it would become 0\)$/);
  assert.equal(m.runExperiment('timing', { hidden_size: ' 8\t', lengths: '10, 20', trials: 1, min_interval_ms: 1 }).error, '');
});

test('a getter or trap that throws on a known name is named in the error', () => {
  const o = Object.defineProperty({}, 'hidden_size', { get: thrower, enumerable: true });
  assert.match(m.runExperiment('gradient', o).error, /^hidden_size must be an integer from 1 to 256 \(got a value that threw an exception when read\)$/);
  assert.equal(m.runExperiment('gradient', new Proxy({}, { ownKeys: thrower })).error, 'params could not be read: listing its keys threw an exception');
  const revocable = Proxy.revocable({}, {});
  revocable.revoke();
  assert.equal(m.runExperiment('gradient', revocable.proxy).error, 'params must be an object of parameter values (got a revoked Proxy)');
  assert.equal(m.runExperiment('timing', { lengths: revocable.proxy }).error,
    'lengths must be a list of 1 to 32 integers, each from 1 to 20000 (got a revoked Proxy)');
  // Inherited properties are not parameters (a polluted prototype changes nothing).
  assert.equal(m.limits('gradient', Object.create({ hidden_size: 0 })).error, '');
});

test('a 1e6-key Proxy is refused without walking it', (t) => {
  const keys = Array.from({ length: 1e6 }, (_, i) => 'k' + i);
  let perKeyTraps = 0;
  const everyKey = { value: 1, enumerable: true, configurable: true, writable: true };
  // Every key, the known names included, reads as 1: refused for its values, unlisted.
  const all = new Proxy({}, {
    ownKeys: () => keys,
    getOwnPropertyDescriptor: () => { perKeyTraps += 1; return everyKey; },
    get: () => { perKeyTraps += 1; return 1; },
  });
  const baseline = m.count_emval_handles();
  let start = performance.now();
  const refused = m.runExperiment('gradient', all);
  const ms = performance.now() - start;
  assert.equal(refused.error, 'mode must be one of bptt, kata (got a number)');
  assert.ok(ms < 50, `refused in ${ms.toFixed(1)} ms`);
  const bound = 2 * m.parameterSpecs('gradient').length;  // one look and one read per known name
  assert.ok(perKeyTraps <= bound, `${perKeyTraps} per-key trap calls (at most ${bound})`);
  // Only unknown keys: the values are fine, so the keys must be listed to be refused. The
  // listing is one ownKeys call and the count is checked before any key is looked at; the
  // engine's own handling of the 1e6-entry list is its cost (see js_input.js).
  perKeyTraps = 0;
  const unknownOnly = new Proxy({}, {
    ownKeys: () => keys,
    getOwnPropertyDescriptor: (t, k) => { perKeyTraps += 1; return /^k\d+$/.test(k) ? everyKey : undefined; },
    get: (t, k) => { perKeyTraps += 1; return /^k\d+$/.test(k) ? 1 : undefined; },
  });
  start = performance.now();
  assert.equal(m.runExperiment('gradient', unknownOnly).error, 'params must have at most 100 keys (got 1000000)');
  const listedMs = performance.now() - start;
  assert.ok(perKeyTraps <= bound, `${perKeyTraps} per-key trap calls (at most ${bound})`);
  assert.equal(m.count_emval_handles(), baseline);
  t.diagnostic(`1e6-key Proxy: refused by value in ${ms.toFixed(1)} ms; by key count in ${listedMs.toFixed(0)} ms`);
  assert.equal(smallRun().error, '');
});
