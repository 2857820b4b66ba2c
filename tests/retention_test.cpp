// The retention experiment: attention against a plain-loop reference, and the shape of the
// measured curves for the kata's defaults.
#include "core/experiments/retention.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"

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

// The influence, attention and read-out curves of one network, recomputed with plain loops
// (std::tanh, a hand-written Gauss-Jordan solve of the read-out's normal equations) from the
// same seeded draws, in the order the experiment documents: Wh, Wx, the noise tokens, the
// attention projection, the stored signals, then one (D, M) noise draw per step.
struct PlainRetention {
  std::vector<double> influence, attention_cosine, attention_weight, readout_r2;
};

using Mat = std::vector<std::vector<double>>;  // [row][col]

PlainRetention plain_retention(const RetentionParams& p, int seed) {
  const int H = p.hidden_size, D = p.input_size, N = p.max_steps, M = p.readout_trials;
  NumpyRandom rng(static_cast<std::uint32_t>(seed));
  const Eigen::MatrixXd Wh = rng.randn(H, H) * (p.weight_scale / std::sqrt(double(H)));
  const Eigen::MatrixXd Wx = rng.randn(D, H) * (0.5 / std::sqrt(double(D)));
  const Eigen::VectorXd signal = stored_signal(D);
  // h_new[i] = tanh(sum_j h[j] Wh[j][i] + sum_d x[d] Wx[d][i]), the kata's row-vector step.
  auto step = [&](const std::vector<double>& h, const std::vector<double>& x) {
    std::vector<double> out(H);
    for (int i = 0; i < H; ++i) {
      double z = 0;
      for (int j = 0; j < H; ++j) z += h[j] * Wh(j, i);
      for (int d = 0; d < D; ++d) z += x[d] * Wx(d, i);
      out[i] = std::tanh(z);
    }
    return out;
  };
  auto distance = [](const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
    return std::sqrt(s);
  };
  std::vector<std::vector<double>> tokens(N + 1, std::vector<double>(D));
  for (int d = 0; d < D; ++d) tokens[0][d] = signal(d);
  for (int n = 1; n <= N; ++n) {
    const Eigen::VectorXd x = rng.randn(D) * p.noise_scale;
    for (int d = 0; d < D; ++d) tokens[n][d] = x(d);
  }
  PlainRetention out;
  std::vector<double> with = step(std::vector<double>(H, 0.0), tokens[0]);
  std::vector<double> without = step(std::vector<double>(H, 0.0), std::vector<double>(D, 0.0));
  const double written = distance(with, without);
  for (int n = 0; n <= N; ++n) {
    if (n > 0) {
      with = step(with, tokens[n]);
      without = step(without, tokens[n]);
    }
    out.influence.push_back(distance(with, without) / written);
  }
  const Eigen::MatrixXd P = rng.randn(H, D) * (1.0 / std::sqrt(double(D)));
  for (int n = 0; n <= N; ++n) {
    double w0 = 0;
    const Eigen::VectorXd read = reference_read(
        [&] { Eigen::MatrixXd t(D, n + 1); for (int i = 0; i <= n; ++i) for (int d = 0; d < D; ++d) t(d, i) = tokens[i][d]; return t; }(),
        signal, P, &w0);
    out.attention_cosine.push_back(read.dot(signal) / (read.norm() * signal.norm()));
    out.attention_weight.push_back(w0);
  }
  // Read-out: M signals, each through its own copy of the network with its own noise.
  const Eigen::MatrixXd signals = rng.randn(D, M);
  std::vector<std::vector<double>> states(M);
  for (int m = 0; m < M; ++m) {
    std::vector<double> x(D);
    for (int d = 0; d < D; ++d) x[d] = signals(d, m);
    states[m] = step(std::vector<double>(H, 0.0), x);
  }
  const int grid_points = std::min(N + 1, 41);
  std::vector<int> grid;
  for (int i = 0; i < grid_points; ++i) {
    const int n = N + 1 <= 41 ? i : static_cast<int>(std::lround(double(i) * N / 40));
    if (grid.empty() || grid.back() != n) grid.push_back(n);
  }
  std::size_t next = 0;
  for (int n = 0; n <= N; ++n) {
    if (n > 0) {
      const Eigen::MatrixXd noise = rng.randn(D, M) * p.noise_scale;
      for (int m = 0; m < M; ++m) {
        std::vector<double> x(D);
        for (int d = 0; d < D; ++d) x[d] = noise(d, m);
        states[m] = step(states[m], x);
      }
    }
    if (next == grid.size() || grid[next] != n) continue;
    ++next;
    // Fit y = [h, 1] W on the first M/2 signals by the normal equations (plus the same
    // 1e-10 relative ridge), score R^2 on the rest.
    const int fit = M / 2, F = H + 1;
    Mat A(F, std::vector<double>(F + D, 0.0));  // [X^T X + ridge | X^T Y]
    for (int m = 0; m < fit; ++m) {
      std::vector<double> row(states[m]);
      row.push_back(1.0);
      for (int a = 0; a < F; ++a) {
        for (int b = 0; b < F; ++b) A[a][b] += row[a] * row[b];
        for (int d = 0; d < D; ++d) A[a][F + d] += row[a] * signals(d, m);
      }
    }
    double trace = 0;
    for (int a = 0; a < F; ++a) trace += A[a][a];
    for (int a = 0; a < F; ++a) A[a][a] += 1e-10 * (trace / F + 1e-300);
    for (int c = 0; c < F; ++c) {  // Gauss-Jordan with partial pivoting
      int pivot = c;
      for (int r = c + 1; r < F; ++r) if (std::fabs(A[r][c]) > std::fabs(A[pivot][c])) pivot = r;
      std::swap(A[c], A[pivot]);
      for (int r = 0; r < F; ++r) {
        if (r == c) continue;
        const double f = A[r][c] / A[c][c];
        for (int k = c; k < F + D; ++k) A[r][k] -= f * A[c][k];
      }
    }
    double ss_res = 0, ss_tot = 0;
    std::vector<double> mean(D, 0.0);
    for (int m = fit; m < M; ++m) for (int d = 0; d < D; ++d) mean[d] += signals(d, m) / (M - fit);
    for (int m = fit; m < M; ++m) {
      for (int d = 0; d < D; ++d) {
        double y = A[H][F + d] / A[H][H];
        for (int a = 0; a < H; ++a) y += states[m][a] * A[a][F + d] / A[a][a];
        ss_res += (signals(d, m) - y) * (signals(d, m) - y);
        ss_tot += (signals(d, m) - mean[d]) * (signals(d, m) - mean[d]);
      }
    }
    out.readout_r2.push_back(1.0 - ss_res / ss_tot);
  }
  return out;
}

