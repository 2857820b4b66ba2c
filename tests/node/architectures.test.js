// Experiments 4 and 5 (issue 4) in the module: run('architectures') and run('memory') equal the native
// CLI's --json for the same parameters, their nested lists arrive as JS arrays of plain
// objects holding JS-owned typed arrays, bad parameters come back as {error} naming the
// parameter, and progress / cancel work as for the other experiments.
//
// Tolerances (the causes are the ones equality.test.js describes: Eigen's SSE2 sums natively
// vs its scalar path in wasm, glibc vs musl tanh/exp/log in the last bit):
//   - architectures: relative 1e-9. Measured worst: 1.4e-12, on attention's decay_r_squared,
//     an R^2 of ~1e-3 for a line fitted to a flat curve.
//   - memory: relative 1e-9, or absolute 1e-9 for r^2 and MC. The read-outs solve ridge
//     normal equations whose matrix (hidden states, N up to 128, ridge 1e-6 of their
//     variance) is badly conditioned, so last-bit differences in the states come out
//     amplified: measured worst at the defaults 3.0e-10 absolute (MC) and 1.3e-8 relative on
//     an r^2 near 1e-5. r^2 lies in [0, 1], so 1e-9 absolute is far below anything the page
//     shows (3 digits). With ridge=0 it reaches 1.2e-8: not tested here.
//   The cells run in float32 (FastCell) natively and in wasm alike, with the same generic
//   4-float vector code, so float32 did not loosen these: the figures above are with it
//   (before it: 1.9e-10 absolute, 3.5e-9 relative).
//   - attention's retrieval accuracy is a count of hits: checked with the same tolerance,
//     measured exact.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
before(async () => { m = await h.loadModule(); });

const INT_ARRAYS = new Set(['distances', 'attention_context_lengths', 'hidden_sizes', 'delays']);

// Walks a result: integer arrays are Int32Array, other numeric arrays Float64Array, both
// JS-owned copies; lists of records (curves, networks, r2) are plain JS arrays.
function assertOwnedArrays(result) {
  const heap = m.HEAPU8.buffer;
  const check = (key, v) => {
    if (ArrayBuffer.isView(v)) {
      const want = INT_ARRAYS.has(key.split('.').pop()) ? Int32Array : Float64Array;
      assert.ok(v instanceof want, `${key} is a ${want.name}`);
      assert.notEqual(v.buffer, heap, `${key} is a copy, not a view of the wasm heap`);
    } else if (Array.isArray(v)) {
      v.forEach((x, i) => check(`${key}[${i}]`, x));
    } else if (v && typeof v === 'object') {
      assert.equal(Object.getPrototypeOf(v), Object.prototype, `${key} is a plain object`);
      for (const [k, x] of Object.entries(v)) check(`${key}.${k}`, x);
    }
  };
  for (const [k, v] of Object.entries(result)) if (k !== 'params') check(k, v);
}

function compare(experiment, params, tolerance) {
  const expected = h.cliJson(experiment, params);
  const actual = m.runExperiment(experiment, params);
  assertOwnedArrays(actual);
  h.assertSameShapeAndClose(expected, h.withoutError(actual), tolerance);
  return actual;
}

const close = h.relativelyClose(1e-9);
const memoryClose = (where, a, b) =>
  close(where, a, b) || (/\.(r2|capacity)/.test(where) && Math.abs(a - b) <= 1e-9);

// ---- experiment 4: gradient vs distance for rnn, lstm, gru, attention, linear recurrences ---

test('architectures, defaults (H=32, distances to 1000, 16 seeds)', () => {
  const r = compare('architectures', {}, close);
  assert.deepEqual(r.curves.map((c) => c.architecture), ['rnn', 'lstm', 'gru', 'attention', 'linear_a', 'linear_b']);
  assert.ok(Array.isArray(r.curves));
  for (const c of r.curves) assert.deepEqual(Object.keys(c), ['architecture', 'decay', 'norm', 'decay_per_step', 'decay_r_squared']);
  assert.deepEqual(r.curves.map((c) => c.decay), [null, null, null, null, 0.999, 0.5]);
  assert.equal(r.distances.length, 1000);
});

