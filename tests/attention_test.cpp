// The causal self-attention layer against a plain O(n^2) loop written here, and its
// closed-form input gradients against central finite differences.
#include "core/blocks/attention.h"

#include <cmath>
#include <cstdio>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"

namespace {

using namespace rnn_lesson;

constexpr int kK = 5, kD = 4, kT = 9;

// The reference: loops only, no matrix products, straight from the definition.
Eigen::MatrixXd reference_attention(const AttentionLayer& L, const Eigen::MatrixXd& X) {
  const int T = static_cast<int>(X.cols()), K = L.key_size(), D = L.input_size();
  auto project = [&](const Eigen::MatrixXd& W, int t, int row) {
    double s = 0;
    for (int d = 0; d < D; ++d) s += W(row, d) * X(d, t);
    return s;
  };
  Eigen::MatrixXd Y = Eigen::MatrixXd::Zero(K, T);
  for (int t = 0; t < T; ++t) {
    std::vector<double> score(t + 1);
    double largest = -1e300;
    for (int j = 0; j <= t; ++j) {
      double s = 0;
      for (int r = 0; r < K; ++r) s += project(L.Wq, t, r) * project(L.Wk, j, r);
      score[j] = s / std::sqrt(double(K));
      largest = std::max(largest, score[j]);
    }
    double total = 0;
    for (int j = 0; j <= t; ++j) total += std::exp(score[j] - largest);
    for (int j = 0; j <= t; ++j) {
      const double a = std::exp(score[j] - largest) / total;
      for (int r = 0; r < K; ++r) Y(r, t) += a * project(L.Wv, j, r);
    }
  }
  return Y;
}

struct Fixture {
  AttentionLayer layer;
  Eigen::MatrixXd inputs;  // (D, T)
  Eigen::VectorXd w;       // (K)
};

Fixture make_fixture(std::uint32_t seed, double input_scale) {
  NumpyRandom rng(seed);
  Fixture f;
  f.layer = AttentionLayer::draw(rng, kK, kD);
  f.inputs = rng.randn(kD, kT) * input_scale;
  f.w = rng.randn(kK);
  return f;
}

TEST(Attention, ForwardMatchesPlainLoops) {
  const Fixture f = make_fixture(11, 2.0);  // large inputs: peaked softmax
  const Eigen::MatrixXd Y = attention_forward(f.layer, f.inputs);
  const Eigen::MatrixXd R = reference_attention(f.layer, f.inputs);
  const double err = (Y - R).cwiseAbs().maxCoeff();
  std::printf("  forward (%dx%d) vs loop reference: max abs difference %.2e\n", kK, kT, err);
  EXPECT_LT(err, 1e-13);
}

TEST(Attention, LastOutputAndWeights) {
  const Fixture f = make_fixture(12, 1.0);
  Eigen::VectorXd a;
  const Eigen::VectorXd y = attention_last_output(f.layer, f.inputs, &a);
  EXPECT_LT((y - reference_attention(f.layer, f.inputs).col(kT - 1)).cwiseAbs().maxCoeff(), 1e-13);
  EXPECT_EQ(a.size(), kT);
  EXPECT_NEAR(a.sum(), 1.0, 1e-14);
  EXPECT_GT(a.minCoeff(), 0.0);
}

// The first position can only attend to itself: y_0 = Wv x_0 whatever the weights.
TEST(Attention, FirstPositionSeesOnlyItself) {
  const Fixture f = make_fixture(13, 1.0);
  const Eigen::MatrixXd Y = attention_forward(f.layer, f.inputs);
  EXPECT_LT((Y.col(0) - f.layer.Wv * f.inputs.col(0)).norm(), 1e-14);
}

TEST(Attention, InputGradientsMatchFiniteDifferences) {
  const Fixture f = make_fixture(14, 1.5);
  const Eigen::MatrixXd G = attention_readout_gradient(f.layer, f.inputs, f.w);  // (D, T)
  constexpr double eps = 1e-6;
  Eigen::MatrixXd fd(kD, kT);
  for (int j = 0; j < kT; ++j)
    for (int d = 0; d < kD; ++d) {
      Eigen::MatrixXd plus = f.inputs, minus = f.inputs;
      plus(d, j) += eps;
      minus(d, j) -= eps;
      fd(d, j) = (f.w.dot(attention_last_output(f.layer, plus)) - f.w.dot(attention_last_output(f.layer, minus))) /
                 (2 * eps);
    }
  const double err = (G - fd).norm() / fd.norm();
  std::printf("  d(w.y_T)/dx_j for all %d inputs vs central differences: rel. error %.2e\n", kT, err);
  // Central differences at eps = 1e-6: error ~1e-10 relative; 1e-7 leaves a margin.
  EXPECT_LT(err, 1e-7);
  // The query path makes the last column differ from the key/value-only formula.
  EXPECT_GT(G.col(kT - 1).norm(), 0.0);
}

// The shared-projection prefix norms against the full gradient of each prefix.
TEST(Attention, PreviousInputGradientNormsMatchEveryPrefix) {
  NumpyRandom rng(8);
  const AttentionLayer layer = AttentionLayer::draw(rng, 6, 4);
  const Eigen::MatrixXd inputs = rng.randn(4, 40);
  const Eigen::VectorXd w = rng.randn(6);
  const std::vector<int> lengths = {2, 3, 7, 19, 40};
  const std::vector<double> norms = attention_previous_input_gradient_norms(layer, inputs, w, lengths);
  ASSERT_EQ(norms.size(), lengths.size());
  for (std::size_t i = 0; i < lengths.size(); ++i) {
    const int n = lengths[i];
    const double expected = attention_readout_gradient(layer, inputs.leftCols(n), w).col(n - 2).norm();
    EXPECT_NEAR(norms[i], expected, 1e-13 * expected) << "n = " << n;
  }
}

}  // namespace
