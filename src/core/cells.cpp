// The tanh RNN, LSTM and GRU cells: forward steps and their vector-Jacobian products; see
// cells.h for the equations and the initialisation.
#include "core/cells.h"

#include <cmath>
#include <cstdint>
#include <cstring>

namespace rnn_lesson {
namespace {

using Eigen::VectorXd;

// Gates go through one vectorised exp each: Eigen's double tanh is scalar and about twice
// as slow as its exp, and the forward pass is dominated by these calls.
// Logistic function in place. z: (n).
template <class Block>
void logistic_in_place(Block&& z) { z = (1.0 / (1.0 + (-z.array()).exp())).matrix(); }
// tanh(z) = 2 logistic(2z) - 1 in place (absolute error ~1e-16; +-1 at the extremes). z: (n).
template <class Block>
void tanh_in_place(Block&& z) { z = (2.0 / (1.0 + (-2.0 * z.array()).exp()) - 1.0).matrix(); }

// Recurrent weights (H, G*H) then input weights (D, G*H), as the header documents.
void draw_blocks(NumpyRandom& rng, int H, int D, int gates, const CellInit& init, Eigen::MatrixXd& Wh,
                 Eigen::MatrixXd& Wx) {
  Wh = rng.randn(H, gates * H) * (init.recurrent_scale / std::sqrt(double(H)));
  Wx = rng.randn(D, gates * H) * (init.input_scale / std::sqrt(double(D)));
}

}  // namespace

CellVjp RecurrentCell::vjp(const VectorXd& state_prev, const VectorXd& x, const VectorXd& state_next,
                           const VectorXd& v_state) const {
  VectorXd record;
  forward(state_prev, x, &record);
  return backward(record, state_prev, state_next, v_state);
}

// ---- tanh RNN ----------------------------------------------------------------------------

TanhRnnCell TanhRnnCell::draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init) {
  TanhRnn r;
  draw_blocks(rng, hidden_size, input_size, 1, init, r.Wh, r.Wx);
  return TanhRnnCell(std::move(r));
}

// record: none needed beyond state_next (h itself gives tanh' = 1 - h^2).
VectorXd TanhRnnCell::forward(const VectorXd& state_prev, const VectorXd& x, VectorXd* record) const {
  if (record) record->resize(0);
  VectorXd h(rnn.hidden_size());
  h.noalias() = rnn.Wh.transpose() * state_prev;
  h.noalias() += rnn.Wx.transpose() * x;
  tanh_in_place(h);
  return h;
}

CellVjp TanhRnnCell::backward(const VectorXd&, const VectorXd&, const VectorXd& state_next,
                              const VectorXd& v_state) const {
  const VectorXd dz = v_state.cwiseProduct((1.0 - state_next.array().square()).matrix());  // (H)
  return {rnn.Wh * dz, rnn.Wx * dz};
}

// ---- LSTM --------------------------------------------------------------------------------

LstmCell LstmCell::draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init) {
  LstmCell cell;
  draw_blocks(rng, hidden_size, input_size, 4, init, cell.Wh, cell.Wx);
  cell.b = VectorXd::Zero(4 * hidden_size);
  cell.b.segment(hidden_size, hidden_size).setConstant(init.forget_bias);
  return cell;
}

// state_prev = [h_prev; c_prev]: (2H), x: (D). record = [i; f; g; o; tanh(c)]: (5H).
VectorXd LstmCell::forward(const VectorXd& state_prev, const VectorXd& x, VectorXd* record) const {
  const int H = hidden_size();
  VectorXd local;
  VectorXd& act = record ? *record : local;
  act.resize(5 * H);
  auto z = act.head(4 * H);  // pre-activations, then activations, in place
  z = b;
  z.noalias() += Wh.transpose() * state_prev.head(H);
  z.noalias() += Wx.transpose() * x;
  logistic_in_place(z.segment(0, 2 * H));  // i, f
  tanh_in_place(z.segment(2 * H, H));      // g
  logistic_in_place(z.segment(3 * H, H));  // o
  VectorXd next(2 * H);
  next.tail(H) = act.segment(H, H).cwiseProduct(state_prev.tail(H)) + act.segment(0, H).cwiseProduct(act.segment(2 * H, H));
  act.tail(H) = next.tail(H);
  tanh_in_place(act.tail(H));
  next.head(H) = act.segment(3 * H, H).cwiseProduct(act.tail(H));
  return next;
}

