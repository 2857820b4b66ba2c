// The trainable recurrences: tanh RNN, LSTM, GRU (the equations of cells.h, batched in
// float32) and minGRU, each with backpropagation through time, full or truncated. See
// trainable.h for the parameter layout and initialisation.
//
// Truncation to the last W steps: the gradient is carried back through steps T-1 .. T-W
// only, so inputs (and parameter uses) before T-W get no gradient at all. In this task the
// loss is at the last step only, so with W < T the first token is never reached.
#include <cmath>

#include "core/blocks/cells.h"
#include "core/blocks/trainable_models.h"

namespace rnn_lesson {
namespace {

using Eigen::MatrixXf;

// Elementwise logistic in place, as 1/2 + tanh(z/2) / 2: Eigen's float tanh is a rational
// function, without exp's range reduction (measured: the LSTM's step 12% of a training step
// as 1 / (1 + exp(-z))). A block of any shape.
template <class Block>
void logistic_in_place(Block&& z) { z = (0.5f + 0.5f * (0.5f * z.array()).tanh()).matrix(); }
template <class Block>
void tanh_in_place(Block&& z) { z = z.array().tanh().matrix(); }

MatrixXf to_float(const Eigen::MatrixXd& m) { return m.cast<float>(); }

}  // namespace

// ---- shared by every recurrence ----------------------------------------------------------

const MatrixXf& RecurrentModel::encode(const MatrixXf& x, int T, int B) {
  U_.noalias() = params[wx_] * x;  // (G*H, T*B)
  U_.colwise() += params[b_].col(0);
  H_.resize(params[0].cols(), static_cast<Eigen::Index>(T + 1) * B);
  H_.leftCols(B).setZero();
  run_steps(T, B);
  last_ = h_at(T - 1, B);
  return last_;
}

void RecurrentModel::encode_backward(const MatrixXf& x, int T, int B, const MatrixXf& d_summary, int window,
                                     MatrixXf* d_inputs) {
  const int first = window > 0 ? T - window : 0;  // the earliest step the gradient reaches
  dU_.resize(U_.rows(), U_.cols());                 // back_steps writes every column from `first` on
  dU_.leftCols(static_cast<Eigen::Index>(first) * B).setZero();
  back_steps(T, B, first, d_summary);
  grads[wx_].noalias() = dU_ * x.transpose();
  grads[b_] = dU_.rowwise().sum();
  if (d_inputs) d_inputs->noalias() = params[wx_].transpose() * dU_;
}

// ---- rnn, lstm, gru ----------------------------------------------------------------------

GatedRecurrence::GatedRecurrence(const std::string& architecture, NumpyRandom& rng, int hidden_size, int input_size,
                                 int classes, const TrainableInit& init)
    : RecurrentModel(architecture, hidden_size, classes) {
  kind_ = architecture == "lstm" ? Kind::Lstm : architecture == "gru" ? Kind::Gru : Kind::Rnn;
  CellInit cell_init;
  cell_init.recurrent_scale = 1.0;
  cell_init.input_scale = 1.0;
  cell_init.forget_bias = init.forget_bias;
  const auto cell = draw_cell(architecture, rng, hidden_size, input_size, cell_init);
  if (kind_ == Kind::Rnn) {
    const auto& rnn = static_cast<const TanhRnnCell&>(*cell).rnn;
    wh_ = add("Wh", to_float(rnn.Wh.transpose()));
    wx_ = add("Wx", to_float(rnn.Wx.transpose()));
    b_ = add("b", MatrixXf::Zero(hidden_size, 1));
  } else {
    const auto& c = *cell;
    const Eigen::MatrixXd& Wh = kind_ == Kind::Lstm ? static_cast<const LstmCell&>(c).Wh : static_cast<const GruCell&>(c).Wh;
    const Eigen::MatrixXd& Wx = kind_ == Kind::Lstm ? static_cast<const LstmCell&>(c).Wx : static_cast<const GruCell&>(c).Wx;
    const Eigen::VectorXd& b = kind_ == Kind::Lstm ? static_cast<const LstmCell&>(c).b : static_cast<const GruCell&>(c).b;
    wh_ = add("Wh", to_float(Wh.transpose()));
    wx_ = add("Wx", to_float(Wx.transpose()));
    b_ = add("b", to_float(b));
  }
  draw_readout(rng);
}

void GatedRecurrence::run_steps(int T, int B) {
  const Eigen::Index H = params[0].cols();
  const MatrixXf& Wh = params[wh_];
  if (kind_ == Kind::Lstm) {
    gates_.resize(4 * H, static_cast<Eigen::Index>(T) * B);
    cells_.resize(H, static_cast<Eigen::Index>(T + 1) * B);
    tanh_c_.resize(H, static_cast<Eigen::Index>(T) * B);
    cells_.leftCols(B).setZero();
  } else if (kind_ == Kind::Gru) {
    gates_.resize(4 * H, static_cast<Eigen::Index>(T) * B);
  }
  for (int t = 0; t < T; ++t) {
    const Eigen::Index col = static_cast<Eigen::Index>(t) * B;
    auto h_prev = h_before(t, B);
    auto h = h_at(t, B);
    if (kind_ == Kind::Rnn) {  // h = tanh(Wh h_prev + U_t)
      h = U_.middleCols(col, B);
      h.noalias() += Wh * h_prev;
      tanh_in_place(h);
    } else if (kind_ == Kind::Lstm) {  // c = f c_prev + i g, h = o tanh(c)
      auto g = gates_.middleCols(col, B);
      g = U_.middleCols(col, B);
      g.noalias() += Wh * h_prev;
      logistic_in_place(g.topRows(2 * H));     // i, f
      tanh_in_place(g.middleRows(2 * H, H));   // g
      logistic_in_place(g.bottomRows(H));      // o
      auto c = cells_.middleCols(col + B, B);
      c = g.middleRows(H, H).cwiseProduct(cells_.middleCols(col, B)) + g.topRows(H).cwiseProduct(g.middleRows(2 * H, H));
      auto tc = tanh_c_.middleCols(col, B);
      tc = c.array().tanh().matrix();
      h = g.bottomRows(H).cwiseProduct(tc);
    } else {  // gru: z, r = sigma(U + a), n = tanh(U_n + r a_n), h = n + z (h_prev - n)
      auto g = gates_.middleCols(col, B);
      g.topRows(3 * H).noalias() = Wh * h_prev;      // a_z, a_r, a_n
      g.bottomRows(H) = g.middleRows(2 * H, H);      // keep a_n
      g.topRows(2 * H) += U_.middleCols(col, B).topRows(2 * H);
      logistic_in_place(g.topRows(2 * H));
      g.middleRows(2 * H, H) = U_.middleCols(col, B).bottomRows(H) + g.middleRows(H, H).cwiseProduct(g.bottomRows(H));
      tanh_in_place(g.middleRows(2 * H, H));
      const auto z = g.topRows(H), n = g.middleRows(2 * H, H);
      h = n + z.cwiseProduct(h_prev - n);
    }
  }
}

void GatedRecurrence::back_steps(int T, int B, int first, MatrixXf dh) {
  const Eigen::Index H = params[0].cols();
  const MatrixXf& Wh = params[wh_];
  MatrixXf& dWh = grads[wh_];
  dWh.setZero();
  MatrixXf dc = MatrixXf::Zero(H, B);  // lstm: d loss / d c_t
  for (int t = T - 1; t >= first; --t) {
    const Eigen::Index col = static_cast<Eigen::Index>(t) * B;
    auto dz = dU_.middleCols(col, B);  // d loss / d (pre-activations) = d loss / d U_t
    const auto h_prev = h_before(t, B);
    if (kind_ == Kind::Rnn) {
      const auto h = h_at(t, B).array();
      dz = (dh.array() * (1 - h.square())).matrix();
    } else if (kind_ == Kind::Lstm) {
      const auto g = gates_.middleCols(col, B);
      const auto i = g.topRows(H).array(), f = g.middleRows(H, H).array();
      const auto gg = g.middleRows(2 * H, H).array(), o = g.bottomRows(H).array();
      const auto tc = tanh_c_.middleCols(col, B).array();
      dc.array() += dh.array() * o * (1 - tc.square());
      dz.topRows(H) = (dc.array() * gg * i * (1 - i)).matrix();
      dz.middleRows(H, H) = (dc.array() * cells_.middleCols(col, B).array() * f * (1 - f)).matrix();
      dz.middleRows(2 * H, H) = (dc.array() * i * (1 - gg.square())).matrix();
      dz.bottomRows(H) = (dh.array() * tc * o * (1 - o)).matrix();
      dc.array() *= f;
    } else {
      const auto g = gates_.middleCols(col, B);
      const auto z = g.topRows(H).array(), r = g.middleRows(H, H).array();
      const auto n = g.middleRows(2 * H, H).array(), a_n = g.bottomRows(H).array();
      const Eigen::ArrayXXf dn = dh.array() * (1 - z) * (1 - n.square());
      dz.topRows(H) = (dh.array() * (h_prev.array() - n) * z * (1 - z)).matrix();
      dz.middleRows(H, H) = (dn * a_n * r * (1 - r)).matrix();
      dz.bottomRows(H) = dn.matrix();
      // d loss / d (Wh h_prev): as dz, but the n block passes through r.
      z_ = dz;
      z_.bottomRows(H).array() *= r;
      dWh.noalias() += z_ * h_prev.transpose();
      if (t > first) {
        dh.array() *= z;
        dh.noalias() += Wh.transpose() * z_;
      }
      continue;
    }
    dWh.noalias() += dz * h_prev.transpose();
    if (t > first) dh.noalias() = Wh.transpose() * dz;
  }
}

// ---- minGRU ------------------------------------------------------------------------------

LinearRecurrence::LinearRecurrence(NumpyRandom& rng, int hidden_size, int input_size, int classes,
                                   const TrainableInit& init)
    : RecurrentModel("linear", hidden_size, classes) {
  wx_ = add("Wx", to_float(rng.randn(input_size, 2 * hidden_size).transpose() / std::sqrt(double(input_size))));
  MatrixXf b = MatrixXf::Zero(2 * hidden_size, 1);
  b.topRows(hidden_size).setConstant(static_cast<float>(init.linear_gate_bias));
  b_ = add("b", std::move(b));
  draw_readout(rng);
}

// U = [Wz x + bz; Wh x + bh]: z = sigma(U_z), h = h_prev + z (h~ - h_prev).
void LinearRecurrence::run_steps(int T, int B) {
  const Eigen::Index H = params[0].cols();
  z_ = U_.topRows(H);
  logistic_in_place(z_);
  for (int t = 0; t < T; ++t) {
    const Eigen::Index col = static_cast<Eigen::Index>(t) * B;
    const auto h_prev = h_before(t, B);
    h_at(t, B) = h_prev + z_.middleCols(col, B).cwiseProduct(U_.middleCols(col, B).bottomRows(H) - h_prev);
  }
}

void LinearRecurrence::back_steps(int T, int B, int first, MatrixXf dh) {
  const Eigen::Index H = params[0].cols();
  for (int t = T - 1; t >= first; --t) {
    const Eigen::Index col = static_cast<Eigen::Index>(t) * B;
    const auto z = z_.middleCols(col, B).array();
    const auto h_tilde = U_.middleCols(col, B).bottomRows(H).array();
    auto du = dU_.middleCols(col, B);
    du.bottomRows(H) = (dh.array() * z).matrix();
    du.topRows(H) = (dh.array() * (h_tilde - h_before(t, B).array()) * z * (1 - z)).matrix();
    dh.array() *= 1 - z;  // the decay: the only path back in time
  }
}

}  // namespace rnn_lesson
