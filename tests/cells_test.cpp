// The recurrent cells: every cell's step Jacobians (built from its vector-Jacobian
// product) against central finite differences of its forward step.
#include "core/blocks/cells.h"
#include "core/blocks/fast_cell.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"

namespace {

using namespace rnn_lesson;

constexpr int kH = 6, kD = 3;
constexpr double kEps = 1e-6;
// Central differences: truncation ~eps^2 and rounding ~1e-16/eps, both far below this,
// taken relative to the Jacobian's Frobenius norm.
constexpr double kFdRelTol = 1e-7;

// d step(state, x) / d state and / d x by central differences, column by column.
StepJacobians finite_difference_jacobians(const RecurrentCell& cell, const Eigen::VectorXd& state,
                                          const Eigen::VectorXd& x) {
  const int S = cell.state_size(), D = cell.input_size();
  StepJacobians J{Eigen::MatrixXd(S, S), Eigen::MatrixXd(S, D)};
  for (int j = 0; j < S; ++j) {
    Eigen::VectorXd plus = state, minus = state;
    plus(j) += kEps;
    minus(j) -= kEps;
    J.state.col(j) = (cell.step(plus, x) - cell.step(minus, x)) / (2 * kEps);
  }
  for (int j = 0; j < D; ++j) {
    Eigen::VectorXd plus = x, minus = x;
    plus(j) += kEps;
    minus(j) -= kEps;
    J.input.col(j) = (cell.step(state, plus) - cell.step(state, minus)) / (2 * kEps);
  }
  return J;
}

class CellJacobians : public ::testing::TestWithParam<std::string> {};

TEST_P(CellJacobians, MatchFiniteDifferences) {
  NumpyRandom rng(7);
  CellInit init;
  init.recurrent_scale = 1.2;
  init.input_scale = 1.0;
  init.forget_bias = 0.5;
  init.update_bias = -0.7;
  const std::unique_ptr<RecurrentCell> cell = draw_cell(GetParam(), rng, kH, kD, init);
  ASSERT_NE(cell, nullptr);
  // A state away from zero, so every gate and tanh is in its nonlinear range.
  const Eigen::VectorXd state = rng.randn(cell->state_size()) * 0.7;
  const Eigen::VectorXd x = rng.randn(kD);
  const StepJacobians exact = step_jacobians(*cell, state, x);
  const StepJacobians fd = finite_difference_jacobians(*cell, state, x);
  const double state_err = (exact.state - fd.state).norm() / fd.state.norm();
  const double input_err = (exact.input - fd.input).norm() / fd.input.norm();
  std::printf("  %s: state Jacobian (%dx%d) rel. error %.2e, input Jacobian (%dx%d) rel. error %.2e\n",
              GetParam().c_str(), cell->state_size(), cell->state_size(), state_err, cell->state_size(), kD,
              input_err);
  EXPECT_LT(state_err, kFdRelTol);
  EXPECT_LT(input_err, kFdRelTol);
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, CellJacobians, ::testing::Values("rnn", "lstm", "gru"),
                         [](const auto& info) { return info.param; });

TEST(Cells, StateSizesAndHiddenOutput) {
  NumpyRandom rng(1);
  for (const std::string& name : recurrent_architectures()) {
    const auto cell = draw_cell(name, rng, kH, kD, CellInit{});
    ASSERT_NE(cell, nullptr);
    EXPECT_EQ(cell->architecture(), name);
    EXPECT_EQ(cell->hidden_size(), kH);
    EXPECT_EQ(cell->input_size(), kD);
    EXPECT_EQ(cell->state_size(), name == "lstm" ? 2 * kH : kH);
    const Eigen::VectorXd s = cell->step(Eigen::VectorXd::Zero(cell->state_size()), rng.randn(kD));
    EXPECT_EQ(cell->hidden(s).size(), kH);
    EXPECT_TRUE(cell->hidden(s).allFinite());
  }
  EXPECT_EQ(draw_cell("transformer", rng, kH, kD, CellInit{}), nullptr);
}

// With input_scale 0.5 the RNN cell is the kata's TanhRnn, draw for draw.
TEST(Cells, RnnCellDrawsTheKatasWeights) {
  NumpyRandom a(42), b(42);
  CellInit init;
  init.recurrent_scale = 0.5;
  init.input_scale = 0.5;
  const TanhRnnCell cell = TanhRnnCell::draw(a, 16, 8, init);
  const TanhRnn kata = TanhRnn::draw(b, 16, 8, 0.5);
  EXPECT_EQ(cell.rnn.Wh, kata.Wh);
  EXPECT_EQ(cell.rnn.Wx, kata.Wx);
}

TEST(Cells, LstmForgetBiasSitsInTheForgetBlock) {
  NumpyRandom rng(3);
  CellInit init;
  init.forget_bias = 2.5;
  const LstmCell cell = LstmCell::draw(rng, kH, kD, init);
  ASSERT_EQ(cell.b.size(), 4 * kH);
  EXPECT_EQ(cell.b.segment(kH, kH), Eigen::VectorXd::Constant(kH, 2.5));
  EXPECT_EQ(cell.b.head(kH).squaredNorm() + cell.b.tail(2 * kH).squaredNorm(), 0.0);
}

// The GRU's update-gate bias sits in the z block, and z is the fraction of h_prev kept
// (h = (1 - z) n + z h_prev): with no weights, n = tanh(0) = 0, so h = sigmoid(bias) h_prev.
TEST(Cells, GruUpdateBiasSitsInTheZBlockAndKeepsThePreviousState) {
  NumpyRandom rng(3);
  CellInit init;
  init.update_bias = -3.0;
  const GruCell cell = GruCell::draw(rng, kH, kD, init);
  ASSERT_EQ(cell.b.size(), 3 * kH);
  EXPECT_EQ(cell.b.head(kH), Eigen::VectorXd::Constant(kH, -3.0));
  EXPECT_EQ(cell.b.tail(2 * kH).squaredNorm(), 0.0);

  init.recurrent_scale = 0;
  init.input_scale = 0;
  init.update_bias = 2.0;
  const GruCell still = GruCell::draw(rng, 2, 1, init);
  Eigen::VectorXd h(2);
  h << 0.6, -0.3;
  const double z = 1.0 / (1.0 + std::exp(-2.0));
  const Eigen::VectorXd next = still.step(h, Eigen::VectorXd::Ones(1));
  EXPECT_NEAR(next(0), z * 0.6, 1e-15);
  EXPECT_NEAR(next(1), z * -0.3, 1e-15);
  FastCell fast(still);
  EXPECT_NEAR(fast.step(h, Eigen::VectorXd::Ones(1))(0), z * 0.6, 1e-6);
}

// Hand-checked LSTM step with no weights: gates are sigmoid(bias) and tanh(0).
TEST(Cells, LstmStepMatchesTheEquationsByHand) {
  NumpyRandom rng(5);
  CellInit init;
  init.recurrent_scale = 0;
  init.input_scale = 0;
  init.forget_bias = 1.0;
  const LstmCell cell = LstmCell::draw(rng, 2, 1, init);
  Eigen::VectorXd state(4);
  state << 0.3, -0.2, 0.8, -0.4;  // h = (0.3, -0.2), c = (0.8, -0.4)
  const Eigen::VectorXd next = cell.step(state, Eigen::VectorXd::Ones(1));
  const double f = 1.0 / (1.0 + std::exp(-1.0));  // sigmoid(1); i = o = 0.5, g = 0
  EXPECT_NEAR(next(2), f * 0.8, 1e-15);
  EXPECT_NEAR(next(3), f * -0.4, 1e-15);
  EXPECT_NEAR(next(0), 0.5 * std::tanh(f * 0.8), 1e-15);
  EXPECT_NEAR(next(1), 0.5 * std::tanh(f * -0.4), 1e-15);
}

// The float32 fast path against the double cells, at every size around the padding and
// block thresholds: tests/kernels_test.cpp (FastCellKernel).

// The gate functions themselves. tanh through an RNN cell with h = tanh(x) (Wh = 0, Wx = 1);
// the logistic function through an LSTM whose input gate is shut (bias -100, so i g = 0)
// and whose forget gate is sigmoid(z): c = sigmoid(z) c_prev with c_prev = 1. Relative
// errors: tanh over [-20, 20] including tiny arguments, sigmoid over [-80, 30] (below -87
// the float exp is clamped: sigmoid stays at ~6e-39 instead of falling further).
TEST(FastCell, GateFunctionsAcrossTheirRange) {
  TanhRnn r;
  r.Wh = Eigen::MatrixXd::Zero(1, 1);
  r.Wx = Eigen::MatrixXd::Ones(1, 1);
  FastCell rnn{TanhRnnCell(r)};
  double worst_tanh = 0;
  for (double x = -20; x <= 20; x += 0.005)
    for (double scale : {1.0, 1e-3, 1e-6}) {
      const double xs = static_cast<double>(static_cast<float>(x * scale));  // exactly representable
      const double got = rnn.step(Eigen::VectorXd::Zero(1), Eigen::VectorXd::Constant(1, xs))(0);
      if (xs != 0) worst_tanh = std::max(worst_tanh, std::fabs(got - std::tanh(xs)) / std::fabs(std::tanh(xs)));
    }
  NumpyRandom rng(2);
  CellInit init;
  init.recurrent_scale = 0;
  init.input_scale = 0;
  LstmCell cell = LstmCell::draw(rng, 1, 1, init);
  double worst_sigmoid = 0;
  for (double z = -80; z <= 30; z += 0.005) {
    const double zs = static_cast<double>(static_cast<float>(z));
    cell.b << -100, zs, 0, 0;  // i, f, g, o
    FastCell fast(cell);
    const Eigen::VectorXd next = fast.step(Eigen::Vector2d(0.0, 1.0), Eigen::VectorXd::Zero(1));  // h = 0, c = 1
    const double s = 1.0 / (1.0 + std::exp(-zs));
    worst_sigmoid = std::max(worst_sigmoid, std::fabs(next(1) - s) / s);
  }
  std::printf("  float gates: tanh rel. error %.2e, sigmoid rel. error %.2e (float epsilon 1.19e-7)\n", worst_tanh,
              worst_sigmoid);
  EXPECT_LT(worst_tanh, 1e-6);
  EXPECT_LT(worst_sigmoid, 1e-6);
}

}  // namespace
