// The work/depth experiment and the scaling slices in the wasm module: workdepth equals the
// native CLI's --json (t_op given, so nothing is timed), slices of any split add up to the
// whole pass (1e-9), and bad arguments come back as {error}.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
test.before(async () => { m = await h.loadModule(); });

const close = (a, b, rel) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), 1e-300);

test('runWorkDepth equals the CLI (given t_op)', () => {
  const params = { lengths: [16, 100, 1000, 4096], hidden_size: 24, input_size: 6, processors: [1, 10, 10000],
    rnn_ns_per_op: 0.7, attention_ns_per_op: 1.3 };
  const expected = h.cliJson('workdepth', params);
  const actual = h.withoutError(m.runWorkDepth(params));
  h.assertSameShapeAndClose(expected, actual, h.relativelyClose(1e-12));
  assert.equal(actual.measured_here, false);
  console.log('workdepth: wasm = CLI for', params.lengths.length, 'lengths x', params.processors.length, 'P');
});

test('runWorkDepth and the slices refuse bad params', () => {
  assert.match(m.runWorkDepth({ lengths: [0] }).error, /^lengths /);
  assert.match(m.runWorkDepth({ processors: 'x' }).error, /processors/);
  assert.match(m.attentionRows({ length: 3 }, 0, 1).error, /^length must be/);
  assert.match(m.attentionRows({}, 0, 1e9).error, /rows must satisfy/);
  assert.match(m.attentionRows({}, 'a', 2).error, /^rowBegin must be an integer/);
  assert.match(m.rnnSequences({ batch: 1 }, 0, 2).error, /sequences must satisfy/);
  assert.match(m.rnnRelaySegment({}, 0, 5, [1, 2]).error, /state must hold hidden_size/);
  assert.match(m.rnnRelaySegment({}, 0, 5, 'x').error, /^state must be/);
  assert.match(m.balancedRowSplits(100, 0).error, /^parts must be/);
  assert.ok(Array.isArray(m.parameterSpecs('scaling')) && Array.isArray(m.parameterSpecs('workdepth')));
  assert.equal(m.attentionRows({}, 0, 4).error, '', 'the module still works');
});

test('splits give the checksum of the whole (1e-9)', () => {
  const p = { length: 300, hidden_size: 16, input_size: 4, batch: 6, seed: 3 };
  const whole = m.attentionRows(p, 0, p.length);
  for (const parts of [2, 3, 5]) {
    const cuts = Array.from(m.balancedRowSplits(p.length, parts));
    assert.equal(cuts.length, parts + 1);
    let sum = 0;
    for (let i = 0; i < parts; ++i) {
      const r = m.attentionRows(p, cuts[i], cuts[i + 1]);
      sum += r.checksum;
    }
    assert.ok(close(sum, whole.checksum, 1e-9), `attention ${parts} parts: ${sum} vs ${whole.checksum}`);
  }
  const batch = m.rnnSequences(p, 0, p.batch);
  const halves = m.rnnSequences(p, 0, 2).checksum + m.rnnSequences(p, 2, 6).checksum;
  assert.ok(close(halves, batch.checksum, 1e-9), `rnn batch: ${halves} vs ${batch.checksum}`);
  const relayWhole = m.rnnRelaySegment(p, 0, p.length);
  // A relay's checksum is that of the state it ends with: the last segment's is the whole's.
  let state;
  let last = 0;
  for (const [b, e] of [[0, 100], [100, 101], [101, 300]]) {
    const r = m.rnnRelaySegment(p, b, e, state);
    assert.ok(r.state instanceof Float64Array && r.state.length === p.hidden_size);
    last = r.checksum;
    state = r.state;
  }
  assert.ok(close(last, relayWhole.checksum, 1e-9), `relay: ${last} vs ${relayWhole.checksum}`);
  assert.deepEqual(Array.from(state), Array.from(relayWhole.state));
  console.log('checksums: attention', whole.checksum, 'rnn batch', batch.checksum, 'relay', relayWhole.checksum);
});
