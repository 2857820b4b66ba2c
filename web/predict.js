// "Predict, then see": one question per experiment, answered with native radio buttons and
// kept in the URL (predict.timing=linear, ...; predict.<experiment>=skip when skipped).
//
// Two ways to use it:
//  - by default the question sits folded above each result; a guess made there is compared
//    with the measurement, and nothing is shown before a guess is made;
//  - with the switch at the top of the lesson, or the link option predict=1 (for a class),
//    each experiment's chart, readouts, notice and tables stay covered until the learner
//    commits a guess or skips, and the comparison then appears right above the chart.
// The measured side always comes from the chart module's facts(run), the same figures its
// readout and notice print.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = () => ns.chartCommon;
  const POWERS = ['1', '1e-1', '1e-2', '1e-3', '1e-4', '1e-6', '1e-8', '1e-12', '1e-20'];
  const nearestIndex = (xs, x) => {
    let i = 0;
    for (let j = 1; j < xs.length; ++j) if (Math.abs(xs[j] - x) < Math.abs(xs[i] - x)) i = j;
    return i;
  };
  const powerLabel = (p) => (p === '1' ? 'about the same (×1)' : '×10' + c().superscript(Number(p.slice(2))));
  const fact = (experiment, run, values) => ns.charts[experiment].facts(run, values);

  // question, choices [[value, label]], measure(run, values) -> {value, text}
  const QUESTIONS = {
    timing: {
      question: 'As the sequence gets longer, how will the time of one pass grow?',
      choices: [['flat', 'it stays about the same'], ['linear', 'in proportion to the length'], ['quadratic', 'like the length squared']],
      measure(run) {
        const f = fact('timing', run);
        const value = f.logSlope < 0.4 ? 'flat' : f.logSlope < 1.5 ? 'linear' : 'quadratic';
        return { value: value, text: 'from L = ' + f.shortest.L + ' to ' + f.longest.L + ' (' + c().sig(f.lengthRatio, 3) + '× longer) a pass took ' +
          c().sig(f.timeRatio, 3) + '× as long, about ' + c().sig(f.nsPerStep, 3) + ' ns per step' };
      },
    },
    gradient: {
      question: 'Compared with distance 1, how large will the gradient be at distance 50 (or the largest distance run, if that is smaller)?',
      choices: POWERS.map((p) => [p, powerLabel(p)]),
      measure(run) {
        const f = fact('gradient', run);
        const ok = f.shrink > 0 && Number.isFinite(f.shrink);
        const value = ok ? POWERS[nearestIndex(POWERS.map(Number).map(Math.log10), Math.log10(f.shrink))] : '1e-20';
        return { value: value, text: '×' + c().sig(f.shrink, 2) + ' (' + c().sigSmall(f.first.norm, 2) + ' at k = ' + f.first.k + ', ' +
          c().sigSmall(f.quoted.norm, 2) + ' at k = ' + f.quoted.k + ')' };
      },
    },
    retention: {
      question: 'How much of the signal’s influence on the RNN’s state will be left after 25 noise steps?',
      choices: [['1', 'nearly all'], ['0.5', 'about half'], ['0.1', 'about a tenth'], ['0.01', 'about 1%'], ['0.0001', 'almost nothing (under 0.1%)']],
      measure(run) {
        const at = fact('retention', run).influenceAt(25);
        const options = [1, 0.5, 0.1, 0.01, 0.0001];
        const v = options[nearestIndex(options.map(Math.log), Math.log(Math.max(at.influence, 1e-12)))];
        return { value: String(v), text: c().sig(100 * at.influence, 2) + '% after ' + at.n + ' steps' };
      },
    },
    architectures: {
      question: 'Which will keep the largest gradient at distance 500 (or the nearest distance run)?',
      choices: [['rnn', 'the RNN'], ['lstm', 'the LSTM'], ['gru', 'the GRU'], ['attention', 'attention']],
      measure(run) {
        const f = fact('architectures', run);
        const best = f.largestAtQuoted;
        return { value: best.architecture, text: c().ARCHITECTURES[best.architecture].short + ', with ' + c().sigSmall(best.norm, 2) + ' at k = ' + f.quotedK +
          ' (' + f.atQuoted.map((x) => c().ARCHITECTURES[x.architecture].short + ' ' + c().sigSmall(x.norm, 2)).join(', ') + ')' };
      },
    },
    memory: {
      question: 'A plain RNN whose state holds H = 128 numbers (or the nearest size run): how many past inputs will it recall (its memory capacity)?',
      choices: [['quarter', 'fewer than a quarter of H'], ['half', 'between a quarter and three quarters of H'], ['near', 'between three quarters of H and H'], ['above', 'more than H']],
      measure(run, values) {
        const f = fact('memory', run, values);
        const at = f.rnnNear(128);
        const x = at.mc / at.h;
        return { value: x < 0.25 ? 'quarter' : x < 0.75 ? 'half' : x <= 1 ? 'near' : 'above',
          text: 'MC = ' + at.mc.toFixed(1) + ' at H = ' + at.h + ', ' + Math.round(100 * x) + '% of H' };
      },
    },
    parallel: {
      question: 'With 2 workers instead of 1, how much faster will the attention pass be?',
      choices: [['1', 'no faster (1×)'], ['1.5', 'about 1.5×'], ['2', 'nearly 2×'], ['3', 'more than 2×']],
      measure(run, values) {
        const sp = fact('parallel', run, values).attentionAtTwo;
        return { value: sp < 1.25 ? '1' : sp < 1.75 ? '1.5' : sp <= 2.2 ? '2' : '3', text: ns.charts.parallel.speed(sp) };
      },
    },
  };

  // State-table rows: predict (the switch) and predict.<experiment> ('' = no guess yet).
  function rows() {
    const own = Object.keys(QUESTIONS).map((e) => ({ key: 'predict.' + e, name: 'predict', experiment: '', type: 'choice', default: '',
      choices: [''].concat(QUESTIONS[e].choices.map((ch) => ch[0]), ['skip']),
      range: 'one of ' + QUESTIONS[e].choices.map((ch) => ch[0]).concat(['skip']).join(', '), help: 'your guess before experiment ' + e + ' shows its result' }));
    return [{ key: 'predict', name: 'predict', experiment: '', type: 'boolean', default: false, range: '1 (on) or 0 (off)',
      help: 'cover each result until a guess is made' }].concat(own);
  }

  const labelOf = (e, v) => (QUESTIONS[e].choices.find((ch) => ch[0] === v) || [v, v])[1];
  const boxes = {};
  let page = null;  // {values, onChange}

  // Covered: every part of the results but the question hides; the run still happens.
  function setCovered(experiment, on) {
    const b = boxes[experiment];
    if (!b || b.covered === on) return;
    b.covered = on;
    b.section.classList.toggle('is-covered', on);
    for (const part of b.section.querySelector('.results').children) {
      if (part === b.box || part.classList.contains('actions') || part.dataset.role === 'error' || part.dataset.role === 'busy') continue;
      if (on) {
        if (!part.hidden) { part.hidden = true; part.dataset.covered = '1'; }
      } else if (part.dataset.covered) {
        part.hidden = false;
        delete part.dataset.covered;
      }
    }
    if (ns.summary && ns.summary.refresh) ns.summary.refresh(experiment);
    b.refresh();
  }

  function isCovered(experiment) {
    return Boolean(boxes[experiment] && boxes[experiment].covered);
  }

  // Adds the question to a section; `onChange(key, value)` keeps the URL current.
  function build(experiment, section, values, onChange) {
    page = { values: values, onChange: onChange };
    const q = QUESTIONS[experiment];
    const key = 'predict.' + experiment;
    const box = document.createElement('details');
    box.className = 'predict';
    box.dataset.role = 'predict';
    box.appendChild(document.createElement('summary')).textContent = 'Predict first (optional)';
    const fieldset = box.appendChild(document.createElement('fieldset'));
    fieldset.appendChild(document.createElement('legend')).textContent = q.question;
    const radios = q.choices.map(([v, text], i) => {
      const label = fieldset.appendChild(document.createElement('label'));
      label.className = 'predict-choice';
      const input = label.appendChild(document.createElement('input'));
      input.type = 'radio';
      input.name = 'predict-' + experiment;
      input.value = v;
      input.id = 'predict-' + experiment + '-' + i;
      label.appendChild(document.createTextNode(' ' + text));
      return input;
    });
    const buttons = box.appendChild(document.createElement('p'));
    buttons.className = 'predict-buttons';
    const commit = buttons.appendChild(document.createElement('button'));
    commit.type = 'button';
    commit.textContent = 'Show the result';
    const skip = buttons.appendChild(document.createElement('button'));
    skip.type = 'button';
    skip.className = 'quiet';
    skip.textContent = 'Skip: just show it';
    const result = box.appendChild(document.createElement('p'));
    result.className = 'predict-result';
    result.dataset.role = 'prediction';
    result.tabIndex = -1;

    const b = boxes[experiment] = { section: section, box: box, radios: radios, result: result, run: null, covered: false, refresh: null };
    const chosen = () => (radios.find((r) => r.checked) || {}).value || '';
    b.refresh = () => {
      const guess = page.values[key] || '';
      const mode = Boolean(page.values.predict);
      for (const r of radios) r.checked = r.value === guess;
      // In predict mode a committed guess is final; folded, it can be changed at any time.
      const locked = mode && !b.covered;
      for (const r of radios) r.disabled = locked;
      buttons.hidden = !mode || !b.covered;
      skip.hidden = !mode;
      if (mode) box.open = true;
      box.querySelector('summary').textContent = mode ? 'Predict first' : 'Predict first (optional)';
      result.textContent = comparison(experiment);
    };
    for (const r of radios) {
      r.addEventListener('change', () => {
        if (page.values.predict) return;  // committed with the button
        page.onChange(key, chosen());
        b.refresh();
      });
    }
    const reveal = (value) => {
      page.onChange(key, value);
      setCovered(experiment, false);
      b.refresh();
      result.focus();
    };
    commit.addEventListener('click', () => {
      const value = chosen();
      if (!value) {
        result.textContent = 'Pick one of the answers first, or skip.';
        return;
      }
      reveal(value);
    });
    skip.addEventListener('click', () => reveal('skip'));
    box.open = Boolean(values[key]) || Boolean(values.predict);
    section.querySelector('.results').insertBefore(box, section.querySelector('.results').firstChild);
    setCovered(experiment, Boolean(values.predict) && !values[key]);
    b.refresh();
  }

  // "You guessed …; measured: …" once there is both a guess and a result, else ''.
  function comparison(experiment) {
    const b = boxes[experiment];
    const guess = page.values['predict.' + experiment] || '';
    if (!b.run || !guess || b.covered) return b.covered && b.run ? 'The result is ready. Make your guess to see it.' : '';
    const m = QUESTIONS[experiment].measure(b.run, page.values);
    if (guess === 'skip') return 'Measured: ' + m.text + '.';
    return 'You guessed ' + labelOf(experiment, guess) + '. Measured: ' + m.text + ' (' + labelOf(experiment, m.value) + ')' +
      (guess === m.value ? '. Your guess matches.' : '. Not what you guessed: the explanation above says why.');
  }

  // A new result for an experiment.
  function show(experiment, run) {
    const b = boxes[experiment];
    if (!b) return;
    b.run = run;
    b.refresh();
  }

  // The switch at the top of the lesson: covers every experiment without a guess, or
  // uncovers them all.
  function bindSwitch(input) {
    if (!input || !page) return;
    input.checked = Boolean(page.values.predict);
    input.addEventListener('change', () => {
      page.onChange('predict', input.checked);
      for (const e of Object.keys(boxes)) {
        setCovered(e, input.checked && !page.values['predict.' + e]);
        boxes[e].refresh();
      }
    });
  }

  ns.predict = { rows: rows, build: build, show: show, bindSwitch: bindSwitch, isCovered: isCovered, QUESTIONS: QUESTIONS };
})();
