// A single-head causal self-attention layer, and the gradient of one output with respect
// to every input.
//
// For inputs x_1..x_T (each (D)), with queries q_t = Wq x_t, keys k_t = Wk x_t and values
// v_t = Wv x_t (each (K)):
//
//     y_t = sum_{j <= t} a_tj v_j,     a_tj = softmax_j(q_t . k_j / sqrt(K))
//
// There are no positional encodings: a token's weight depends on its content, never on
// how far back it sits. The output at t reaches each earlier input in one hop, but the
// softmax shares one unit of weight among all t visible tokens.
#pragma once

#include <vector>

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"

namespace rnn_lesson {

struct AttentionLayer {
  Eigen::MatrixXd Wq, Wk, Wv;  // (K, D) each

  int key_size() const { return static_cast<int>(Wq.rows()); }
  int input_size() const { return static_cast<int>(Wq.cols()); }

  // Wq, then Wk, then Wv, each randn(K, D) / sqrt(D), so q, k and v have entries of
  // variance about |x|^2 / D.
  static AttentionLayer draw(NumpyRandom& rng, int key_size, int input_size);
};

// Softmax in place, shifted by the maximum so that exp never overflows: the one softmax of
// every attention here. scores: (n), n >= 1.
void softmax_in_place(Eigen::Ref<Eigen::VectorXd> scores);

// Every output of the layer. inputs: (D, T), column t is x_t; returns (K, T), column t is
// y_t, which attends over columns 0..t.
Eigen::MatrixXd attention_forward(const AttentionLayer& layer, const Eigen::MatrixXd& inputs);

// The output of the last position only, in O(T K D). inputs: (D, T); returns y_{T-1} (K).
// If `weights` is given it receives that position's softmax weights (T).
Eigen::VectorXd attention_last_output(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                      Eigen::VectorXd* weights = nullptr);

// The gradient of the scalar readout w . y_{T-1} (the last position) with respect to every
// input, in closed form. inputs: (D, T), w: (K); returns (D, T), column j is
// d(w . y_{T-1}) / d x_j:
//     a_j Wv^T w + a_j (w . (v_j - y)) Wk^T q / sqrt(K)            for every j,
//   + Wq^T sum_i a_i (w . (v_i - y)) k_i / sqrt(K)                   for j = T-1 (the query).
Eigen::MatrixXd attention_readout_gradient(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                           const Eigen::VectorXd& w);

// What both gradients below need from the whole sequence, projected once: every key
// k_j = Wk x_j, keys (K, T), and every w . v_j, wv (T).
struct AttentionProjections {
  Eigen::MatrixXd keys;
  Eigen::RowVectorXd wv;
};
AttentionProjections project_sequence(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                      const Eigen::VectorXd& w);
// The same gradient from projections already made (run_architectures shares them).
Eigen::MatrixXd attention_readout_gradient(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                           const Eigen::VectorXd& w, const AttentionProjections& projected);

// For each prefix length n in `lengths` (2 <= n <= T), the norm of the gradient of w . y_{n-1}
// (the last position of the prefix x_0..x_{n-1}) with respect to x_{n-2}, the input just
// before the query: || column n-2 of attention_readout_gradient(layer, inputs.leftCols(n), w) ||.
// The keys and w . v_j are projected once for the whole sequence and shared by every prefix,
// so each prefix costs O(n K) instead of O(n K D). inputs: (D, T), w: (K).
std::vector<double> attention_previous_input_gradient_norms(const AttentionLayer& layer,
                                                            const Eigen::MatrixXd& inputs, const Eigen::VectorXd& w,
                                                            const std::vector<int>& lengths);
std::vector<double> attention_previous_input_gradient_norms(const AttentionLayer& layer,
                                                            const Eigen::MatrixXd& inputs, const Eigen::VectorXd& w,
                                                            const std::vector<int>& lengths,
                                                            const AttentionProjections& projected);

}  // namespace rnn_lesson
