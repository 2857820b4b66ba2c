// The closing table "RNN vs attention", filled from the runs made on this page. Cells show
// "waiting" until their experiment has a result; nothing in it is a constant.
(function () {
  'use strict';
  const ns = (window.RnnLesson = window.RnnLesson || {});
  const c = ns.chartCommon;

  function set(id, text) {
    const cell = document.getElementById(id);
    if (cell) cell.textContent = text;
  }

  function timing(r) {
    const L = Math.max.apply(null, Array.from(r.lengths));
    const i = Array.from(r.lengths).indexOf(L);
    set('summary-timing-rnn', c.sig(r.ns_per_step, 3) + ' ns per step, R² = ' + r.r_squared.toFixed(3) +
      ': time grows in a straight line with length. L = ' + L + ' is a chain of ' + L +
      ' dependent steps (' + c.sig(r.median_ms[i], 3) + ' ms here).');
    set('summary-timing-attn', 'The ' + L + ' positions do not wait for one another: the chain is 1 step deep, ' +
      'and L² = ' + c.sig(L * L, 3) + ' scores can be spread over parallel hardware.');
  }

  function gradient(r) {
    const last = r.distances[r.distances.length - 1];
    const k = Math.min(50, last);
    let i = 0;
    while (i + 1 < r.distances.length && r.distances[i + 1] <= k) ++i;
    set('summary-gradient-rnn', '×' + r.decay_per_step.toFixed(3) + ' per step (λ₁ = ' + r.spectral_radius.toFixed(2) +
      ', largest singular value ' + r.largest_singular_value.toFixed(2) + '): across k = ' + r.distances[i] +
      ' steps the gradient is ' + c.sig(r.norm.median[i], 2) + '.');
    set('summary-gradient-attn', 'A path of 1 step whatever the distance: reaching k = ' + last +
      ' costs one weighted sum, not ' + last + ' Jacobians.');
  }

  function retention(r) {
    const e = ns.charts.retention.atEnd(r);
    set('summary-retention-rnn', 'After N = ' + e.n + ' noise steps: influence ' + c.sig(e.influence, 2) +
      ', read-out R² ' + e.readout.toFixed(2) + ' (at N = ' + e.readoutN + ').');
    set('summary-retention-attn', 'After N = ' + e.n + ' steps: reads the signal with cosine ' + e.attnCosine.toFixed(3) +
      ', weight ' + e.attnWeight.toFixed(3) + ' on the stored token.');
  }

  function architectures(r) {
    const a = ns.charts.architectures;
    const parts = ['rnn', 'lstm', 'gru'].map((name) => {
      const e = a.atEnd(r, name);
      return c.ARCHITECTURES[name].short + ' ×' + e.decay.toFixed(3);
    });
    const last = a.atEnd(r, 'rnn').k;
    set('summary-architectures-rnn', 'Per step: ' + parts.join(', ') + ' (untrained, H = ' + r.params.hidden_size +
      '). Left at k = ' + last + ': ' + ['rnn', 'lstm', 'gru'].map((name) => c.ARCHITECTURES[name].short + ' ' +
      c.sig(a.atEnd(r, name).norm, 2)).join(', ') + '.');
    set('summary-architectures-attn', '×' + a.atEnd(r, 'attention').decay.toFixed(3) + ' per step: flat in distance. ' +
      'Instead it falls with the context length n: ' + a.contextText(r.attention_context_slope) + '.');
  }

  function memory(r, values) {
    const e = ns.charts.memory.atShown(r, values);
    set('summary-memory-rnn', 'At N = ' + e.n + ': ' + e.mc.map((m) => m.name + ' ' + m.mc.toFixed(1)).join(', ') +
      ' past inputs recalled (the bound is ' + e.n + ').');
    set('summary-memory-attn', 'No fixed-size state: finds a stored pair among n = ' + e.context + ' tokens ' +
      Math.round(100 * e.accuracy) + '% of the time (chance ' + c.sig(100 * e.chance, 2) + '%).');
  }

  function parallel(r, values) {
    const s = r.scaling;
    const w = r.workdepth;
    const K = s.workers.length;
    const sp = (kind) => c.sig(ns.charts.parallel.speedups(s, kind)[K - 1], 3) + '×';
    const i = Array.from(w.lengths).indexOf(1000);
    const depth = (a) => w.counts.find((x) => x.architecture === a).depth[i];
    const p = ns.charts.parallel.pIndex(w, values);
    set('summary-parallel-rnn', 'Measured with ' + K + ' workers: one sequence ' + sp('rnn_relay') + ' (a batch of independent ones ' +
      sp('rnn_batch') + '). Depth at n = 1,000: ' + c.sig(depth('rnn'), 3) + ' operations in a row (counted).');
    const cross = ns.charts.parallel.crossover(w, p);
    set('summary-parallel-attn', 'Measured with ' + K + ' workers: ' + sp('attention') + '. Depth at n = 1,000: ' + c.sig(depth('attention'), 3) +
      ' (counted). Projected with ' + w.processors[p] + ' units: ' + (cross ? 'faster than the RNN for ' + cross : 'not faster at these n') + '.');
  }

  const FILL = { timing: timing, gradient: gradient, retention: retention, architectures: architectures, memory: memory, parallel: parallel };

  // `run` is a panel's last run ({main, ...}); `values` the page's settings.
  function update(experiment, run, values) {
    if (run && run.main) FILL[experiment](run.main, values);
  }

  ns.summary = { update: update };
})();
