// Associative recall (experiment 8): accuracies and readouts against numpy
// (tests/golden/make_recall_goldens.py, output in tests/golden/recall_goldens.txt), the
// closed form for orthogonal keys, the softmax's hard-lookup limit, and refusals.
#include "core/experiments/recall.h"

#include <cmath>
#include <cstdio>

#include <Eigen/QR>
#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"

namespace {

using namespace rnn_lesson;

RecallParams golden_params() {
  RecallParams p = default_recall_params();
  p.dims = {5, 12};
  p.pairs = {3, 12, 40};
  p.sharpness = 1.0;
  p.seeds = 1;
  p.seed = 7;
  return p;
}

// numpy 1.24.2, seed 7, one seed: accuracies are counts over n, so exact.
TEST(Recall, AccuracyMatchesNumpy) {
  const RecallResult r = run_recall(golden_params());
  ASSERT_EQ(r.error, "");
  const std::vector<std::vector<double>> fixed = {{1.0, 0.25, 0.075}, {1.0, 1.0, 0.325}};
  const std::vector<std::vector<double>> cache = {{1.0, 5.0 / 12, 0.15}, {1.0, 1.0, 0.975}};
  for (std::size_t d = 0; d < 2; ++d)
    for (std::size_t n = 0; n < 3; ++n) {
      std::printf("  d %d n %d: fixed %.4f (numpy %.4f), attention %.4f (numpy %.4f)\n", r.dims[d], r.pairs[n],
                  r.fixed_state[d][n], fixed[d][n], r.attention[d][n], cache[d][n]);
      EXPECT_DOUBLE_EQ(r.fixed_state[d][n], fixed[d][n]);
      EXPECT_DOUBLE_EQ(r.attention[d][n], cache[d][n]);
    }
  // Capacities at threshold 0.9: the fixed state holds to n = 3 at d = 5 and n = 12 at d = 12.
  EXPECT_EQ(r.fixed_state_capacity, (std::vector<int>{3, 12}));
  EXPECT_EQ(r.attention_capacity, (std::vector<int>{3, 40}));
  EXPECT_EQ(r.state_numbers, (std::vector<double>{25, 144}));
  EXPECT_DOUBLE_EQ(r.cache_numbers[1][2], 2.0 * 40 * 12);
  EXPECT_DOUBLE_EQ(r.inverse_temperature[1], std::sqrt(12.0));
  EXPECT_DOUBLE_EQ(r.chance[2], 1.0 / 40);
}

// The readouts themselves, from the same draws (np.random.seed(7); d = 5 first, then d = 12),
// at n = 40: relative 1e-12 (products summed in a different order).
TEST(Recall, ReadoutsMatchNumpy) {
  NumpyRandom rng(7);
  const std::vector<std::vector<double>> fixed_col0 = {
      {1.7387928003502333, -1.7716979378666076, 3.2678487987673117, -0.9813036720258241, -1.4923029557427203},
      {0.7725614034934082, -0.21148919253232995, -0.4263634624873918, -0.6888266267449165, 4.794274952862794,
       3.8431609695513904, -3.525397645261414, -2.089233231134196, -1.1238735173391916, 3.943416569493188,
       1.2229161277099134, 0.45096892080143824}};
  const std::vector<std::vector<double>> cache_col39 = {
      {0.23906990817415497, 0.08926551520668223, -0.14254018911742566, -0.202294425686948, -0.014017424136491402},
      {-0.2333374370291676, 0.379966273812505, -0.015557272383632026, -0.7372108683642471, -0.2143173976882647,
       0.23255335151183992, 0.5528875716475314, 0.5104033320235555, -0.22370368749484448, -0.4003224406081026,
       -0.10749662491788912, -0.4706667814479868}};
  const int dims[2] = {5, 12};
  for (int i = 0; i < 2; ++i) {
    const int d = dims[i];
    Eigen::MatrixXd keys = rng.randn(40, d).transpose();
    const Eigen::MatrixXd values = rng.randn(40, d).transpose();
    for (int j = 0; j < 40; ++j) keys.col(j).normalize();
    const Eigen::MatrixXd fixed = fixed_state_readouts(keys, values);
    const Eigen::MatrixXd cache = attention_readouts(keys, values, std::sqrt(double(d)));
    double worst = 0;
    for (int c = 0; c < d; ++c) {
      worst = std::max(worst, std::abs(fixed(c, 0) - fixed_col0[i][c]) / std::abs(fixed_col0[i][c]));
      worst = std::max(worst, std::abs(cache(c, 39) - cache_col39[i][c]) / std::abs(cache_col39[i][c]));
    }
    std::printf("  d %d: worst relative difference from numpy %.2e\n", d, worst);
    EXPECT_LT(worst, 1e-12);
  }
}

// With orthonormal keys S k_i = v_i exactly, so n <= d pairs are all recalled; the readout
// is the value itself to rounding.
TEST(Recall, OrthogonalKeysAreRecalledExactly) {
  NumpyRandom rng(3);
  for (int d : {1, 8, 32}) {
    const Eigen::MatrixXd q = Eigen::HouseholderQR<Eigen::MatrixXd>(rng.randn(d, d)).householderQ();
    for (int n : {1, d / 2 + 1, d}) {
      const Eigen::MatrixXd keys = q.leftCols(n), values = rng.randn(d, n);
      const Eigen::MatrixXd readouts = fixed_state_readouts(keys, values);
      EXPECT_LT((readouts - values).cwiseAbs().maxCoeff(), 1e-12 * (1 + values.cwiseAbs().maxCoeff()));
      EXPECT_DOUBLE_EQ(recall_accuracy(decode_nearest(readouts, values)), 1.0) << "d " << d << " n " << n;
    }
  }
}

// Random keys: the crosstalk sum_{j != i} v_j (k_j . k_i) has about (n - 1) / d times the
// signal's variance, so far beyond n = d the fixed state fails while a sharp cache does not.
TEST(Recall, FixedStateFailsBeyondDAndTheCacheHolds) {
  RecallParams p = default_recall_params();
  p.dims = {16};
  p.pairs = {8, 512};
  p.seeds = 1;
  const RecallResult r = run_recall(p);
  ASSERT_EQ(r.error, "");
  std::printf("  d 16: fixed %.3f at n 8, %.3f at n 512; attention %.3f, %.3f\n", r.fixed_state[0][0],
              r.fixed_state[0][1], r.attention[0][0], r.attention[0][1]);
  EXPECT_GE(r.fixed_state[0][0], 0.75);
  EXPECT_LT(r.fixed_state[0][1], 0.05);
  EXPECT_GE(r.attention[0][1], 0.99);
}

// An infinitely sharp softmax is the nearest-key lookup; beta = 0 averages every value.
TEST(Recall, AttentionLimits) {
  NumpyRandom rng(5);
  Eigen::MatrixXd keys = rng.randn(30, 6).transpose();  // (6, 30): d = 6, n = 30
  for (int j = 0; j < 30; ++j) keys.col(j).normalize();
  const Eigen::MatrixXd values = rng.randn(30, 6).transpose();
  const Eigen::MatrixXd sharp = attention_readouts(keys, values, 1e6);
  EXPECT_LT((sharp - values).cwiseAbs().maxCoeff(), 1e-9);
  const Eigen::MatrixXd flat = attention_readouts(keys, values, 0.0);
  const Eigen::VectorXd mean = values.rowwise().mean();
  for (int i = 0; i < 30; ++i) EXPECT_LT((flat.col(i) - mean).norm(), 1e-12);
}

// Decoding: cosine, not dot product (a long wrong value does not win), first index on ties.
TEST(Recall, DecodesByCosine) {
  Eigen::MatrixXd values(2, 3);
  values << 1, 10, 1, 0, 10, 0;  // v0 = (1, 0), v1 = (10, 10), v2 = v0
  Eigen::MatrixXd readouts(2, 1);
  // r = (1, 0.1): the dot product prefers v1 (11 against 1), the cosine v0 (0.995 against
  // 0.774), and v0 comes before its copy v2.
  readouts << 1, 0.1;
  EXPECT_EQ(decode_nearest(readouts, values), (std::vector<int>{0}));
  EXPECT_DOUBLE_EQ(recall_accuracy({0, 2, 2}), 2.0 / 3);
}

TEST(Recall, Refusals) {
  RecallParams p = default_recall_params();
  EXPECT_EQ(validate(p), "");
  p.dims = {0};
  EXPECT_NE(validate(p).find("dims must be"), std::string::npos) << validate(p);
  p = default_recall_params();
  p.pairs = {4097};
  EXPECT_NE(validate(p).find("pairs must be"), std::string::npos) << validate(p);
  p = default_recall_params();
  p.sharpness = -1;
  EXPECT_NE(validate(p).find("sharpness must be"), std::string::npos) << validate(p);
  p = default_recall_params();
  p.dims = {256};
  p.pairs = {4096};
  p.seeds = 64;
  const std::string capped = validate(p);
  EXPECT_NE(capped.find("seeds * sum over dims and pairs"), std::string::npos) << capped;
  EXPECT_NE(run_recall(p).error, "");
}

TEST(Recall, CancelledByProgress) {
  RecallParams p = default_recall_params();
  p.pairs = {4, 8};
  int calls = 0;
  const RecallResult r = run_recall(p, [&](double) { return ++calls < 2; });
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_EQ(calls, 2);
}

}  // namespace
