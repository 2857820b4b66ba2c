// The retention experiment: attention against a plain-loop reference, and the shape of the
// measured curves for the kata's defaults.
#include "core/retention.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/numpy_random.h"

namespace {

using namespace rnn_lesson;

// softmax_i((P q).(P k_i) / sqrt(K)) and sum_i w_i k_i, with plain loops and a log-sum-exp.
Eigen::VectorXd reference_read(const Eigen::MatrixXd& tokens, const Eigen::VectorXd& query,
                               const Eigen::MatrixXd& P, double* weight_on_first) {
  const int K = static_cast<int>(P.rows()), D = static_cast<int>(P.cols()), n = static_cast<int>(tokens.cols());
  std::vector<double> pq(K, 0.0), scores(n, 0.0);
  for (int k = 0; k < K; ++k)
    for (int d = 0; d < D; ++d) pq[k] += P(k, d) * query(d);
  double top = -INFINITY;
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < K; ++k) {
      double pk = 0;
      for (int d = 0; d < D; ++d) pk += P(k, d) * tokens(d, i);
      scores[i] += pq[k] * pk;
    }
    scores[i] /= std::sqrt(double(K));
    top = std::max(top, scores[i]);
  }
  double total = 0;
  for (int i = 0; i < n; ++i) total += std::exp(scores[i] - top);
  Eigen::VectorXd read = Eigen::VectorXd::Zero(D);
  for (int i = 0; i < n; ++i) {
    const double w = std::exp(scores[i] - top) / total;
    if (i == 0) *weight_on_first = w;
    for (int d = 0; d < D; ++d) read(d) += w * tokens(d, i);
  }
  return read;
}

TEST(AttentionRead, MatchesPlainLoops) {
  NumpyRandom rng(17);
  for (auto [D, K, n, scale] : {std::tuple{4, 6, 7, 1.0}, std::tuple{3, 16, 1, 1.0}, std::tuple{5, 2, 40, 0.3}}) {
    SCOPED_TRACE("D=" + std::to_string(D) + " K=" + std::to_string(K) + " n=" + std::to_string(n));
    const Eigen::MatrixXd tokens = rng.randn(D, n) * scale;
    const Eigen::VectorXd query = rng.randn(D);
    const Eigen::MatrixXd P = rng.randn(K, D);
    double w = -1, w_ref = -2;
    const Eigen::VectorXd read = attention_read(tokens, query, P, &w);
    const Eigen::VectorXd ref = reference_read(tokens, query, P, &w_ref);
    ASSERT_EQ(read.size(), D);
    for (int d = 0; d < D; ++d) EXPECT_NEAR(read(d), ref(d), 1e-12);
    EXPECT_NEAR(w, w_ref, 1e-12);
  }
}

TEST(AttentionRead, LargeScoresStayFinite) {
  // Scores in the thousands: a naive exp would overflow.
  NumpyRandom rng(3);
  const Eigen::MatrixXd tokens = rng.randn(4, 10) * 30.0;
  const Eigen::VectorXd query = tokens.col(0);
  const Eigen::MatrixXd P = rng.randn(8, 4) * 3.0;
  double w = -1, w_ref = -2;
  const Eigen::VectorXd read = attention_read(tokens, query, P, &w);
  const Eigen::VectorXd ref = reference_read(tokens, query, P, &w_ref);
  for (int d = 0; d < 4; ++d) {
    EXPECT_TRUE(std::isfinite(read(d)));
    EXPECT_NEAR(read(d), ref(d), 1e-9 * (1 + std::fabs(ref(d))));
  }
  EXPECT_NEAR(w, w_ref, 1e-12);
}

TEST(AttentionRead, SingleTokenIsReadWhole) {
  const Eigen::MatrixXd tokens = Eigen::Vector3d(1.0, -2.0, 0.25);
  double w = 0;
  const Eigen::VectorXd read = attention_read(tokens, Eigen::Vector3d(0.3, 0.1, 0.9), Eigen::MatrixXd::Identity(3, 3), &w);
  EXPECT_EQ(w, 1.0);
  EXPECT_EQ(read, tokens.col(0));
}

