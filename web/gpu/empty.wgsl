// An empty kernel: timing N dispatches of it in one pass against one dispatch gives the cost of a
// dispatch itself, (time(N) - time(1)) / (N - 1), with no work inside to hide it.
@compute @workgroup_size(1)
fn main() {}
