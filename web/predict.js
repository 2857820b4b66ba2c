// "Predict, then run": an optional guess per experiment, kept in the URL (predict.timing=
// linear, ...) through rows of the state table, and shown after each run beside what was
// measured. Nothing waits for a guess.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const sig = (x, d) => ns.chartCommon.sig(x, d);
  const POWERS = ['1', '1e-1', '1e-2', '1e-3', '1e-4', '1e-6', '1e-8', '1e-12', '1e-20'];
  const nearest = (xs, x) => {
    let i = 0;
    for (let j = 1; j < xs.length; ++j) if (Math.abs(xs[j] - x) < Math.abs(xs[i] - x)) i = j;
    return i;
  };
  const power = (x) => POWERS.reduce((best, p) => Math.abs(Math.log10(p) - Math.log10(x)) < Math.abs(Math.log10(best) - Math.log10(x)) ? p : best);

  // question, choices [[value, label]], measure(run, values) -> {value, text}
  const QUESTIONS = {
    timing: {
      question: 'As the sequence gets longer, how does the time of one pass grow?',
      choices: [['flat', 'it stays flat'], ['linear', 'in a straight line'], ['quadratic', 'like length²']],
      measure(run) {
        const r = run.main;
        const L = Array.from(r.lengths, Math.log);
        const T = Array.from(r.median_ms, Math.log);
        const mx = L.reduce((a, b) => a + b) / L.length;
        const my = T.reduce((a, b) => a + b) / T.length;
        let sxy = 0;
        let sxx = 0;
        L.forEach((x, i) => { sxy += (x - mx) * (T[i] - my); sxx += (x - mx) * (x - mx); });
        const slope = sxy / sxx;
        const value = slope < 0.4 ? 'flat' : slope < 1.5 ? 'linear' : 'quadratic';
        return { value: value, text: value + ' (R² of the straight line ' + r.r_squared.toFixed(2) + ', log–log slope ' + slope.toFixed(2) + ')' };
      },
    },
    gradient: {
      question: 'How large will the gradient be at distance 50 (it starts at about 1)?',
      choices: POWERS.map((p) => [p, p === '1' ? '1' : '10^' + p.slice(2)]),
      measure(run) {
        const r = run.main;
        const i = nearest(Array.from(r.distances), 50);
        const x = r.norm.median[i];
        return { value: x > 0 ? power(x) : '1e-20', text: sig(x, 2) + ' at distance ' + r.distances[i] };
      },
    },
    retention: {
      question: 'How much of the signal’s influence is left after 25 noise steps?',
      choices: [['1', 'nearly all'], ['0.5', 'about half'], ['0.1', 'about a tenth'], ['0.01', 'about 1%'], ['0.0001', 'almost nothing (< 0.1%)']],
      measure(run) {
        const r = run.main;
        const i = nearest(Array.from(r.steps), 25);
        const x = r.influence.median[i];
        const options = [1, 0.5, 0.1, 0.01, 0.0001];
        const v = options[nearest(options.map(Math.log), Math.log(Math.max(x, 1e-12)))];
        return { value: String(v), text: sig(100 * x, 2) + '% after ' + r.steps[i] + ' steps' };
      },
    },
    architectures: {
      question: 'Which architecture keeps the largest gradient at distance 500?',
      choices: [['rnn', 'RNN'], ['lstm', 'LSTM'], ['gru', 'GRU'], ['attention', 'attention']],
      measure(run) {
        const r = run.main;
        const i = nearest(Array.from(r.distances), 500);
        let best = null;
        for (const cv of r.curves) if (!best || cv.norm.median[i] > best.norm.median[i]) best = cv;
        return { value: best.architecture, text: best.architecture + ' (' + sig(best.norm.median[i], 2) + ' at distance ' + r.distances[i] + ')' };
      },
    },
    memory: {
      question: 'A plain RNN with N = 128 numbers of state: how many past inputs will it recall (MC)?',
      choices: [['quarter', 'under 32'], ['half', '32 to 96'], ['near', '96 to 128'], ['above', 'more than 128']],
      measure(run) {
        const r = run.main;
        const i = nearest(Array.from(r.hidden_sizes), 128);
        const mc = r.networks.find((x) => x.architecture === 'rnn').capacity.median[i];
        const N = r.hidden_sizes[i];
        const f = mc / N;
        return { value: f < 0.25 ? 'quarter' : f < 0.75 ? 'half' : f <= 1 ? 'near' : 'above', text: 'MC ' + mc.toFixed(1) + ' at N = ' + N };
      },
    },
    parallel: {
      question: 'With 2 workers instead of 1, how much faster will the attention pass be?',
      choices: [['1', 'no faster (1×)'], ['1.5', 'about 1.5×'], ['2', 'nearly 2×'], ['3', 'more than 2×']],
      measure(run) {
        const sp = ns.charts.parallel.speedups(run.main.scaling, 'attention')[1];
        return { value: sp < 1.25 ? '1' : sp < 1.75 ? '1.5' : sp <= 2.2 ? '2' : '3', text: sig(sp, 3) + '×' };
      },
    },
  };

  // State-table rows: predict.<experiment>, '' = no guess.
  function rows() {
    return Object.keys(QUESTIONS).map((e) => ({ key: 'predict.' + e, name: 'predict', experiment: '', type: 'choice', default: '',
      choices: [''].concat(QUESTIONS[e].choices.map((ch) => ch[0])),
      range: 'one of ' + QUESTIONS[e].choices.map((ch) => ch[0]).join(', '), help: 'your guess before experiment ' + e + ' runs' }));
  }

  const labelOf = (e, v) => (QUESTIONS[e].choices.find((ch) => ch[0] === v) || [v, v])[1];
  const boxes = {};

  // Adds the guess box to a section; `onChange(key, value)` keeps the URL current.
  function build(experiment, section, values, onChange) {
    const q = QUESTIONS[experiment];
    const id = 'predict-' + experiment;
    const box = document.createElement('details');
    box.className = 'predict';
    box.open = Boolean(values['predict.' + experiment]);
    box.appendChild(document.createElement('summary')).textContent = 'Predict first (optional)';
    const label = box.appendChild(document.createElement('label'));
    label.htmlFor = id;
    label.textContent = q.question;
    const select = box.appendChild(document.createElement('select'));
    select.id = id;
    for (const [v, text] of [['', 'no guess']].concat(q.choices)) {
      const option = select.appendChild(document.createElement('option'));
      option.value = v;
      option.textContent = text;
    }
    select.value = values['predict.' + experiment] || '';
    const result = box.appendChild(document.createElement('p'));
    result.className = 'predict-result';
    result.setAttribute('aria-live', 'polite');
    result.dataset.role = 'prediction';
    boxes[experiment] = { select: select, result: result, run: null };
    select.addEventListener('change', () => {
      onChange('predict.' + experiment, select.value);
      if (boxes[experiment].run) show(experiment, boxes[experiment].run, values);
    });
    const results = section.querySelector('.results');
    results.insertBefore(box, results.firstChild);
  }

  function show(experiment, run, values) {
    const b = boxes[experiment];
    if (!b) return;
    b.run = run;
    const guess = values['predict.' + experiment];
    const m = QUESTIONS[experiment].measure(run, values);
    b.result.textContent = guess
      ? 'You guessed ' + labelOf(experiment, guess) + '; measured: ' + m.text + (guess === m.value ? '. Right!' : '.')
      : 'Measured: ' + m.text + '.';
  }

  ns.predict = { rows: rows, build: build, show: show, QUESTIONS: QUESTIONS };
})();