TEST(RunRetention, OneNetworkMatchesPlainLoops) {
  RetentionParams p = default_retention_params();
  p.hidden_size = 6;
  p.input_size = 3;
  p.max_steps = 60;  // more than 41 points: the read-out runs on a grid
  p.weight_scale = 0.7;
  p.noise_scale = 0.3;
  p.readout_trials = 40;
  p.seeds = 1;
  for (int seed : {3, 11}) {
    p.seed = seed;
    const RetentionResult r = run_retention(p);
    ASSERT_EQ(r.error, "");
    const PlainRetention ref = plain_retention(p, seed);
    ASSERT_EQ(r.influence.median.size(), ref.influence.size());
    ASSERT_EQ(r.readout_r2.median.size(), ref.readout_r2.size());
    // Sums in another order and another solver: agreement within 5e-14 measured; 1e-9 and
    // 1e-7 (the read-out, a solve) allowed.
    for (std::size_t n = 0; n < ref.influence.size(); ++n) {
      EXPECT_NEAR(r.influence.median[n], ref.influence[n], 1e-9) << "influence, n = " << n;
      EXPECT_NEAR(r.attention_cosine.median[n], ref.attention_cosine[n], 1e-9) << "attention cosine, n = " << n;
      EXPECT_NEAR(r.attention_weight.median[n], ref.attention_weight[n], 1e-9) << "attention weight, n = " << n;
    }
    for (std::size_t i = 0; i < ref.readout_r2.size(); ++i)
      EXPECT_NEAR(r.readout_r2.median[i], ref.readout_r2[i], 1e-7) << "read-out R^2 at n = " << r.readout_steps[i];
    // The curves are not trivial: the signal fades and the read-out loses it.
    EXPECT_LT(ref.influence.back(), 0.2);
    EXPECT_GT(ref.readout_r2.front(), 0.9);
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
