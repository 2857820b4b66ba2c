// The work/depth experiment and the scaling slices in the wasm module: workdepth equals the
// native CLI's --json (t_op given, so nothing is timed), slices of any split add up to the
// whole pass (1e-9), and bad arguments come back as {error}.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
test.before(async () => { m = await h.loadModule(); });

const ok = (r) => { assert.equal(r.error, '', r.error); return r; };
const close = (a, b, rel) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('workdepth equals the CLI (given t_op)', () => {
  const params = { lengths: [16, 100, 1000, 4096], hidden_size: 24, input_size: 6, processors: [1, 10, 10000],
    rnn_ns_per_op: 0.7, attention_ns_per_op: 1.3, linear_ns_per_op: 2.1 };
  const expected = h.cliJson('workdepth', params);
  const actual = h.withoutError(m.runExperiment('workdepth', params));
  h.assertSameShapeAndClose(expected, actual, h.relativelyClose(1e-12));
  assert.equal(actual.measured_here, false);
  console.log('workdepth: wasm = CLI for', params.lengths.length, 'lengths x', params.processors.length, 'P');
});

test('workdepth and the slices refuse bad params, part and parts in one sentence', () => {
  assert.match(m.runExperiment('workdepth', { lengths: [0] }).error, /^lengths /);
  assert.match(m.runExperiment('workdepth', { processors: 'x' }).error, /processors/);
  assert.match(m.slice('attention', { length: 3 }, 0, 1).error, /^length must be/);
  assert.match(m.slice('attention', {}, 'a', 2).error, /^part must be an integer \(got a string\)$/);
  assert.equal(m.slice('attention', {}, 0, 2.5).error, 'parts must be an integer from 1 to 1024 (got 2.5)');
  assert.equal(m.slice('attention', {}, 0, 3e9).error, 'parts must be an integer from 1 to 1024 (got 3000000000)');
  assert.equal(m.slice('attention', {}, 0.5, 2).error, 'part must be an integer from 0 to parts - 1 (1) (got 0.5)');
  assert.equal(m.slice('rnn_relay', {}, 1, 2).error,
    'state must be the hidden state that part 0 returned (hidden_size numbers): a relay part after the first continues from it');
  assert.equal(m.slice('attention', {}, 0, 0).error, 'parts must be an integer from 1 to 1024 (got 0)');
  assert.equal(m.slice('rnn_batch', {}, 0, 1025).error, 'parts must be an integer from 1 to 1024 (got 1025)');
  assert.equal(m.slice('rnn_batch', {}, 2, 2).error, 'part must be an integer from 0 to parts - 1 (1) (got 2)');
  assert.equal(m.slice('rnn_relay', {}, -1, 2).error, 'part must be an integer from 0 to parts - 1 (1) (got -1)');
  assert.equal(m.slice('rows', {}, 0, 1).error, "kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk, scan_finish (got 'rows')");
  assert.equal(m.slice(1, {}, 0, 1).error, 'kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk, scan_finish (got a number)');
  assert.match(m.slice('rnn_relay', {}, 0, 5, [1, 2]).error, /state must hold hidden_size/);
  assert.match(m.slice('rnn_relay', {}, 0, 5, 'x').error, /^state must be/);
  for (const r of [m.slice('rows', {}, 0, 1), m.slice('attention', {}, 3, 2)]) assert.deepEqual(Object.keys(r), ['error']);
  assert.ok(Array.isArray(m.parameterSpecs('scaling')) && Array.isArray(m.parameterSpecs('workdepth')));
  assert.equal(m.slice('attention', {}, 0, 4).error, '', 'the module still works');
});

// balanced_row_splits (core/experiments/parallel.cpp) as the page had it in JS: causal row i
// costs about i + 1 key reads, so equal shares end at round(n sqrt(k / parts)).
function balancedRowSplits(length, parts) {
  const cuts = [0];
  for (let k = 1; k < parts; ++k) cuts.push(Math.min(Math.max(Math.round(length * Math.sqrt(k / parts)), cuts[k - 1]), length));
  cuts.push(length);
  return cuts;
}

