// The gradient experiment: BPTT Jacobians against finite differences, spectra against
// closed forms, and run_gradient's summary against an independent recomputation.
#include "core/experiments/gradient.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include <Eigen/Eigenvalues>
#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"

namespace {

using namespace rnn_lesson;

constexpr int kH = 8, kD = 3, kT = 30;
constexpr double kEps = 1e-6;
// Central differences: truncation ~eps^2 and rounding ~1e-16/eps, both far below this,
// taken relative to the Jacobian's Frobenius norm.
constexpr double kFdRelTol = 1e-7;

struct Fixture {
  TanhRnn rnn;
  Eigen::MatrixXd inputs;  // (D, T)
  std::vector<Eigen::VectorXd> states;
};

Fixture make_fixture() {
  Fixture f;
  NumpyRandom rng(123);
  f.rnn = TanhRnn::draw(rng, kH, kD, 1.2);  // large enough that Jacobians over 10 steps stay sizeable
  f.inputs = rng.randn(kD, kT);
  f.states = run_trajectory(f.rnn, f.inputs);
  return f;
}

// h_T from h_{T-k} = h, re-running steps T-k+1..T with the trajectory's own inputs.
Eigen::VectorXd run_from(const Fixture& f, Eigen::VectorXd h, int T, int k) {
  for (int t = T - k + 1; t <= T; ++t) h = f.rnn.step(h, f.inputs.col(t - 1));
  return h;
}

Eigen::MatrixXd fd_jacobian(const Fixture& f, int T, int k) {
  Eigen::MatrixXd J(kH, kH);
  for (int j = 0; j < kH; ++j) {
    Eigen::VectorXd plus = f.states[T - k], minus = f.states[T - k];
    plus(j) += kEps;
    minus(j) -= kEps;
    J.col(j) = (run_from(f, plus, T, k) - run_from(f, minus, T, k)) / (2 * kEps);
  }
  return J;
}

TEST(Trajectory, StatesFollowStep) {
  const Fixture f = make_fixture();
  ASSERT_EQ(f.states.size(), static_cast<std::size_t>(kT + 1));
  EXPECT_EQ(f.states[0], Eigen::VectorXd::Zero(kH));
  for (int t = 1; t <= kT; ++t) EXPECT_EQ(f.states[t], f.rnn.step(f.states[t - 1], f.inputs.col(t - 1)));
}

TEST(Rnn, StepIsTheKatasRowVectorForm) {
  const Fixture f = make_fixture();
  const Eigen::VectorXd h = f.states[5], x = f.inputs.col(5);
  // np.tanh(h @ Wh + x @ Wx), written out as loops.
  for (int j = 0; j < kH; ++j) {
    double z = 0;
    for (int i = 0; i < kH; ++i) z += h(i) * f.rnn.Wh(i, j);
    for (int d = 0; d < kD; ++d) z += x(d) * f.rnn.Wx(d, j);
    EXPECT_NEAR(f.rnn.step(h, x)(j), std::tanh(z), 1e-15);
  }
}

TEST(Rnn, DrawIsWhThenWxLikeTheKata) {
  NumpyRandom a(9), b(9);
  const TanhRnn rnn = TanhRnn::draw(a, 5, 2, 0.7);
  const Eigen::MatrixXd wh = b.randn(5, 5) * (0.7 / std::sqrt(5.0));
  const Eigen::MatrixXd wx = b.randn(2, 5) * (0.5 / std::sqrt(2.0));
  EXPECT_EQ(rnn.Wh, wh);
  EXPECT_EQ(rnn.Wx, wx);
  EXPECT_EQ(rnn.hidden_size(), 5);
  EXPECT_EQ(rnn.input_size(), 2);
}

TEST(Jacobian, StepJacobianMatchesFiniteDifferences) {
  const Fixture f = make_fixture();
  for (int t : {1, 7, kT}) {
    SCOPED_TRACE("t = " + std::to_string(t));
    const Eigen::MatrixXd analytic = f.rnn.step_jacobian(f.states[t]);
    const Eigen::MatrixXd numeric = fd_jacobian(f, t, 1);
    EXPECT_NEAR((analytic - numeric).norm(), 0.0, kFdRelTol * analytic.norm());
  }
}

TEST(Jacobian, AcrossMatchesFiniteDifferences) {
  const Fixture f = make_fixture();
  for (int k : {1, 2, 5, 10}) {
    SCOPED_TRACE("k = " + std::to_string(k));
    const Eigen::MatrixXd analytic = jacobian_across(f.rnn, f.states, kT, k);
    const Eigen::MatrixXd numeric = fd_jacobian(f, kT, k);
    ASSERT_GT(analytic.norm(), 1e-3) << "a sizeable Jacobian, so the relative check means something";
    EXPECT_NEAR((analytic - numeric).norm(), 0.0, kFdRelTol * analytic.norm());
  }
}

TEST(Jacobian, AcrossIsTheChainOfStepJacobians) {
  const Fixture f = make_fixture();
  const Eigen::MatrixXd three = f.rnn.step_jacobian(f.states[kT]) * f.rnn.step_jacobian(f.states[kT - 1]) *
                                f.rnn.step_jacobian(f.states[kT - 2]);
  EXPECT_NEAR((jacobian_across(f.rnn, f.states, kT, 3) - three).norm(), 0.0, 1e-14 * three.norm());
}

// ---- spectra -----------------------------------------------------------------------------

TEST(Spectrum, DiagonalMatrix) {
  const Eigen::MatrixXd m = Eigen::Vector3d(3.0, -5.0, 0.5).asDiagonal();
  EXPECT_NEAR(spectral_radius(m), 5.0, 1e-12);
  EXPECT_NEAR(largest_singular_value(m), 5.0, 1e-12);
}

TEST(Spectrum, ScaledRotation) {
  const double s = 0.8, theta = 0.7;
  Eigen::MatrixXd m(2, 2);
  m << s * std::cos(theta), -s * std::sin(theta), s * std::sin(theta), s * std::cos(theta);
  EXPECT_NEAR(spectral_radius(m), s, 1e-12);  // eigenvalues s e^{+-i theta}
  EXPECT_NEAR(largest_singular_value(m), s, 1e-12);
}

TEST(Spectrum, NonNormalTriangular) {
  // [[a, b], [0, c]]: radius max(|a|, |c|); sigma_max^2 = (S + sqrt(S^2 - 4 a^2 c^2)) / 2, S = a^2+b^2+c^2.
  const double a = 0.5, b = 2.0, c = -0.3;
  Eigen::MatrixXd m(2, 2);
  m << a, b, 0, c;
  const double S = a * a + b * b + c * c;
  EXPECT_NEAR(spectral_radius(m), 0.5, 1e-12);
  EXPECT_NEAR(largest_singular_value(m), std::sqrt((S + std::sqrt(S * S - 4 * a * a * c * c)) / 2), 1e-12);
}

// ---- run_gradient, bptt --------------------------------------------------------------------

GradientParams small_bptt(double radius) {
  GradientParams p = default_gradient_params();
  p.mode = "bptt";
  p.hidden_size = 8;
  p.input_size = 3;
  p.spectral_radius = radius;
  p.max_distance = 30;
  p.seeds = 5;
  p.seed = 11;
  return p;
}

TEST(RunGradient, SpectralRadiusIsTheRequestedOne) {
  for (double radius : {0.5, 1.0, 1.7}) {
    const GradientResult r = run_gradient(small_bptt(radius));
    ASSERT_EQ(r.error, "");
    EXPECT_NEAR(r.spectral_radius, radius, 1e-9);
    EXPECT_GE(r.largest_singular_value, r.spectral_radius - 1e-12) << "sigma_max >= rho for every matrix";
  }
}

TEST(RunGradient, SmallRadiusDecays) {
  const GradientResult r = run_gradient(small_bptt(0.5));
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.mode, "bptt");
  EXPECT_LT(r.decay_per_step, 0.75);
  EXPECT_GT(r.decay_per_step, 0.0);
  EXPECT_GT(r.decay_r_squared, 0.9);
  EXPECT_LT(r.norm.median.back(), 1e-6 * r.norm.median.front());
}

