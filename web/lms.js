// The lesson inside a course: reports to a SCORM 1.2 learning management system when, and
// only when, the page runs inside one (the zip `./lesson.sh package` builds). The LMS's API
// object is looked for as SCORM 1.2's run-time environment specifies: window.API on this
// window and up the chain of parents (at most 7 levels), then on the opener and its parents.
// Found: LMSInitialize; cmi.core.lesson_status "incomplete" at the start (a status an earlier
// visit ended with, "completed" or better, is kept) and "completed" once every required
// experiment has shown a result (the visible ones, or those the link option complete= names);
// each committed prediction (web/predict.js) as one interaction; the session time (and
// cmi.core.exit "suspend" when leaving before completion, so the attempt resumes); LMSCommit
// at each of these milestones; LMSFinish when the page is left. Not found (a plain visit, a
// frame on another origin): nothing is called and nothing changes. This file sends nothing
// anywhere itself: every value goes to the API object the LMS put in a parent window.
//
// Interactions: id "predict_<experiment>", type "choice", student_response the guess as a
// letter (a = the question's first answer, b = its second, ...: SCORM 1.2 writes a choice
// response as single characters), correct_responses.0.pattern the measured answer's letter,
// result "correct" or "wrong", time the clock time of the guess. A guess counts once the
// experiment has a result to compare it with; "skip" is not an answer and is not reported.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const MAX_PARENTS = 7;  // the search depth of the SCORM 1.2 run-time's own example

  // The API object of `win` or of one of its parents; null when none, or when a parent on
  // another origin stops the search (reading its properties throws).
  function searchUp(win) {
    try {
      for (let depth = 0; win && depth <= MAX_PARENTS; depth++) {
        if (win.API && typeof win.API.LMSInitialize === 'function') return win.API;
        if (!win.parent || win.parent === win) return null;
        win = win.parent;
      }
    } catch (e) { /* another origin: no LMS we may talk to */ }
    return null;
  }

  function findApi() {
    const own = searchUp(window);
    if (own) return own;
    try {
      return window.opener ? searchUp(window.opener) : null;
    } catch (e) {
      return null;
    }
  }

  const two = (n) => String(n).padStart(2, '0');
  // CMITimespan of SCORM 1.2: HHHH:MM:SS.SS (hours with 2 to 4 digits). ms >= 0.
  function timespan(ms) {
    const hundredths = Math.min(Math.round(ms / 10), 9999 * 360000 + 359999);
    const h = Math.floor(hundredths / 360000);
    const m = Math.floor(hundredths / 6000) % 60;
    const s = (hundredths % 6000) / 100;
    return two(h) + ':' + two(m) + ':' + (s < 10 ? '0' : '') + s.toFixed(2);
  }
  // CMITime: HH:MM:SS, the learner's clock time.
  const clock = (d) => two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());

  let api = null;
  let state = 'none';  // none | connected | finished
  let started = 0;
  let required = [];
  let factsOf = () => null;
  let completed = false;
  let nextInteraction = 0;
  const done = new Set();    // experiments that have shown a result
  const pending = {};        // experiment -> a guess not reported yet

  const set = (element, value) => api.LMSSetValue(element, String(value));
  const commit = () => api.LMSCommit('');

  // options: {visible: [experiment], complete: 'a,b' or '' (the link option), facts(experiment)}
  function start(options) {
    api = findApi();
    if (!api) return;
    if (String(api.LMSInitialize('')) !== 'true') {
      api = null;
      return;
    }
    state = 'connected';
    started = Date.now();
    factsOf = options.facts;
    const named = (options.complete ? options.complete.split(',') : []).filter((e) => options.visible.indexOf(e) >= 0);
    required = named.length ? named : options.visible.slice();
    const status = String(api.LMSGetValue('cmi.core.lesson_status'));
    completed = ['completed', 'passed'].indexOf(status) >= 0;
    if (!completed && status !== 'failed') set('cmi.core.lesson_status', 'incomplete');
    nextInteraction = Number(api.LMSGetValue('cmi.interactions._count')) || 0;
    commit();
    window.addEventListener('pagehide', ns.lms.finish);
  }

  const letter = (question, value) => {
    const i = question.choices.findIndex((ch) => ch[0] === value);
    return i < 0 ? '' : String.fromCharCode(97 + i);
  };

  // Reports the pending guess of `experiment` if its result is there to grade it.
  function report(experiment) {
    const guess = pending[experiment];
    const question = ns.experiments[experiment] && ns.experiments[experiment].question;
    const facts = factsOf(experiment);
    if (!guess || !question || !facts) return;
    const measured = question.measure(facts).value;
    // Nothing to grade: nothing measured (experiment 9 without WebGPU), or a run too poor to grade
    // (experiment 1's 0 ms intervals): the guess waits for a later run.
    if (!measured) return;
    delete pending[experiment];
    const n = 'cmi.interactions.' + nextInteraction++ + '.';
    set(n + 'id', 'predict_' + experiment);
    set(n + 'type', 'choice');
    set(n + 'time', clock(new Date()));
    set(n + 'student_response', letter(question, guess));
    set(n + 'correct_responses.0.pattern', letter(question, measured));
    set(n + 'result', guess === measured ? 'correct' : 'wrong');
    commit();
  }

  // A setting of web/predict.js changed: predict.<experiment> = the committed guess.
  function predicted(key, value) {
    if (state !== 'connected' || key.indexOf('predict.') !== 0 || !value || value === 'skip') return;
    const experiment = key.slice('predict.'.length);
    pending[experiment] = value;
    report(experiment);
  }

  // An experiment's panel settled (main.js): 'current' means it shows a result for its settings.
  function settled(experiment, result) {
    if (state !== 'connected' || result !== 'current') return;
    done.add(experiment);
    report(experiment);
    if (!completed && required.every((e) => done.has(e))) {
      completed = true;
      set('cmi.core.lesson_status', 'completed');
      commit();
    }
  }

  function finish() {
    if (state !== 'connected') return;
    state = 'finished';
    set('cmi.core.session_time', timespan(Date.now() - started));
    // Not completed yet: "suspend" asks the platform to resume this attempt on the next visit.
    set('cmi.core.exit', completed ? '' : 'suspend');
    commit();
    api.LMSFinish('');
  }

  // An API that throws is treated as no LMS from then on: the lesson itself must keep working.
  const guarded = (fn) => function () {
    try {
      return fn.apply(null, arguments);
    } catch (e) {
      api = null;
      state = 'none';
      return undefined;
    }
  };
  ns.lms = { start: guarded(start), predicted: guarded(predicted), settled: guarded(settled), finish: guarded(finish),
    state: () => state, timespan: timespan };
})();
