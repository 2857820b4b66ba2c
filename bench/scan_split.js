#!/usr/bin/env node
// The linear recurrence's scan on one thread (wasm in Node): the sequential pass against each
// half of the scan's phase 1 and both phase-2 finishes, alternating, medians of 15; what 2
// workers with a core each could reach. Figures, not a test. Needs ./build-wasm.sh first.
//   node bench/scan_split.js
'use strict';
const h = require('../tests/node/helpers');
(async () => {
  const m = await h.loadModule();
  const p = { hidden_size: 64, scan_length: 65536 };
  const t = (f) => { const t0 = process.hrtime.bigint(); f(); return Number(process.hrtime.bigint() - t0) / 1e6; };
  const seq = [], h0 = [], h1 = [], fin = [];
  for (let r = 0; r < 16; ++r) {
    let a, b;
    seq.push(t(() => m.slice('scan_sequential', p, 0, 1)));
    h0.push(t(() => { a = m.slice('scan_chunk', p, 0, 2); }));
    h1.push(t(() => { b = m.slice('scan_chunk', p, 1, 2); }));
    const s = new Float64Array([...a.state, ...b.state]);
    fin.push(t(() => { m.slice('scan_finish', p, 0, 2, a.state); m.slice('scan_finish', p, 1, 2, s); }));
  }
  const med = (x) => { const s = x.slice(1).sort((u, v) => u - v); return s[s.length >> 1]; };
  const T1 = med(seq), T2 = Math.max(med(h0), med(h1)) + med(fin) / 2;
  console.log(`sequential ${T1.toFixed(1)} ms; halves ${med(h0).toFixed(1)}, ${med(h1).toFixed(1)} ms; both finishes ${med(fin).toFixed(3)} ms; ` +
    `bound on 2-worker efficiency T1 / (2 T2) = ${(100 * T1 / (2 * T2)).toFixed(0)}%; load ${require('os').loadavg()[0].toFixed(2)}`);
})();
