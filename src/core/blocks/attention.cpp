// Single-head causal self-attention; see attention.h.
#include "core/blocks/attention.h"

#include <cmath>

namespace rnn_lesson {

void softmax_in_place(Eigen::Ref<Eigen::VectorXd> scores) {
  scores = (scores.array() - scores.maxCoeff()).exp().matrix();
  scores /= scores.sum();
}

namespace {

Eigen::VectorXd softmax(Eigen::VectorXd scores) {
  softmax_in_place(scores);
  return scores;
}

}  // namespace

AttentionLayer AttentionLayer::draw(NumpyRandom& rng, int key_size, int input_size) {
  const double s = 1.0 / std::sqrt(double(input_size));
  AttentionLayer layer;
  layer.Wq = rng.randn(key_size, input_size) * s;
  layer.Wk = rng.randn(key_size, input_size) * s;
  layer.Wv = rng.randn(key_size, input_size) * s;
  return layer;
}

Eigen::MatrixXd attention_forward(const AttentionLayer& layer, const Eigen::MatrixXd& inputs) {
  const Eigen::Index T = inputs.cols();
  const double inv_sqrt_k = 1.0 / std::sqrt(double(layer.key_size()));
  const Eigen::MatrixXd Q = layer.Wq * inputs, K = layer.Wk * inputs, V = layer.Wv * inputs;  // (K, T) each
  const Eigen::MatrixXd scores = K.transpose() * Q * inv_sqrt_k;  // (T, T): column t scores every key
  Eigen::MatrixXd Y(layer.key_size(), T);
  for (Eigen::Index t = 0; t < T; ++t) Y.col(t) = V.leftCols(t + 1) * softmax(scores.col(t).head(t + 1));
  return Y;
}

Eigen::VectorXd attention_last_output(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                      Eigen::VectorXd* weights) {
  const double inv_sqrt_k = 1.0 / std::sqrt(double(layer.key_size()));
  const Eigen::VectorXd q = layer.Wq * inputs.col(inputs.cols() - 1);          // (K)
  const Eigen::VectorXd a = softmax((layer.Wk * inputs).transpose() * q * inv_sqrt_k);  // (T)
  if (weights) *weights = a;
  return layer.Wv * (inputs * a);  // sum_j a_j Wv x_j
}

AttentionProjections project_sequence(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                      const Eigen::VectorXd& w) {
  return {layer.Wk * inputs, w.transpose() * layer.Wv * inputs};
}

Eigen::MatrixXd attention_readout_gradient(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                           const Eigen::VectorXd& w) {
  return attention_readout_gradient(layer, inputs, w, project_sequence(layer, inputs, w));
}

Eigen::MatrixXd attention_readout_gradient(const AttentionLayer& layer, const Eigen::MatrixXd& inputs,
                                           const Eigen::VectorXd& w, const AttentionProjections& projected) {
  const Eigen::Index T = inputs.cols();
  const double inv_sqrt_k = 1.0 / std::sqrt(double(layer.key_size()));
  const Eigen::MatrixXd& K = projected.keys;                            // (K, T)
  const Eigen::RowVectorXd& wv = projected.wv;                          // (T): w . v_j
  const Eigen::VectorXd q = layer.Wq * inputs.col(T - 1);             // (K)
  const Eigen::VectorXd a = softmax(K.transpose() * q * inv_sqrt_k);  // (T)
  const double wy = wv.dot(a);                                        // w . y
  const Eigen::VectorXd coupling = a.array() * (wv.transpose().array() - wy);  // (T): a_j (w . (v_j - y))

  const Eigen::VectorXd value_dir = layer.Wv.transpose() * w;                // (D)
  const Eigen::VectorXd key_dir = layer.Wk.transpose() * q * inv_sqrt_k;     // (D)
  Eigen::MatrixXd G = value_dir * a.transpose() + key_dir * coupling.transpose();  // (D, T)
  G.col(T - 1) += layer.Wq.transpose() * (K * coupling) * inv_sqrt_k;  // the query path
  return G;
}

std::vector<double> attention_previous_input_gradient_norms(const AttentionLayer& layer,
                                                            const Eigen::MatrixXd& inputs, const Eigen::VectorXd& w,
                                                            const std::vector<int>& lengths) {
  return attention_previous_input_gradient_norms(layer, inputs, w, lengths, project_sequence(layer, inputs, w));
}

std::vector<double> attention_previous_input_gradient_norms(const AttentionLayer& layer,
                                                            const Eigen::MatrixXd& inputs, const Eigen::VectorXd& w,
                                                            const std::vector<int>& lengths,
                                                            const AttentionProjections& projected) {
  const double inv_sqrt_k = 1.0 / std::sqrt(double(layer.key_size()));
  const Eigen::MatrixXd& K = projected.keys;                         // (K, T): every key
  const Eigen::RowVectorXd& wv = projected.wv;                      // (T): w . v_j
  const Eigen::VectorXd value_dir = layer.Wv.transpose() * w;       // (D)
  std::vector<double> norms;
  for (int n : lengths) {
    // Prefix x_0..x_{n-1}: query q = Wq x_{n-1}, weights a over its n keys; column j = n-2 of
    // the gradient is a_j Wv^T w + a_j (w . (v_j - y)) Wk^T q / sqrt(K) (no query term).
    const Eigen::VectorXd q = layer.Wq * inputs.col(n - 1);
    const Eigen::VectorXd a = softmax(K.leftCols(n).transpose() * q * inv_sqrt_k);  // (n)
    const double wy = wv.head(n).dot(a);
    const int j = n - 2;
    const double coupling = a(j) * (wv(j) - wy);
    const Eigen::VectorXd key_dir = layer.Wk.transpose() * q * inv_sqrt_k;  // (D)
    norms.push_back((value_dir * a(j) + key_dir * coupling).norm());
  }
  return norms;
}

}  // namespace rnn_lesson