test('architectures, small: H=8, D=3, 60 distances, 3 seeds, forget bias 2, other seed', () => {
  compare('architectures',
    { hidden_size: 8, input_size: 3, max_distance: 60, seeds: 3, forget_bias: 2, recurrent_scale: 1.2, seed: 7,
      linear_decay_a: 0.9, linear_decay_b: 1 }, close);
});

test('architectures, parameters as URL text', () => {
  const params = { hidden_size: '12', max_distance: '40', seeds: '2', input_scale: '0.5' };
  const r = compare('architectures', params, close);
  assert.equal(r.params.hidden_size, 12);
  assert.equal(r.params.input_scale, 0.5);
});

// ---- experiment 5: memory capacity --------------------------------------------------------

test('memory, defaults (N = 8..128, 100 delays, 3 seeds)', () => {
  const r = compare('memory', {}, memoryClose);
  assert.deepEqual(r.networks.map((n) => n.architecture), ['rnn', 'lstm', 'gru']);
  assert.ok(Math.abs(r.chance_capacity - r.params.max_delay / (r.params.test_steps - 1)) < 1e-12);
  for (const n of r.networks) {
    assert.deepEqual(Object.keys(n), ['architecture', 'keep', 'recurrent_scale', 'effective_gain', 'capacity', 'r2']);
    // Matched gain by default: every cell's linearised gain is the RNN's recurrent_scale.
    assert.ok(Math.abs(n.effective_gain - r.params.recurrent_scale) < 1e-12, `${n.architecture} gain ${n.effective_gain}`);
    assert.ok(Array.isArray(n.r2), 'r2 is a JS array of bands, one per N');
    assert.equal(n.r2.length, r.hidden_sizes.length);
    assert.equal(n.capacity.median.length, r.hidden_sizes.length);
  }
});

test('memory, small: N = 4 and 12, 20 delays, 2 seeds, short stretches, 3 attention contexts', () => {
  compare('memory', { hidden_sizes: [12, 4], max_delay: 20, washout: 30, train_steps: 200, test_steps: 100,
    seeds: 2, attention_contexts: [2, 8, 32], attention_trials: 8, attention_key_size: 4, seed: 3 }, memoryClose);
});

test('memory, lists as URL text', () => {
  const params = { hidden_sizes: '6,10', max_delay: '15', washout: '20', train_steps: '100', test_steps: '50', seeds: '1',
    attention_contexts: '1,16', attention_trials: '4' };
  const r = compare('memory', params, memoryClose);
  assert.deepEqual(r.params.hidden_sizes, [6, 10]);
  assert.deepEqual(Array.from(r.hidden_sizes), [6, 10]);
  assert.deepEqual(Array.from(r.attention_context_lengths), [1, 16]);
});

// ---- bad parameters -----------------------------------------------------------------------

function assertError(result, pattern) {
  assert.deepEqual(Object.keys(result), ['error'], `only an error: ${JSON.stringify(h.plain(result)).slice(0, 200)}`);
  assert.ok(!result.error.includes('\n'), 'one line');
  assert.match(result.error, pattern);
}