CellVjp LstmCell::backward(const VectorXd& record, const VectorXd& state_prev, const VectorXd&,
                           const VectorXd& v_state) const {
  const int H = hidden_size();
  const auto i = record.segment(0, H).array(), f = record.segment(H, H).array();
  const auto g = record.segment(2 * H, H).array(), o = record.segment(3 * H, H).array();
  const auto tanh_c = record.segment(4 * H, H).array();
  const auto v_h = v_state.head(H).array();
  const Eigen::ArrayXd v_c = v_state.tail(H).array() + v_h * o * (1.0 - tanh_c.square());  // dL/dc
  VectorXd dz(4 * H);  // dL/d(pre-activations)
  dz.segment(0, H) = (v_c * g * i * (1.0 - i)).matrix();
  dz.segment(H, H) = (v_c * state_prev.tail(H).array() * f * (1.0 - f)).matrix();
  dz.segment(2 * H, H) = (v_c * i * (1.0 - g.square())).matrix();
  dz.segment(3 * H, H) = (v_h * tanh_c * o * (1.0 - o)).matrix();
  CellVjp out;
  out.state_prev.resize(2 * H);
  out.state_prev.head(H).noalias() = Wh * dz;
  out.state_prev.tail(H) = (v_c * f).matrix();
  out.x.noalias() = Wx * dz;
  return out;
}

// ---- GRU ---------------------------------------------------------------------------------

GruCell GruCell::draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init) {
  GruCell cell;
  draw_blocks(rng, hidden_size, input_size, 3, init, cell.Wh, cell.Wx);
  cell.b = VectorXd::Zero(3 * hidden_size);
  cell.b.head(hidden_size).setConstant(init.update_bias);
  return cell;
}

// state_prev = h_prev: (H), x: (D). record = [z; r; n; a_n]: (4H).
VectorXd GruCell::forward(const VectorXd& state_prev, const VectorXd& x, VectorXd* record) const {
  const int H = hidden_size();
  VectorXd local;
  VectorXd& act = record ? *record : local;
  act.resize(4 * H);
  act.head(3 * H).noalias() = Wh.transpose() * state_prev;  // [a_z; a_r; a_n]
  act.tail(H) = act.segment(2 * H, H);                       // keep a_n
  VectorXd u = b;
  u.noalias() += Wx.transpose() * x;  // (3H)
  act.head(2 * H) += u.head(2 * H);
  logistic_in_place(act.head(2 * H));  // z, r
  act.segment(2 * H, H) = u.tail(H) + act.segment(H, H).cwiseProduct(act.tail(H));
  tanh_in_place(act.segment(2 * H, H));  // n
  const auto z = act.head(H), n = act.segment(2 * H, H);
  return n + z.cwiseProduct(state_prev - n);
}

CellVjp GruCell::backward(const VectorXd& record, const VectorXd& state_prev, const VectorXd&,
                          const VectorXd& v_state) const {
  const int H = hidden_size();
  const auto z = record.segment(0, H).array(), r = record.segment(H, H).array();
  const auto n = record.segment(2 * H, H).array(), a_n = record.segment(3 * H, H).array();
  const auto v = v_state.array();
  const Eigen::ArrayXd dn = v * (1.0 - z) * (1.0 - n.square());  // dL/d(pre-activation of n)
  VectorXd du(3 * H);  // dL/d(Wx^T x + b), blocks z, r, n
  du.segment(0, H) = (v * (state_prev.array() - n) * z * (1.0 - z)).matrix();
  du.segment(H, H) = (dn * a_n * r * (1.0 - r)).matrix();
  du.segment(2 * H, H) = dn.matrix();
  VectorXd da = du;  // dL/d(Wh^T h_prev): the n block passes through r
  da.segment(2 * H, H) = (dn * r).matrix();
  CellVjp out;
  out.state_prev = (v * z).matrix();
  out.state_prev.noalias() += Wh * da;
  out.x.noalias() = Wx * du;
  return out;
}

