// The architectures experiment: reverse-mode input gradients against finite differences
// for every cell, and run_architectures' shape, determinism and validation.
#include "core/experiments/architectures.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include <gtest/gtest.h>

#include "core/blocks/cells.h"
#include "core/blocks/numpy_random.h"

namespace {

using namespace rnn_lesson;

constexpr int kH = 5, kD = 3, kT = 14, kK = 10;

// w . h_T after running `inputs` (D, T) from the zero state.
double readout(const RecurrentCell& cell, const Eigen::MatrixXd& inputs, const Eigen::VectorXd& w) {
  Eigen::VectorXd s = Eigen::VectorXd::Zero(cell.state_size());
  for (Eigen::Index t = 0; t < inputs.cols(); ++t) s = cell.step(s, inputs.col(t));
  return w.dot(cell.hidden(s));
}

class InputGradients : public ::testing::TestWithParam<std::string> {};

TEST_P(InputGradients, MatchFiniteDifferences) {
  NumpyRandom rng(21);
  CellInit init;
  init.recurrent_scale = 1.1;
  init.input_scale = 1.0;
  const auto cell = draw_cell(GetParam(), rng, kH, kD, init);
  const Eigen::MatrixXd inputs = rng.randn(kD, kT);
  const Eigen::VectorXd w = rng.randn(kH);
  const std::vector<double> log_norms = log_input_gradient_norms(*cell, inputs, w, kK);
  ASSERT_EQ(log_norms.size(), static_cast<std::size_t>(kK));
  constexpr double eps = 1e-6;
  double worst = 0;
  for (int k = 1; k <= kK; ++k) {
    Eigen::VectorXd g(kD);
    for (int d = 0; d < kD; ++d) {
      Eigen::MatrixXd plus = inputs, minus = inputs;
      plus(d, kT - 1 - k) += eps;  // x_{T-k} is column T-1-k
      minus(d, kT - 1 - k) -= eps;
      g(d) = (readout(*cell, plus, w) - readout(*cell, minus, w)) / (2 * eps);
    }
    worst = std::max(worst, std::fabs(std::exp(log_norms[k - 1]) - g.norm()) / g.norm());
  }
  std::printf("  %s: ||d(w.h_T)/dx_{T-k}||, k = 1..%d, worst rel. error vs central differences %.2e\n",
              GetParam().c_str(), kK, worst);
  // Central differences at eps = 1e-6 through 14 steps: ~1e-9 relative; 1e-6 leaves a margin.
  EXPECT_LT(worst, 1e-6);
}

// The float32 path run_architectures uses against the double reference at the experiment's
// defaults (H=32, D=8, 1,000 distances, T=1,051): float rounding (~1e-7 per step) does not
// accumulate, because every step's vector is rescaled and the trajectories contract.
// Measured worst |difference of ln norm| over three seeds: 4.4e-5 (gradients down to e^-440);
// tolerance 1e-3, i.e. 0.1% of the norm.
TEST_P(InputGradients, FloatPathMatchesDoubleAtDefaults) {
  const ArchitecturesParams p = default_architectures_params();
  const int T = 50 + p.max_distance + 1;
  NumpyRandom rng(43);
  CellInit init;
  init.recurrent_scale = p.recurrent_scale;
  const auto cell = draw_cell(GetParam(), rng, p.hidden_size, p.input_size, init);
  Eigen::VectorXd w = rng.randn(p.hidden_size);
  w /= w.norm();
  const Eigen::MatrixXd inputs = rng.randn(T, p.input_size).transpose() * p.input_scale;
  const std::vector<double> exact = log_input_gradient_norms(*cell, inputs, w, p.max_distance);
  const std::vector<double> fast = log_input_gradient_norms_fast(*cell, inputs, w, p.max_distance);
  ASSERT_EQ(fast.size(), exact.size());
  double worst = 0;
  for (std::size_t k = 0; k < exact.size(); ++k) {
    ASSERT_TRUE(std::isfinite(exact[k]) && std::isfinite(fast[k]));
    worst = std::max(worst, std::fabs(exact[k] - fast[k]));
  }
  std::printf("  %s: float vs double, worst |d ln norm| over k = 1..%d: %.2e (ln norm at k = %d: %.1f)\n",
              GetParam().c_str(), p.max_distance, worst, p.max_distance, exact.back());
  EXPECT_LT(worst, 1e-3);
}

INSTANTIATE_TEST_SUITE_P(EveryCell, InputGradients, ::testing::Values("rnn", "lstm", "gru"),
                         [](const auto& info) { return info.param; });

ArchitecturesParams small_params() {
  ArchitecturesParams p = default_architectures_params();
  p.hidden_size = 8;
  p.input_size = 3;
  p.max_distance = 60;
  p.seeds = 4;
  return p;
}

TEST(ArchitecturesExperiment, ReportsEveryArchitecture) {
  const ArchitecturesResult r = run_architectures(small_params());
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.sequence_length, 50 + 60 + 1);
  ASSERT_EQ(r.distances.size(), 60u);
  ASSERT_EQ(r.curves.size(), 6u);
  const char* names[] = {"rnn", "lstm", "gru", "attention", "linear_a", "linear_b"};
  for (int a = 0; a < 6; ++a) {
    const ArchitectureCurve& c = r.curves[a];
    EXPECT_EQ(c.architecture, names[a]);
    ASSERT_EQ(c.norm.median.size(), 60u);
    for (std::size_t i = 0; i < 60; ++i) {
      EXPECT_LE(c.norm.q1[i], c.norm.median[i]);
      EXPECT_LE(c.norm.median[i], c.norm.q3[i]);
    }
  }
  // Recurrence decays geometrically; attention is flat in distance.
  EXPECT_LT(r.curves[0].decay_per_step, 0.95);
  EXPECT_NEAR(r.curves[3].decay_per_step, 1.0, 0.02);
  // ...but attention's gradient is shared among the context: it falls about like 1/n.
  ASSERT_EQ(r.attention_context_lengths.front(), 2);
  EXPECT_EQ(r.attention_context_lengths.back(), r.sequence_length);
  EXPECT_LT(r.attention_context_slope, -0.5);
  EXPECT_GT(r.attention_context_slope, -1.5);
}

