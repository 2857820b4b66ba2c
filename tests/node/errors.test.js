// Bad input comes back as {error: "<one line naming the parameter>"}, never as a throw, and
// the module keeps working afterwards.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
before(async () => { m = await h.loadModule(); });

function assertError(result, pattern) {
  assert.deepEqual(Object.keys(result), ['error'], `only an error: ${JSON.stringify(h.plain(result)).slice(0, 200)}`);
  assert.equal(typeof result.error, 'string');
  assert.ok(!result.error.includes('\n'), 'one line');
  assert.match(result.error, pattern);
}

function assertStillWorks() {
  const r = m.runExperiment('gradient', { mode: 'kata', distances: [1, 2, 3] });
  assert.equal(r.error, '');
  assert.equal(r.distances.length, 3);
}

const cases = [
  // [experiment, params, pattern]
  ['gradient', { hidden_size: 0 }, /^hidden_size must be an integer from 1 to 256 \(got 0\)$/],
  ['gradient', { hidden_size: 257 }, /^hidden_size must be an integer from 1 to 256 \(got 257\)$/],
  ['gradient', { hidden_size: 2.5 }, /^hidden_size must be an integer .* \(got 2\.5\)$/],
  ['gradient', { hidden_size: -1 }, /^hidden_size .* \(got -1\)$/],
  ['gradient', { hidden_size: NaN }, /^hidden_size must be .* \(got NaN\)$/],
  ['gradient', { weight_scale: Infinity }, /^weight_scale must be a number from 0 to 4 \(got Infinity\)$/],
  ['gradient', { weight_scale: -Infinity }, /^weight_scale .* \(got -Infinity\)$/],
  ['gradient', { weight_scale: '1e999' }, /^weight_scale .* \(got Infinity\)$/],
  ['gradient', { bogus: 1 }, /^unknown parameter 'bogus' \(known: mode, hidden_size, .*\)$/],
  ['timing', { Hidden_Size: 32 }, /^unknown parameter 'Hidden_Size'/],
  ['retention', { ['x'.repeat(1000)]: 1 }, /^unknown parameter 'x{40}\.\.\.'/],
  ['timing', { lengths: [] }, /^lengths must be a list of 1 to 32 integers, each from 1 to 20000 \(got an empty list\)$/],
  ['timing', { lengths: '' }, /^lengths .* \(got an empty list\)$/],
  ['timing', { lengths: new Array(100).fill(50) }, /^lengths must be a list of 1 to 32 integers.* \(got 100 values\)$/],
  ['timing', { lengths: new Array(20000).fill(50) }, /^lengths must be .* \(got an array of 20000 elements\)$/],
  ['timing', { lengths: new Array(1e6) }, /^lengths must be .* \(got an array of 1000000 elements\)$/],
  ['timing', { lengths: [100, '200'] }, /^lengths must be .* \(got a string at index 1\)$/],
  ['timing', { lengths: [100, null] }, /^lengths must be .* \(got null at index 1\)$/],
  ['timing', { lengths: [100, [200]] }, /^lengths must be .* \(got an array at index 1\)$/],
  ['timing', { lengths: [100, 100] }, /^lengths must hold at least 2 different values/],
  ['timing', { lengths: 100 }, /^lengths must hold at least 2 different values/],
  ['timing', { hidden_size: [32, 64] }, /^hidden_size must be an integer .* \(got a list of 2\)$/],
  ['timing', { hidden_size: true }, /^hidden_size must be an integer from 1 to 1024 \(got a boolean\)$/],
  ['timing', { hidden_size: null }, /^hidden_size must be .* \(got null\)$/],
  ['timing', { hidden_size: undefined }, /^hidden_size must be .* \(got undefined\)$/],
  ['timing', { hidden_size: {} }, /^hidden_size must be .* \(got an object\)$/],
  ['timing', { hidden_size: () => 1 }, /^hidden_size must be .* \(got a function\)$/],
  ['timing', { hidden_size: new Float64Array([32]) }, /^hidden_size must be .* \(got an object\)$/],
  ['timing', { hidden_size: 10n }, /^hidden_size must be .* \(got a bigint\)$/],
  ['timing', { lengths: '50,abc,200' }, /^lengths must be .* \(got 'abc', not a number\)$/],
  ['timing', { lengths: '50,,200' }, /^lengths must be .*not a number\)$/],
  ['timing', { hidden_size: '32px' }, /^hidden_size must be .* \(got '32px', not a number\)$/],
  ['timing', { hidden_size: 'x'.repeat(5000) }, /^hidden_size must be .* \(got 5000 characters of text\)$/],
  ['timing', { hidden_size: 'a\nb' }, /^hidden_size must be .* \(got 'a\\nb', not a number\)$/],
  ['gradient', { mode: 'lstm' }, /^mode must be one of bptt, kata \(got 'lstm'\)$/],
  ['gradient', { mode: 1 }, /^mode must be one of bptt, kata \(got a number\)$/],
  ['gradient', { mode: 'BPTT' }, /^mode must be one of bptt, kata/],
  // Work caps (each names the parameters it multiplies).
  ['timing', { hidden_size: 1024, lengths: [20000, 10000] }, /^hidden_size \* \(hidden_size \+ input_size\) \* sum\(lengths\) must be at most 1e9/],
  ['timing', { trials: 51, min_interval_ms: 1000, lengths: [1, 2] }, /^trials \* count\(lengths\) \* min_interval_ms must be at most 60000 ms$/],
  ['gradient', { hidden_size: 256, seeds: 64 }, /^seeds \* \(max_distance \+ 50 \+ 2\*hidden_size\) \* hidden_size\^3 must be at most 2e9/],
  ['gradient', { mode: 'kata', hidden_size: 256, distances: [2000, 2000] }, /^sum\(distances\) \* hidden_size\^3 must be at most 2e9/],
  ['retention', { hidden_size: 256, max_steps: 2000, seeds: 64, readout_trials: 4000 }, /hidden_size|max_steps|readout_trials|seeds/],
  ['retention', { readout_trials: 7 }, /^readout_trials must be an integer from 8 to 4000 \(got 7\)$/],
];