// ---- shared ------------------------------------------------------------------------------

const std::vector<std::string>& recurrent_architectures() {
  static const std::vector<std::string> names = {"rnn", "lstm", "gru"};
  return names;
}

std::unique_ptr<RecurrentCell> draw_cell(const std::string& architecture, NumpyRandom& rng, int hidden_size,
                                         int input_size, const CellInit& init) {
  if (architecture == "rnn") return std::make_unique<TanhRnnCell>(TanhRnnCell::draw(rng, hidden_size, input_size, init));
  if (architecture == "lstm") return std::make_unique<LstmCell>(LstmCell::draw(rng, hidden_size, input_size, init));
  if (architecture == "gru") return std::make_unique<GruCell>(GruCell::draw(rng, hidden_size, input_size, init));
  return nullptr;
}

StepJacobians step_jacobians(const RecurrentCell& cell, const VectorXd& state_prev, const VectorXd& x) {
  const int S = cell.state_size(), D = cell.input_size();
  const VectorXd next = cell.step(state_prev, x);
  StepJacobians J{Eigen::MatrixXd(S, S), Eigen::MatrixXd(S, D)};
  for (int i = 0; i < S; ++i) {
    const CellVjp row = cell.vjp(state_prev, x, next, VectorXd::Unit(S, i));
    J.state.row(i) = row.state_prev.transpose();
    J.input.row(i) = row.x.transpose();
  }
  return J;
}

// ---- float32 fast path -------------------------------------------------------------------
//
// See cells.h. Everything below works on 4-float vectors through a handful of helpers, with
// GCC/Clang generic vectors where available and a plain 4-lane struct otherwise (same
// operations in the same order, so the same results, only slower).

