// The timing protocol of the step measurements that are compared with one another
// (bench/page.js: wasm in a page worker, the native CLI; bench/step_floor.js: wasm beside the
// native kernels): lengths long enough that the fixed cost of a pass is small next to the
// per-step cost, and 20 ms intervals (the page's 2 ms suit its first draw; at 0.1 ms clock
// ticks they leave run-to-run spreads of +-20% here). H = 32, D = 8: the kata's size.
'use strict';
module.exports = { TIMING: { hidden_size: 32, input_size: 8, lengths: [200, 500, 1000, 2000], trials: 5, min_interval_ms: 20 } };
