// Experiment 7, "can they learn across a gap?": each network trained on this device to name
// the first token of a sequence after T - 1 distractors. Training starts only when the learner
// presses Train (seconds to minutes, by settings and device); the sweep is cut into one job per network and lag,
// spread over a pool of workers (web/pool.js), and each job's runs are shown as it finishes.
// Every sentence below is built from the facts of the runs shown.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const ORDER = ns.charts.train.ORDER;
  const NAMES = ns.charts.train.NAMES;
  const QUESTION_LAG = 80;
  // Relative cost of a training step per position (200 steps at lag 80 in Node's wasm, H = 32): for the order
  // in which jobs are handed out and the progress bar only.
  const COST = { linear: 1, rnn: 1.4, attention: 1.8, gru: 3.5, lstm: 4.6 };
  // The networks as a sentence names them.
  const THE = { rnn: 'the tanh RNN', lstm: 'the LSTM', gru: 'the GRU', linear: 'the linear recurrence', attention: 'attention' };
  const maxWorkers = () => Math.max(1, Math.min(navigator.hardwareConcurrency || 2, 4));
  const list = (x) => (Array.isArray(x) ? x.slice() : String(x).split(',').filter(Boolean));
  const pct = (x) => Math.round(100 * x) + '%';

  const median = (xs) => {
    const s = xs.slice().sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  };

  // One network at one lag: its runs (one per seed) summarised. A run that did not reach 90%
  // counts as slower than any that did, so the median run decides "learned".
  function cell(runs) {
    const n = runs.length;
    const evalSteps = Array.from(runs[0].eval_steps);
    const at = (k) => runs.map((r) => r.accuracy[k]);
    const steps = runs.map((r) => (r.steps_to_learn === null || r.steps_to_learn === undefined ? Infinity : r.steps_to_learn));
    const m = median(steps);
    return {
      lag: runs[0].lag, seeds: n, evalSteps: evalSteps,
      accuracy: { median: evalSteps.map((s, k) => median(at(k))), q1: evalSteps.map((s, k) => Math.min(...at(k))),
        q3: evalSteps.map((s, k) => Math.max(...at(k))) },
      learned: Number.isFinite(m), stepsToLearn: m, seedsLearned: steps.filter(Number.isFinite).length,
      finalAccuracy: median(runs.map((r) => r.final_accuracy)),
      startGradient: median(runs.map((r) => r.first_token_gradient[0])),
      largestGradient: Math.max(...runs.map((r) => Math.max(...r.first_token_gradient))),
    };
  }

  // "every lag trained (5 to 80)", "lags 5 to 20", "lags 5, 10 and 40", "none of the lags".
  function lagsText(learned, all) {
    if (!learned.length) return 'no lag';
    if (learned.length === all.length) return all.length === 1 ? 'its one lag, ' + all[0] : 'every lag (' + all[0] + ' to ' + all[all.length - 1] + ')';
    const prefix = learned.every((T, i) => T === all[i]);
    if (learned.length === 1) return 'lag ' + learned[0] + ' only';
    if (prefix) return 'lags ' + learned[0] + ' to ' + learned[learned.length - 1];
    return 'lags ' + learned.slice(0, -1).join(', ') + ' and ' + learned[learned.length - 1];
  }

  const joinAnd = (xs) => (xs.length < 2 ? xs.join('') : xs.slice(0, -1).join(', ') + ' and ' + xs[xs.length - 1]);

  // The run's figures, computed once: the charts, readout, notice, claims, summary and the
  // prediction all read these.
  function facts(run, values) {
    const r = run.main;
    const p = r.params;
    const lags = Array.from(p.lags);
    const architectures = ORDER.filter((a) => list(p.architectures).indexOf(a) >= 0);
    const cells = {};
    const learnedLags = {};
    for (const a of architectures) {
      cells[a] = {};
      for (const T of lags) {
        const runs = r.runs.filter((x) => x.architecture === a && x.lag === T);
        if (runs.length) cells[a][T] = cell(runs);
      }
      learnedLags[a] = lags.filter((T) => cells[a][T] && cells[a][T].learned);
    }
    const done = lags.filter((T) => architectures.some((a) => cells[a][T]));
    const near = (x) => (done.length ? done[c.nearestIndex(done, x)] : lags[c.nearestIndex(lags, x)]);
    const qLag = near(QUESTION_LAG);
    const atQ = architectures.filter((a) => cells[a][qLag]);
    return {
      architectures: architectures, lags: lags, cells: cells, learnedLags: learnedLags,
      steps: p.steps, batch: p.batch, chance: r.chance, seeds: p.seeds, tbptt: p.tbptt, forgetBias: p.forget_bias,
      linearDecay: 1 - 1 / (1 + Math.exp(-p.linear_gate_bias)),
      shownLag: near(Number(values['train.show_lag'])),
      questionLag: qLag,
      learnedAtQ: atQ.filter((a) => cells[a][qLag].learned),
      notLearnedAtQ: atQ.filter((a) => !cells[a][qLag].learned),
      partial: run.partial || null,
      compare: compareFacts(r.compare),
      jobsDone: r.jobsDone, jobs: r.jobs,
    };
  }

  // The truncated-BPTT comparison: per recurrent network, its full and windowed cells.
  function compareFacts(cmp) {
    if (!cmp) return null;
    const nets = {};
    for (const a of ORDER) {
      const full = cmp.full.filter((x) => x.architecture === a);
      const cut = cmp.window_runs.filter((x) => x.architecture === a);
      if (full.length || cut.length) nets[a] = { full: full.length ? cell(full) : null, window: cut.length ? cell(cut) : null };
    }
    return { window: cmp.window, lag: cmp.lag, nets: nets };
  }

  // "the tanh RNN learned it with the full gradient and not with W = 10; ...", over networks with both runs.
  function compareText(f) {
    const cmp = f.compare;
    const both = cmp ? Object.keys(cmp.nets).filter((a) => cmp.nets[a].full && cmp.nets[a].window) : [];
    if (!both.length) return '';
    const said = (cl) => (cl.learned ? 'yes (step ' + cl.stepsToLearn + ')' : 'no (' + pct(cl.finalAccuracy) + ' at the end)');
    return 'At lag ' + cmp.lag + ', whose first token lies outside a window of the last W = ' + cmp.window + ' positions, reached 90%: ' + both.map((a) =>
      THE[a] + ' with the full gradient ' + said(cmp.nets[a].full) + ', with the window ' + said(cmp.nets[a].window)).join('; ') +
      '. The gradient reaching the first token through the window was ' +
      (both.every((a) => cmp.nets[a].window.largestGradient === 0) ? 'exactly 0 at every evaluation.'
        : 'at most ' + c.sigSmall(Math.max(...both.map((a) => cmp.nets[a].window.largestGradient)), 2) + '.');
  }

  const has = (f, a) => f.architectures.indexOf(a) >= 0;
  const learnedText = (f, a) => lagsText(f.learnedLags[a], f.lags.filter((T) => f.cells[a][T]));
  const count = (n, one, many) => n.toLocaleString('en-US') + ' ' + (n === 1 ? one : many);
  const budget = (f) => count(f.steps, 'training step', 'training steps') + ' (' + count(f.steps * f.batch, 'training sequence', 'training sequences') + ')';
  const learnedWord = (f) => 'reached 90% held-out accuracy within ' + budget(f);

  function readout(f) {
    const out = f.architectures.map((a) => ({ label: NAMES[a] + ': learned', value: learnedText(f, a) }));
    const q = f.questionLag;
    const grads = ['rnn', 'attention'].filter((a) => has(f, a) && f.cells[a][q]);
    if (grads.length) {
      out.push({ label: 'Gradient reaching the first token before training, lag ' + q,
        value: grads.map((a) => NAMES[a] + ' ' + c.sigSmall(f.cells[a][q].startGradient, 2)).join(', ') });
    }
    return out;
  }

  function notice(f) {
    const parts = [];
    if (f.jobsDone < f.jobs) parts.push(f.jobsDone + ' of ' + f.jobs + ' jobs (one network at one lag each) finished so far.');
    if (f.tbptt > 0) parts.push('Every run of the sweep was trained with its gradient cut to the last ' + f.tbptt + ' positions (truncated BPTT; attention is not truncated).');
    parts.push('Within ' + budget(f) + ', ' + f.architectures.map((a) => THE[a] + ' learned ' + learnedText(f, a)).join('; ') + '.');
    const q = f.questionLag;
    if (f.learnedAtQ.length + f.notLearnedAtQ.length) {
      const finals = f.notLearnedAtQ.map((a, i) => THE[a] + (i ? ' at ' : ' ended at ') + pct(f.cells[a][q].finalAccuracy));
      const learned = f.learnedAtQ.map((a) => THE[a]);
      parts.push('At lag ' + q + ' ' + (learned.length ? joinAnd(learned) + ' reached 90%' : 'no network reached 90%') +
        (finals.length ? (learned.length ? '; of the others, ' : ': ') + joinAnd(finals) +
          ' held-out accuracy (chance is ' + pct(f.chance) + ').' : '.'));
    }
    // Each network against itself at the shortest lag: their sizes at one lag depend on how
    // each one's weights are scaled at the start, their fall with the lag does not.
    const first = f.lags.filter((T) => ['rnn', 'attention'].every((a) => !has(f, a) || f.cells[a][T]))[0];
    const falls = ['rnn', 'attention'].filter((a) => has(f, a) && first !== undefined && q > first && f.cells[a][first] && f.cells[a][q]);
    if (falls.length) {
      parts.push('Before training, the gradient reaching the first token went from lag ' + first + ' to lag ' + q + ': ' + falls.map((a) =>
        THE[a] + ' from ' + c.sigSmall(f.cells[a][first].startGradient, 2) + ' to ' + c.sigSmall(f.cells[a][q].startGradient, 2)).join(', ') + '.');
    }
    if (f.seeds === 1) parts.push('One run per network and lag: raise “Runs (seeds)” under More settings to see how much this varies.');
    const cut = compareText(f);
    if (cut) parts.push(cut);
    return parts.join(' ');
  }

  function claims(f) {
    const out = [{ cite: 'Bengio, Simard & Frasconi, 1994', claim: 'gradient descent finds it harder to learn a dependency the longer it spans, because the gradient from distant inputs vanishes in recurrent networks that store information robustly.',
      measured: has(f, 'rnn') ? 'the tanh RNN learned ' + learnedText(f, 'rnn') + ' within ' + budget(f) + '.' : 'the tanh RNN was not trained in this run.' }];
    out.push({ cite: 'Hochreiter & Schmidhuber, 1997; Gers, Schmidhuber & Cummins, 2000', claim: 'the LSTM keeps the error flowing back through its gated cell unchanged, and learned to bridge lags of over 1,000 steps on their synthetic tasks; the forget gate (2000) lets it learn to reset that cell.',
      measured: has(f, 'lstm') ? 'this LSTM has a forget gate, so the error through its cell is scaled by that gate at each step rather than kept unchanged; it learned ' + learnedText(f, 'lstm') + ' within ' + budget(f) + '.' : 'the LSTM was not trained in this run.' });
    out.push({ cite: 'Jozefowicz, Zaremba & Sutskever, 2015', claim: 'adding a bias of 1 to the LSTM’s forget gate closed the gap between the LSTM and the GRU in their experiments.',
      measured: has(f, 'lstm') ? 'with forget-gate bias ' + c.sig(f.forgetBias, 3) + ' the LSTM learned ' + learnedText(f, 'lstm') + ' within ' + budget(f) +
        (has(f, 'gru') ? ', the GRU ' + learnedText(f, 'gru') : '') + '; change the bias under “More settings” and train again to compare.' : 'the LSTM was not trained in this run.' });
    out.push({ cite: 'Feng et al., 2024', claim: 'a GRU whose gate and candidate state see only the current input (minGRU) can be trained in parallel with a scan, and matched the performance of recent sequence models in their experiments.',
      measured: has(f, 'linear') ? 'the linear recurrence (minGRU), its decay starting near ' + c.sig(f.linearDecay, 3) + ' per step (set by its gate bias; each input shifts it), learned ' + learnedText(f, 'linear') + ' within ' + budget(f) + '.' : 'the linear recurrence was not trained in this run.' });
    out.push({ cite: 'Vaswani et al., 2017', claim: 'in self-attention the path between any two positions has a constant length, where in a recurrent layer it grows with their distance; they argue that shorter paths make long-range dependencies easier to learn.',
      measured: has(f, 'attention') ? 'attention learned ' + learnedText(f, 'attention') + ' within ' + budget(f) + '.' : 'attention was not trained in this run.' });
    return out;
  }

  function describe(f, i) {
    if (i === 2) {
      return 'Chart: held-out accuracy against training step with the full gradient and with truncated BPTT. ' +
        (compareText(f) || 'No comparison in this run (window 0, or no lag long enough).') + ' The data tables below have every number.';
    }
    if (i === 1) {
      return 'Chart: training steps to reach 90% held-out accuracy against the lag, logarithmic axes; a cross above the budget line where a network did not get there. ' +
        f.architectures.map((a) => THE[a] + ' learned ' + learnedText(f, a)).join('; ') + '. The data tables below have every number.';
    }
    const ends = f.architectures.filter((a) => f.cells[a][f.shownLag])
      .map((a) => THE[a] + ' ended at ' + pct(f.cells[a][f.shownLag].finalAccuracy)).join(', ');
    return 'Chart: held-out accuracy against training step at lag ' + f.shownLag + '. ' + (ends ? ends[0].toUpperCase() + ends.slice(1) + '. ' : '') +
      'The data tables below have every number.';
  }

  function headline(f) {
    const q = f.questionLag;
    return 'at lag ' + q + ', ' + (f.learnedAtQ.length ? joinAnd(f.learnedAtQ.map((a) => THE[a])) : 'no network') + ' ' + learnedWord(f);
  }

  function table(run, values) {
    const f = facts(run, values);
    const rows = [];
    const curves = [];
    for (const a of f.architectures) {
      for (const T of f.lags) {
        const cl = f.cells[a][T];
        if (!cl) continue;
        rows.push([NAMES[a], T, cl.learned ? cl.stepsToLearn : 'not within ' + f.steps, cl.seedsLearned + ' of ' + cl.seeds, cl.finalAccuracy, cl.startGradient]);
      }
    }
    for (const r of run.main.runs) {
      Array.from(r.eval_steps).forEach((s, k) => curves.push([NAMES[r.architecture], r.lag, r.seed, s, r.accuracy[k], r.loss[k], r.first_token_gradient[k]]));
    }
    return [{
      caption: 'Steps to reach 90% held-out accuracy (median over runs), by network and lag; budget ' + f.steps + ' steps',
      columns: ['network', 'lag T', 'steps to learn', 'runs that learned', 'final accuracy (median)', 'gradient to first token at step 0 (median)'],
      rows: rows,
    }, {
      caption: 'Held-out accuracy, loss (nats) and gradient reaching the first token, per evaluation',
      columns: ['network', 'lag T', 'seed', 'step', 'accuracy', 'loss', 'gradient to first token'],
      rows: curves,
      file: 'curves',
    }, {
      caption: 'Truncated BPTT: full gradient against a window of the last W positions, at the smallest lag whose first token lies outside it',
      columns: ['network', 'lag T', 'gradient', 'steps to learn', 'final accuracy (median)', 'gradient to first token at step 0 (median)'],
      rows: f.compare ? [].concat(...Object.keys(f.compare.nets).map((a) => ['full', 'window'].filter((k) => f.compare.nets[a][k]).map((k) => {
        const cl = f.compare.nets[a][k];
        return [NAMES[a], cl.lag, k === 'full' ? 'full BPTT' : 'last ' + f.compare.window + ' positions', cl.learned ? cl.stepsToLearn : 'not within ' + f.steps,
          cl.finalAccuracy, cl.startGradient];
      }))) : [],
      file: 'tbptt',
    }];
  }

  // The jobs: one per network and lag, the shortest lag of every network first, quickest
  // first (the first points soon), then the rest, longest first (so no long job starts last).
  function jobs(params, values) {
    const lags = Array.from(params.lags);
    const smallest = Math.min(...lags);
    const out = [];
    // The truncated-BPTT comparison: each recurrent network at the smallest lag whose first token
    // lies outside the window, trained with the full gradient and with it cut to the last W positions.
    const cmp = comparison(params, values);
    if (cmp) {
      for (const a of ORDER.filter((x) => x !== 'attention' && list(params.architectures).indexOf(x) >= 0)) {
        for (const [tag, W] of [['full', 0], ['window', cmp.window]]) {
          out.push({ experiment: 'train', architecture: a, lag: cmp.lag, tag: tag, weight: COST[a] * cmp.lag * params.seeds * params.steps,
            params: Object.assign({}, params, { architectures: Array.isArray(params.architectures) ? [a] : a, lags: [cmp.lag], tbptt: W }) });
        }
      }
    }
    for (const a of ORDER.filter((x) => list(params.architectures).indexOf(x) >= 0)) {
      for (const T of lags) {
        out.push({ experiment: 'train', architecture: a, lag: T, weight: COST[a] * T * params.seeds * params.steps,
          params: Object.assign({}, params, { architectures: Array.isArray(params.architectures) ? [a] : a, lags: [T] }) });
      }
    }
    const first = out.filter((j) => j.lag === smallest && !j.tag).sort((x, y) => x.weight - y.weight);
    const rest = out.filter((j) => j.lag !== smallest || j.tag).sort((x, y) => y.weight - x.weight);
    return first.concat(rest);
  }

  // {window W, lag}: the smallest lag T whose first token lies outside a window of the last W
  // positions (T > W: the core's window covers positions T - W .. T - 1); null when the window
  // is 0 or no lag is long enough.
  function comparison(params, values) {
    const W = Number(values['train.window']) || 0;
    const T = Array.from(params.lags).filter((x) => x > W).sort((a, b) => a - b)[0];
    return W > 0 && T ? { window: W, lag: T } : null;
  }

  // The run in progress (web/pool.js, which loads after this file: made on first use).
  let bookkeeping = null;
  const inProgress = () => bookkeeping || (bookkeeping = ns.poolRuns());
  const stopped = (reason, text) => ns.bridge.stopped(reason, text);

  // Hands the jobs to the pool; each finished job is merged into the runs shown, in the
  // core's order (network by network, lag by lag, seed by seed).
  async function run(params, values, onProgress, o) {
    const mine = inProgress().begin(o.pool);
    const t0 = performance.now();
    let refused = '';
    try {
      if (onProgress) onProgress(0);
      // Experiment 1 times its runs: training waits until the page's own worker is idle.
      await o.client.whenIdle();
      if (mine.cancelled) throw stopped('cancelled');
      const todo = jobs(params, values);
      const cmp = comparison(params, values);
      const main = { params: params, chance: 1 / params.symbols, runs: [], ms_per_step: [], jobs: todo.length, jobsDone: 0,
        compare: cmp ? { window: cmp.window, lag: cmp.lag, full: [], window_runs: [] } : null };
      const rank = (x) => ORDER.indexOf(x.architecture) * 1e6 + Array.from(params.lags).indexOf(x.lag) * 1e3 + (x.seed - params.seed);
      await o.pool.runJobs(todo, maxWorkers(), (i, reply) => {
        if (reply.result.error) {
          refused = refused || reply.result.error;
          o.pool.stop('refused');
          throw stopped('refused', refused);
        }
        if (todo[i].tag) {
          const key = todo[i].tag === 'full' ? 'full' : 'window_runs';
          main.compare = Object.assign({}, main.compare, { [key]: main.compare[key].concat(Array.from(reply.result.runs)) });
        } else main.runs = main.runs.concat(Array.from(reply.result.runs)).sort((x, y) => rank(x) - rank(y));
        if (!todo[i].tag) main.ms_per_step.push({ architecture: todo[i].architecture, lag: todo[i].lag, ms_per_step: reply.result.ms_per_step[0].ms_per_step });
        main.jobsDone += 1;
        if (main.jobsDone < todo.length && o.partial) {
          o.partial({ ms: performance.now() - t0, main: Object.assign({}, main), partial: { done: main.jobsDone, total: todo.length } });
        }
      }, onProgress);
      if (mine.cancelled) throw stopped('cancelled');
      return { ms: performance.now() - t0, main: main };
    } catch (e) {
      if (refused || e.reason === 'refused') return { error: refused || e.message };
      throw e;
    } finally {
      inProgress().end(mine);
    }
  }

  const cancel = (o) => inProgress().cancel(o.pool);

  ns.experiments.train = {
    manual: true,  // training takes seconds to minutes: it starts when the learner presses Train
    pool: true,
    // Page defaults that differ from the core's: lags up to 80 keep the default sweep under a
    // minute on a 2-core laptop and still hold the question's lag.
    defaults: { lags: [5, 10, 20, 40, 80] },
    rows: [
      { name: 'window', type: 'integer', default: 10, min: 0, max: 1000, range: 'an integer from 0 to 1000', advanced: true,
        label: 'Comparison chart: truncation window (0 = none)', slider: false,
        help: 'also trains each recurrent network at the smallest lag longer than this window, with the full gradient and with it cut to the window\'s last positions' },
      { name: 'show_lag', type: 'integer', default: QUESTION_LAG, min: 2, max: 1000, range: 'an integer from 2 to 1000', redraw: true,
        label: 'Show accuracy curves at lag', slider: false,
        help: 'the lag whose accuracy curves are drawn (the nearest lag trained)' },
    ],
    panel: { busy: 'Training…', figures: 'Measured figures', claims: true, run: 'Train',
      waiting: 'nothing trained yet: press Train to start.',
      idle: 'Not trained yet: press Train to start.',
      changed: 'Press Train to train with these settings.',
      csv: ['Download CSV (steps to learn)', 'CSV (curves)', 'CSV (truncated BPTT)'],
      tables: ['Steps to learn by network and lag', 'Accuracy curves', 'Truncated BPTT comparison'] },
    // What a run computes (the panel's key for "these settings"): the sweep and the comparison.
    // (Trained by run() below, never handed to the page's worker as such.)
    requests: (params, values) => [{ as: 'main', params: params }, { as: 'compare', params: comparison(params, values) }],
    run: run, cancel: cancel, jobs: jobs,
    facts: facts, table: table, readout: readout, notice: notice, claims: claims, describe: describe, headline: headline,
    summary: (f) => [
      'Trained here for ' + budget(f) + ': ' + f.architectures.filter((a) => a !== 'attention')
        .map((a) => THE[a] + ' learned ' + learnedText(f, a)).join('; ') + '.',
      has(f, 'attention') ? 'Trained here for ' + budget(f) + ': learned ' + learnedText(f, 'attention') + '.' : 'Not trained in this run.',
    ],
    question: {
      question: 'Trained for the budget set above, which networks will learn to name the first token at lag ' + QUESTION_LAG +
        ' (or the trained lag nearest to it; 90% held-out accuracy)?',
      choices: [['none', 'none of them'], ['attention', 'attention only'], ['some', 'attention and some of the recurrent networks'],
        ['recurrent', 'some recurrent networks, not attention'], ['all', 'all of them']],
      measure(f) {
        const n = f.learnedAtQ.length;
        const attention = f.learnedAtQ.indexOf('attention') >= 0;
        const value = n === 0 ? 'none' : n === f.architectures.length ? 'all' : !attention ? 'recurrent' : n === 1 ? 'attention' : 'some';
        return { value: value, text: (n ? joinAnd(f.learnedAtQ.map((a) => THE[a])) : 'none') + ' at lag ' + f.questionLag };
      },
    },
  };
})();
