// Builds each experiment's controls from its rows of the state table (so the ranges and
// defaults are the core's), and reports committed values. Every value shown is set with
// .value / textContent: nothing here parses markup.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const state = ns.state;

  const DEBOUNCE_MS = 300;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function capitalised(text) {
    if (/^(bptt|kata):/.test(text)) return text;  // mode names stay as spelled
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  // The row's words, from the core's spec (or the experiment's file for a page row).
  const label = (row) => row.label || row.name.replace(/_/g, ' ');
  const choiceLabel = (row, choice) => (row.choiceLabels && row.choiceLabels[row.choices.indexOf(choice)]) || choice;

  // The core decides (params.h shows_slider: a narrow range, not a seed, not spread over
  // decades); a page row says so itself.
  const hasSlider = (row) => row.slider === true;

  // One control. `emit(key, value, {immediate, slider, typing})` is called with a value
  // within the spec's range; the page checks it against the other settings (web/checker.js)
  // and either applies it or calls refuse() / setValue() below. A typed text is read by the
  // core (`read`: the checker's read, answering in milliseconds); an answer for a text that
  // has since changed (a newer keystroke, a commit, the slider) is dropped.
  function buildControl(row, value, emit, read) {
    const id = 'ctl-' + row.key.replace(/\./g, '-');
    const box = el('div', { class: 'control control-' + row.type, 'data-key': row.key });
    const hintText = capitalised(row.help) + (row.type === 'boolean' ? '' : '. ' + capitalised(row.range) + '.');
    const hint = el('p', { class: 'hint', id: id + '-hint' }, hintText);
    const problem = el('p', { class: 'field-error', id: id + '-error', role: 'alert' });
    problem.hidden = true;
    let timer = 0;
    let asked = 0;  // the newest question about the field's text: older answers are dropped
    let typedAt = -1;  // the question whose typed value was last proposed (see refuse())
    let input;
    let slider = null;
    let last = value;

    const showProblem = (text) => {
      problem.textContent = text || '';
      problem.hidden = !text;
      if (text) input.setAttribute('aria-invalid', 'true');
      else input.removeAttribute('aria-invalid');
    };
    const describedBy = id + '-hint ' + id + '-error';

    if (row.type === 'boolean') {
      input = el('input', { type: 'checkbox', id: id, 'aria-describedby': describedBy });
      input.checked = Boolean(value);
      const check = el('label', { for: id, class: 'check' });
      check.appendChild(input);
      check.appendChild(document.createTextNode(' ' + label(row)));
      box.appendChild(check);
      input.addEventListener('change', () => { last = input.checked; emit(row.key, last, { immediate: false }); });
    } else {
      box.appendChild(el('label', { for: id }, label(row)));
      if (row.type === 'choice') {
        input = el('select', { id: id, 'aria-describedby': describedBy });
        for (const choice of row.choices) input.appendChild(el('option', { value: choice }, choiceLabel(row, choice)));
        input.value = value;
        input.addEventListener('change', () => { last = input.value; emit(row.key, last, { immediate: false }); });
        box.appendChild(input);
      } else {
        const numeric = row.type === 'integer' || row.type === 'real';
        input = el('input', numeric
          ? { type: 'number', id: id, min: String(row.min), max: String(row.max),
              step: row.type === 'integer' ? '1' : 'any', inputmode: row.type === 'integer' ? 'numeric' : 'decimal',
              'aria-describedby': describedBy }
          : { type: 'text', id: id, inputmode: row.type === 'choice_list' ? 'text' : 'numeric', spellcheck: 'false', autocomplete: 'off',
              'aria-describedby': describedBy });
        input.value = state.formatValue(row, value);
        const inputs = el('div', { class: 'control-inputs' });
        if (hasSlider(row)) {
          slider = el('input', { type: 'range', min: String(row.min), max: String(row.max),
            step: row.type === 'integer' ? '1' : String(row.max - row.min <= 4 ? 0.01 : 0.05),
            'aria-label': label(row) + ' slider', tabindex: '0' });
          slider.value = String(value);
          inputs.appendChild(slider);
          slider.addEventListener('input', () => {
            input.value = slider.value;
            showProblem('');
            clearTimeout(timer);
            ++asked;
            last = slider.valueAsNumber;  // the browser's own number: no text to read
            emit(row.key, last, { immediate: false, slider: true });
          });
        }
        inputs.appendChild(input);
        box.appendChild(inputs);

        // The field's text as the core reads it, judged like a URL value; then `use(answer)`
        // unless the text changed meanwhile. No answer (no checker) counts as refused.
        const readField = (use) => {
          const ticket = ++asked;
          const text = input.value;
          state.readValue(row, text, read).catch(() => ({}))
            .then((r) => { if (ticket === asked && input.value === text) use(r); });
        };
        // While typing: check quietly, run only values that need no correction.
        input.addEventListener('input', () => {
          clearTimeout(timer);
          ++asked;
          timer = setTimeout(() => readField((r) => {
            if ('value' in r && !r.message) {
              showProblem('');
              if (slider) slider.value = String(r.value);
              if (!state.sameValue(r.value, last)) {
                last = r.value;
                typedAt = asked;
                emit(row.key, last, { immediate: true, typing: true });
              }
            } else {
              showProblem('Must be ' + row.range + '.');
            }
          }), DEBOUNCE_MS);
        });
        // On commit (Enter, leaving the field): clamp, or restore the last good value. What was
        // said about the text while typing goes at once: the commit is judged afresh.
        input.addEventListener('change', () => {
          clearTimeout(timer);
          showProblem('');
          readField((r) => {
            if ('value' in r) {
              showProblem(r.message ? 'Must be ' + row.range + '; set to ' + state.formatValue(row, r.value) + '.' : '');
              input.value = state.formatValue(row, r.value);
              if (slider) slider.value = String(r.value);
              if (!state.sameValue(r.value, last)) { last = r.value; emit(row.key, last, { immediate: true }); }
            } else {
              showProblem('Must be ' + row.range + '; kept ' + state.formatValue(row, last) + '.');
              input.value = state.formatValue(row, last);
            }
          });
        });
      }
    }
    box.appendChild(hint);
    box.appendChild(problem);
    // Shows `v` (a value the page accepted or adjusted) without emitting it.
    const setValue = (v) => {
      last = v;
      if (row.type === 'boolean') input.checked = Boolean(v);
      else input.value = row.type === 'choice' ? v : state.formatValue(row, v);
      if (slider) slider.value = String(v);
    };
    return {
      element: box,
      input: input,
      setValue: setValue,
      // A value the other settings do not allow: back to `kept` (unless the learner is still
      // typing), with `text` saying why; not said of a typed value once the text has changed
      // or been committed since (that text is being judged: its own answer speaks).
      refuse(kept, text, typing) {
        if (typing) {
          last = kept;
          if (typedAt !== asked) return;
        } else setValue(kept);
        showProblem(text);
      },
      // `limit` = [lo, hi] allowed with the other settings as they are (null: unknown); `note`
      // the sentence for the hint when that is narrower than the spec's range.
      setLimits(limit, note) {
        const [lo, hi] = limit || [row.min, row.max];
        if (row.type === 'integer' || row.type === 'real') {
          for (const e of slider ? [slider, input] : [input]) {
            e.min = String(lo);
            e.max = String(hi);
          }
          if (slider) slider.value = String(last);
        }
        hint.textContent = hintText + (note ? ' ' + note : '');
      },
      enable(on) {
        input.disabled = !on;
        if (slider) slider.disabled = !on;
        box.classList.toggle('is-disabled', !on);
      },
    };
  }

  // Fills `container` with the controls of one experiment. Returns {refresh(values)}.
  // `read`: the checker's read (web/checker.js), which has the core read a typed text.
  function build(container, rows, values, emit, read) {
    const basic = el('div', { class: 'control-grid' });
    const more = el('details', { class: 'more-settings' });
    more.appendChild(el('summary', {}, 'More settings'));
    const moreGrid = el('div', { class: 'control-grid' });
    more.appendChild(moreGrid);
    const byKey = {};
    let hiddenCount = 0;
    for (const row of rows) {
      const control = buildControl(row, values[row.key], emit, read);
      byKey[row.key] = control;
      if (state.isHidden(values, row)) {
        control.element.hidden = true;
        ++hiddenCount;
      }
      const advanced = Boolean(row.advanced);  // under "More settings": the rest are the ones a lesson turns first
      (advanced ? moreGrid : basic).appendChild(control.element);
      if (advanced && !state.sameValue(values[row.key], row.default) && !control.element.hidden) more.open = true;
    }
    container.appendChild(basic);
    if (moreGrid.querySelector('.control:not([hidden])')) container.appendChild(more);
    if (hiddenCount) {
      container.appendChild(el('p', { class: 'hint classroom-note' },
        hiddenCount === 1 ? 'One setting is fixed for this class.' : hiddenCount + ' settings are fixed for this class.'));
    }
    // Rows with enabledWhen(values) are greyed out while it is false.
    const refresh = (current) => {
      for (const row of rows) if (row.enabledWhen) byKey[row.key].enable(row.enabledWhen(current));
    };
    refresh(values);
    return {
      refresh: refresh,
      setValue(key, v) { if (byKey[key]) byKey[key].setValue(v); },
      refuse(key, kept, text, typing) { if (byKey[key]) byKey[key].refuse(kept, text, typing); },
      // `limits` = {name: [lo, hi] | null} for this experiment's rows; `note(row, limit)` the hint.
      setLimits(limits, note) {
        for (const row of rows) {
          if (byKey[row.key] && row.name in limits) byKey[row.key].setLimits(limits[row.name], note(row, limits[row.name]));
        }
      },
    };
  }

  // label(row): the control's label, e.g. 'Hidden size H', for sentences about a setting;
  // choiceLabel(row, choice): a choice as its menu shows it.
  ns.controls = { build: build, label: label, choiceLabel: choiceLabel };
})();
