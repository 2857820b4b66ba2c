// The recurrent cells: every cell's step Jacobians (built from its vector-Jacobian
// product) against central finite differences of its forward step.
#include "core/cells.h"

#include <cmath>
#include <cstdio>
#include <memory>

#include <gtest/gtest.h>

#include "core/numpy_random.h"
#include "core/rnn.h"

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

}  // namespace
