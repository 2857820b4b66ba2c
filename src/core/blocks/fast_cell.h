// FastCell: the recurrent cells of cells.h in float32, for the experiments' hot loops.
//
// The experiments' hot loops (architectures, memory) run the same equations as the cells
// of cells.h in float32, through FastCell. Its weights are the double cell's, cast to float, so a
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
#pragma once

#include <vector>

#include <Eigen/Core>

#include "core/blocks/cells.h"

namespace rnn_lesson {

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