namespace {
namespace fast {

#if defined(__GNUC__)  // GCC and Clang, including em++
typedef float V __attribute__((vector_size(16)));
typedef std::int32_t VI __attribute__((vector_size(16)));
inline V splat(float a) { return V{a, a, a, a}; }
inline V vmin(V a, V b) { return a < b ? a : b; }
inline V vmax(V a, V b) { return a > b ? a : b; }
// a < b ? x : y, per lane.
inline V select_lt(V a, V b, V x, V y) { return a < b ? x : y; }
// 2^n for t = n + 1.5 * 2^23 (n an integer, |n| <= 127), from t's bits.
inline V pow2_from_magic(V t) {
  VI bits;
  std::memcpy(&bits, &t, sizeof bits);
  bits = (bits - 0x4B400000 + 127) << 23;
  V out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}
#else
struct V {
  float l[4];
};
inline V splat(float a) { return V{{a, a, a, a}}; }
#define RNN_LANEWISE(op)                                                              \
  inline V operator op(V a, V b) { return V{{a.l[0] op b.l[0], a.l[1] op b.l[1], a.l[2] op b.l[2], a.l[3] op b.l[3]}}; } \
  inline V operator op(V a, float b) { return a op splat(b); }
RNN_LANEWISE(+)
RNN_LANEWISE(-)
RNN_LANEWISE(*)
RNN_LANEWISE(/)
#undef RNN_LANEWISE
inline V operator-(V a) { return V{{-a.l[0], -a.l[1], -a.l[2], -a.l[3]}}; }
inline V& operator+=(V& a, V b) { return a = a + b; }
inline V select_lt(V a, V b, V x, V y) {
  V out;
  for (int i = 0; i < 4; ++i) out.l[i] = a.l[i] < b.l[i] ? x.l[i] : y.l[i];
  return out;
}
inline V vmin(V a, V b) { return select_lt(a, b, a, b); }
inline V vmax(V a, V b) { return select_lt(b, a, a, b); }
inline V pow2_from_magic(V t) {
  V out;
  for (int i = 0; i < 4; ++i) {
    std::int32_t bits;
    std::memcpy(&bits, &t.l[i], sizeof bits);
    bits = static_cast<std::int32_t>(static_cast<std::uint32_t>(bits - 0x4B400000 + 127) << 23);
    std::memcpy(&out.l[i], &bits, sizeof bits);
  }
  return out;
}
#endif

inline V load(const float* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
inline void store(float* p, V v) { std::memcpy(p, &v, sizeof v); }
// Copies n floats (n a multiple of 4) by vectors: small std::memcpy calls are out-of-line
// calls in wasm.
inline void copy(float* dst, const float* src, int n) {
  for (int i = 0; i < n; i += 4) store(dst + i, load(src + i));
}

// exp(x) in float (Cephes expf: Cody-Waite reduction by ln 2, degree-5 polynomial; about 1
// ulp). The input is clamped to [-87, 88], so the result stays a normal float (exp(-87) =
// 1.6e-38, exp(88) = 1.7e38): callers only use it inside 1/(1 + e).
inline V exp_v(V x) {
  x = vmin(vmax(x, splat(-87.0f)), splat(88.0f));
  const V t = x * splat(1.44269504088896341f) + splat(12582912.0f);  // n + 1.5 * 2^23: rounds x/ln2
  const V n = t - splat(12582912.0f);
  V r = x - n * splat(0.693359375f);
  r = r - n * splat(-2.12194440e-4f);
  V y = splat(1.9875691500e-4f);
  y = y * r + splat(1.3981999507e-3f);
  y = y * r + splat(8.3334519073e-3f);
  y = y * r + splat(4.1665795894e-2f);
  y = y * r + splat(1.6666665459e-1f);
  y = y * r + splat(5.0000001201e-1f);
  y = y * (r * r) + r + splat(1.0f);
  return y * pow2_from_magic(t);
}

inline V sigmoid_v(V x) { return splat(1.0f) / (splat(1.0f) + exp_v(-x)); }

// tanh(x): Eigen 3.4's rational approximation for float (generic_fast_tanh_float, the
// coefficients for builds without FMA): x P(x^2) / Q(x^2), P of degree 6 and Q of degree 3,
// the input clamped to +-7.9053 (tanh there is 1 - 2.7e-7), and x itself below |x| = 4e-4.
// Relative error measured in tests/cells_test.cpp (about 1e-7 over [-20, 20]).
inline V tanh_v(V x_in) {
  const V x = vmin(vmax(x_in, splat(-7.90531110763549805f)), splat(7.90531110763549805f));
  const V x2 = x * x;
  V p = x2 * splat(-2.76076847742355e-16f) + splat(2.00018790482477e-13f);
  p = x2 * p + splat(-8.60467152213735e-11f);
  p = x2 * p + splat(5.12229709037114e-08f);
  p = x2 * p + splat(1.48572235717979e-05f);
  p = x2 * p + splat(6.37261928875436e-04f);
  p = x2 * p + splat(4.89352455891786e-03f);
  p = x * p;
  V q = x2 * splat(1.19825839466702e-06f) + splat(1.18534705686654e-04f);
  q = x2 * q + splat(2.26843463243900e-03f);
  q = x2 * q + splat(4.89352518554385e-03f);
  return select_lt(vmax(x_in, -x_in), splat(0.0004f), x_in, p / q);
}

template <class F>
inline void apply(float* p, int n, F f) {
  for (int i = 0; i < n; i += 4) store(p + i, f(load(p + i)));
}

// Columns of a product, in the order they are summed: for each of `chunks` chunks c, columns
// c * stride + lo .. c * stride + hi - 1 (all columns: chunks = 1, lo = 0, hi = cols).
struct Columns {
  int chunks, stride, lo, hi;
};

// Rows r..r+4B of y = init + M x (init may be null: 0) over the columns `cols`.
template <int B>
inline void gemv_block(const float* M, std::ptrdiff_t ld, int r, Columns cols, const float* x, const float* init,
                       float* y) {
  V a[B];
  for (int k = 0; k < B; ++k) a[k] = init ? load(init + r + 4 * k) : splat(0.0f);
  for (int c = 0; c < cols.chunks; ++c)
    for (int j = c * cols.stride + cols.lo, end = c * cols.stride + cols.hi; j < end; ++j) {
      const float* m = M + j * ld + r;
      const V xj = splat(x[j]);
      for (int k = 0; k < B; ++k) a[k] += load(m + 4 * k) * xj;
    }
  for (int k = 0; k < B; ++k) store(y + r + 4 * k, a[k]);
}

// y = init + M x. M: column-major with leading dimension ld; rows a multiple of 4. Rows go
// in blocks of 8 vectors (8 independent sums, enough to keep the adders busy), the rest in
// one smaller block; each row's sum runs over the columns in order.
void gemv(const float* M, std::ptrdiff_t ld, int rows, Columns cols, const float* x, const float* init, float* y) {
  // Up to 2 leftover vectors join the last block of 8 (a block of 9 or 10): alone, their sums
  // would be latency-bound chains (e.g. the LSTM's backward, 40 rows). Same order per row.
  int r = 0;
  for (; rows - r > 40; r += 32) gemv_block<8>(M, ld, r, cols, x, init, y);
  switch ((rows - r) / 4) {
    case 10: gemv_block<10>(M, ld, r, cols, x, init, y); break;
    case 9: gemv_block<9>(M, ld, r, cols, x, init, y); break;
    case 8: gemv_block<8>(M, ld, r, cols, x, init, y); break;
    case 7: gemv_block<7>(M, ld, r, cols, x, init, y); break;
    case 6: gemv_block<6>(M, ld, r, cols, x, init, y); break;
    case 5: gemv_block<5>(M, ld, r, cols, x, init, y); break;
    case 4: gemv_block<4>(M, ld, r, cols, x, init, y); break;
    case 3: gemv_block<3>(M, ld, r, cols, x, init, y); break;
    case 2: gemv_block<2>(M, ld, r, cols, x, init, y); break;
    case 1: gemv_block<1>(M, ld, r, cols, x, init, y); break;
    default: break;
  }
}
void gemv(const float* M, std::ptrdiff_t ld, int rows, int cols, const float* x, const float* init, float* y) {
  gemv(M, ld, rows, Columns{1, 0, 0, cols}, x, init, y);
}

}  // namespace fast

constexpr int kUnits = 8;  // units per chunk: two vectors
int pad8(int n) { return (n + 7) / 8 * 8; }
int pad4(int n) { return (n + 3) / 4 * 4; }

}  // namespace

double padded_squared_norm(const float* p, int n) {
  fast::V a = fast::splat(0.0f);
  for (int i = 0; i < n; i += 4) {
    const fast::V x = fast::load(p + i);
    a += x * x;
  }
  float l[4];
  fast::store(l, a);
  return static_cast<double>((l[0] + l[1]) + (l[2] + l[3]));
}

std::vector<float> pack_padded(const VectorXd& v, int blocks, int padded_block) {
  std::vector<float> out(static_cast<std::size_t>(blocks) * padded_block, 0.0f);
  const int n = static_cast<int>(v.size()) / blocks;
  for (int b = 0; b < blocks; ++b)
    for (int i = 0; i < n; ++i) out[static_cast<std::size_t>(b) * padded_block + i] = static_cast<float>(v(b * n + i));
  return out;
}

FastCell::FastCell(const RecurrentCell& cell) {
  const Eigen::MatrixXd* Wh = nullptr;
  const Eigen::MatrixXd* Wx = nullptr;
  VectorXd b;
  if (const auto* r = dynamic_cast<const TanhRnnCell*>(&cell)) {
    kind_ = Kind::Rnn;
    Wh = &r->rnn.Wh;
    Wx = &r->rnn.Wx;
    G_ = 1;
  } else if (const auto* l = dynamic_cast<const LstmCell*>(&cell)) {
    kind_ = Kind::Lstm;
    Wh = &l->Wh;
    Wx = &l->Wx;
    b = l->b;
    G_ = 4;
  } else {
    const auto& g = dynamic_cast<const GruCell&>(cell);
    kind_ = Kind::Gru;
    Wh = &g.Wh;
    Wx = &g.Wx;
    b = g.b;
    G_ = 4;  // the n gate in two groups, W_hn h_prev and W_xn x + b_n
  }
  H_ = cell.hidden_size();
  D_ = cell.input_size();
  Hp_ = pad8(H_);
  Dp_ = pad4(D_);
  Sp_ = kind_ == Kind::Lstm ? 2 * Hp_ : Hp_;
  Rp_ = kind_ == Kind::Rnn ? 0 : (kind_ == Kind::Lstm ? 5 : 4) * Hp_;
  const int GHp = G_ * Hp_, C = Hp_ + Dp_;
  W_.assign(static_cast<std::size_t>(GHp) * C, 0.0f);
  b_.assign(GHp, 0.0f);
  // Row of group g for unit u: chunk u / 8 holds the G groups of its 8 units, 8 rows each.
  // Groups: rnn {h}; lstm {i, f, g, o}; gru {hn, z, r, xn} with hn = W_hn h_prev only and
  // xn = W_xn x + b_n only. `src` is the column of Wh / Wx (and entry of b) feeding it.
  struct Group {
    int block;         // gate block in the double cell's (H, G*H) matrices
    bool from_h, from_x;
  };
  std::vector<Group> groups;
  if (kind_ == Kind::Rnn) groups = {{0, true, true}};
  if (kind_ == Kind::Lstm) groups = {{0, true, true}, {1, true, true}, {2, true, true}, {3, true, true}};
  if (kind_ == Kind::Gru) groups = {{2, true, false}, {0, true, true}, {1, true, true}, {2, false, true}};
  for (int u = 0; u < H_; ++u)
    for (int g = 0; g < G_; ++g) {
      const int row = (u / kUnits) * G_ * kUnits + g * kUnits + u % kUnits;
      const int src = groups[g].block * H_ + u;
      if (groups[g].from_x && b.size()) b_[row] = static_cast<float>(b(src));
      if (groups[g].from_h)
        for (int j = 0; j < H_; ++j) W_[static_cast<std::size_t>(j) * GHp + row] = static_cast<float>((*Wh)(j, src));
      if (groups[g].from_x)
        for (int d = 0; d < D_; ++d)
          W_[static_cast<std::size_t>(Hp_ + d) * GHp + row] = static_cast<float>((*Wx)(d, src));
    }
  // Backward: B = W^T, (Hp + Dp, G*Hp) column-major.
  B_.assign(static_cast<std::size_t>(C) * GHp, 0.0f);
  for (int row = 0; row < GHp; ++row)
    for (int j = 0; j < C; ++j) B_[static_cast<std::size_t>(row) * C + j] = W_[static_cast<std::size_t>(j) * GHp + row];
  scratch_.assign(C + GHp, 0.0f);
}

// Forward steps go chunk by chunk (8 units): each chunk's pre-activations are one block of
// the product (8 vectors, kept in registers) and its gates, cell state and output follow at
// once, so their latency overlaps the next chunk's product.
void FastCell::forward(const float* s_prev, const float* x, float* s_next, float* record) {
  using namespace fast;
  const int Hp = Hp_, GHp = G_ * Hp_;
  const float* W = W_.data();
  switch (kind_) {
    case Kind::Rnn:
      copy(scratch_.data(), s_prev, Hp);
      copy(scratch_.data() + Hp, x, Dp_);
      gemv(W, GHp, Hp, Hp + Dp_, scratch_.data(), nullptr, s_next);
      apply(s_next, Hp, tanh_v);
      break;
    case Kind::Lstm:
      // rows per chunk: i, f, g, o (2 vectors each); record per chunk: i, f, g, o, tanh(c)
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits, u = c * kUnits;
        V a[8];
        for (int k = 0; k < 8; ++k) a[k] = load(b_.data() + r + 4 * k);
        for (int j = 0; j < Hp; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(j) * GHp + r;
          const V hj = splat(s_prev[j]);
          for (int k = 0; k < 8; ++k) a[k] += load(m + 4 * k) * hj;
        }
        for (int j = 0; j < Dp_; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(Hp + j) * GHp + r;
          const V xj = splat(x[j]);
          for (int k = 0; k < 8; ++k) a[k] += load(m + 4 * k) * xj;
        }
        for (int k = 0; k < 4; ++k) a[k] = sigmoid_v(a[k]);  // i, f
        a[4] = tanh_v(a[4]);                                  // g
        a[5] = tanh_v(a[5]);
        a[6] = sigmoid_v(a[6]);  // o
        a[7] = sigmoid_v(a[7]);
        for (int q = 0; q < 2; ++q) {
          const V cell = a[2 + q] * load(s_prev + Hp + u + 4 * q) + a[q] * a[4 + q];  // f c_prev + i g
          const V tc = tanh_v(cell);
          store(s_next + Hp + u + 4 * q, cell);
          store(s_next + u + 4 * q, a[6 + q] * tc);
          if (record) store(record + c * 5 * kUnits + 32 + 4 * q, tc);
        }
        if (record)
          for (int k = 0; k < 8; ++k) store(record + c * 5 * kUnits + 4 * k, a[k]);
      }
      break;
    case Kind::Gru:
      // rows per chunk: hn (from h only), z, r, xn (from x only); record per chunk: a_n, z, r, n
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits, u = c * kUnits;
        V a[8];
        for (int k = 0; k < 8; ++k) a[k] = load(b_.data() + r + 4 * k);  // hn's bias is 0
        for (int j = 0; j < Hp; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(j) * GHp + r;
          const V hj = splat(s_prev[j]);
          for (int k = 0; k < 6; ++k) a[k] += load(m + 4 * k) * hj;
        }
        for (int j = 0; j < Dp_; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(Hp + j) * GHp + r;
          const V xj = splat(x[j]);
          for (int k = 2; k < 8; ++k) a[k] += load(m + 4 * k) * xj;
        }
        for (int k = 2; k < 6; ++k) a[k] = sigmoid_v(a[k]);  // z, r
        for (int q = 0; q < 2; ++q) {
          const V n = tanh_v(a[6 + q] + a[4 + q] * a[q]);  // tanh(x_n + r * a_n)
          store(s_next + u + 4 * q, n + a[2 + q] * (load(s_prev + u + 4 * q) - n));
          a[6 + q] = n;
        }
        if (record)
          for (int k = 0; k < 8; ++k) store(record + r + 4 * k, a[k]);
      }
      break;
  }
}

