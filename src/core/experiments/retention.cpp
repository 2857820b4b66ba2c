// Experiment 3, retention; see retention.h.
#include "core/experiments/retention.h"

#include <algorithm>
#include <cmath>

#include <Eigen/Cholesky>

#include "core/blocks/attention.h"
#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxMacs = 2e9;
constexpr int kMaxReadoutPoints = 41;  // read-out fits on at most this many n

double cosine_like_kata(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  if (b.norm() <= 0) return 0.0;
  return a.dot(b) / (a.norm() * b.norm() + 1e-8);
}

double cosine(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const double d = a.norm() * b.norm();
  return d > 0 ? a.dot(b) / d : 0.0;
}

std::vector<int> readout_grid(int max_steps) {
  std::vector<int> grid;
  if (max_steps + 1 <= kMaxReadoutPoints) {
    for (int n = 0; n <= max_steps; ++n) grid.push_back(n);
    return grid;
  }
  for (int i = 0; i < kMaxReadoutPoints; ++i) {
    const int n = static_cast<int>(std::lround(double(i) * max_steps / (kMaxReadoutPoints - 1)));
    if (grid.empty() || grid.back() != n) grid.push_back(n);
  }
  return grid;
}

double macs(const RetentionParams& p) {
  const double H = p.hidden_size, D = p.input_size, N = p.max_steps + 1.0, M = p.readout_trials;
  const double per_seed = 2 * N * H * (H + D)                      // influence: two runs
                          + N * H * D + N * N / 2 * H              // attention: keys, scores
                          + N * M * H * (H + D)                    // read-out: advance all trials
                          + kMaxReadoutPoints * (M * H * H + H * H * H);  // read-out fits
  return p.seeds * per_seed;
}

// Fraction of the signal's variance a linear read-out recovers on held-out trials.
// states: (M, H) after n steps (row m: trial m), signals: (D, M); fits on the first half,
// scores the rest.
double readout_r_squared(const Eigen::MatrixXd& states, const Eigen::MatrixXd& signals) {
  const Eigen::Index M = states.rows(), H = states.cols(), fit = M / 2, test = M - fit;
  Eigen::MatrixXd X(fit, H + 1);
  X.leftCols(H) = states.topRows(fit);
  X.col(H).setOnes();
  const Eigen::MatrixXd Y = signals.leftCols(fit).transpose();  // (fit, D)
  Eigen::MatrixXd gram = X.transpose() * X;
  // A whisper of ridge keeps the solve well-posed when the states have collapsed.
  const double ridge = 1e-10 * (gram.trace() / double(H + 1) + 1e-300);
  gram.diagonal().array() += ridge;
  const Eigen::MatrixXd W = gram.ldlt().solve(X.transpose() * Y);  // (H+1, D)

  Eigen::MatrixXd Xt(test, H + 1);
  Xt.leftCols(H) = states.bottomRows(test);
  Xt.col(H).setOnes();
  const Eigen::MatrixXd Yt = signals.rightCols(test).transpose();
  const double ss_res = (Yt - Xt * W).squaredNorm();
  const double ss_tot = (Yt.rowwise() - Yt.colwise().mean()).squaredNorm();
  return ss_tot > 0 ? 1.0 - ss_res / ss_tot : 0.0;
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<RetentionParams>>& retention_fields() {
  static const std::vector<Field<RetentionParams>> table = {
      {{"hidden_size", ParamType::Integer, 1, 256, 1, "16", {}, "hidden units H (also attention's key size)",
        "Hidden size H"},
       &RetentionParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 64, 1, "4", {}, "input features D",
        "Input size D", Tier::Advanced}, &RetentionParams::input_size},
      {{"max_steps", ParamType::Integer, 0, 2000, 1, "200", {}, "noise steps after the signal",
        "Noise steps (largest n)"},
       &RetentionParams::max_steps},
      {{"weight_scale", ParamType::Real, 0, 4, 1, "0.5", {}, "size of the random recurrent weights W_h (about W_h's spectral radius)",
        "Weight scale of W_h"},
       &RetentionParams::weight_scale},
      {{"noise_scale", ParamType::Real, 0, 10, 1, "0.01", {}, "size of the random noise tokens that follow the signal",
        "Noise scale"},
       &RetentionParams::noise_scale},
      {{"seeds", ParamType::Integer, 1, 64, 1, "8", {},
        "random networks summarised by the median and the middle half", "Networks (seeds)", Tier::Advanced},
       &RetentionParams::seeds},
      {{"readout_trials", ParamType::Integer, 8, 4000, 1, "128", {},
        "stored signals per network for the read-out, half to fit it and half to score it",
        "Stored signals for the read-out", Tier::Advanced},
       &RetentionParams::readout_trials},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each network adds 1 to it)",
        "Random seed", Tier::Advanced, Slider::Off},
       &RetentionParams::seed},
  };
  return table;
}

