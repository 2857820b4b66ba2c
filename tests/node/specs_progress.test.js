// parameterSpecs agrees with the CLI's --help and carries the page's control fields;
// experiments() is the core's list; version(); the progress callback.
'use strict';

const { test, before } = require('node:test');
const assert = require('node:assert/strict');
const h = require('./helpers');

let m;
before(async () => { m = await h.loadModule(); });

test('version() is the project version', () => {
  assert.match(m.version(), /^\d+\.\d+\.\d+$/);
  const cmake = require('node:fs').readFileSync(require('node:path').join(h.ROOT, 'CMakeLists.txt'), 'utf8');
  assert.equal(m.version(), cmake.match(/project\(rnn_lesson VERSION (\S+)/)[1]);
});

test('experiments() lists the core\'s experiments in order, each with a summary from the CLI\'s usage', () => {
  const list = m.experiments();
  assert.deepEqual(list.map((e) => e.name), ['timing', 'gradient', 'retention', 'architectures', 'memory', 'workdepth', 'train', 'recall', 'gpu']);
  const usage = require('node:child_process').execFileSync(h.cli(), ['--help'], { encoding: 'utf8' });
  for (const [i, e] of list.entries()) {  // numbered by place in the list
    assert.deepEqual(Object.keys(e), ['name', 'summary']);
    assert.match(usage, new RegExp(`^  rnn-lesson ${e.name} \\[options\\] +experiment ${i + 1}: ${e.summary.replace(/[()*+?.\\[\]^$|]/g, '\\$&')}$`, 'm'));
  }
});

// The page's control fields, as web/controls.js had them (LABELS, ADVANCED, NO_SLIDER, CHOICE_LABELS).
test('specs carry label, advanced, slider and choiceLabels', () => {
  const spec = (table, name) => m.parameterSpecs(table).find((s) => s.name === name);
  assert.equal(spec('timing', 'hidden_size').label, 'Hidden size H');
  assert.equal(spec('timing', 'hidden_size').advanced, false);
  assert.equal(spec('timing', 'input_size').advanced, true);
  assert.equal(spec('scaling', 'seed').advanced, true);  // the page's 'parallel.seed'
  assert.equal(spec('scaling', 'batch').label, 'Independent RNN sequences');
  assert.equal(spec('memory', 'ridge').slider, false);
  assert.equal(spec('memory', 'seed').slider, false);
  // The core decides where a slider shows (params.h shows_slider): a narrow range, not a seed.
  assert.equal(spec('memory', 'washout').slider, false);  // 0 to 5000: a number field
  assert.equal(spec('timing', 'hidden_size').slider, true);
  assert.deepEqual(spec('gradient', 'mode').choiceLabels, ['real backprop (bptt)', 'the kata\u2019s simulation (kata)']);
  assert.deepEqual(spec('memory', 'gated_scale').choiceLabels, ['matched to the RNN\u2019s state gain', 'the RNN\u2019s scale']);
  for (const name of h.experimentNames(m).concat(['scaling'])) {
    for (const s of m.parameterSpecs(name)) {
      assert.ok(typeof s.label === 'string' && s.label.length > 0, `${name}.${s.name} label`);
      assert.equal(s.choiceLabels.length, s.choices.length, `${name}.${s.name} choiceLabels`);
    }
  }
});

for (const experiment of ['timing', 'gradient', 'retention', 'architectures', 'memory', 'train', 'recall', 'gpu']) {
  test(`parameterSpecs('${experiment}') matches \`rnn-lesson ${experiment} --help\``, () => {
    const specs = m.parameterSpecs(experiment);
    assert.ok(Array.isArray(specs) && specs.length > 0);
    // The help lists each parameter as "  --name   help" then "      range; default value".
    // Each name is looked for as itself: the CLI pads names to 17 characters, so a longer one
    // (attention_key_size) runs straight into its help text.
    const help = h.cliHelp(experiment);
    const blocks = help.split(/^  --/m).slice(1);
    assert.equal(blocks.length, specs.length, 'as many options in --help as specs');
    const listed = specs.map((s, i) => {
      assert.ok(blocks[i].startsWith(s.name), `option ${i} of --help is --${s.name}: ${blocks[i].slice(0, 30)}`);
      const match = /^\s*(.*)\n\s+(.*); default (.*)$/m.exec(blocks[i].slice(s.name.length));
      assert.ok(match, `--${s.name} has a help line and a range line`);
      return { name: s.name, help: match[1], range: match[2], defaultValue: match[3] };
    });
    for (let i = 0; i < specs.length; ++i) {
      const s = specs[i];
      assert.deepEqual(Object.keys(s), ['name', 'type', 'min', 'max', 'maxCount', 'defaultValue', 'choices', 'help', 'range',
        'label', 'advanced', 'slider', 'choiceLabels']);
      assert.equal(s.defaultValue, listed[i].defaultValue, `${s.name} default`);
      assert.equal(s.range, listed[i].range, `${s.name} range`);
      assert.equal(s.help, listed[i].help, `${s.name} help`);
      assert.ok(['integer', 'real', 'integer_list', 'choice', 'choice_list'].includes(s.type), `${s.name} type ${s.type}`);
      assert.ok(Array.isArray(s.choices));
      const named = s.type === 'choice' || s.type === 'choice_list';
      assert.equal(s.choices.length > 0, named, `${s.name}: choices only for a choice or a choice list`);
      if (!named) assert.ok(s.min <= s.max, `${s.name} min <= max`);
      if (s.type === 'integer_list') assert.ok(s.maxCount >= 1);
    }
  });

  test(`every ${experiment} default, passed back as text and as numbers, is accepted and kept`, () => {
    const run = h.runner(m, experiment);
    const specs = m.parameterSpecs(experiment);
    const asText = {}, asValues = {};
    for (const s of specs) {
      asText[s.name] = s.defaultValue;
      asValues[s.name] = s.type === 'choice' || s.type === 'choice_list' ? s.defaultValue
        : s.type === 'integer_list' ? s.defaultValue.split(',').map(Number) : Number(s.defaultValue);
    }
    const cheap = experiment === 'timing' ? { lengths: '10,20', trials: 1, min_interval_ms: 0.5 } : { seeds: 1 };
    if (experiment === 'memory') Object.assign(cheap, { attention_trials: 4 });
    if (experiment === 'train') Object.assign(cheap, { lags: '3', steps: 2 });
    if (experiment === 'gpu') { delete cheap.seeds; Object.assign(cheap, { batch: 2, check_length: 16 }); }  // no seeds
    const a = run({ ...asText, ...cheap }), b = run({ ...asValues, ...cheap });
    assert.equal(a.error, '');
    assert.equal(b.error, '');
    assert.deepEqual(a.params, b.params);
    for (const s of specs) {
      if (s.name in cheap) continue;
      assert.deepEqual(a.params[s.name], asValues[s.name], s.name);
    }
  });
}

test('progress is called with increasing fractions ending at 1', () => {
  for (const [run, params] of [
    [h.runner(m, 'gradient'), { seeds: 5, hidden_size: 8, max_distance: 30 }],
    [h.runner(m, 'retention'), { seeds: 4, hidden_size: 8, max_steps: 30 }],
    [h.runner(m, 'timing'), { lengths: [10, 20, 40], trials: 3, min_interval_ms: 0.5 }],
  ]) {
    const fractions = [];
    const r = run(params, (f) => { fractions.push(f); return true; });
    assert.equal(r.error, '');
    assert.ok(fractions.length >= 3, `${fractions.length} calls`);
    for (let i = 1; i < fractions.length; ++i) assert.ok(fractions[i] > fractions[i - 1]);
    assert.ok(fractions[0] > 0);
    assert.equal(fractions[fractions.length - 1], 1);
  }
});

test('returning false cancels: {error: "cancelled"}', () => {
  for (const experiment of ['gradient', 'retention', 'timing']) {
    const run = h.runner(m, experiment);
    let calls = 0;
    const params = experiment === 'timing' ? { lengths: [10, 20, 40], trials: 3, min_interval_ms: 0.5 } : { seeds: 4, hidden_size: 8 };
    const r = run(params, () => { calls += 1; return calls < 2; });
    assert.deepEqual(Object.keys(r), ['error']);
    assert.equal(r.error, 'cancelled');
    assert.equal(calls, 2, 'stopped at the first false');
  }
  assert.equal(m.runExperiment('gradient', { seeds: 2, hidden_size: 8 }, () => true).error, '');
});

test('only false cancels; other return values (undefined, 0, null) go on', () => {
  for (const value of [undefined, 0, null, '', 'no']) {
    assert.equal(m.runExperiment('gradient', { seeds: 2, hidden_size: 8 }, () => value).error, '', String(value));
  }
});

test('a progress callback that throws stops the run with an error, and the module keeps working', () => {
  const r = m.runExperiment('gradient', { seeds: 3, hidden_size: 8 }, () => { throw new Error('boom'); });
  assert.deepEqual(Object.keys(r), ['error']);
  assert.match(r.error, /progress callback threw/);
  assert.equal(m.runExperiment('gradient', { seeds: 2, hidden_size: 8 }).error, '');
});