// The linear recurrence's reverse mode against central differences of its forward pass,
// h_t = a h_{t-1} + B x_t from h_0 = 0 (linear, so the differences are exact up to rounding).
TEST(LinearRecurrenceGradient, MatchesFiniteDifferences) {
  NumpyRandom rng(5);
  const Eigen::MatrixXd B = rng.randn(kH, kD), inputs = rng.randn(kD, kT);
  const Eigen::VectorXd w = rng.randn(kH);
  for (const double a : {0.999, 0.5}) {
    const auto read = [&](const Eigen::MatrixXd& x) {
      Eigen::VectorXd h = Eigen::VectorXd::Zero(kH);
      for (int t = 0; t < kT; ++t) h = a * h + B * x.col(t);
      return w.dot(h);
    };
    const std::vector<double> log_norms = log_linear_input_gradient_norms(B, a, w, kK);
    ASSERT_EQ(log_norms.size(), static_cast<std::size_t>(kK));
    constexpr double eps = 1e-3;
    for (int k = 1; k <= kK; ++k) {
      Eigen::VectorXd g(kD);
      for (int d = 0; d < kD; ++d) {
        Eigen::MatrixXd plus = inputs, minus = inputs;
        plus(d, kT - 1 - k) += eps;
        minus(d, kT - 1 - k) -= eps;
        g(d) = (read(plus) - read(minus)) / (2 * eps);
      }
      EXPECT_NEAR(std::exp(log_norms[k - 1]), g.norm(), 1e-9 * g.norm()) << "a " << a << " k " << k;
    }
  }
}

// Every unit decays by the same a, so the fitted factor per step is a itself and the line is exact.
TEST(ArchitecturesExperiment, LinearRecurrencesFallByTheirDecay) {
  ArchitecturesParams p = small_params();
  p.linear_decay_a = 0.97;
  p.linear_decay_b = 0.5;
  const ArchitecturesResult r = run_architectures(p);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(*r.curves[4].decay, 0.97);
  EXPECT_EQ(*r.curves[5].decay, 0.5);
  EXPECT_FALSE(r.curves[0].decay.has_value());
  EXPECT_NEAR(r.curves[4].decay_per_step, 0.97, 1e-12);
  EXPECT_NEAR(r.curves[5].decay_per_step, 0.5, 1e-12);
  EXPECT_NEAR(r.curves[5].decay_r_squared, 1.0, 1e-12);
  // Decay 1: the gradient is the same at every distance.
  p.linear_decay_a = 1;
  const ArchitecturesResult flat = run_architectures(p);
  EXPECT_EQ(flat.curves[4].norm.median.front(), flat.curves[4].norm.median.back());
  // 0.5^5000 is far below a double's range; the log is carried, so the fit still finds 0.5.
  p.linear_decay_b = 0.5;
  p.max_distance = 5000;
  p.seeds = 1;
  EXPECT_NEAR(run_architectures(p).curves[5].decay_per_step, 0.5, 1e-9);
}

TEST(ArchitecturesExperiment, HigherForgetBiasKeepsLstmGradientsLonger) {
  ArchitecturesParams p = small_params();
  const double base = run_architectures(p).curves[1].decay_per_step;
  p.forget_bias = 5;
  const double kept = run_architectures(p).curves[1].decay_per_step;
  EXPECT_GT(kept, base);
  EXPECT_GT(kept, 0.95);
}

TEST(ArchitecturesExperiment, SameSeedSameResult) {
  const ArchitecturesResult a = run_architectures(small_params()), b = run_architectures(small_params());
  for (std::size_t i = 0; i < a.curves.size(); ++i) EXPECT_EQ(a.curves[i].norm.median, b.curves[i].norm.median);
  EXPECT_EQ(a.attention_context_norm.median, b.attention_context_norm.median);
}

TEST(ArchitecturesExperiment, BadParametersAreNamed) {
  ArchitecturesParams p = small_params();
  p.max_distance = 0;
  EXPECT_NE(run_architectures(p).error.find("max_distance"), std::string::npos);
  p = small_params();
  p.forget_bias = 11;
  EXPECT_NE(validate(p).find("forget_bias"), std::string::npos);
  p = default_architectures_params();
  p.hidden_size = 256;
  p.max_distance = 5000;
  p.seeds = 64;
  EXPECT_NE(validate(p).find("2e9"), std::string::npos);
  EXPECT_EQ(validate(default_architectures_params()), "");
}

}  // namespace
