// The module's limits(experiment, params): each numeric parameter's allowed interval with the
// others kept agrees with what the core accepts (its `refused`, i.e. validate(), and a run):
// the value at hi is accepted, one step above it refused, for every experiment and parameter
// at the defaults and at heavier settings.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
before(async () => { m = await h.loadModule(); });

const SETTINGS = {
  timing: [{}, { lengths: [1000, 5000, 20000], trials: 31 }, { hidden_size: 200, input_size: 100 }],
  gradient: [{}, { mode: 'kata', hidden_size: 100 }, { seeds: 64, max_distance: 1500 }],
  retention: [{}, { hidden_size: 30, max_steps: 1000 }, { readout_trials: 3000 }],
  architectures: [{}, { seeds: 32 }, { hidden_size: 100, max_distance: 200 }],
  memory: [{}, { hidden_sizes: [8, 160], washout: 400 }, { max_delay: 20, washout: 20 }],
  workdepth: [{}],
  recall: [{}, { dims: [64, 128], pairs: [512, 1024], seeds: 1 }],
  scaling: [{}, { length: 6000 }, { hidden_size: 256, batch: 4 }],
};

function specsOf(experiment) {
  return m.parameterSpecs(experiment);
}

// params with `name` set to x (for a list: its largest element replaced by x).
function withValue(params, spec, x) {
  const p = Object.assign({}, params);
  if (spec.type === 'integer_list') {
    const list = (params[spec.name] || spec.defaultValue.split(',').map(Number)).slice();
    list[list.indexOf(Math.max(...list))] = x;
    p[spec.name] = list;
  } else p[spec.name] = x;
  return p;
}

const refused = (experiment, params) => {
  const r = m.limits(experiment, params);
  assert.equal(r.error, '', JSON.stringify(params));
  return r.refused;
};

for (const experiment of Object.keys(SETTINGS)) {
  test(experiment + ': value at hi (and lo) accepted, one step beyond refused', () => {
    for (const params of SETTINGS[experiment]) {
      const r = m.limits(experiment, params);
      assert.equal(r.error, '');
      assert.equal(r.refused, '', 'the setting itself is accepted: ' + JSON.stringify(params));
      for (const spec of specsOf(experiment)) {
        if (spec.type === 'choice') {
          assert.ok(!(spec.name in r.limits));
          continue;
        }
        const range = r.limits[spec.name];
        const what = experiment + '.' + spec.name + ' at ' + JSON.stringify(params);
        assert.ok(Array.isArray(range) && range.length === 2, what);
        const [lo, hi] = range;
        assert.ok(spec.min <= lo && lo <= hi && hi <= spec.max, what + ': ' + range);
        const step = spec.type === 'real' ? Math.pow(10, Math.floor(Math.log10(spec.max - spec.min)) - 2) : 1;
        assert.equal(refused(experiment, withValue(params, spec, hi)), '', what + ' at hi ' + hi);
        assert.equal(refused(experiment, withValue(params, spec, lo)), '', what + ' at lo ' + lo);
        if (hi < spec.max) assert.notEqual(refused(experiment, withValue(params, spec, hi + step)), '', what + ' above hi ' + hi);
        if (lo > spec.min && spec.type !== 'integer_list') {
          assert.notEqual(refused(experiment, withValue(params, spec, lo - step)), '', what + ' below lo ' + lo);
        }
      }
    }
  });
}

test('hand-computed caps, and a run refuses one step above them', () => {
  // H * (H + 8) * 3850 <= 1e9 multiply-adds: 505 (issue 8: 506 to 1024 failed on the page).
  assert.deepEqual(m.limits('timing', {}).limits.hidden_size, [1, 505]);
  assert.match(m.runExperiment('timing', { hidden_size: 506 }).error, /at most 1e9/);
  // A refused combination (as a clamped URL gives) still says what would fit.
  const clamped = m.limits('timing', { hidden_size: 1024 });
  assert.match(clamped.refused, /at most 1e9/);
  assert.deepEqual(clamped.limits.hidden_size, [1, 505]);
  assert.equal(m.limits('memory', {}).limits.washout[0], 100, 'washout >= max_delay');
  assert.equal(m.limits('retention', {}).limits.readout_trials[0], 36, 'readout_trials >= 2 * (16 + 2)');
  assert.deepEqual(m.limits('timing', {}).limits.seed, [0, 2147483647]);
});

test('bad input comes back as {error}', () => {
  assert.match(m.limits('nope', {}).error, /^experiment must be one of/);
  assert.match(m.limits('timing', { hidden_size: 'x' }).error, /^hidden_size must be/);
  assert.match(m.limits('timing', { hidden_size: 5000 }).error, /^hidden_size must be an integer from 1 to 1024/);
  assert.match(m.limits('timing', 7).error, /^params must be an object/);
});
