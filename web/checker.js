// Keeps every control inside what the core accepts. The work caps and cross-parameter rules
// live only in the core's validate() functions; the core's limits() turns them into each
// parameter's allowed interval with the other settings as they are. The page asks a small
// dedicated worker of its own (the checker: same Blob URL and compiled module as the main
// worker), which answers within milliseconds while the main worker may be busy with a run.
//
//   createChecker(source, core)        -> {ask(coreName, params) -> Promise<{refused, limits}>,
//                                          read(items) -> Promise<[reading]>: texts read by the core}
//   verdict(checker, table, values, experiment)
//                                       -> Promise<{refused: '' | core text, limits: {name: [lo, hi] | null}}>
//                                          over every request the experiment's run makes
//   createGate({checker, table, values, experiment, controls, apply(key, value, how)})
//                                       -> {propose(key, value, how), refresh()}: a control's
//                                          change is applied only if the core accepts it
//   fitValues(checker, table, values, experiment) -> Promise<[message]>: a combination from
//                                          the address that the core refuses is brought inside
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const state = ns.state;

  // A question is answered in milliseconds once the worker has its module, so a checker that
  // has not answered within DEADLINES.start has died or stopped: it is replaced and its open
  // questions are asked again, once; a second failure rejects them (the gate then lets the
  // run itself judge the change).
  const ANSWER_MS = 3000;
  function createChecker(source, core) {
    const url = ns.core.workerUrl(source);
    let bridge = null;

    function replace(why) {
      const open = bridge.calls();
      bridge = null;
      for (const p of open.filter((q) => q.retried)) p.reject(new Error(why));
      const again = open.filter((q) => !q.retried);
      if (!again.length) return;
      start();
      for (const p of again) {
        p.retried = true;
        bridge.post(p);
      }
    }

    function start() {
      bridge = ns.bridge.connect(url, core, 'checker', {
        // Started: the module is ready, and limits() answers in milliseconds (a slow phone in
        // well under a second), so from here a few seconds of silence mean a stopped checker.
        started: () => ANSWER_MS,
        replied(p, d) {
          if (d.ok && d.result && !d.result.error) p.resolve(d.result);
          else p.reject(new Error((d.result && d.result.error) || d.error || 'no answer'));
          return true;
        },
        lost: (detail) => replace(detail === null ? 'the checker stopped answering' : 'the checker stopped'),
      });
    }

    const call = (message) => {
      if (!bridge) start();
      return new Promise((resolve, reject) => bridge.post({ message: message, resolve: resolve, reject: reject, retried: false }));
    };
    return {
      ask: (coreName, params) => call({ op: 'limits', experiment: coreName, params: params }),
      // The core's reading of settings' texts, in order (the module's readText; the page reads
      // no number itself): [{experiment, parameter, text}] -> Promise<[reading]>.
      read: (items) => (items.length ? call({ op: 'read', items: items }).then((r) => r.readings) : Promise.resolve([])),
    };
  }

  // The core parameter sets an experiment's run hands to the module (gradient's kata overlay
  // is a second one), each with the name of the core's table that judges it.
  function coreRequests(table, values, experiment) {
    const own = ns.experiments[experiment];
    return own.requests(state.moduleParams(table, values, experiment), values)
      .map((r) => ({ coreName: own.coreName || experiment, params: r.params }));
  }

  async function verdict(checker, table, values, experiment) {
    const replies = await Promise.all(coreRequests(table, values, experiment).map((r) => checker.ask(r.coreName, r.params)));
    const limits = {};
    for (const name of Object.keys(replies[0].limits)) {
      let range = [-Infinity, Infinity];
      for (const reply of replies) {
        const l = reply.limits[name];
        range = l && range ? [Math.max(range[0], l[0]), Math.min(range[1], l[1])] : null;
      }
      limits[name] = range && range[0] <= range[1] ? range : null;
    }
    const refused = replies.map((r) => r.refused).find(Boolean) || '';
    return { refused: refused, limits: limits };
  }

  const format = (row, v) => state.formatValue(row, v);
  const num = (x) => state.formatValue({ type: 'real' }, x);  // a limit, also of a list's element
  const numeric = (row) => row.type === 'integer' || row.type === 'real';
  const largest = (list) => Math.max.apply(null, list);
  const OTHERS = 'with the other settings as they are';

  // The hint's extra sentence when the allowed interval is narrower than the spec's range.
  function hintNote(row, limit) {
    if (!limit) return '';
    const [lo, hi] = limit;
    if (row.type === 'integer_list') return hi < row.max ? 'The largest value can be at most ' + num(hi) + ' ' + OTHERS + '.' : '';
    if (!numeric(row)) return '';
    if (lo > row.min && hi < row.max) return 'From ' + num(lo) + ' to ' + num(hi) + ' ' + OTHERS + '.';
    if (hi < row.max) return 'Up to ' + num(hi) + ' ' + OTHERS + '.';
    if (lo > row.min) return 'At least ' + num(lo) + ' ' + OTHERS + '.';
    return '';
  }

  function shownValue(row, v) {
    if (row.type === 'boolean') return v ? 'on' : 'off';
    if (row.type === 'choice') return ns.controls.choiceLabel(row, String(v));
    return format(row, v);
  }

  // One plain sentence: why `value` was not applied, and what was kept.
  function refusalText(row, value, kept, limit) {
    const label = ns.controls.label(row);
    const keptText = '; kept ' + shownValue(row, kept) + '.';
    if (limit && numeric(row) && value > limit[1]) return label + ' can be at most ' + num(limit[1]) + ' ' + OTHERS + keptText;
    if (limit && numeric(row) && value < limit[0]) return label + ' must be at least ' + num(limit[0]) + ' ' + OTHERS + keptText;
    if (limit && row.type === 'integer_list' && largest(value) > limit[1]) {
      return label + ': with these other values and settings the largest can be at most ' + num(limit[1]) + keptText;
    }
    return label + ' cannot be ' + shownValue(row, value) + ' ' + OTHERS + keptText;
  }

  // Changes of one experiment's controls, one at a time, in order.
  function createGate(o) {
    const rows = o.table.filter((row) => row.experiment === o.experiment);
    const byKey = new Map(rows.map((row) => [row.key, row]));
    let current = null;  // the limits of the values in use
    let chain = Promise.resolve();
    // The newest proposal per key: a refusal of an older one must not put its kept value back
    // on a control that already shows a newer one (which is decided next).
    const newest = new Map();
    let proposals = 0;
    const show = (limits) => {
      current = limits;
      o.controls.setLimits(limits, hintNote);
    };

    async function decide(key, value, how, token) {
      const row = byKey.get(key);
      if (!row || row.redraw) return o.apply(key, value, how);
      let v;
      try {
        v = await verdict(o.checker, o.table, Object.assign({}, o.values, { [key]: value }), o.experiment);
      } catch (e) {
        return o.apply(key, value, how);  // no checker: the run itself reports a refusal
      }
      if (!v.refused) {
        show(v.limits);
        return o.apply(key, value, how);
      }
      // A slider moved before its new range arrived: the nearest allowed value instead.
      const limit = current && current[row.name];
      if (how.slider && limit && numeric(row)) {
        const near = state.canonicalValue(row, Math.min(limit[1], Math.max(limit[0], value)));
        if (near !== value) {
          if (newest.get(key) === token) o.controls.setValue(key, near);
          return decide(key, near, { immediate: how.immediate }, token);
        }
      }
      if (newest.get(key) !== token) return;
      o.controls.refuse(key, o.values[key], refusalText(row, value, o.values[key], v.limits[row.name]), how.typing);
    }

    return {
      propose(key, value, how) {
        const row = byKey.get(key);
        if (row) value = state.canonicalValue(row, value);
        const token = ++proposals;
        newest.set(key, token);
        chain = chain.then(() => decide(key, value, how || {}, token)).catch((e) => console.error('checker: ' + e));
        return chain;
      },
      refresh() {
        chain = chain.then(() => verdict(o.checker, o.table, o.values, o.experiment).then((v) => show(v.limits), () => {}))
          .catch((e) => console.error('checker: ' + e));
        return chain;
      },
    };
  }

  // Brings a combination from the address that the core refuses inside its limits: first a
  // setting the address changed is moved to the nearest value the others allow, else the
  // changed settings go back to their defaults one by one. Edits `values`; -> messages.
  async function fitValues(checker, table, values, experiment) {
    const rows = table.filter((row) => row.experiment === experiment && !row.redraw && row.type !== 'name_list');
    const changed = () => rows.filter((row) => !state.sameValue(values[row.key], row.default));
    const messages = [];
    if (!changed().length) return messages;  // the defaults are accepted
    for (let round = 0; round <= rows.length; ++round) {
      const v = await verdict(checker, table, values, experiment);
      if (!v.refused) break;
      const fix = changed().find((row) => {
        const l = v.limits[row.name];
        if (!l) return false;
        return numeric(row) ? values[row.key] < l[0] || values[row.key] > l[1] : row.type === 'integer_list' && largest(values[row.key]) > l[1];
      });
      if (fix) {
        const [lo, hi] = v.limits[fix.name];
        const was = values[fix.key];
        let now;
        if (fix.type === 'integer_list') {
          now = was.slice();
          now[now.indexOf(largest(now))] = hi;
        } else now = state.canonicalValue(fix, Math.min(hi, Math.max(lo, was)));
        values[fix.key] = now;
        messages.push(fix.key + '=' + format(fix, was) + ': ' + ns.controls.label(fix) +
          (fix.type === 'integer_list' ? ': the largest value can be at most ' + num(hi)
            : now < was ? ' can be at most ' + num(hi) : ' must be at least ' + num(lo)) +
          ' with the other settings, so ' + format(fix, now) + ' is used.');
        continue;
      }
      const back = changed()[0];
      if (!back) break;
      messages.push(back.key + '=' + format(back, values[back.key]) + ': ' + ns.controls.label(back) +
        ' cannot be ' + shownValue(back, values[back.key]) + ' with the other settings, so the default ' +
        shownValue(back, back.default) + ' is used.');
      values[back.key] = back.default;
    }
    return messages;
  }

  ns.limits = { createChecker: createChecker, verdict: verdict, createGate: createGate, fitValues: fitValues,
    hintNote: hintNote, refusalText: refusalText };
})();
