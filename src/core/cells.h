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

#include "core/numpy_random.h"
#include "core/rnn.h"

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

// ---- float32 fast path ---------------------------------------------------------------
//
// The experiments' hot loops (architectures, memory) run the same equations as the cells
// above in float32, through FastCell. Its weights are the double cell's, cast to float, so a
// seed still draws the same network; the double cells stay the reference (finite-difference
// tests) and tests/cells_test.cpp checks this path against them.
//
// Layout: H is zero-padded to Hp (a multiple of 8) and D to Dp (a multiple of 4); padded rows
// and columns of every matrix are 0, so padded state entries stay exactly 0 and change
// nothing. Per step:
//   forward:  one fused product z = W [h_prev; x] + b, W: (G*Hp, Hp+Dp), column-major, its
//             rows in chunks of 8 units holding all G gate groups of those units, so each
//             chunk's gates, cell state and output are computed as soon as its rows are (the
//             GRU has G = 4 groups, z, r and n split into W_hn h_prev and W_xn x + b_n);
//   backward: one fused product [v_h_prev; g_x] = W^T dz (the GRU's two halves read
//             slightly different groups).
// The products and the gate functions (exp with Cody-Waite reduction and a degree-5
// polynomial, sigmoid = 1/(1+exp(-x)), tanh = odd polynomial for |x| < 0.625 else
// 1 - 2/(exp(2|x|)+1); relative error a few float ulps) are written with GCC/Clang generic
// 4-float vectors: SSE on x86-64, SIMD128 under Emscripten with -msimd128, scalar code
// elsewhere; no FMA is ever formed, and every sum is added in the order the source gives, so
// native and WebAssembly builds compute the same floats.
//
// Buffers are padded: a state is Sp floats ([h; c] for the LSTM, each Hp), an input Dp floats,
// a record record_size() floats. Not thread-safe (one scratch buffer per object).
class FastCell {
 public:
  explicit FastCell(const RecurrentCell& cell);

  int hidden_size() const { return H_; }
  int input_size() const { return D_; }
  int padded_hidden() const { return Hp_; }  // Hp
  int padded_input() const { return Dp_; }   // Dp
  int padded_state() const { return Sp_; }   // Sp = Hp (rnn, gru) or 2 Hp (lstm)
  int record_size() const { return Rp_; }    // floats per step that backward() needs

  // One step. s_prev, s_next: (Sp), x: (Dp). record: (record_size()) or nullptr.
  void forward(const float* s_prev, const float* x, float* s_next, float* record);
  // Reverse mode through one step (as RecurrentCell::backward). v_prev: (Sp), g_x: (Dp).
  void backward(const float* record, const float* s_prev, const float* s_next, const float* v, float* v_prev,
                float* g_x);

  // Unpadded conveniences for tests (converting from and to double).
  Eigen::VectorXd step(const Eigen::VectorXd& state, const Eigen::VectorXd& x);
  CellVjp vjp(const Eigen::VectorXd& state_prev, const Eigen::VectorXd& x, const Eigen::VectorXd& v_state);

 private:
  enum class Kind { Rnn, Lstm, Gru };
  Kind kind_;
  int H_, D_, Hp_, Dp_, Sp_, Rp_, G_;
  std::vector<float> W_;        // (G*Hp, Hp+Dp) column-major, rows in chunks of 8 units
  std::vector<float> B_;        // W^T: (Hp+Dp, G*Hp) column-major
  std::vector<float> b_;        // (G*Hp)
  std::vector<float> scratch_;  // (Hp+Dp): [h_prev; x] or backward's [v_h_prev; g_x]; (G*Hp): dz
};

// Sum of squares of n floats (n a multiple of 4), summed in float in a fixed order (four
// lane sums, then (l0 + l1) + (l2 + l3)), returned as double.
double padded_squared_norm(const float* p, int n);

// Packs an unpadded vector into a padded float buffer of `padded` entries (the LSTM's
// state [h; c] goes to [h, 0..; c, 0..]): `blocks` equal blocks of n = v.size()/blocks.
std::vector<float> pack_padded(const Eigen::VectorXd& v, int blocks, int padded_block);

}  // namespace rnn_lesson
