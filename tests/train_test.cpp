// Experiment 7 (training across a gap): the task against numpy, every model's forward pass
// against the double references (cells.h, attention.h, minGRU's equation written out),
// every parameter gradient against central finite differences, truncated BPTT, Adam by
// hand, determinism, a short run that must learn, and the refusals. Sizes are tiny so the
// file also runs quickly under ASan.
#include "core/experiments/train.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/attention.h"
#include "core/blocks/cells.h"
#include "core/blocks/first_token_task.h"
#include "core/blocks/trainable.h"

namespace {

using namespace rnn_lesson;
using Eigen::MatrixXd;
using Eigen::MatrixXf;

// np.random.seed(7); first = np.random.randint(0, 4, size=3)
// rest = 4 + np.random.randint(0, 4, size=(3, 3))     (K = 4, M = 4, T = 4, B = 3)
TEST(FirstTokenTask, DrawsWhatNumpyDraws) {
  NumpyRandom rng(7);
  const FirstTokenBatch b = draw_first_token_batch(rng, 4, 4, 4, 3);
  EXPECT_EQ(b.targets, (std::vector<int>{3, 0, 1}));
  EXPECT_EQ(b.tokens, (std::vector<int>{3, 0, 1, 6, 7, 7, 7, 7, 4, 5, 6, 7}));
  const MatrixXf x = b.one_hot();
  ASSERT_EQ(x.rows(), 8);
  ASSERT_EQ(x.cols(), 12);
  for (int i = 0; i < 12; ++i) {
    EXPECT_EQ(x.col(i).sum(), 1.0f);
    EXPECT_EQ(x(b.tokens[i], i), 1.0f);
  }
}

struct TaskBatch {
  FirstTokenBatch batch;
  MatrixXf x;
};
// K = 3 symbols, M = 2 distractors: D = 5.
TaskBatch small_batch(int T, int B, std::uint32_t seed = 3) {
  NumpyRandom rng(seed);
  TaskBatch s{draw_first_token_batch(rng, 3, 2, T, B), {}};
  s.x = s.batch.one_hot();
  return s;
}

std::unique_ptr<TrainableModel> small_model(const std::string& a, int H, int T, std::uint32_t seed = 11) {
  NumpyRandom rng(seed);
  TrainableInit init;
  init.forget_bias = 0.5;
  init.linear_gate_bias = -0.5;
  return make_trainable(a, rng, H, 5, 3, T, init);
}

int index_of(const TrainableModel& m, const std::string& name) {
  return static_cast<int>(std::find(m.names.begin(), m.names.end(), name) - m.names.begin());
}

MatrixXd d(const MatrixXf& m) { return m.cast<double>(); }

// Moves every parameter off its initial value (biases are 0 at the start), so every term of
// the equations is exercised.
void perturb(TrainableModel& m, std::uint32_t seed) {
  NumpyRandom rng(seed);
  for (auto& p : m.params) p += (rng.randn(static_cast<int>(p.rows()), static_cast<int>(p.cols())) * 0.2).cast<float>();
}

// Forward pass: float32 batched model = the double reference, sequence by sequence, to
// float rounding (1e-5 absolute on states of size <= 1 after 7 steps).
TEST(TrainableModels, ForwardEqualsTheDoubleReferences) {
  const int H = 4, T = 7, B = 3;
  const TaskBatch s = small_batch(T, B);
  for (const std::string& a : trainable_architectures()) {
    SCOPED_TRACE(a);
    auto model = small_model(a, H, T);
    if (a != "rnn") perturb(*model, 5);  // cells.h's RNN has no bias: keep b = 0 there
    const MatrixXf summary = model->summarise(s.x, T, B);
    ASSERT_EQ(summary.rows(), H);
    ASSERT_EQ(summary.cols(), B);
    for (int b = 0; b < B; ++b) {
      MatrixXd x(5, T);  // this sequence's inputs, (D, T)
      for (int t = 0; t < T; ++t) x.col(t) = d(s.x.col(t * B + b));
      Eigen::VectorXd expected;
      if (a == "attention") {
        AttentionLayer layer{d(model->params[index_of(*model, "Wq")]), d(model->params[index_of(*model, "Wk")]),
                             d(model->params[index_of(*model, "Wv")])};
        const MatrixXd e = d(model->params[index_of(*model, "E")]) * x + d(model->params[index_of(*model, "P")]);
        expected = attention_last_output(layer, e);
      } else if (a == "linear") {  // minGRU, written out: h = (1 - z) h + z h~
        const MatrixXd u = d(model->params[index_of(*model, "Wx")]) * x;
        const Eigen::VectorXd bias = d(model->params[index_of(*model, "b")]);
        Eigen::VectorXd h = Eigen::VectorXd::Zero(H);
        for (int t = 0; t < T; ++t) {
          const Eigen::ArrayXd z = 1.0 / (1.0 + (-(u.col(t).head(H) + bias.head(H)).array()).exp());
          const Eigen::ArrayXd h_tilde = u.col(t).tail(H) + bias.tail(H);
          h = ((1 - z) * h.array() + z * h_tilde).matrix();
        }
        expected = h;
      } else {
        const MatrixXd Wh = d(model->params[index_of(*model, "Wh")]).transpose();
        const MatrixXd Wx = d(model->params[index_of(*model, "Wx")]).transpose();
        std::unique_ptr<RecurrentCell> cell;
        if (a == "rnn") {
          ASSERT_EQ(model->params[index_of(*model, "b")].norm(), 0.0f);
          cell = std::make_unique<TanhRnnCell>(TanhRnn{Wh, Wx});
        } else if (a == "lstm") {
          auto c = std::make_unique<LstmCell>();
          c->Wh = Wh, c->Wx = Wx, c->b = d(model->params[index_of(*model, "b")]);
          cell = std::move(c);
        } else {
          auto c = std::make_unique<GruCell>();
          c->Wh = Wh, c->Wx = Wx, c->b = d(model->params[index_of(*model, "b")]);
          cell = std::move(c);
        }
        Eigen::VectorXd state = Eigen::VectorXd::Zero(cell->state_size());
        for (int t = 0; t < T; ++t) state = cell->step(state, x.col(t));
        expected = cell->hidden(state);
      }
      for (int i = 0; i < H; ++i) EXPECT_NEAR(summary(i, b), expected(i), 1e-5) << "unit " << i << " sequence " << b;
    }
  }
}

// (L(v + eps) - L(v - eps)) / (2 eps) for one float the loss reads: a weight, or an entry of
// s.x. v is restored afterwards.
double central_difference(TrainableModel& model, const TaskBatch& s, float& v, double eps) {
  const float saved = v;
  v = static_cast<float>(saved + eps);
  const double plus = model.evaluate(s.batch, s.x).loss;
  v = static_cast<float>(saved - eps);
  const double minus = model.evaluate(s.batch, s.x).loss;
  v = saved;
  return (plus - minus) / (2 * eps);
}

// Every parameter's gradient against central finite differences of the float32 loss (the
// loss itself is summed in double). Step 4e-3: the loss (about 1.1) carries float rounding
// of ~1e-7, i.e. ~2e-5 in a difference quotient, while the truncation error (eps^2 / 6 times
// a third derivative of order 1) is ~3e-6. Tolerance |fd - g| <= 1e-4 + 1e-2 |g|: a few
// times that noise, and far below any missing or wrong term (an error of order |g|).
TEST(TrainableModels, GradientsMatchFiniteDifferences) {
  const int H = 3, T = 5, B = 3;
  const TaskBatch s = small_batch(T, B);
  const double eps = 4e-3;
  for (const std::string& a : trainable_architectures()) {
    SCOPED_TRACE(a);
    auto model = small_model(a, H, T);
    perturb(*model, 9);
    model->gradients(s.batch, s.x, 0);
    const std::vector<MatrixXf> grads = model->grads;
    double worst = 0;
    for (std::size_t p = 0; p < model->params.size(); ++p) {
      EXPECT_GT(grads[p].norm(), 0.0f) << model->names[p] << ": every parameter is reached";
      for (Eigen::Index i = 0; i < model->params[p].size(); ++i) {
        const double fd = central_difference(*model, s, model->params[p].data()[i], eps), g = grads[p].data()[i];
        EXPECT_NEAR(g, fd, 1e-4 + 1e-2 * std::abs(g)) << model->names[p] << "[" << i << "]";
        worst = std::max(worst, std::abs(g - fd));
      }
    }
    RecordProperty(a + "_worst_abs_error", std::to_string(worst));
  }
}

// The input gradients against finite differences too: d loss / d x, used for the
// first-token learning signal (a one-hot entry moved by +-eps).
TEST(TrainableModels, InputGradientsMatchFiniteDifferences) {
  const int H = 3, T = 4, B = 2;
  TaskBatch s = small_batch(T, B);
  const double eps = 4e-3;
  for (const std::string& a : trainable_architectures()) {
    SCOPED_TRACE(a);
    auto model = small_model(a, H, T);
    perturb(*model, 13);
    MatrixXf dx;
    model->gradients(s.batch, s.x, 0, &dx);
    ASSERT_EQ(dx.rows(), 5);
    ASSERT_EQ(dx.cols(), T * B);
    for (Eigen::Index i = 0; i < s.x.size(); ++i) {
      const double fd = central_difference(*model, s, s.x.data()[i], eps);
      EXPECT_NEAR(dx.data()[i], fd, 1e-4 + 1e-2 * std::abs(dx.data()[i])) << i;
    }
  }
}

// Truncated BPTT: a window of at least T is full BPTT (bit for bit); a window W < T gives
// exactly the full gradient on the inputs of the last W steps and exactly 0 before them,
// and the read-out's gradient (which does not go through time) is unchanged.
TEST(TrainableModels, TruncatedBpttStopsAtTheWindow) {
  const int H = 4, T = 6, B = 3, W = 2;
  const TaskBatch s = small_batch(T, B);
  for (const std::string a : {"rnn", "lstm", "gru", "linear"}) {
    SCOPED_TRACE(a);
    auto model = small_model(a, H, T);
    perturb(*model, 17);
    MatrixXf full_dx, same_dx, cut_dx;
    model->gradients(s.batch, s.x, 0, &full_dx);
    const std::vector<MatrixXf> full = model->grads;
    for (int window : {T, T + 5}) {
      model->gradients(s.batch, s.x, window, &same_dx);
      EXPECT_EQ(same_dx, full_dx) << window;
      for (std::size_t p = 0; p < full.size(); ++p) EXPECT_EQ(model->grads[p], full[p]) << model->names[p];
    }
    model->gradients(s.batch, s.x, W, &cut_dx);
    EXPECT_EQ(cut_dx.leftCols((T - W) * B).norm(), 0.0f) << "nothing reaches the inputs before the window";
    EXPECT_EQ(cut_dx.rightCols(W * B), full_dx.rightCols(W * B)) << "inside the window: the full gradient";
    EXPECT_GT(full_dx.leftCols(B).norm(), 0.0f) << "full BPTT reaches the first token";
    EXPECT_EQ(model->grads[0], full[0]);
    EXPECT_EQ(model->grads[1], full[1]);
    EXPECT_NE(model->grads[index_of(*model, "Wx")], full[index_of(*model, "Wx")]);
  }
}

// Adam, lr 0.1, on p = (1, -2) with gradients (0.5, 0.1), (-0.3, 0.2), (0.05, -0.4): the
// expected values computed by hand with numpy (float64):
//   m = 0.9 m + 0.1 g; v = 0.999 v + 0.001 g^2; p -= 0.1 (m / (1 - 0.9^k)) / (sqrt(v / (1 - 0.999^k)) + 1e-8)
TEST(Adam, MatchesTheHandComputation) {
  std::vector<MatrixXf> params = {MatrixXf(1, 2)};
  params[0] << 1.0f, -2.0f;
  const float g[3][2] = {{0.5f, 0.1f}, {-0.3f, 0.2f}, {0.05f, -0.4f}};
  const double expected[3][2] = {{0.9000000019999999, -2.099999990000001},
                                 {0.8808501989417751, -2.196518186478747},
                                 {0.8606391055754242, -2.1771387417102908}};
  Adam adam(0.1);
  for (int k = 0; k < 3; ++k) {
    std::vector<MatrixXf> grads = {MatrixXf(1, 2)};
    grads[0] << g[k][0], g[k][1];
    adam.step(params, grads);
    // float32 parameters: 2e-7 absolute is a few ulp at |p| ~ 2.
    EXPECT_NEAR(params[0](0, 0), expected[k][0], 2e-7) << "step " << k + 1;
    EXPECT_NEAR(params[0](0, 1), expected[k][1], 2e-7) << "step " << k + 1;
  }
}

TrainParams tiny() {
  TrainParams p = default_train_params();
  p.lags = {3, 6};
  p.steps = 6;
  p.batch = 4;
  p.hidden_size = 4;
  p.eval_every = 2;
  p.seeds = 2;
  return p;
}

TEST(Train, SameSeedSameCurves) {
  const TrainResult a = run_train(tiny()), b = run_train(tiny());
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(a.runs.size(), 5u * 2 * 2);
  for (std::size_t i = 0; i < a.runs.size(); ++i) {
    EXPECT_EQ(a.runs[i].eval_steps, (std::vector<int>{0, 2, 4, 6}));
    EXPECT_EQ(a.runs[i].accuracy, b.runs[i].accuracy);
    EXPECT_EQ(a.runs[i].loss, b.runs[i].loss);
    EXPECT_EQ(a.runs[i].first_token_gradient, b.runs[i].first_token_gradient);
  }
  TrainParams other = tiny();
  other.seed += 1;
  EXPECT_NE(run_train(other).runs[0].loss, a.runs[0].loss);
  // Run seeds count on from `seed`, past 2^31 - 1 too (weights from NumpyRandom(seed mod 2^32)).
  TrainParams top = tiny();
  top.seed = 2147483647;
  top.architectures = {"rnn"};
  top.lags = {3};
  const TrainResult t = run_train(top);
  ASSERT_EQ(t.runs.size(), 2u);
  EXPECT_EQ(t.runs[0].seed, 2147483647.0);
  EXPECT_EQ(t.runs[1].seed, 2147483648.0);
  EXPECT_EQ(a.ms_per_step.size(), 5u);
  for (const StepTime& s : a.ms_per_step) EXPECT_EQ(s.lag, 6);
}

// The learning signal: 0 exactly when the window does not reach the first token.
TEST(Train, TruncationCutsTheFirstTokensSignal) {
  TrainParams p = tiny();
  p.architectures = {"rnn", "lstm"};
  p.tbptt = 2;
  const TrainResult r = run_train(p);
  ASSERT_EQ(r.error, "");
  for (const TrainRun& run : r.runs)
    for (double g : run.first_token_gradient) EXPECT_EQ(g, 0.0) << run.architecture << " lag " << run.lag;
  p.tbptt = 0;
  for (const TrainRun& run : run_train(p).runs) EXPECT_GT(run.first_token_gradient[0], 0.0);
}

// A test that fails when learning is broken: every network learns lag 5 (chance 0.25) within
// 150 steps. (At H = 32 each learns it by step 40; here H = 16 and the threshold is 0.9.)
TEST(Train, EveryNetworkLearnsLagFive) {
  TrainParams p = default_train_params();
  p.lags = {5};
  p.steps = 150;
  p.hidden_size = 16;
  p.eval_every = 25;
  const TrainResult r = run_train(p);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.runs.size(), 5u);
  for (const TrainRun& run : r.runs) {
    EXPECT_TRUE(run.steps_to_learn.has_value()) << run.architecture;
    EXPECT_GE(run.final_accuracy, 0.9) << run.architecture;
    EXPECT_LT(run.accuracy.front(), 0.6) << run.architecture << " starts near chance";
    EXPECT_LT(run.loss.back(), run.loss.front()) << run.architecture;
  }
}

