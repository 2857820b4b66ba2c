// FastCell, the float32 path of the recurrent cells (see fast_cell.h): a blocked matrix-vector
// product and the padded forward and backward steps, on the 4-float vectors and gate
// functions of fast_gates.h (on simd.h).
#include "core/blocks/fast_cell.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/blocks/fast_gates.h"

namespace rnn_lesson {

using Eigen::VectorXd;

namespace fast {  // with core/blocks/fast_gates.h

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
  for (int k = 0; k < B; ++k) a[k] = init ? load<V>(init + r + 4 * k) : splat<V>(0.0f);
  for (int c = 0; c < cols.chunks; ++c)
    for (int j = c * cols.stride + cols.lo, end = c * cols.stride + cols.hi; j < end; ++j) {
      const float* m = M + j * ld + r;
      const V xj = splat<V>(x[j]);
      for (int k = 0; k < B; ++k) a[k] += load<V>(m + 4 * k) * xj;
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

namespace {

constexpr int kUnits = 8;  // units per chunk: two vectors
int pad8(int n) { return (n + 7) / 8 * 8; }
int pad4(int n) { return (n + 3) / 4 * 4; }

}  // namespace

double padded_squared_norm(const float* p, int n) {
  using V = simd::F4;
  V a = simd::splat<V>(0.0f);
  for (int i = 0; i < n; i += 4) {
    const V x = simd::load<V>(p + i);
    a += x * x;
  }
  float l[4];
  simd::store(l, a);
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
      simd::copy<V>(scratch_.data(), s_prev, Hp);
      simd::copy<V>(scratch_.data() + Hp, x, Dp_);
      gemv(W, GHp, Hp, Hp + Dp_, scratch_.data(), nullptr, s_next);
      simd::apply<V>(s_next, Hp, tanh_v);
      break;
    case Kind::Lstm:
      // rows per chunk: i, f, g, o (2 vectors each); record per chunk: i, f, g, o, tanh(c)
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits, u = c * kUnits;
        V a[8];
        for (int k = 0; k < 8; ++k) a[k] = load<V>(b_.data() + r + 4 * k);
        for (int j = 0; j < Hp; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(j) * GHp + r;
          const V hj = splat<V>(s_prev[j]);
          for (int k = 0; k < 8; ++k) a[k] += load<V>(m + 4 * k) * hj;
        }
        for (int j = 0; j < Dp_; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(Hp + j) * GHp + r;
          const V xj = splat<V>(x[j]);
          for (int k = 0; k < 8; ++k) a[k] += load<V>(m + 4 * k) * xj;
        }
        for (int k = 0; k < 4; ++k) a[k] = sigmoid_v(a[k]);  // i, f
        a[4] = tanh_v(a[4]);                                  // g
        a[5] = tanh_v(a[5]);
        a[6] = sigmoid_v(a[6]);  // o
        a[7] = sigmoid_v(a[7]);
        for (int q = 0; q < 2; ++q) {
          const V cell = a[2 + q] * load<V>(s_prev + Hp + u + 4 * q) + a[q] * a[4 + q];  // f c_prev + i g
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
        for (int k = 0; k < 8; ++k) a[k] = load<V>(b_.data() + r + 4 * k);  // hn's bias is 0
        for (int j = 0; j < Hp; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(j) * GHp + r;
          const V hj = splat<V>(s_prev[j]);
          for (int k = 0; k < 6; ++k) a[k] += load<V>(m + 4 * k) * hj;
        }
        for (int j = 0; j < Dp_; ++j) {
          const float* m = W + static_cast<std::ptrdiff_t>(Hp + j) * GHp + r;
          const V xj = splat<V>(x[j]);
          for (int k = 2; k < 8; ++k) a[k] += load<V>(m + 4 * k) * xj;
        }
        for (int k = 2; k < 6; ++k) a[k] = sigmoid_v(a[k]);  // z, r
        for (int q = 0; q < 2; ++q) {
          const V n = tanh_v(a[6 + q] + a[4 + q] * a[q]);  // tanh(x_n + r * a_n)
          store(s_next + u + 4 * q, n + a[2 + q] * (load<V>(s_prev + u + 4 * q) - n));
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
  const V one = splat<V>(1.0f);
  switch (kind_) {
    case Kind::Rnn:
      for (int k = 0; k < Hp; k += 4) {
        const V h = load<V>(s_next + k);
        store(dz + k, load<V>(v + k) * (one - h * h));
      }
      gemv(B_.data(), C, C, Hp, dz, nullptr, out);
      simd::copy<V>(v_prev, out, Hp);
      simd::copy<V>(g_x, out + Hp, Dp_);
      break;
    case Kind::Lstm:
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits;
        for (int q = 0; q < 2; ++q) {
          const int u = c * kUnits + 4 * q;
          const float* rec = record + c * 5 * kUnits + 4 * q;
          const V ik = load<V>(rec), fk = load<V>(rec + 8), gk = load<V>(rec + 16), ok = load<V>(rec + 24);
          const V tk = load<V>(rec + 32);
          const V vh = load<V>(v + u);
          const V vc = load<V>(v + Hp + u) + vh * ok * (one - tk * tk);
          store(dz + r + 4 * q, vc * gk * ik * (one - ik));
          store(dz + r + 8 + 4 * q, vc * load<V>(s_prev + Hp + u) * fk * (one - fk));
          store(dz + r + 16 + 4 * q, vc * ik * (one - gk * gk));
          store(dz + r + 24 + 4 * q, vh * tk * ok * (one - ok));
          store(v_prev + Hp + u, vc * fk);
        }
      }
      gemv(B_.data(), C, C, GHp, dz, nullptr, out);
      simd::copy<V>(v_prev, out, Hp);
      simd::copy<V>(g_x, out + Hp, Dp_);
      break;
    case Kind::Gru:
      // dz per chunk: [dn r, du_z, du_r, dn] for the groups hn, z, r, xn; h_prev's rows of B
      // read the first three groups, x's rows the last three.
      for (int c = 0; c < Hp / kUnits; ++c) {
        const int r = c * 4 * kUnits;
        for (int q = 0; q < 2; ++q) {
          const int u = c * kUnits + 4 * q;
          const float* rec = record + r + 4 * q;
          const V a_n = load<V>(rec), zk = load<V>(rec + 8), rk = load<V>(rec + 16), nk = load<V>(rec + 24), vk = load<V>(v + u);
          const V dn = vk * (one - zk) * (one - nk * nk);
          store(dz + r + 4 * q, dn * rk);
          store(dz + r + 8 + 4 * q, vk * (load<V>(s_prev + u) - nk) * zk * (one - zk));
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
