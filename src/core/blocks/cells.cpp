// The tanh RNN, LSTM and GRU cells: forward steps and their vector-Jacobian products; see
// cells.h for the equations and the initialisation.
#include "core/blocks/cells.h"

#include <cmath>

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

}  // namespace rnn_lesson