const cases = [
  ['architectures', { hidden_size: 0 }, /^hidden_size must be an integer from 1 to 256 \(got 0\)$/],
  ['architectures', { recurrent_scale: 5 }, /^recurrent_scale must be a number from 0 to 4 \(got 5\)$/],
  ['architectures', { forget_bias: 'x' }, /^forget_bias must be a number from -5 to 10 \(got 'x', not a number\)$/],
  ['architectures', { forget_bias: NaN }, /^forget_bias must be .* \(got NaN\)$/],
  ['architectures', { max_distance: 5001 }, /^max_distance must be an integer from 1 to 5000 \(got 5001\)$/],
  ['architectures', { seeds: [1, 2] }, /^seeds must be an integer .* \(got a list of 2\)$/],
  ['architectures', { hidden_size: 256, max_distance: 5000, seeds: 64 }, /^seeds \* \(max_distance \+ 51\) \* hidden_size .* at most 2e9/],
  ['architectures', { mode: 'bptt' }, /^unknown parameter 'mode' \(known: hidden_size, input_size, max_distance, .*\)$/],
  ['memory', { hidden_sizes: [] }, /^hidden_sizes must be a list of 1 to 8 integers, each from 1 to 256 \(got an empty list\)$/],
  ['memory', { hidden_sizes: [8, 300] }, /^hidden_sizes must be .* \(got 300\)$/],
  ['memory', { hidden_sizes: '8,abc' }, /^hidden_sizes must be .* \(got 'abc', not a number\)$/],
  ['memory', { hidden_sizes: [8, '16'] }, /^hidden_sizes must be .* \(got a string at index 1\)$/],
  ['memory', { max_delay: 200 }, /^max_delay must be at most washout/],
  ['memory', { train_steps: 100 }, /^train_steps must be at least 2\*\(largest hidden size \+ 1\) = 258/],
  ['memory', { ridge: -1 }, /^ridge must be a number from 0 to 1 \(got -1\)$/],
  ['memory', { attention_contexts: [0] }, /^attention_contexts must be a list of 1 to 16 integers, each from 1 to 4096 \(got 0\)$/],
  ['memory', { attention_trials: Infinity }, /^attention_trials must be .* \(got Infinity\)$/],
  ['memory', { hidden_sizes: [256], train_steps: 20000, test_steps: 20000, washout: 5000, seeds: 64 }, /^seeds \* .*hidden_sizes.* at most 2e9/],
  ['memory', { lstm: 1 }, /^unknown parameter 'lstm' \(known: hidden_sizes, max_delay, .*\)$/],
];

for (const [run, params, pattern] of cases) {
  test(`run('${run}', ${JSON.stringify(params, (k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)).slice(0, 80)}) -> error`, () => {
    assertError(m.runExperiment(run, params), pattern);
    assert.equal(m.runExperiment('architectures', { hidden_size: 4, max_distance: 5, seeds: 1 }).error, '', 'the module still works');
  });
}

test('parameterSpecs for the new experiments, and the refusal naming them all', () => {
  assert.ok(Array.isArray(m.parameterSpecs('architectures')));
  assert.ok(Array.isArray(m.parameterSpecs('memory')));
  assertError(m.parameterSpecs('lstm'),
    /^experiment must be one of timing, gradient, retention, architectures, memory, workdepth, train, recall, gpu, scaling \(got 'lstm'\)$/);
});

// ---- progress and cancel ------------------------------------------------------------------

test('progress is called with increasing fractions ending at 1; false cancels', () => {
  for (const [run, params] of [
    [h.runner(m, 'architectures'), { hidden_size: 6, max_distance: 30, seeds: 4 }],
    [h.runner(m, 'memory'), { hidden_sizes: [4, 8], max_delay: 10, washout: 10, train_steps: 40, test_steps: 20, seeds: 3,
      attention_contexts: [2, 4], attention_trials: 4 }],
  ]) {
    const fractions = [];
    const r = run(params, (f) => { fractions.push(f); return true; });
    assert.equal(r.error, '');
    assert.ok(fractions.length >= 2, `${fractions.length} calls`);
    for (let i = 1; i < fractions.length; ++i) assert.ok(fractions[i] > fractions[i - 1]);
    assert.equal(fractions[fractions.length - 1], 1);

    let calls = 0;
    const stopped = run(params, () => { calls += 1; return false; });
    assert.deepEqual(Object.keys(stopped), ['error']);
    assert.equal(stopped.error, 'cancelled');
    assert.equal(calls, 1);
  }
  const threw = m.runExperiment('memory', { seeds: 1, hidden_sizes: [4] , train_steps: 20 }, () => { throw new Error('boom'); });
  assert.match(threw.error, /progress callback threw/);
  assert.equal(m.runExperiment('memory', { seeds: 1, hidden_sizes: [4], train_steps: 20 }).error, '');
});

test('optional arguments: runExperiment(name), (name, params), (name, params, undefined)', () => {
  assert.equal(m.runExperiment('architectures', { seeds: 1, max_distance: 10 }).error, '');
  assert.equal(m.runExperiment('architectures', { seeds: 1, max_distance: 10 }, undefined).error, '');
  assert.equal(m.runExperiment('memory', { seeds: 1, hidden_sizes: [4], train_steps: 20 }, null).error, '');
  assert.equal(m.runExperiment('architectures').error, '');
});
