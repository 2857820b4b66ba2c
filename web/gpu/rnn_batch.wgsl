// B independent tanh RNN sequences, one workgroup each (dispatch B workgroups): the part of
// recurrent work that does fill a GPU, since the sequences need nothing from one another.
// Each workgroup is rnn_persistent's kernel: H invocations loop over all L steps with one
// barrier per step, h double-buffered in workgroup memory, Wh's column j in invocation j's private
// memory for H <= 128, else read from the storage buffer (shared by all workgroups, so it stays in
// the cache). Sequence b's drive row at step t is row (t + b) mod Lc (GPU.md's cyclic rule).
// The worker writes HC (H, or 1 when WH_REGS is false) into the `const` line below.
const HC: u32 = 64u;
override H: u32 = 64u;
override H2: u32 = 128u;
override WH_REGS: bool = true;

struct Params { steps: u32, rows: u32 }  // L, Lc
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> wh: array<f32>;      // H*H
@group(0) @binding(2) var<storage, read> drive: array<f32>;   // Lc*H
@group(0) @binding(3) var<storage, read_write> out: array<f32>; // B*H: row b = h_{L-1} of sequence b

var<workgroup> hs: array<f32, H2>;

fn tanh_safe(x: f32) -> f32 {
  let e = exp(2.0 * clamp(x, -15.0, 15.0));
  return (e - 1.0) / (e + 1.0);
}

@compute @workgroup_size(H)
fn main(@builtin(local_invocation_index) j: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let b = wg.x;
  var w: array<f32, HC>;  // column j of Wh
  if (WH_REGS) {
    for (var i = 0u; i < H; i++) { w[i] = wh[i * H + j]; }
  }
  hs[j] = 0.0;
  workgroupBarrier();
  var cur = 0u;
  var row = b % p.rows;
  for (var t = 0u; t < p.steps; t++) {
    let base = cur * H;
    var acc = 0.0;
    if (WH_REGS) {
      for (var i = 0u; i < H; i++) { acc += hs[base + i] * w[i]; }
    } else {
      for (var i = 0u; i < H; i++) { acc += hs[base + i] * wh[i * H + j]; }
    }
    cur = 1u - cur;
    hs[cur * H + j] = tanh_safe(acc + drive[row * H + j]);
    row += 1u;
    if (row == p.rows) { row = 0u; }
    workgroupBarrier();
  }
  out[b * H + j] = hs[cur * H + j];
}