for (const [run, params, pattern] of cases) {
  const shown = JSON.stringify(params, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v === undefined ? 'undefined' : typeof v === 'bigint' ? `${v}n` : typeof v === 'function' ? 'fn' :
    (Array.isArray(v) && v.length > 4 ? `[${v.length} elements]` : (typeof v === 'string' && v.length > 20 ? `${v.length} chars` : v)))) ||
    String(params);
  test(`run('${run}', ${shown.slice(0, 80)}) -> error`, () => {
    assertError(m.runExperiment(run, params), pattern);
    assertStillWorks();
  });
}

test('params that are not an object', () => {
  for (const bad of [5, 'hidden_size=32', [1, 2], true]) {
    assertError(m.runExperiment('gradient', bad), /^params must be an object of parameter values \(got /);
  }
  // undefined and null mean "all defaults".
  assert.equal(m.runExperiment('gradient', undefined, undefined).error, '');
  assert.equal(m.runExperiment('gradient', null).error, '');
  assertStillWorks();
});

test('a progress argument that is not a function', () => {
  for (const bad of [5, 'x', {}, true]) {
    assertError(m.runExperiment('gradient', { mode: 'kata' }, bad), /^progress must be a function/);
  }
  assertStillWorks();
});

test('optional arguments: runExperiment(name), (name, params), (name, params, progress)', () => {
  for (const name of ['gradient', 'retention']) {
    assert.equal(m.runExperiment(name, { seeds: 1 }).error, '');
    assert.equal(m.runExperiment(name, { seeds: 1 }, undefined).error, '');
  }
  assert.equal(m.runExperiment('gradient').error, '');
});

test('an error result needs no cleanup and many errors leak nothing', () => {
  const heap = m.HEAPU8.length;
  for (let i = 0; i < 2000; ++i) {
    m.runExperiment('timing', { lengths: [1, 'x'] });
    m.runExperiment('gradient', { hidden_size: 'x'.repeat(300) });
    m.runExperiment('retention', { unknown_key_with_a_long_name: true });
  }
  assert.equal(m.HEAPU8.length, heap, 'the heap did not grow');
  assertStillWorks();
});

test('unknown experiment in runExperiment: the refusal names the experiments of the list', () => {
  assertError(m.runExperiment('lstm', {}), /^experiment must be one of timing, gradient, retention, architectures, memory, workdepth, train, recall, gpu \(got 'lstm'\)$/);
  assertError(m.runExperiment('scaling', {}), /^experiment must be one of .* \(got 'scaling'\)$/);  // a table, no run
  assertError(m.runExperiment('kata'), /^experiment must be one of .* \(got 'kata'\)$/);
  assertError(m.runExperiment(3, {}), /^experiment must be one of .* \(got a number\)$/);
  assertError(m.runExperiment(), /^experiment must be one of .* \(got undefined\)$/);
  assertError(m.runExperiment({ toString: () => 'gradient' }), /^experiment must be one of .* \(got an object\)$/);
  assertStillWorks();
});

test('unknown experiment in parameterSpecs', () => {
  assertError(m.parameterSpecs('lstm'), /^experiment must be one of timing, gradient, retention, architectures, memory, workdepth, train, recall, gpu, scaling \(got 'lstm'\)$/);
  assertError(m.parameterSpecs(3), /^experiment must be one of .* \(got a number\)$/);
  assertError(m.parameterSpecs(), /^experiment must be one of .* \(got undefined\)$/);
  assert.ok(Array.isArray(m.parameterSpecs('timing')));
});
