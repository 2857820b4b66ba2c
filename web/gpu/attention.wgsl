// Causal single-head attention over L tokens: y_i = sum_{j<=i} softmax_j(q_i . k_j / sqrt(K)) v_j.
// Tiled like FlashAttention-2: a workgroup takes TQ consecutive queries, one per invocation, each
// holding its query q_i and its output row in private memory (registers where they fit), and walks
// the keys tile by tile: a tile of TK keys and values is loaded once into workgroup memory by all
// TQ invocations together and then used by all TQ queries (each key is read from memory L/TQ times,
// not L times). The softmax is streamed: per query a running max m and sum l; when a tile raises m,
// the earlier sum and output are rescaled by exp(m_old - m_new) once for the tile. No L x L matrix is
// ever stored (memory O(L K)), and key tiles past the workgroup's last query are skipped (causality
// halves the work). Two barriers per tile, whatever K. Rows are reused cyclically: row t mod Lc.
// K and TK size private arrays, which WGSL allows only for constants: the worker writes their values
// into the two `const` lines below before compiling (a text substitution, no eval).
const K: u32 = 64u;    // key size = value size (1..256)
const TK: u32 = 32u;   // keys per tile: 2*TK*K floats of workgroup memory (<= 16 KB)
override TQ: u32 = 64u;  // queries per workgroup = workgroup size

struct Params { len: u32, rows: u32 }  // L, Lc
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> q: array<f32>;   // Lc*K
@group(0) @binding(2) var<storage, read> k: array<f32>;   // Lc*K
@group(0) @binding(3) var<storage, read> v: array<f32>;   // Lc*K
@group(0) @binding(4) var<storage, read_write> out: array<f32>;  // L*K

var<workgroup> ks: array<f32, TK * K>;
var<workgroup> vs: array<f32, TK * K>;

@compute @workgroup_size(TQ)
fn main(@builtin(local_invocation_index) lid: u32, @builtin(workgroup_id) wg: vec3<u32>) {
  let q0 = wg.x * TQ;
  let i = q0 + lid;                       // this invocation's query
  let live = i < p.len;
  let scale = 1.0 / sqrt(f32(K));
  var qi: array<f32, K>;
  var o: array<f32, K>;
  let qrow = (i % p.rows) * K;
  for (var c = 0u; c < K; c++) {
    qi[c] = select(0.0, q[qrow + c] * scale, live);
    o[c] = 0.0;
  }
  var m = -1.0e30;  // running max of the scores seen (key 0 is always seen first, so m turns finite)
  var l = 0.0;      // running sum of exp(score - m)
  var s: array<f32, TK>;
  let last = min(q0 + TQ, p.len) - 1u;    // the workgroup's last query: no key past it is needed
  let tiles = (last + TK) / TK;
  for (var kt = 0u; kt < tiles; kt++) {
    let k0 = kt * TK;
    for (var e = lid; e < TK * K; e += TQ) {
      let j = k0 + e / K;
      let src = (j % p.rows) * K + e % K;
      let ok = j <= last;
      ks[e] = select(0.0, k[src], ok);
      vs[e] = select(0.0, v[src], ok);
    }
    workgroupBarrier();
    if (live && k0 <= i) {
      let n = min(TK, i - k0 + 1u);        // keys of this tile at or before query i
      var mt = m;
      for (var kj = 0u; kj < n; kj++) {
        var dot = 0.0;
        for (var c = 0u; c < K; c++) { dot += qi[c] * ks[kj * K + c]; }
        s[kj] = dot;
        mt = max(mt, dot);
      }
      let f = exp(m - mt);                  // 0 on the first tile (m = -1e30), 1 when m did not move
      l *= f;
      for (var c = 0u; c < K; c++) { o[c] *= f; }
      m = mt;
      for (var kj = 0u; kj < n; kj++) {
        let w = exp(s[kj] - m);
        l += w;
        for (var c = 0u; c < K; c++) { o[c] += w * vs[kj * K + c]; }
      }
    }
    workgroupBarrier();                     // before the next tile overwrites ks and vs
  }
  if (live) {
    let inv = 1.0 / l;
    for (var c = 0u; c < K; c++) { out[i * K + c] = o[c] * inv; }
  }
}
