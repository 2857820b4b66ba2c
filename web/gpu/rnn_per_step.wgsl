// The tanh RNN with one dispatch per step, for contrast with rnn_persistent: the host records L
// dispatches of this kernel in one compute pass, and each does one step. Its final state equals
// rnn_persistent's: the same sums in the same order (a compiler may still fuse multiply-adds
// differently in the two kernels, which moves the last bits).
// Which step a dispatch does: a step counter in a storage buffer (cleared before the pass), read
// by every invocation and advanced by invocation 0 after a barrier. WebGPU makes one dispatch's
// storage writes visible to the next, so this needs no per-step host work and no per-step
// uniform (dynamic offsets would need one 256-byte slot per step: 4 MB at L = 16384).
// h is a storage buffer of 2H floats, ping-ponged: step t reads half t%2, writes the other.
override H: u32 = 64u;

struct Params { rows: u32 }  // Lc
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> wh: array<f32>;         // H*H
@group(0) @binding(2) var<storage, read> drive: array<f32>;      // Lc*H
@group(0) @binding(3) var<storage, read_write> h: array<f32>;    // 2H, zero before the first step
@group(0) @binding(4) var<storage, read_write> step: array<u32>; // 1: the next step's index t

fn tanh_safe(x: f32) -> f32 {
  let e = exp(2.0 * clamp(x, -15.0, 15.0));
  return (e - 1.0) / (e + 1.0);
}

@compute @workgroup_size(H)
fn main(@builtin(local_invocation_index) j: u32) {
  let t = step[0];
  let base = (t & 1u) * H;
  var acc = 0.0;
  for (var i = 0u; i < H; i++) { acc += h[base + i] * wh[i * H + j]; }
  h[(H - base) + j] = tanh_safe(acc + drive[(t % p.rows) * H + j]);
  storageBarrier();  // every invocation has read the counter before invocation 0 advances it
  if (j == 0u) { step[0] = t + 1u; }
}
