// Causal single-head attention over L tokens: y_i = sum_{j<=i} softmax_j(q_i . k_j / sqrt(K)) v_j.
// Tiled like FlashAttention: a workgroup takes a tile of TQ queries (TQ*K invocations, invocation
// (r, d) owns output y_{q0+r}[d]) and walks the keys tile by tile: each tile of TK keys and values
// is loaded once into workgroup memory and used by all TQ queries; the softmax is streamed (running
// max m and sum l per query, earlier sums rescaled by exp(m_old - m_new)), so no L x L score matrix
// is ever stored and memory stays O(L K). Key tiles past the tile's last query are skipped
// (causality halves the work). Rows are reused cyclically for L > Lc: row t mod Lc.
// Sizes (chosen by the worker within 16 KB of workgroup memory and 256 invocations):
override K: u32 = 64u;          // key size = value size
override TQ: u32 = 4u;          // queries per workgroup; workgroup size WG = TQ*K <= 256
override TK: u32 = 16u;         // keys per tile
override WG: u32 = 256u;
override QS_WORDS: u32 = 256u;  // TQ*K
override KV_WORDS: u32 = 1024u; // TK*K
override P_WORDS: u32 = 64u;    // TQ*TK

struct Params { len: u32, rows: u32 }  // L, Lc
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;   // Lc*K
@group(0) @binding(2) var<storage, read> k: array<f32>;   // Lc*K
@group(0) @binding(3) var<storage, read> v: array<f32>;   // Lc*K
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // L*K

var<workgroup> qs: array<f32, QS_WORDS>;
var<workgroup> ks: array<f32, KV_WORDS>;
var<workgroup> vs: array<f32, KV_WORDS>;
var<workgroup> ps: array<f32, P_WORDS>;  // this tile's scores, then their exp(s - m)
var<workgroup> ms: array<f32, TQ>;       // running max per query
var<workgroup> ls: array<f32, TQ>;       // running sum of exp per query
var<workgroup> rescale: array<f32, TQ>;  // exp(m_old - m_new) of this tile

const MASKED: f32 = -1.0e30;  // a score that is not there (a future key); exp(MASKED - m) = 0

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let q0 = wg.x * TQ;
  let r = lid / K;          // this invocation's query within the tile
  let d = lid % K;          // and output dimension
  let i = q0 + r;           // its query's position
  let scale = 1.0 / sqrt(f32(K));
  if (lid < TQ * K) {
    qs[lid] = select(0.0, q[(i % p.rows) * K + d], i < p.len);
  }
  if (lid < TQ) { ms[lid] = MASKED; ls[lid] = 0.0; }
  var acc = 0.0;
  let last = min(q0 + TQ, p.len) - 1u;        // the tile's last query: no key past it is needed
  let tiles = (last + TK) / TK;
  for (var kt = 0u; kt < tiles; kt++) {
    let k0 = kt * TK;
    for (var e = lid; e < TK * K; e += WG) {
      let j = k0 + e / K;
      let src = (j % p.rows) * K + e % K;
      let ok = j <= last;
      ks[e] = select(0.0, k[src], ok);
      vs[e] = select(0.0, v[src], ok);
    }
    workgroupBarrier();
    for (var e = lid; e < TQ * TK; e += WG) {   // scores of this tile, one per invocation
      let qi = e / TK;
      let kj = e % TK;
      var s = MASKED;
      if (k0 + kj <= q0 + qi && q0 + qi < p.len) {
        var dot = 0.0;
        for (var c = 0u; c < K; c++) { dot += qs[qi * K + c] * ks[kj * K + c]; }
        s = dot * scale;
      }
      ps[e] = s;
    }
    workgroupBarrier();
    if (lid < TQ) {                             // streaming softmax, one invocation per query
      var mt = ms[lid];
      for (var kj = 0u; kj < TK; kj++) { mt = max(mt, ps[lid * TK + kj]); }
      var sum = 0.0;
      for (var kj = 0u; kj < TK; kj++) {
        let w = exp(ps[lid * TK + kj] - mt);
        ps[lid * TK + kj] = w;
        sum += w;
      }
      let f = exp(ms[lid] - mt);
      rescale[lid] = f;
      ls[lid] = ls[lid] * f + sum;
      ms[lid] = mt;
    }
    workgroupBarrier();
    if (lid < TQ * K) {                         // y += weights * values
      acc *= rescale[r];
      for (var kj = 0u; kj < TK; kj++) { acc += ps[r * TK + kj] * vs[kj * K + d]; }
    }
    workgroupBarrier();                         // before the next tile overwrites ks, vs, ps
  }
  if (lid < TQ * K && i < p.len) {
    out[i * K + d] = acc / ls[r];
  }
}
