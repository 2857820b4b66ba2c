// The tanh RNN, LSTM and GRU cells: forward steps and their vector-Jacobian products; see
// cells.h for the equations and the initialisation.
#include "core/cells.h"

#include <cmath>

namespace rnn_lesson {
namespace {

using Eigen::VectorXd;

// Elementwise logistic function. z: (n); returns (n).
VectorXd sigmoid(const VectorXd& z) { return (1.0 / (1.0 + (-z.array()).exp())).matrix(); }

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
  return rnn.step(state_prev, x);
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
  VectorXd z = b;
  z.noalias() += Wh.transpose() * state_prev.head(H);
  z.noalias() += Wx.transpose() * x;  // (4H)
  const VectorXd i = sigmoid(z.segment(0, H)), f = sigmoid(z.segment(H, H));
  const VectorXd g = z.segment(2 * H, H).array().tanh().matrix(), o = sigmoid(z.segment(3 * H, H));
  VectorXd next(2 * H);
  next.tail(H) = f.cwiseProduct(state_prev.tail(H)) + i.cwiseProduct(g);
  const VectorXd tanh_c = next.tail(H).array().tanh().matrix();
  next.head(H) = o.cwiseProduct(tanh_c);
  if (record) {
    record->resize(5 * H);
    *record << i, f, g, o, tanh_c;
  }
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
  return cell;
}

// state_prev = h_prev: (H), x: (D). record = [z; r; n; a_n]: (4H).
VectorXd GruCell::forward(const VectorXd& state_prev, const VectorXd& x, VectorXd* record) const {
  const int H = hidden_size();
  VectorXd a(3 * H);
  a.noalias() = Wh.transpose() * state_prev;  // (3H)
  VectorXd u = b;
  u.noalias() += Wx.transpose() * x;  // (3H)
  const VectorXd z = sigmoid(u.segment(0, H) + a.segment(0, H));
  const VectorXd r = sigmoid(u.segment(H, H) + a.segment(H, H));
  const VectorXd n = (u.segment(2 * H, H) + r.cwiseProduct(a.segment(2 * H, H))).array().tanh().matrix();
  if (record) {
    record->resize(4 * H);
    *record << z, r, n, a.segment(2 * H, H);
  }
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

}  // namespace rnn_lesson