RetentionParams default_retention_params() { return defaults_from(retention_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const RetentionParams& p) {
  std::string error = check_fields(retention_fields(), p);
  if (!error.empty()) return error;
  if (p.readout_trials < 2 * (p.hidden_size + 2))
    return "readout_trials must be at least 2*(hidden_size+2) = " + std::to_string(2 * (p.hidden_size + 2)) +
           " so the read-out is fitted on more signals than it has weights (got " +
           std::to_string(p.readout_trials) + ")";
  if (macs(p) > kMaxMacs)
    return "seeds * max_steps * readout_trials * hidden_size^2 is too large: the work must be at most 2e9 "
           "multiply-adds (got " + std::to_string(static_cast<long long>(macs(p))) + ")";
  return "";
}

Eigen::VectorXd stored_signal(int input_size) {
  static const double pattern[4] = {1.0, -1.0, 0.5, -0.5};
  Eigen::VectorXd s(input_size);
  for (int i = 0; i < input_size; ++i) s(i) = pattern[i % 4];
  return s;
}

Eigen::VectorXd attention_scores(const Eigen::MatrixXd& tokens, const Eigen::VectorXd& query,
                                 const Eigen::MatrixXd& projection) {
  const double inv_sqrt_k = 1.0 / std::sqrt(double(projection.rows()));
  const Eigen::VectorXd q = projection * query;                       // (K)
  return (projection * tokens).transpose() * q * inv_sqrt_k;          // (n)
}

// The weights are the attention layer's own softmax (blocks/attention.h), so every attention
// in the lesson normalises its scores one way. tokens: (D, n), scores: (n); returns (D).
Eigen::VectorXd attention_read_scored(const Eigen::Ref<const Eigen::MatrixXd>& tokens,
                                      const Eigen::Ref<const Eigen::VectorXd>& scores, double* weight_on_first) {
  Eigen::VectorXd weights = scores;  // (n)
  softmax_in_place(weights);
  if (weight_on_first) *weight_on_first = weights(0);
  return tokens * weights;  // sum_i a_i x_i
}

Eigen::VectorXd attention_read(const Eigen::MatrixXd& tokens, const Eigen::VectorXd& query,
                               const Eigen::MatrixXd& projection, double* weight_on_first) {
  return attention_read_scored(tokens, attention_scores(tokens, query, projection), weight_on_first);
}

RNN_LESSON_FOR_SIZE RetentionResult run_retention(const RetentionParams& p, const Progress& progress) {
  RetentionResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const int H = p.hidden_size, D = p.input_size, N = p.max_steps;
  const Eigen::VectorXd signal = stored_signal(D);
  for (int n = 0; n <= N; ++n) r.steps.push_back(n);
  r.readout_steps = readout_grid(N);

  // The kata's measure, draw for draw: seed, Wh, Wx, then one randn(D) * noise per step.
  {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
    const TanhRnn rnn = TanhRnn::draw(rng, H, D, p.weight_scale);
    Eigen::VectorXd h = rnn.step(Eigen::VectorXd::Zero(H), signal);
    const Eigen::VectorXd after_signal = h;
    r.kata_cosine.push_back(cosine_like_kata(h, after_signal));
    for (int n = 1; n <= N; ++n) {
      h = rnn.step(h, rng.randn(D) * p.noise_scale);
      r.kata_cosine.push_back(cosine_like_kata(h, after_signal));
    }
  }

  std::vector<std::vector<double>> influence(p.seeds), att_cos(p.seeds), att_w(p.seeds), r2(p.seeds);
  for (int s = 0; s < p.seeds; ++s) {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s));
    const TanhRnn rnn = TanhRnn::draw(rng, H, D, p.weight_scale);
    Eigen::MatrixXd tokens(D, N + 1);  // the signal, then the noise
    tokens.col(0) = signal;
    for (int n = 1; n <= N; ++n) tokens.col(n) = rng.randn(D) * p.noise_scale;

    // Influence: with and without the signal, same noise.
    Eigen::VectorXd with = rnn.step(Eigen::VectorXd::Zero(H), signal);
    Eigen::VectorXd without = rnn.step(Eigen::VectorXd::Zero(H), Eigen::VectorXd::Zero(D));
    const double written = (with - without).norm();
    for (int n = 0; n <= N; ++n) {
      if (n > 0) {
        with = rnn.step(with, tokens.col(n));
        without = rnn.step(without, tokens.col(n));
      }
      influence[s].push_back(written > 0 ? (with - without).norm() / written : 0.0);
    }

    // Attention over the same tokens: the query is the signal's own cue, keys share its
    // projection, so a match is a large dot product rather than a coincidence. A token's
    // score does not depend on what follows it, so the scores are computed once and each
    // n reads its prefix.
    const Eigen::MatrixXd projection = rng.randn(H, D) * (1.0 / std::sqrt(double(D)));
    const Eigen::VectorXd scores = attention_scores(tokens, signal, projection);  // (N + 1)
    for (int n = 0; n <= N; ++n) {
      double weight = 0;
      const Eigen::VectorXd read = attention_read_scored(tokens.leftCols(n + 1), scores.head(n + 1), &weight);
      att_cos[s].push_back(cosine(read, signal));
      att_w[s].push_back(weight);
    }

    // Read-out: many random signals through the same network, all advanced together.
    const int M = p.readout_trials;
    const Eigen::MatrixXd signals = rng.randn(D, M);  // (D, M), column m is signal m
    Eigen::MatrixXd states(M, H), next_states(M, H), inputs = signals.transpose();  // (M, H), (M, D)
    rnn.step_batch(Eigen::MatrixXd::Zero(M, H), inputs, states);
    std::size_t next = 0;
    for (int n = 0; n <= N; ++n) {
      if (n > 0) {
        inputs = rng.randn(D, M).transpose() * p.noise_scale;
        rnn.step_batch(states, inputs, next_states);
        states.swap(next_states);
      }
      if (next < r.readout_steps.size() && r.readout_steps[next] == n) {
        r2[s].push_back(readout_r_squared(states, signals));
        ++next;
      }
    }
    if (progress && !progress(double(s + 1) / p.seeds)) {
      RetentionResult cancelled;
      cancelled.error = "cancelled";
      return cancelled;
    }
  }
  r.influence = band_across(influence);
  r.attention_cosine = band_across(att_cos);
  r.attention_weight = band_across(att_w);
  r.readout_r2 = band_across(r2);
  return r;
}

}  // namespace rnn_lesson