void FastCell::backward(const float* record, const float* s_prev, const float* s_next, const float* v,
                        float* v_prev, float* g_x) {
  using namespace fast;
  const int Hp = Hp_, GHp = G_ * Hp_, C = Hp_ + Dp_;
  float* out = scratch_.data();    // (C): [v_h_prev; g_x] for the rnn and the lstm
  float* dz = scratch_.data() + C;  // (G*Hp), in the forward's row order
  const V one = splat(1.0f);
  switch (kind_) {
    case Kind::Rnn:
      for (int k = 0; k < Hp; k += 4) {
        const V h = load(s_next + k);
        store(dz + k, load(v + k) * (one - h * h));
      }
      gemv(B_.data(), C, C, Hp, dz, nullptr, out);
      copy(v_prev, out, Hp);
      copy(g_x, out + Hp, Dp_);
      break;
    case Kind::Lstm:
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits;
        for (int q = 0; q < 2; ++q) {
          const int u = c * kUnits + 4 * q;
          const float* rec = record + c * 5 * kUnits + 4 * q;
          const V ik = load(rec), fk = load(rec + 8), gk = load(rec + 16), ok = load(rec + 24), tk = load(rec + 32);
          const V vh = load(v + u);
          const V vc = load(v + Hp + u) + vh * ok * (one - tk * tk);
          store(dz + r + 4 * q, vc * gk * ik * (one - ik));
          store(dz + r + 8 + 4 * q, vc * load(s_prev + Hp + u) * fk * (one - fk));
          store(dz + r + 16 + 4 * q, vc * ik * (one - gk * gk));
          store(dz + r + 24 + 4 * q, vh * tk * ok * (one - ok));
          store(v_prev + Hp + u, vc * fk);
        }
      }
      gemv(B_.data(), C, C, GHp, dz, nullptr, out);
      copy(v_prev, out, Hp);
      copy(g_x, out + Hp, Dp_);
      break;
    case Kind::Gru:
      // dz per chunk: [dn r, du_z, du_r, dn] for the groups hn, z, r, xn; h_prev's rows of B
      // read the first three groups, x's rows the last three.
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits;
        for (int q = 0; q < 2; ++q) {
          const int u = c * kUnits + 4 * q;
          const float* rec = record + r + 4 * q;
          const V a_n = load(rec), zk = load(rec + 8), rk = load(rec + 16), nk = load(rec + 24), vk = load(v + u);
          const V dn = vk * (one - zk) * (one - nk * nk);
          store(dz + r + 4 * q, dn * rk);
          store(dz + r + 8 + 4 * q, vk * (load(s_prev + u) - nk) * zk * (one - zk));
          store(dz + r + 16 + 4 * q, dn * a_n * rk * (one - rk));
          store(dz + r + 24 + 4 * q, dn);
          store(v_prev + u, vk * zk);  // the init of v_prev = v z + Wh da
        }
      }
      gemv(B_.data(), C, Hp, Columns{Hp / kUnits, 4 * kUnits, 0, 3 * kUnits}, dz, v_prev, v_prev);
      gemv(B_.data() + Hp, C, Dp_, Columns{Hp / kUnits, 4 * kUnits, kUnits, 4 * kUnits}, dz, nullptr, g_x);
      break;
  }
}

