// The linear recurrence h_t = a_t h_{t-1} + b_t (per channel, h_{-1} = 0) as a parallel scan.
// A workgroup takes CW neighbouring channels (so neighbouring invocations read neighbouring words)
// and splits the L steps of each into P chunks, one invocation per (chunk, channel), WG = CW*P:
//   1. each invocation reduces its chunk to one affine map h -> A h + B (maps compose as
//      (a2, b2) after (a1, b1) = (a2 a1, a2 b1 + b2));
//   2. a Hillis-Steele scan of the P maps of each channel in workgroup memory (log2 P rounds);
//   3. each invocation starts from the true state before its chunk (the previous chunk's
//      inclusive map applied to h_{-1} = 0, i.e. its B) and finishes its chunk, writing every h_t.
// Work per channel: two passes over the L steps plus P log2 P map compositions, against one pass
// sequentially; depth ~2L/P + log2 P. Rows are reused cyclically for L > Lc: row t mod Lc.
override CW: u32 = 8u;    // channels per workgroup
override P: u32 = 32u;    // chunks per channel (a power of two)
override WG: u32 = 256u;  // CW*P

struct Params { channels: u32, len: u32, rows: u32 }  // H, L, Lc
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;   // Lc*H
@group(0) @binding(2) var<storage, read> b: array<f32>;   // Lc*H
@group(0) @binding(3) var<storage, read_write> out: array<f32>;  // L*H: every h_t

var<workgroup> sa: array<f32, WG>;
var<workgroup> sb: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let cl = lid % CW;
  let chunk = lid / CW;
  let c = wg.x * CW + cl;
  let valid = c < p.channels;
  let H = p.channels;
  let size = (p.len + P - 1u) / P;
  let t0 = min(p.len, chunk * size);
  let t1 = min(p.len, t0 + size);
  // 1. this chunk's map
  var A = 1.0;
  var B = 0.0;
  if (valid) {
    var row = t0 % p.rows;
    for (var t = t0; t < t1; t++) {
      let at = a[row * H + c];
      A = at * A;
      B = at * B + b[row * H + c];
      row += 1u;
      if (row == p.rows) { row = 0u; }
    }
  }
  sa[lid] = A;
  sb[lid] = B;
  workgroupBarrier();
  // 2. inclusive scan over the chunks of each channel: element `chunk` composes with `chunk - s`
  for (var s = 1u; s < P; s *= 2u) {
    var pa = 1.0;
    var pb = 0.0;
    if (chunk >= s) { pa = sa[lid - s * CW]; pb = sb[lid - s * CW]; }
    workgroupBarrier();
    B = A * pb + B;
    A = A * pa;
    sa[lid] = A;
    sb[lid] = B;
    workgroupBarrier();
  }
  // 3. finish the chunk from its true start state
  if (valid) {
    var h = 0.0;
    if (chunk > 0u) { h = sb[lid - CW]; }
    var row = t0 % p.rows;
    for (var t = t0; t < t1; t++) {
      h = a[row * H + c] * h + b[row * H + c];
      out[t * H + c] = h;
      row += 1u;
      if (row == p.rows) { row = 0u; }
    }
  }
}
