// Experiment 9, "On your GPU": the tanh RNN's chain of steps, a batch of independent
// sequences, causal attention and the linear recurrence's scan, each run and timed on this
// device's GPU through WebGPU (web/gpu/: the WGSL kernels and the worker that owns the device;
// web/gpu/client.js: the page's side). The core draws the inputs and computes the reference
// results (src/core/experiments/gpu.h); every GPU output is compared with them here. It runs
// when the learner presses Measure: it keeps the GPU (or, with a software adapter, the CPU)
// busy for seconds. Every sentence below is built from the facts of the run shown.
(function () {
  'use strict';
  const ns = window.RnnLesson;
  const c = ns.chartCommon;
  const KERNELS = ns.charts.gpu.KERNELS;
  // Each GPU output and the core's reference it must equal (web/gpu/worker.js, gpu.h).
  const OUTPUTS = [
    { gpu: 'rnn_final', core: 'rnn_final', kernel: 'rnn_persistent', name: 'RNN final state, one workgroup' },
    { gpu: 'rnn_per_step_final', core: 'rnn_final', kernel: 'rnn_per_step', name: 'RNN final state, one dispatch per step' },
    { gpu: 'batch_final', core: 'batch_final', kernel: 'rnn_batch', name: 'final states of the batch' },
    { gpu: 'attention_out', core: 'attention_out', kernel: 'attention', name: 'attention outputs' },
    { gpu: 'scan_out', core: 'scan_out', kernel: 'scan', name: 'linear recurrence states' },
  ];
  // float32 on the GPU against the core's double: |gpu - core| <= TOLERANCE * (1 + |core|).
  // float32 rounding alone is ~1e-7 per operation; the states here stay of order 1 and errors
  // do not grow along the contracting RNN's steps, so 1e-4 leaves room for a GPU's own exp.
  const TOLERANCE = 1e-4;
  const INPUTS = ['rnn_wh', 'rnn_drive', 'attention_q', 'attention_k', 'attention_v', 'scan_a', 'scan_b'];
  const BROWSERS = 'WebGPU ships in Chrome and Edge on Windows, macOS and ChromeOS, on Android 12 or later and, for some GPUs, on Linux; in Safari 26; and in Firefox on Windows and Apple-silicon Macs';
  const REASONS = {
    'no-webgpu': 'this browser has no WebGPU',
    'no-webgpu-in-worker': 'this browser offers WebGPU to the page but not to its workers, where this experiment runs',
    'insecure': 'WebGPU is offered only to pages from https:// addresses, from this computer (localhost) or from disk, and this page came from elsewhere',
    'no-adapter': 'this browser offers WebGPU but no GPU adapter (WebGPU may be switched off, or this GPU not supported)',
    'no-device': 'the GPU adapter would not give this page a device',
    'no-worker': 'this page was built without its GPU worker',
  };
  // The worker can say only what it sees: a page that has WebGPU where the worker has none, or a
  // page from an insecure origin, is named as such.
  function reasonOf(probe) {
    if (probe.reason === 'no-webgpu' && self.isSecureContext === false) return REASONS.insecure;
    if (probe.reason === 'no-webgpu' && navigator.gpu) return REASONS['no-webgpu-in-worker'];
    return REASONS[probe.reason] || REASONS['no-webgpu'];
  }
  const fmt = (x) => c.sig(x, 3);
  const times = (x) => (x >= 10 ? Math.round(x).toLocaleString('en-US') : c.sig(x, 2)) + '×';
  const count = (n, one, many) => n.toLocaleString('en-US') + ' ' + (n === 1 ? one : many);
  const isSoftware = (a) => !!a.software || a.architecture === 'swiftshader';

  // "SwiftShader (a CPU implementation ...)" or "nvidia, ampere".
  function adapterName(a) {
    const parts = [a.vendor, a.architecture, a.device, a.description].filter((x, i, all) => x && all.indexOf(x) === i);
    const name = parts.join(', ') || 'an adapter that does not name itself';
    return a.architecture === 'swiftshader' ? 'SwiftShader, a software GPU' : name + (a.software ? ' (a software or fallback adapter)' : '');
  }

  // "A took 3.2× as long as B (x against y ms)", the longer first; "about as long as" within 5%.
  function against(a, aName, b, bName) {
    const r = a / b;
    const ms = ' (' + fmt(a) + ' against ' + fmt(b) + ' ms)';
    if (Math.abs(r - 1) <= 0.05) return aName + ' took about as long as ' + bName + ms;
    return r > 1 ? aName + ' took ' + times(r) + ' as long as ' + bName + ms
      : bName + ' took ' + times(1 / r) + ' as long as ' + aName + ' (' + fmt(b) + ' against ' + fmt(a) + ' ms)';
  }
  // "went from 0.77 to 25.4 ms (33×)".
  const went = (f, k) => 'went from ' + fmt(f.atMin[k]) + ' to ' + fmt(f.at[k]) + ' ms (' + times(f.growth[k]) + ')';

  function compare(gpuOut, coreOut) {
    let worst = 0;
    let over = 0;
    const n = Math.min(gpuOut.length, coreOut.length);
    for (let i = 0; i < n; ++i) {
      const d = Math.abs(gpuOut[i] - coreOut[i]);
      worst = Number.isNaN(d) || Number.isNaN(worst) ? NaN : Math.max(worst, d);
      if (!(d <= TOLERANCE * (1 + Math.abs(coreOut[i])))) over += 1;
    }
    return { values: n, maxDifference: worst, over: over + Math.abs(gpuOut.length - coreOut.length), ok: over === 0 && gpuOut.length === coreOut.length };
  }
  const difference = (x) => (Number.isNaN(x) ? 'not a number (NaN)' : c.sigSmall(x, 2));

  // The run's figures, computed once: charts, readout, notice, claims, summary and the
  // prediction read these.
  function facts(run) {
    const m = run.main;
    const p = m.params;
    const f = { params: p, available: !!m.gpu, probe: m.probe };
    if (!m.gpu) {
      f.reason = reasonOf(m.probe || { reason: 'no-webgpu' });
      return f;
    }
    const g = m.gpu;
    f.adapter = m.probe.adapter;
    f.adapterName = adapterName(m.probe.adapter);
    f.software = isSoftware(m.probe.adapter);
    f.method = g.method;
    f.dispatchUs = g.dispatch_us.median;
    f.series = {};
    for (const k of KERNELS) f.series[k] = g.kernels[k].slice().sort((a, b) => a.length - b.length);
    const lengths = f.series.rnn_persistent.map((r) => r.length);
    f.lengths = lengths;
    f.Lmin = lengths[0];
    f.Lmax = lengths[lengths.length - 1];
    f.oneLength = f.Lmin === f.Lmax;
    const at = (k, L) => f.series[k].find((r) => r.length === L).ms.median;
    f.at = {};
    f.atMin = {};
    f.growth = {};
    for (const k of KERNELS) {
      f.at[k] = at(k, f.Lmax);
      f.atMin[k] = at(k, f.Lmin);
      f.growth[k] = f.at[k] / f.atMin[k];
    }
    f.lengthGrowth = f.Lmax / f.Lmin;
    f.perStepUs = 1000 * f.at.rnn_persistent / f.Lmax;
    f.perDispatchStepUs = 1000 * f.at.rnn_per_step / f.Lmax;
    f.batchRatio = f.at.rnn_batch / f.at.rnn_persistent;
    // One sequence's share of the steps per second the GPU delivered with B of them side by side.
    f.oneSequenceShare = Math.min(1, f.batchRatio / p.batch);
    f.attentionOverRnn = f.at.attention / f.at.rnn_persistent;
    f.workgroups = g.workgroups;
    f.attentionWorkgroups = f.series.attention[f.series.attention.length - 1].workgroups;  // at Lmax
    f.repeats = p.repeats;
    f.check = OUTPUTS.map((o) => Object.assign({ name: o.name, kernel: o.kernel }, compare(g.outputs[o.gpu], m.core[o.core])));
    f.agreed = f.check.filter((x) => x.ok).length;
    f.worstDifference = f.check.some((x) => Number.isNaN(x.maxDifference)) ? NaN : Math.max(...f.check.map((x) => x.maxDifference));
    return f;
  }

  function agreementText(f) {
    if (f.agreed === f.check.length) {
      return 'Every GPU result agreed with the core’s on the same inputs at L = ' + f.params.check_length + ': the largest difference was ' +
        difference(f.worstDifference) + ', within the float32 tolerance of ' + c.sigSmall(TOLERANCE, 1) + ' × (1 + |value|).';
    }
    const bad = f.check.filter((x) => !x.ok);
    return bad.length + ' of ' + f.check.length + ' GPU results differed from the core’s beyond the float32 tolerance of ' + c.sigSmall(TOLERANCE, 1) +
      ' × (1 + |value|): ' + bad.map((x) => x.name + ' (largest difference ' + difference(x.maxDifference) + ')').join('; ') +
      '. Their times are shown, but they time a computation that went wrong.';
  }

  const methodText = (f) => (f.method === 'timestamp'
    ? 'Times come from timestamps ' + (f.software ? 'the adapter' : 'the GPU') + ' writes at the start and end of a compute pass'
    : 'Times are wall clock from handing a pass to the GPU until it reports the pass done (this adapter offers no timestamp queries)') +
    '; runs shorter than 4 ms are repeated within one pass and the pass’s time divided among them; median of ' +
    count(f.repeats, 'such timing', 'such timings') + ' after a warm-up.';

  function readout(f) {
    if (!f.available) return [{ label: 'WebGPU', value: 'not available: ' + f.reason }];
    const out = [
      { label: 'GPU adapter', value: f.adapterName },
      { label: 'RNN, one workgroup: time per step at L = ' + f.Lmax, value: fmt(f.perStepUs) + ' µs' },
      { label: 'RNN, one dispatch per step: time per step at L = ' + f.Lmax, value: fmt(f.perDispatchStepUs) + ' µs (an empty dispatch: ' + fmt(f.dispatchUs) + ' µs)' },
      { label: 'At L = ' + f.Lmax + ': RNN / attention / scan', value: fmt(f.at.rnn_persistent) + ' / ' + fmt(f.at.attention) + ' / ' + fmt(f.at.scan) + ' ms' },
    ];
    if (f.params.batch > 1) {
      out.push({ label: f.params.batch + ' sequences against one, at L = ' + f.Lmax, value: times(f.batchRatio) + ' the time; one sequence used ' + pctOf(f.oneSequenceShare) + ' of the batch’s steps per second' });
    }
    out.push({ label: 'Agreement with the core', value: f.agreed + ' of ' + f.check.length + ' results within tolerance (largest difference ' + difference(f.worstDifference) + ')' });
    return out;
  }
  const pctOf = (x) => (x >= 0.1 ? Math.round(100 * x) + '%' : c.sig(100 * x, 2) + '%');

  function notice(f) {
    if (!f.available) {
      return 'Nothing was measured here: ' + f.reason + '. ' + BROWSERS + ' (as of 2026); the other experiments on this page do not need it.';
    }
    const parts = [];
    parts.push('Measured on ' + f.adapterName + (f.software ? ', which runs on this device’s CPU: these times say nothing about a real GPU.' : '.'));
    if (f.oneLength) parts.push('Only L = ' + f.Lmax + ' was run, so nothing here shows how time grows with L; add lengths to see it.');
    else {
      parts.push('As L grew ' + times(f.lengthGrowth) + ' (' + f.Lmin + ' to ' + f.Lmax + '), the RNN in one workgroup ' + went(f, 'rnn_persistent') +
        ', ' + fmt(f.perStepUs) + ' µs per step at L = ' + f.Lmax + '; attention ' + went(f, 'attention') + '; the scan ' + went(f, 'scan') + '.');
    }
    parts.push('At L = ' + f.Lmax + ', ' + against(f.at.attention, 'attention', f.at.rnn_persistent, 'the RNN') + '.');
    parts.push('One dispatch per step cost ' + fmt(f.perDispatchStepUs) + ' µs per step, against ' + fmt(f.perStepUs) +
      ' µs when one workgroup loops over the steps; a pass of empty dispatches cost ' + fmt(f.dispatchUs) + ' µs per dispatch.');
    if (f.params.batch > 1) {
      parts.push(f.params.batch + ' independent sequences, one workgroup each, took ' + times(f.batchRatio) + ' the time of one sequence at L = ' + f.Lmax +
        ' for ' + f.params.batch + ' times the work: one sequence alone used ' + pctOf(f.oneSequenceShare) + ' of the steps per second the GPU delivered with ' + f.params.batch + '.');
    }
    parts.push(agreementText(f));
    parts.push(methodText(f));
    return parts.join(' ');
  }

  function claims(f) {
    const measured = (text) => (f.available ? text() : 'not measured: ' + f.reason + '.');
    return [
      { cite: 'The kata', claim: 'an RNN over a 1,000-token sequence must take 1,000 steps one after another while the GPU’s thousands of cores sit idle, and a transformer processes the same sequence in a single parallel step.',
        measured: measured(() => 'the RNN kept one workgroup of ' + count(f.params.hidden, 'invocation', 'invocations') + ' busy for ' + count(f.Lmax, 'step', 'steps') + ', ' +
          fmt(f.perStepUs) + ' µs each' + (f.params.batch > 1 ? ', using ' + pctOf(f.oneSequenceShare) + ' of the steps per second this GPU delivered with ' + f.params.batch + ' sequences' : '') +
          '; attention over the same ' + f.Lmax + ' tokens was one dispatch of ' + count(f.attentionWorkgroups, 'workgroup', 'workgroups') + ', and ' +
          against(f.at.attention, 'it', f.at.rnn_persistent, 'the RNN') + '.') },
      { cite: 'Vaswani et al. 2017, Table 1', claim: 'a recurrent layer needs O(n) sequential operations, a self-attention layer O(1).',
        measured: measured(() => 'at L = ' + f.Lmax + ' the RNN run a dispatch per step took ' + count(f.Lmax, 'dispatch', 'dispatches') + ' (the one-workgroup RNN ' +
          count(f.Lmax, 'barrier-separated step', 'barrier-separated steps') + '), attention 1. Its time still reflects its L(L+1)/2 · K multiply-adds' +
          (f.oneLength ? '.' : ': as L grew ' + times(f.lengthGrowth) + ', the RNN’s time ' + went(f, 'rnn_persistent') + ', attention’s ' + went(f, 'attention') + '.')) },
    ];
  }

  function describe(f, i) {
    if (!f.available) return 'Chart: empty: ' + f.reason + '.';
    const perToken = i === 1;
    const value = (k) => (perToken ? fmt(1000 * f.at[k] / f.Lmax) + ' µs' : fmt(f.at[k]) + ' ms');
    return 'Chart: ' + (perToken ? 'time per token' : 'time of one run on the GPU') + ' against the sequence length L on logarithmic axes, one line per kernel, measured on ' +
      f.adapterName + '. At L = ' + f.Lmax + ': ' + KERNELS.map((k) => ns.charts.gpu.labelOf(k, f.params.batch) + ' ' + value(k)).join('; ') +
      '. The data tables below have every number.';
  }

  function headline(f) {
    if (!f.available) return 'nothing measured, because ' + f.reason;  // the same reason as the adapter line and notice
    return 'at L = ' + f.Lmax + ' on ' + f.adapterName + ', the RNN took ' + fmt(f.at.rnn_persistent) + ' ms and attention ' + fmt(f.at.attention) + ' ms';
  }

  function table(run) {
    const f = facts(run);
    if (!f.available) return [{ caption: 'Nothing measured: ' + f.reason, columns: ['kernel'], rows: [] }, { caption: 'Nothing measured', columns: ['result'], rows: [], file: 'agreement' }];
    const rows = [];
    for (const k of KERNELS) {
      for (const r of f.series[k]) {
        rows.push([ns.charts.gpu.labelOf(k, f.params.batch), r.length, r.ms.median, r.ms.min, r.ms.max, r.dispatches, r.in_pass,
          r.workgroups + ' × ' + (f.workgroups[k] ? f.workgroups[k].size : f.params.hidden) + (k === 'rnn_per_step' ? ' per dispatch' : '')]);
      }
    }
    return [{
      caption: 'Time of one run on ' + f.adapterName + ' (ms), by kernel and length L; ' + count(f.repeats, 'timing', 'timings') + ' after a warm-up',
      columns: ['kernel', 'L', 'median (ms)', 'fastest timing (ms)', 'slowest timing (ms)', 'dispatches', 'runs per timed pass', 'workgroups × invocations'],
      rows: rows,
    }, {
      caption: 'GPU results against the core’s at L = ' + f.params.check_length + ': allowed |difference| ≤ ' + TOLERANCE + ' × (1 + |value|)',
      columns: ['result', 'values', 'largest difference', 'values beyond the tolerance', 'within tolerance'],
      rows: f.check.map((x) => [x.name, x.values, x.maxDifference, x.over, x.ok ? 'yes' : 'no']),
      file: 'agreement',
    }];
  }

  const stopped = (reason, text) => ns.bridge.stopped(reason, text);

  // Probes the adapter, asks the page's worker for the core's inputs and references, then
  // hands both to the GPU worker. A browser without WebGPU gets a result that says so.
  async function run(params, values, onProgress, o) {
    const t0 = performance.now();
    const gpu = ns.gpuClient();
    if (onProgress) onProgress(0);
    const probe = gpu ? await gpu.probe() : { available: false, reason: 'no-worker' };
    if (!probe.available) return { ms: performance.now() - t0, main: { params: params, probe: probe, core: null, gpu: null } };
    // Experiment 1 times its runs on the CPU: the GPU (and a software adapter's CPU) waits until it is done.
    await o.client.whenIdle();
    const reply = await o.client.run('gpu', 'gpu', params, (x) => onProgress && onProgress(0.05 * x));
    const core = reply.result;
    if (core.error) return { error: core.error };
    const inputs = {};
    for (const name of INPUTS) inputs[name] = Float32Array.from(core[name]);
    const result = await gpu.run({ params: params, inputs: inputs }, (x) => onProgress && onProgress(0.05 + 0.95 * x));
    return { ms: performance.now() - t0, main: { params: params, probe: probe, core: core, gpu: result } };
  }

  function cancel() {
    const gpu = ns.gpuClient();
    if (gpu) gpu.cancel();
  }

  // The adapter, named as soon as the section comes into view (the probe takes milliseconds
  // and starts no GPU work), so a browser without WebGPU says so before anything is pressed.
  function nameAdapter() {
    const line = document.querySelector('#experiment-gpu [data-gpu-adapter]');
    if (!line) return;
    const show = () => {
      const gpu = ns.gpuClient();
      (gpu ? gpu.probe() : Promise.resolve({ available: false, reason: 'no-worker' })).then((probe) => {
        line.textContent = probe.available ? 'This browser offers WebGPU here, on ' + adapterName(probe.adapter) +
          (isSoftware(probe.adapter) ? ', which runs on the CPU: its times will say nothing about a real GPU.' : '.')
          : 'This browser cannot run this experiment: ' + reasonOf(probe) + '. ' + BROWSERS + ' (as of 2026).';
      }, () => { line.textContent = 'The GPU worker could not be asked about this browser’s WebGPU adapter.'; });
    };
    if (!('IntersectionObserver' in self)) return show();
    const seen = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) { seen.disconnect(); show(); }
    }, { rootMargin: '400px' });
    seen.observe(line);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', nameAdapter);
  else nameAdapter();

  ns.experiments.gpu = {
    manual: true,  // seconds of GPU work: it starts when the learner presses Measure
    rows: [],
    panel: { busy: 'Measuring on the GPU…', figures: 'Measured figures', claims: true, run: 'Measure',
      waiting: 'nothing measured yet: press Measure to time these kernels on this device’s GPU.',
      idle: 'Not measured yet: press Measure to start.',
      changed: 'Press Measure to measure with these settings.',
      csv: ['Download CSV (times)', 'CSV (agreement with the core)'],
      tables: ['Times by kernel and length', 'Agreement with the core'] },
    requests: (params) => [{ as: 'main', params: params }],
    run: run, cancel: cancel,
    facts: facts, table: table, readout: readout, notice: notice, claims: claims, describe: describe, headline: headline,
    measuredNothing: (f) => !f.available,
    summary: (f) => (f.available ? [
      'On ' + f.adapterName + (f.software ? ' (CPU-bound: says nothing about a real GPU)' : '') + ': ' + fmt(f.at.rnn_persistent) + ' ms at L = ' + f.Lmax +
        (f.oneLength ? '' : ', ' + times(f.growth.rnn_persistent) + ' the time of L = ' + f.Lmin) + ' (' + fmt(f.perStepUs) + ' µs per step, one after another).',
      fmt(f.at.attention) + ' ms at L = ' + f.Lmax + (f.oneLength ? '' : ', ' + times(f.growth.attention) + ' the time of L = ' + f.Lmin) + ', in one dispatch.',
    ] : ['Not measured: ' + f.reason + '.', 'Not measured: ' + f.reason + '.']),
    question: {
      question: 'On this device’s GPU, at the longest length L, which will take longer: the RNN’s L steps in one workgroup, or causal attention over all L tokens (L(L+1)/2 scores, but in one dispatch)?',
      choices: [['rnn', 'the RNN'], ['close', 'about the same (within 1.5×)'], ['attention', 'attention']],
      measure(f) {
        if (!f.available) return { value: '', text: 'not measured: ' + f.reason };
        const r = f.attentionOverRnn;
        return { value: r > 1.5 ? 'attention' : r < 1 / 1.5 ? 'rnn' : 'close',
          text: 'attention ' + fmt(f.at.attention) + ' ms, the RNN ' + fmt(f.at.rnn_persistent) + ' ms at L = ' + f.Lmax };
      },
    },
  };
})();
