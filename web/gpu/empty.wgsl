// An empty kernel: timing N = 1024 dispatches of it in one pass against one dispatch gives the cost
// of a dispatch itself, (time(N) - time(1)) / (N - 1), with no work inside to hide it (the median
// of at least 5 such pairs; web/gpu/worker.js does it before any other kernel runs).
@compute @workgroup_size(1)
fn main() {}