VectorXd FastCell::step(const VectorXd& state, const VectorXd& x) {
  const int blocks = kind_ == Kind::Lstm ? 2 : 1;
  const std::vector<float> s = pack_padded(state, blocks, Hp_), xp = pack_padded(x, 1, Dp_);
  std::vector<float> next(Sp_);
  forward(s.data(), xp.data(), next.data(), nullptr);
  VectorXd out(blocks * H_);
  for (int b = 0; b < blocks; ++b)
    for (int i = 0; i < H_; ++i) out(b * H_ + i) = next[b * Hp_ + i];
  return out;
}

CellVjp FastCell::vjp(const VectorXd& state_prev, const VectorXd& x, const VectorXd& v_state) {
  const int blocks = kind_ == Kind::Lstm ? 2 : 1;
  const std::vector<float> s = pack_padded(state_prev, blocks, Hp_), xp = pack_padded(x, 1, Dp_),
                           v = pack_padded(v_state, blocks, Hp_);
  std::vector<float> next(Sp_), record(Rp_), v_prev(Sp_), g_x(Dp_);
  forward(s.data(), xp.data(), next.data(), record.data());
  backward(record.data(), s.data(), next.data(), v.data(), v_prev.data(), g_x.data());
  CellVjp out{VectorXd(blocks * H_), VectorXd(D_)};
  for (int b = 0; b < blocks; ++b)
    for (int i = 0; i < H_; ++i) out.state_prev(b * H_ + i) = v_prev[b * Hp_ + i];
  for (int d = 0; d < D_; ++d) out.x(d) = g_x[d];
  return out;
}

}  // namespace rnn_lesson
