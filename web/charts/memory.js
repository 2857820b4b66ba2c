// Experiment 5's charts: memory capacity MC = Σ r²_k against the hidden size H for RNN, LSTM
// and GRU, with the bound MC = H (chart 0, log-log); the r²_k curve at one H (chart 1; the
// page row memory.show_n picks it, 0 = the largest); and attention's retrieval accuracy as
// its context grows, beside chance 1/n (chart 2).
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const positive = (y) => y > 0;
  const ORDER = ['rnn', 'lstm', 'gru'];

  function paint(ds, t, index) {
    if (index === 2) {
      c.paintBand(ds, 0, t.attn, t);
      Object.assign(ds[3], { borderColor: t.fit, backgroundColor: t.fit });
      return;
    }
    ORDER.forEach((a, i) => c.paintBand(ds, 3 * i, t[c.ARCHITECTURES[a].colour], t));
    if (index === 0) Object.assign(ds[9], { borderColor: t.fit, backgroundColor: t.fit });
  }

  function recurrentDatasets(markers) {
    const out = [];
    ORDER.forEach((a) => {
      const spec = c.ARCHITECTURES[a];
      out.push.apply(out, c.bandDatasets(spec.name, { borderDash: spec.dash, pointRadius: markers ? 3.5 : 0, pointHoverRadius: 5 }));
    });
    return out;
  }

  function create(canvas, theme, index) {
    const options = c.baseOptions(theme);
    let datasets;
    const title = (prefix) => (items) => prefix + items[0].parsed.x;
    if (index === 0) {
      options.scales = {
        x: c.axis(theme, 'hidden size H (numbers in the state)', { type: 'logarithmic' }),
        y: c.oneTwoFiveAxis(c.axis(theme, 'memory capacity MC = Σ r²ₖ (log)', { type: 'logarithmic' })),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: title('H = ') };
      datasets = recurrentDatasets(true).concat([{ label: 'bound: MC ≤ H (Jaeger 2001) and ≤ K', data: [], borderWidth: 2,
        borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    } else if (index === 1) {
      options.scales = {
        x: c.axis(theme, 'delay k (steps back)', { type: 'linear', beginAtZero: true }),
        y: c.axis(theme, 'recall r²ₖ of u(t−k), held out', { type: 'linear', min: 0, max: 1 }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + item.parsed.y.toFixed(3), title: title('k = ') };
      datasets = recurrentDatasets(false);
    } else {
      options.scales = {
        x: c.axis(theme, 'context length n (tokens)', { type: 'logarithmic' }),
        y: c.axis(theme, 'stored pair retrieved (fraction)', { type: 'linear', min: 0, max: 1 }),
      };
      options.plugins.tooltip.callbacks = { label: (item) => item.dataset.label + ': ' + c.sig(item.parsed.y, 3), title: title('n = ') };
      datasets = c.bandDatasets('attention: median accuracy', { pointRadius: 3.5 })
        .concat([{ label: 'chance: 1/n', data: [], borderWidth: 1.5, borderDash: [6, 4], pointRadius: 0, order: 0 }]);
    }
    paint(datasets, theme, index);
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options, plugins: [c.background] });
  }

  // Index into hidden_sizes of the N whose r²_k curve is shown: the nearest to show_n
  // (the smaller on a tie), or the largest when show_n is 0.
  function shownIndex(r, values) {
    const sizes = Array.from(r.hidden_sizes);
    const wanted = (values && values['memory.show_n']) || 0;
    let best = 0;
    sizes.forEach((n, i) => {
      if (wanted === 0 ? n > sizes[best] : (Math.abs(n - wanted) < Math.abs(sizes[best] - wanted) ||
        (Math.abs(n - wanted) === Math.abs(sizes[best] - wanted) && n < sizes[best]))) best = i;
    });
    return best;
  }

  function network(r, architecture) {
    return r.networks.find((x) => x.architecture === architecture);
  }

  // Sorted by N for the line (the parameter keeps the order given).
  function bySize(r) {
    return Array.from(r.hidden_sizes, (n, i) => ({ n: n, i: i })).sort((a, b) => a.n - b.n);
  }

  function render(chart, run, values, index) {
    const r = run.main;
    const ds = chart.data.datasets;
    const bands = r.params.seeds >= 2;
    if (index === 0) {
      const order = bySize(r);
      const xs = order.map((o) => o.n);
      ORDER.forEach((a, j) => {
        const cap = network(r, a).capacity;
        const pick = (arr) => order.map((o) => arr[o.i]);
        c.fillBand(ds, 3 * j, xs, { median: pick(cap.median), q1: pick(cap.q1), q3: pick(cap.q3) }, positive, bands);
      });
      // MC <= H (Jaeger), and MC <= K: each of the K delays adds at most 1.
      const K = r.params.max_delay;
      const corners = xs.concat(K > xs[0] && K < xs[xs.length - 1] ? [K] : []).sort((a, b) => a - b);
      ds[9].data = corners.map((x) => ({ x: x, y: Math.min(x, K) }));
      c.ticksAt(chart.options.scales.x, xs);
    } else if (index === 1) {
      const s = shownIndex(r, values);
      const k = Array.from(r.delays);
      ORDER.forEach((a, j) => {
        const net = network(r, a);
        c.fillBand(ds, 3 * j, k, net.r2[s], null, bands);
        ds[3 * j].label = c.ARCHITECTURES[a].name + ' at H = ' + r.hidden_sizes[s] + ' (MC ' + net.capacity.median[s].toFixed(1) + ')';
      });
    } else {
      const n = Array.from(r.attention_context_lengths);
      c.fillBand(ds, 0, n, r.attention_accuracy, null, bands);
      ds[2].label = bands ? 'middle half of the seeds' : '';
      ds[3].data = n.map((x) => ({ x: x, y: 1 / x }));
      c.ticksAt(chart.options.scales.x, n.slice().sort((a, b) => a - b));
    }
    chart.update('none');
  }

  ns.charts.memory = { paint: paint, create: create, render: render, shownIndex: shownIndex, network: network, bySize: bySize, ORDER: ORDER };
})();
