// Recurrent cells behind one interface: the kata's tanh RNN, an LSTM and a GRU.
//
// A cell carries a state of size S from step to step and exposes its hidden output h (the
// first H entries of the state): S = H for the RNN and the GRU, S = 2H for the LSTM, whose
// state is [h; c]. Each cell has a forward step and the exact backward step as a
// vector-Jacobian product (reverse mode), so a gradient can be carried back through T
// steps in O(T S^2) work without ever forming a Jacobian matrix.
//
// Equations (column vectors; sigma is the logistic function, * is elementwise):
//   rnn:  h = tanh(Wh^T h_prev + Wx^T x)
//   lstm: [i f g o] = Wh^T h_prev + Wx^T x + b, i, f, o = sigma(.), g = tanh(.)
//         c = f * c_prev + i * g,  h = o * tanh(c)
//   gru:  [a_z a_r a_n] = Wh^T h_prev,  [x_z x_r x_n] = Wx^T x + b
//         z = sigma(x_z + a_z), r = sigma(x_r + a_r), n = tanh(x_n + r * a_n)
//         h = (1 - z) * n + z * h_prev          (PyTorch's form: r gates W_hn h_prev)
//
// Initialisation (every cell, from one NumpyRandom stream, recurrent weights first):
//   Wh = randn(H, G*H) * recurrent_scale / sqrt(H),  Wx = randn(D, G*H) * input_scale / sqrt(D)
// with G gate blocks (1, 4, 3). Each (H, H) recurrent block then has spectral radius close
// to recurrent_scale (the circular law). Biases are 0 except the LSTM's forget-gate block,
// which is forget_bias, and the GRU's update-gate block z, which is update_bias (z is the
// fraction of h_prev kept, so for both a higher bias keeps more). With input_scale 0.5 the
// RNN draws exactly the kata's weights.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"

namespace rnn_lesson {

struct CellInit {
  double recurrent_scale = 0.9;  // Wh blocks = randn(H, H) * recurrent_scale / sqrt(H)
  double input_scale = 0.5;      // Wx blocks = randn(D, H) * input_scale / sqrt(D)
  double forget_bias = 1.0;      // LSTM forget-gate bias
  double update_bias = 0.0;      // GRU update-gate (z) bias
};

// The result of a vector-Jacobian product through one step.
struct CellVjp {
  Eigen::VectorXd state_prev;  // (S): v_state^T d state_next / d state_prev
  Eigen::VectorXd x;           // (D): v_state^T d state_next / d x
};

class RecurrentCell {
 public:
  virtual ~RecurrentCell() = default;

  virtual std::string architecture() const = 0;  // "rnn", "lstm", "gru"
  virtual int hidden_size() const = 0;           // H
  virtual int input_size() const = 0;            // D
  virtual int state_size() const = 0;            // S

  // The hidden output h of a state. state: (S); returns (H).
  Eigen::VectorXd hidden(const Eigen::VectorXd& state) const { return state.head(hidden_size()); }

  // One step. state_prev: (S), x: (D); returns state_next (S). If `record` is given it
  // receives the step's gate activations, which `backward` needs.
  virtual Eigen::VectorXd forward(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x,
                                  Eigen::VectorXd* record) const = 0;

  // Reverse mode through one step from its record. state_prev, state_next, v_state: (S).
  virtual CellVjp backward(const Eigen::VectorXd& record, const Eigen::VectorXd& state_prev,
                           const Eigen::VectorXd& state_next, const Eigen::VectorXd& v_state) const = 0;

  // state: (S), x: (D); returns (S).
  Eigen::VectorXd step(const Eigen::VectorXd& state, const Eigen::VectorXd& x) const {
    return forward(state, x, nullptr);
  }

  // v_state^T times the step's Jacobians, recomputing the gates from state_prev and x.
  // state_prev, state_next, v_state: (S), x: (D).
  CellVjp vjp(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x, const Eigen::VectorXd& state_next,
              const Eigen::VectorXd& v_state) const;
};

class TanhRnnCell : public RecurrentCell {
 public:
  explicit TanhRnnCell(TanhRnn r) : rnn(std::move(r)) {}
  // Draws exactly like TanhRnn::draw (Wh then Wx), with input weights scaled by input_scale.
  static TanhRnnCell draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init);

  std::string architecture() const override { return "rnn"; }
  int hidden_size() const override { return rnn.hidden_size(); }
  int input_size() const override { return rnn.input_size(); }
  int state_size() const override { return rnn.hidden_size(); }
  Eigen::VectorXd forward(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x,
                          Eigen::VectorXd* record) const override;
  CellVjp backward(const Eigen::VectorXd& record, const Eigen::VectorXd& state_prev,
                   const Eigen::VectorXd& state_next, const Eigen::VectorXd& v_state) const override;

  TanhRnn rnn;  // Wh: (H, H), Wx: (D, H)
};

class LstmCell : public RecurrentCell {
 public:
  static LstmCell draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init);

  std::string architecture() const override { return "lstm"; }
  int hidden_size() const override { return static_cast<int>(Wh.rows()); }
  int input_size() const override { return static_cast<int>(Wx.rows()); }
  int state_size() const override { return 2 * hidden_size(); }
  Eigen::VectorXd forward(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x,
                          Eigen::VectorXd* record) const override;
  CellVjp backward(const Eigen::VectorXd& record, const Eigen::VectorXd& state_prev,
                   const Eigen::VectorXd& state_next, const Eigen::VectorXd& v_state) const override;

  Eigen::MatrixXd Wh;  // (H, 4H), column blocks i, f, g, o
  Eigen::MatrixXd Wx;  // (D, 4H)
  Eigen::VectorXd b;   // (4H)
};

class GruCell : public RecurrentCell {
 public:
  static GruCell draw(NumpyRandom& rng, int hidden_size, int input_size, const CellInit& init);

  std::string architecture() const override { return "gru"; }
  int hidden_size() const override { return static_cast<int>(Wh.rows()); }
  int input_size() const override { return static_cast<int>(Wx.rows()); }
  int state_size() const override { return hidden_size(); }
  Eigen::VectorXd forward(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x,
                          Eigen::VectorXd* record) const override;
  CellVjp backward(const Eigen::VectorXd& record, const Eigen::VectorXd& state_prev,
                   const Eigen::VectorXd& state_next, const Eigen::VectorXd& v_state) const override;

  Eigen::MatrixXd Wh;  // (H, 3H), column blocks z, r, n
  Eigen::MatrixXd Wx;  // (D, 3H)
  Eigen::VectorXd b;   // (3H)
};

// The recurrent architectures, in the order the experiments report them.
const std::vector<std::string>& recurrent_architectures();  // {"rnn", "lstm", "gru"}

// Draws a cell of the named architecture: "rnn", "lstm" or "gru" (anything else gives
// nullptr; the module is built without exceptions).
std::unique_ptr<RecurrentCell> draw_cell(const std::string& architecture, NumpyRandom& rng, int hidden_size,
                                         int input_size, const CellInit& init);

// The full step Jacobians in column convention, built row by row from vjp with unit
// vectors (for tests and small demonstrations; the experiments never form them).
struct StepJacobians {
  Eigen::MatrixXd state;  // (S, S): d state_next / d state_prev
  Eigen::MatrixXd input;  // (S, D): d state_next / d x
};
// state_prev: (S), x: (D).
StepJacobians step_jacobians(const RecurrentCell& cell, const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x);

}  // namespace rnn_lesson