TEST(RunGradient, BandsAreOrderedAndDistancesComplete) {
  const GradientResult r = run_gradient(small_bptt(0.9));
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.distances.size(), 30u);
  ASSERT_EQ(r.norm.median.size(), 30u);
  ASSERT_EQ(r.norm.q1.size(), 30u);
  ASSERT_EQ(r.norm.q3.size(), 30u);
  for (int k = 1; k <= 30; ++k) {
    const std::size_t i = static_cast<std::size_t>(k - 1);
    EXPECT_EQ(r.distances[i], k);
    EXPECT_LE(r.norm.q1[i], r.norm.median[i]) << "k = " << k;
    EXPECT_LE(r.norm.median[i], r.norm.q3[i]) << "k = " << k;
    EXPECT_GT(r.norm.q1[i], 0.0);
  }
}

TEST(RunGradient, MedianNormAtDistanceOneMatchesIndependentRecomputation) {
  // Recomputed from the documented recipe: per seed s, NumpyRandom(seed + s), Wh then Wx,
  // Wh rescaled to the requested spectral radius, inputs randn(D) * input_scale per step,
  // T = 50 burn-in steps + max_distance, then ||diag(1 - h_T^2) Wh^T||_F.
  const GradientParams p = small_bptt(0.5);
  std::vector<double> norms;
  for (int s = 0; s < p.seeds; ++s) {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed + s));
    TanhRnn rnn = TanhRnn::draw(rng, p.hidden_size, p.input_size, p.weight_scale);
    Eigen::EigenSolver<Eigen::MatrixXd> eig(rnn.Wh);
    rnn.Wh *= p.spectral_radius / eig.eigenvalues().cwiseAbs().maxCoeff();
    const int T = 50 + p.max_distance;
    Eigen::VectorXd h = Eigen::VectorXd::Zero(p.hidden_size);
    for (int t = 0; t < T; ++t) {
      const Eigen::VectorXd x = rng.randn(p.input_size) * p.input_scale;
      h = (rnn.Wh.transpose() * h + rnn.Wx.transpose() * x).array().tanh().matrix();
    }
    const Eigen::VectorXd slope = (1.0 - h.array().square()).matrix();
    norms.push_back((slope.asDiagonal() * rnn.Wh.transpose()).norm());
  }
  std::sort(norms.begin(), norms.end());
  const GradientResult r = run_gradient(p);
  ASSERT_EQ(r.error, "");
  EXPECT_NEAR(r.norm.median[0], norms[2], 1e-9 * norms[2]);
  EXPECT_NEAR(r.norm.q1[0], norms[1], 1e-9 * norms[1]);
  EXPECT_NEAR(r.norm.q3[0], norms[3], 1e-9 * norms[3]);
}

TEST(RunGradient, LongProductsDoNotUnderflow) {
  GradientParams p = small_bptt(0.3);
  p.max_distance = 2000;
  p.seeds = 3;
  const GradientResult r = run_gradient(p);
  ASSERT_EQ(r.error, "");
  // 0.3^2000 is about 1e-1046: below the smallest double, so the result clamps at exp(-745) > 0.
  for (double v : r.norm.median) {
    EXPECT_TRUE(std::isfinite(v));
    EXPECT_GE(v, 0.0);
  }
  EXPECT_LT(r.decay_per_step, 0.4);
  EXPECT_GT(r.decay_r_squared, 0.99) << "the log-scale fit uses every distance";
}

TEST(RunGradient, CancelledByProgress) {
  int calls = 0;
  const GradientResult r = run_gradient(small_bptt(0.5), [&](double) { return ++calls < 2; });
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_EQ(calls, 2);
}

}  // namespace