test('the core computes each part\'s bounds: parts cover 0..n exactly; attention\'s are balanced_row_splits', () => {
  const p = { length: 301, hidden_size: 8, input_size: 4, batch: 7, seed: 3 };
  for (const parts of [1, 2, 3, 5, 8, 350]) {
    const cuts = balancedRowSplits(p.length, parts);
    const covered = { attention: 0, rnn_batch: 0, rnn_relay: 0 };
    const total = { attention: p.length, rnn_batch: p.batch, rnn_relay: p.length };
    let state;
    for (let part = 0; part < parts; ++part) {
      for (const kind of Object.keys(covered)) {
        const r = m.slice(kind, p, part, parts, kind === 'rnn_relay' ? state : undefined);
        assert.equal(r.error, '', `${kind} ${part}/${parts}`);
        assert.deepEqual(Object.keys(r), ['error', 'checksum', 'operations', 'state', 'begin', 'end']);
        assert.equal(r.begin, covered[kind], `${kind} ${part}/${parts} starts where the last ended`);
        const want = kind === 'attention' ? cuts[part + 1] : Math.floor(((part + 1) * total[kind]) / parts);
        assert.equal(r.end, want, `${kind} ${part}/${parts} end`);
        covered[kind] = r.end;
        if (kind === 'rnn_relay') state = r.state;
      }
    }
    assert.deepEqual(covered, total, `${parts} parts cover every row, sequence and step once`);
  }
});

test('splits give the checksum of the whole (1e-9)', () => {
  const p = { length: 300, hidden_size: 16, input_size: 4, batch: 6, seed: 3 };
  const whole = m.slice('attention', p, 0, 1);
  const batch = m.slice('rnn_batch', p, 0, 1);
  const relayWhole = m.slice('rnn_relay', p, 0, 1);
  for (const parts of [2, 3, 5]) {
    let attention = 0, sequences = 0, state, last = 0;
    for (let part = 0; part < parts; ++part) {
      attention += m.slice('attention', p, part, parts).checksum;
      sequences += m.slice('rnn_batch', p, part, parts).checksum;
      // A relay's checksum is that of the state it ends with: the last segment's is the whole's.
      const r = m.slice('rnn_relay', p, part, parts, state);
      assert.ok(r.state instanceof Float64Array && r.state.length === p.hidden_size);
      last = r.checksum;
      state = r.state;
    }
    assert.ok(close(attention, whole.checksum, 1e-9), `attention ${parts} parts: ${attention} vs ${whole.checksum}`);
    assert.ok(close(sequences, batch.checksum, 1e-9), `rnn batch ${parts} parts: ${sequences} vs ${batch.checksum}`);
    assert.ok(close(last, relayWhole.checksum, 1e-9), `relay ${parts} parts: ${last} vs ${relayWhole.checksum}`);
    assert.deepEqual(Array.from(state), Array.from(relayWhole.state));
  }
  console.log('checksums: attention', whole.checksum, 'rnn batch', batch.checksum, 'relay', relayWhole.checksum);
});

// The linear recurrence: phase 1 (scan_chunk) on every part, phase 2 (scan_finish) from the
// summaries of the parts up to its own, as web/pool.js runs them; the summed outputs and the end
// state equal the one-worker sequential pass (scan_sequential) to 1e-12 relative, for lengths
// the parts do not divide.
test('scan parts equal the sequential pass (1e-12); the CLI counts the linear recurrence', () => {
  for (const n of [1000, 4099]) {
    const p = { hidden_size: 12, input_size: 5, seed: 9, scan_length: n };
    const whole = ok(m.slice('scan_sequential', p, 0, 1));
    assert.equal(whole.end, n);
    for (const parts of [2, 3, 7]) {
      const summaries = [];
      for (let k = 0; k < parts; ++k) {
        const r = ok(m.slice('scan_chunk', p, k, parts));
        assert.equal(r.state.length, 4 * p.hidden_size);
        summaries.push(...r.state);
      }
      let checksum = 0;
      let last;
      for (let k = 0; k < parts; ++k) {
        last = ok(m.slice('scan_finish', p, k, parts, summaries.slice(0, (k + 1) * 4 * p.hidden_size)));
        checksum += last.checksum;
      }
      assert.ok(close(checksum, whole.checksum, 1e-12), `${n} in ${parts}: ${checksum} vs ${whole.checksum}`);
      last.state.forEach((x, i) => assert.ok(Math.abs(x - whole.state[i]) <= 1e-12 * (1 + Math.abs(whole.state[i])), `state ${i}`));
    }
  }
  assert.equal(m.slice('scan_sequential', {}, 0, 2).error, 'parts must be 1 for scan_sequential: one worker runs the whole sequence (got 2)');
  assert.equal(m.slice('scan_finish', { scan_length: 100 }, 1, 2, new Float64Array(4 * 32)).error,
    'state must be the summaries scan_chunk returned for parts 0 to 1 in order (4 * hidden_size numbers each)');
  // Counted on paper in tests/parallel_test.cpp: n = 4, H = 2, D = 3 gives W = 172, S = 15.
  const cli = h.cliJson('workdepth', { lengths: [4], hidden_size: 2, input_size: 3, rnn_ns_per_op: 1, attention_ns_per_op: 1, linear_ns_per_op: 1 });
  const linear = cli.counts.find((c) => c.architecture === 'linear');
  assert.deepEqual([linear.work[0], linear.depth[0]], [172, 15]);
});