TEST(StoredSignal, IsTheKatasPatternRepeated) {
  const Eigen::VectorXd s = stored_signal(6);
  const std::vector<double> expected = {1.0, -1.0, 0.5, -0.5, 1.0, -1.0};
  ASSERT_EQ(s.size(), 6);
  for (int i = 0; i < 6; ++i) EXPECT_EQ(s(i), expected[static_cast<std::size_t>(i)]);
  EXPECT_EQ(stored_signal(1).size(), 1);
  EXPECT_EQ(stored_signal(1)(0), 1.0);
}

// One run with the kata's defaults (a few seconds under sanitizers, so it is run once and
// every property of its curves is checked in this one test).
TEST(RetentionDefaults, CurvesHaveTheExpectedShape) {
  const RetentionResult r = run_retention(default_retention_params());
  ASSERT_EQ(r.error, "");
  {
    SCOPED_TRACE("shapes");
    ASSERT_EQ(r.steps.size(), 201u);
    for (int n = 0; n <= 200; ++n) EXPECT_EQ(r.steps[static_cast<std::size_t>(n)], n);
    EXPECT_EQ(r.kata_cosine.size(), 201u);
    for (const Band* b : {&r.influence, &r.attention_cosine, &r.attention_weight}) {
      ASSERT_EQ(b->median.size(), 201u);
      ASSERT_EQ(b->q1.size(), 201u);
      ASSERT_EQ(b->q3.size(), 201u);
    }
    ASSERT_FALSE(r.readout_steps.empty());
    EXPECT_LE(r.readout_steps.size(), 41u);
    EXPECT_EQ(r.readout_steps.front(), 0);
    EXPECT_EQ(r.readout_steps.back(), 200);
    for (std::size_t i = 1; i < r.readout_steps.size(); ++i) EXPECT_LT(r.readout_steps[i - 1], r.readout_steps[i]);
    ASSERT_EQ(r.readout_r2.median.size(), r.readout_steps.size());
    ASSERT_EQ(r.readout_r2.q1.size(), r.readout_steps.size());
    ASSERT_EQ(r.readout_r2.q3.size(), r.readout_steps.size());
  }
  {
    SCOPED_TRACE("influence starts at exactly 1 and fades");
    EXPECT_EQ(r.influence.median[0], 1.0);
    EXPECT_EQ(r.influence.q1[0], 1.0);
    EXPECT_EQ(r.influence.q3[0], 1.0);
    EXPECT_LT(r.influence.median[200], 1e-6);
  }
  {
    SCOPED_TRACE("the read-out recovers the signal early but not late");
    EXPECT_GT(r.readout_r2.median.front(), 0.9);
    EXPECT_LT(r.readout_r2.median.back(), 0.2);
  }
  {
    SCOPED_TRACE("attention reads the signal");
    EXPECT_NEAR(r.attention_cosine.median[0], 1.0, 1e-12);
    EXPECT_NEAR(r.attention_weight.median[0], 1.0, 1e-12);
    EXPECT_GT(r.attention_cosine.median[200], 0.9) << "attention still finds the signal after 200 steps";
  }
  {
    SCOPED_TRACE("bands are ordered");
    for (const Band* b : {&r.influence, &r.attention_cosine, &r.attention_weight, &r.readout_r2})
      for (std::size_t i = 0; i < b->median.size(); ++i) {
        EXPECT_LE(b->q1[i], b->median[i]) << i;
        EXPECT_LE(b->median[i], b->q3[i]) << i;
      }
  }
}

TEST(RunRetention, CancelledByProgress) {
  RetentionParams p = default_retention_params();
  p.max_steps = 20;
  p.seeds = 4;
  int calls = 0;
  const RetentionResult r = run_retention(p, [&](double) { return ++calls < 3; });
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_EQ(calls, 3);
}

TEST(RunRetention, ShortRunUsesEveryStepForTheReadout) {
  RetentionParams p = default_retention_params();
  p.max_steps = 10;
  p.seeds = 3;
  const RetentionResult r = run_retention(p);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.readout_steps.size(), 11u);
  for (int n = 0; n <= 10; ++n) EXPECT_EQ(r.readout_steps[static_cast<std::size_t>(n)], n);
}

}  // namespace
