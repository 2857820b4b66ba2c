// URL state: one table of properties, and the two walks over it.
//
// Every setting the page keeps in its address is one row of the table: the experiments'
// parameters (rows made from the module's parameterSpecs, so names, defaults and ranges come
// from the C++ core) plus page rows: each experiment's own (web/experiments/<name>.js, e.g.
// the gradient chart's kata overlay) and the page's (embed, hide, the predictions).
// serialize() and deserialize() walk the rows; adding a setting is adding a row.
//
// URL keys are "<experiment>.<parameter>" (gradient.hidden_size=24). A bare parameter name
// (hidden_size=24) is accepted as shorthand for every experiment that has that parameter; a
// prefixed key wins over the shorthand. Page keys:
//   embed=timing|gradient|retention|architectures|memory|parallel|train, or several
//   (embed=gradient,memory)           show only those experiments, in that order, compact, for an <iframe>
//   hide=hidden_size,gradient.seed    classroom mode: hide these controls (bare names hide
//                                     the parameter in every experiment)
//   predict.timing=linear, ...        the learner's guesses (web/predict.js)
// Values from the URL are untrusted: they are read as text, never inserted as markup. The
// core reads every number (and its lists of names) through the module (readText, asked of the
// checker's worker): this file reads no digits. Numbers out of range are clamped here, anything
// the core cannot read is refused (default kept); every adjustment produces a message.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});

  const EXPERIMENTS = ns.LIST;  // web/experiments/list.js
  const MAX_VALUE_CHARS = 1000;   // longer URL values are refused unread
  const MAX_QUERY_CHARS = 20000;  // a longer query string is ignored as a whole
  const MAX_MESSAGES = 4 * EXPERIMENTS.length;  // a shorthand name alone gives one per experiment

  // Page rows: settings that belong to the page, not to the module (each experiment's own come
  // from its file, web/experiments/<name>.js). `redraw: true` rows change only how a finished
  // run is drawn, so changing one redraws without running again.
  const PAGE_ROWS = [
    // One name or several (embed=gradient,memory): those experiments, in that order, in one frame.
    { key: 'embed', name: 'embed', experiment: '', type: 'choice_list', default: '', choices: EXPERIMENTS.slice(),
      maxCount: EXPERIMENTS.length, range: 'one or more of ' + EXPERIMENTS.join(', ') + ', separated by commas',
      help: 'show only these experiments, in this order, compact (for an iframe)' },
    // In a course platform (web/lms.js): the experiments whose results complete the lesson.
    { key: 'complete', name: 'complete', experiment: '', type: 'choice_list', default: '', choices: EXPERIMENTS.slice(),
      maxCount: EXPERIMENTS.length, range: 'one or more of ' + EXPERIMENTS.join(', ') + ', separated by commas',
      help: 'in a course platform: the experiments whose results complete the lesson (default: every one shown)' },
    { key: 'hide', name: 'hide', experiment: '', type: 'name_list', default: [],
      maxCount: 64, range: 'a list of parameter names', help: 'controls to hide (classroom mode)' },
  ];

  // Shortens untrusted text for a message (it is still only ever used as textContent).
  function shown(text) {
    const clean = String(text).replace(/[\u0000-\u001f\u007f]/g, '?');
    return clean.length > 40 ? clean.slice(0, 40) + '…' : clean;
  }

  function formatNumber(x) {
    return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(12)));
  }

  // A value as the address can carry it: a real number to the 12 significant digits the
  // address writes, so a value set live equals the one a fresh load of the address reads.
  function canonicalValue(row, value) {
    if (row.type === 'real' && typeof value === 'number' && Number.isFinite(value)) return Number(formatNumber(value));
    return value;
  }

  function formatValue(row, value) {
    if (row.type === 'integer_list' || row.type === 'name_list') return value.map(String).join(',');
    if (row.type === 'boolean') return value ? '1' : '0';
    if (row.type === 'integer' || row.type === 'real') return formatNumber(value);
    return String(value);
  }

  // Rows whose text the core reads (core/params.h read_text, asked through the checker's
  // worker): numbers and the core's lists of names. The page reads no digits itself.
  const READ_TYPES = ['integer', 'real', 'integer_list', 'choice_list'];
  // (A page row's list of names, embed= or complete=, has no row in the core: read here, as
  // names, like choice and boolean rows.)
  const isRead = (row) => READ_TYPES.indexOf(row.type) >= 0 && (row.type !== 'choice_list' || !!row.module);
  // The question for the core about one text: a module row's own parameter; a page row (it has
  // no row in the core) as plain numbers.
  function readItem(row, text) {
    return { experiment: row.module ? row.coreName : '', parameter: row.module ? row.name : '', text: String(text) };
  }
  const itemKey = (item) => item.experiment + '\u0000' + item.parameter + '\u0000' + item.text;

  // One number as the core read it, against the row's range (the page's policy for the
  // address): an integer row's value rounded, anything outside [min, max] moved to the nearer
  // end. `tiny`: written non-zero but too small to represent (it reads as 0): below a positive
  // minimum, and unusable where 0 is allowed. -> {value, note} ('' when used as given) or null.
  function fitNumber(row, x, tiny, integral) {
    if (tiny) return row.min > 0 ? { value: row.min, note: 'below the minimum, so ' + formatNumber(row.min) + ' is used' } : null;
    let note = '';
    if (integral && Number.isFinite(x) && !Number.isInteger(x)) {
      x = Math.round(x);
      note = 'rounded to ' + x;
    }
    if (!(x >= row.min)) {
      x = row.min;
      note = 'below the minimum, so ' + formatNumber(x) + ' is used';
    } else if (!(x <= row.max)) {
      x = row.max;
      note = 'above the maximum, so ' + formatNumber(x) + ' is used';
    }
    return { value: x, note: note };
  }

  // Judges one untrusted text for a row; `reading` is the core's reading of it (readItem's
  // answer) for a row the core reads, else unused. Returns {value} when it can be used as is,
  // {value, message} when it was adjusted, {message} (no value) when refused.
  function judge(row, text, reading) {
    const raw = String(text);
    const label = row.key + '=' + '"' + shown(raw) + '"';
    const refused = () => ({ message: label + ' is not ' + row.range + '; ' + defaultText(row) });
    if (raw.length > MAX_VALUE_CHARS)
      return { message: row.key + ': a value of ' + raw.length + ' characters was refused; ' + defaultText(row) };
    if (isRead(row) && (!reading || reading.error || reading.refused)) return refused();
    switch (row.type) {
      case 'integer':
      case 'real': {
        if (reading.numbers.length !== 1) return refused();
        const r = fitNumber(row, reading.numbers[0], reading.tiny.length > 0, row.type === 'integer');
        if (!r) return { message: label + ' is too close to 0 to be told apart from 0; ' + defaultText(row) };
        r.value = canonicalValue(row, r.value);
        return r.note ? { value: r.value, message: label + ': ' + r.note + ' (' + row.range + ').' } : { value: r.value };
      }
      case 'integer_list': {
        const count = reading.numbers.length;
        if (count < 1 || count > row.maxCount) return refused();
        const values = [];
        const notes = [];
        for (let i = 0; i < count; ++i) {
          const r = fitNumber(row, reading.numbers[i], reading.tiny.indexOf(i) >= 0, true);
          if (!r) return refused();
          if (r.note) notes.push('"' + shown(reading.parts[i]) + '" ' + r.note);
          values.push(r.value);
        }
        return notes.length
          ? { value: values, message: label + ': ' + notes.join('; ') + ' (' + row.range + ').' }
          : { value: values };
      }
      case 'choice_list': {  // kept as the module takes it: names from its choices, comma-separated
        if (isRead(row)) return { value: Array.from(reading.names).join(',') };
        const names = raw.split(',').map((x) => x.replace(/^[ \t]+|[ \t]+$/g, ''));
        const ok = names.length <= row.maxCount && names.every((n) => row.choices.indexOf(n) >= 0) && new Set(names).size === names.length;
        return ok ? { value: names.join(',') } : refused();
      }
      case 'choice':
        if (row.choices.indexOf(raw) >= 0) return { value: raw };
        return refused();
      case 'boolean':
        if (/^(1|true|on|yes)$/i.test(raw)) return { value: true };
        if (/^(0|false|off|no)$/i.test(raw)) return { value: false };
        return { message: label + ' is not 1 or 0; ' + defaultText(row) };
      case 'name_list': {
        const names = raw.split(',').map((s) => s.trim()).filter(Boolean);
        const good = names.filter((n) => /^[a-z_.]{1,40}$/.test(n)).slice(0, row.maxCount);
        return good.length === names.length ? { value: good }
          : { value: good, message: label + ': only parameter names are accepted; the rest was ignored.' };
      }
    }
    return { message: label + ' cannot be read.' };
  }

  // One text for a row, read by the core where it reads it (`read`: the checker's read) and
  // judged as a URL value -> Promise<judge()'s answer>.
  async function readValue(row, text, read) {
    const raw = String(text);
    if (raw.length > MAX_VALUE_CHARS || !isRead(row)) return judge(row, raw, null);
    const [reading] = await read([readItem(row, raw)]);
    return judge(row, raw, reading);
  }

  function defaultText(row) {
    const d = formatValue(row, row.default);
    return d === '' ? 'it was ignored.' : 'the default ' + d + ' is used.';
  }

  // A module spec's text default, as the core read it (the worker sends each spec's
  // `defaultReading` with the specs, web/worker.js), judged like a URL value.
  function parseDefault(spec) {
    const row = { key: spec.name, type: spec.type, min: spec.min, max: spec.max,
                  maxCount: spec.maxCount, choices: spec.choices, range: spec.range, default: '' };
    const r = judge(row, spec.defaultValue, spec.defaultReading);
    if (!('value' in r) || r.message) throw new Error('bad default for ' + spec.name + ': ' + spec.defaultValue);
    return r.value;
  }

  // Builds the table from {timing: [spec...], gradient: [...], ...} (one list per table of the
  // core; an experiment's file may name its table, coreName). Each experiment's file may
  // replace a few module defaults for the page (`defaults`) and add page rows (`rows`).
  function createTable(specsByCore) {
    const rows = [];
    for (const experiment of EXPERIMENTS) {
      const own = ns.experiments[experiment];
      for (const spec of specsByCore[own.coreName || experiment]) {
        const page = own.defaults && own.defaults[spec.name];
        rows.push({
          key: experiment + '.' + spec.name,
          name: spec.name,
          experiment: experiment,
          coreName: own.coreName || experiment,  // the core's table that reads and judges it
          type: spec.type,
          default: page !== undefined ? page : parseDefault(spec),
          moduleDefault: parseDefault(spec),
          min: spec.min,
          max: spec.max,
          maxCount: spec.maxCount,
          choices: spec.choices.slice(),
          range: spec.range,
          help: spec.help,
          // How the control shows it (the core's words, so a new parameter needs no page edit).
          label: spec.label,
          advanced: Boolean(spec.advanced),
          slider: spec.slider,
          choiceLabels: spec.choiceLabels ? spec.choiceLabels.slice() : undefined,
          module: true,  // sent to the module as a parameter
        });
      }
    }
    // After every module row, as the address has always listed them.
    for (const experiment of EXPERIMENTS) {
      for (const row of ns.experiments[experiment].rows || []) {
        rows.push(Object.assign({ key: experiment + '.' + row.name, experiment: experiment, module: false }, row));
      }
    }
    for (const row of PAGE_ROWS.concat(ns.predict ? ns.predict.rows() : [])) rows.push(Object.assign({ module: false }, row));
    return rows;
  }

  function defaults(table) {
    const values = {};
    for (const row of table) values[row.key] = row.default;
    return values;
  }

  function sameValue(a, b) {
    if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => x === b[i]);
    return a === b;
  }

  // URL query -> Promise<{values: {key: value}, messages: [text]}>. `read` (the checker's
  // read, web/checker.js) has the core read every text that holds numbers, all in one request.
  async function deserialize(table, search, read) {
    const values = defaults(table);
    const messages = [];
    const note = (m) => { if (messages.length < MAX_MESSAGES) messages.push(m); };
    const query = String(search || '').replace(/^\?/, '');
    if (query.length > MAX_QUERY_CHARS) {
      note('The address holds ' + query.length + ' characters of settings, more than this page reads; every setting starts at its default.');
      return { values: values, messages: messages };
    }
    let entries;
    try {
      entries = Array.from(new URLSearchParams(query).entries());
    } catch (e) {
      return { values: values, messages: ['The settings in the address could not be read; defaults are used.'] };
    }
    const byKey = new Map(table.map((row) => [row.key, row]));
    const byName = new Map();
    for (const row of table) {
      if (!row.experiment) continue;
      if (!byName.has(row.name)) byName.set(row.name, []);
      byName.get(row.name).push(row);
    }
    // What the address sets, in the order it is applied ({row, text}, or {unknown: key}):
    // shorthand names first, so a prefixed key given too wins.
    const steps = [];
    for (const [key, text] of entries) {
      if (!byKey.has(key) && byName.has(key)) for (const row of byName.get(key)) steps.push({ row: row, text: text });
    }
    for (const [key, text] of entries) {
      if (byKey.has(key)) steps.push({ row: byKey.get(key), text: text });
      else if (!byName.has(key)) steps.push({ unknown: key });
    }
    // The core reads every text that holds numbers (each distinct one once) before any is used.
    const items = new Map();
    for (const { row, text } of steps) {
      if (row && isRead(row) && text.length <= MAX_VALUE_CHARS) items.set(itemKey(readItem(row, text)), readItem(row, text));
    }
    const readings = new Map();
    try {
      const answers = await read(Array.from(items.values()));
      Array.from(items.keys()).forEach((k, i) => readings.set(k, answers[i]));
    } catch (e) {
      return { values: defaults(table), messages: ['The settings in the address could not be read; defaults are used.'] };
    }
    const apply = (row, text) => {
      const r = judge(row, text, readings.get(itemKey(readItem(row, text))));
      if ('value' in r) values[row.key] = r.value;
      if (r.message) note(r.message);
    };
    // A key given more than once: the last one counts, and the learner is told.
    const seen = new Map();
    for (const [key, text] of entries) seen.set(key, { count: (seen.has(key) ? seen.get(key).count : 0) + 1, last: text });
    for (const [key, { count, last }] of seen) {
      // A shorthand name some of whose settings are also given in full: those win anyway.
      if (count < 2 || !(byKey.has(key) || byName.has(key))) continue;
      const full = byKey.has(key) ? [] : byName.get(key).filter((row) => seen.has(row.key)).map((row) => row.key);
      if (full.length && full.length === byName.get(key).length) continue;
      const row = byKey.get(key) || byName.get(key)[0];
      const list = row.type === 'integer_list' || row.type === 'name_list';
      note('The address gives ' + shown(key) + ' ' + count + ' times; the last, "' + shown(last) + '", is used' +
        (full.length ? ' (not for ' + full.join(', ') + ', which the address also gives in full)' : '') +
        (list ? ' (several values go in one, separated by commas: ' + shown(key) + '=a,b).' : '.'));
    }
    for (const step of steps) {
      if (step.row) apply(step.row, step.text);
      else note('Ignored the unknown setting "' + shown(step.unknown) + '" in the address.');
    }
    for (const name of values.hide) {
      if (!byKey.has(name) && !byName.has(name)) note('hide: "' + shown(name) + '" is not a setting on this page, so it hides nothing.');
    }
    return { values: values, messages: messages };
  }

  // {key: value} -> query string ("?a=1&b=2" or ""), listing only values that differ from
  // the defaults. `omit` lists keys to leave out (e.g. ['embed'] for the full-lesson link).
  function serialize(table, values, omit) {
    const parts = [];
    for (const row of table) {
      if (omit && omit.indexOf(row.key) >= 0) continue;
      const v = values[row.key];
      if (v === undefined || sameValue(v, row.default)) continue;
      const text = formatValue(row, v);
      parts.push(encodeURIComponent(row.key) + '=' + encodeURIComponent(text).replace(/%2C/gi, ','));
    }
    return parts.length ? '?' + parts.join('&') : '';
  }

  // The module's params object for one experiment: {name: number | number[] | string}.
  function moduleParams(table, values, experiment) {
    const params = {};
    for (const row of table) {
      if (row.module && row.experiment === experiment) {
        const v = values[row.key];
        params[row.name] = Array.isArray(v) ? v.slice() : v;
      }
    }
    return params;
  }

  // Whether a control is hidden by ?hide=: by bare name or by experiment.name.
  function isHidden(values, row) {
    const hide = values.hide || [];
    return hide.indexOf(row.name) >= 0 || hide.indexOf(row.key) >= 0;
  }

  ns.state = {
    EXPERIMENTS: EXPERIMENTS,
    createTable: createTable,
    defaults: defaults,
    judge: judge,
    readValue: readValue,
    formatValue: formatValue,
    canonicalValue: canonicalValue,
    deserialize: deserialize,
    serialize: serialize,
    moduleParams: moduleParams,
    isHidden: isHidden,
    sameValue: sameValue,
  };
})();