TEST(Train, ProgressIncreasesToOneAndFalseCancels) {
  std::vector<double> seen;
  const TrainResult r = run_train(tiny(), [&](double f) { seen.push_back(f); return true; });
  ASSERT_EQ(r.error, "");
  ASSERT_GE(seen.size(), 3u);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]);
  EXPECT_GT(seen.front(), 0.0);
  EXPECT_EQ(seen.back(), 1.0);
  int calls = 0;
  const TrainResult cancelled = run_train(tiny(), [&](double) { return ++calls < 2; });
  EXPECT_EQ(cancelled.error, "cancelled");
  EXPECT_TRUE(cancelled.runs.empty());
  EXPECT_EQ(calls, 2);
}

TEST(Train, RefusalsNameTheSetting) {
  TrainParams p = default_train_params();
  EXPECT_EQ(validate(p), "");
  p.architectures = {"rnn", "rnn"};
  EXPECT_NE(validate(p).find("architectures must be"), std::string::npos) << validate(p);
  p = default_train_params();
  p.lags = {1000};
  p.hidden_size = 256;
  EXPECT_NE(validate(p).find("hidden_size"), std::string::npos) << validate(p);
  EXPECT_NE(validate(p).find("256 MiB"), std::string::npos) << validate(p);
  p = default_train_params();
  p.steps = 20000;
  p.lags = {1000};
  EXPECT_NE(validate(p).find("steps"), std::string::npos) << validate(p);
  EXPECT_NE(validate(p).find("4e11"), std::string::npos) << validate(p);
  for (const TrainParams& bad : {p}) EXPECT_EQ(validate(bad).find('\n'), std::string::npos);
  EXPECT_NE(run_train(p).error, "");
}

}  // namespace
