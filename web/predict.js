// "Predict, then see": one question per experiment, answered with native radio buttons and
// kept in the URL (predict.timing=linear, ...; predict.<experiment>=skip when skipped).
//
// Two ways to use it:
//  - by default the question sits folded above each result; a guess made there is compared
//    with the measurement, and nothing is shown before a guess is made;
//  - with the switch at the top of the lesson, or the link option predict=1 (for a class),
//    each experiment's chart, readouts, notice and tables stay covered until the learner
//    commits a guess or skips, and the comparison then appears right above the chart.
// The questions are the experiments' own (web/experiments/<name>.js, `question`); the measured
// side reads the facts of the shown run, the same figures its readout and notice print.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  // Each experiment's question: {question, choices [[value, label]], measure(facts) -> {value, text,
  // withheld}} (withheld: the run cannot grade a guess, and text is the whole sentence why).
  const question = (experiment) => ns.experiments[experiment].question;
  const asked = () => ns.LIST.filter((e) => question(e));

  // State-table rows: predict (the switch) and predict.<experiment> ('' = no guess yet).
  function rows() {
    const own = asked().map((e) => ({ key: 'predict.' + e, name: 'predict', experiment: '', type: 'choice', default: '',
      choices: [''].concat(question(e).choices.map((ch) => ch[0]), ['skip']),
      range: 'one of ' + question(e).choices.map((ch) => ch[0]).concat(['skip']).join(', '), help: 'your guess before experiment ' + e + ' shows its result' }));
    return [{ key: 'predict', name: 'predict', experiment: '', type: 'boolean', default: false, range: '1 (on) or 0 (off)',
      help: 'cover each result until a guess is made' }].concat(own);
  }

  const labelOf = (e, v) => (question(e).choices.find((ch) => ch[0] === v) || [v, v])[1];
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
    const q = question(experiment);
    if (!q) return;
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

    const b = boxes[experiment] = { section: section, box: box, radios: radios, result: result, facts: null, covered: false, refresh: null };
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
    if (!b.facts || !guess || b.covered) return b.covered && b.facts ? 'The result is ready. Make your guess to see it.' : '';
    const m = question(experiment).measure(b.facts);
    // (withheld: a measurement too poor to grade, whose text says so; no value: nothing measured)
    if (m.withheld) return (guess === 'skip' ? '' : 'You guessed ' + labelOf(experiment, guess) + '. ') + m.text + '.';
    if (guess === 'skip' || !m.value) return 'Measured: ' + m.text + '.';
    return 'You guessed ' + labelOf(experiment, guess) + '. Measured: ' + m.text + ' (' + labelOf(experiment, m.value) + ')' +
      (guess === m.value ? '. Your guess matches.' : '. Not what you guessed: the explanation above says why.');
  }

  // A new result for an experiment: its facts (the panel's, computed once).
  function show(experiment, facts) {
    const b = boxes[experiment];
    if (!b) return;
    b.facts = facts;
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

  ns.predict = { rows: rows, build: build, show: show, bindSwitch: bindSwitch, isCovered: isCovered };
})();
