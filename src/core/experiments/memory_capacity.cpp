// Experiment 5, memory capacity and attention's retrieval; see memory_capacity.h.
#include "core/experiments/memory_capacity.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <Eigen/Cholesky>

#include "core/blocks/attention.h"
#include "core/blocks/fast_cell.h"
#include "core/blocks/numpy_random.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxMacs = 2e9;

double macs(const MemoryParams& p) {
  const double L = p.washout + p.train_steps + p.test_steps, K = p.max_delay;
  double per_seed = 0;
  for (int N : p.hidden_sizes) {
    const double drive = L * 8.0 * N * (N + 1);  // forward steps, gate blocks 1 + 4 + 3
    const double fit = 3.0 * (p.train_steps * N * (N + K) + p.test_steps * N * K + N * N * N);
    per_seed += drive + fit;
  }
  const double d = p.attention_key_size;
  double context_tokens = 0;
  for (int n : p.attention_contexts) context_tokens += n + 1.0;
  per_seed += p.attention_trials * context_tokens * (2 * d * d + 4 * d);
  return p.seeds * per_seed;
}

int largest(const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); }

// Squared correlation of two equal-length series; 0 if either is constant.
double squared_correlation(const Eigen::VectorXd& a, const Eigen::VectorXd& b) {
  const Eigen::ArrayXd x = a.array() - a.mean(), y = b.array() - b.mean();
  const double sxx = x.square().sum(), syy = y.square().sum();
  if (!(sxx > 0) || !(syy > 0)) return 0.0;
  const double sxy = (x * y).sum();
  return std::min(1.0, sxy * sxy / (sxx * syy));
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<MemoryParams>>& memory_fields() {
  static const std::vector<Field<MemoryParams>> table = {
      {{"hidden_sizes", ParamType::IntegerList, 1, 256, 8, "8,16,32,64,128", {},
        "hidden sizes H to compare: one network of each kind per size", "Hidden sizes H"},
       &MemoryParams::hidden_sizes},
      {{"max_delay", ParamType::Integer, 1, 1000, 1, "100", {}, "recall is scored for every delay k from 1 to this (at most the warm-up steps)",
        "Largest delay K"},
       &MemoryParams::max_delay},
      {{"washout", ParamType::Integer, 0, 5000, 1, "100", {}, "steps the networks run before any recall is scored",
        "Warm-up steps", Tier::Advanced},
       &MemoryParams::washout},
      {{"train_steps", ParamType::Integer, 10, 20000, 1, "1000", {},
        "steps the read-outs learn from (at least twice the largest hidden size, plus 2)",
        "Read-out training steps", Tier::Advanced},
       &MemoryParams::train_steps},
      {{"test_steps", ParamType::Integer, 10, 20000, 1, "500", {},
        "later steps the recall is scored on (at least twice the largest delay; fewer let chance add more to MC)",
        "Held-out test steps", Tier::Advanced},
       &MemoryParams::test_steps},
      {{"recurrent_scale", ParamType::Real, 0, 4, 1, "0.95", {},
        "size of the RNN's random recurrent weights (its spectral radius is about this)", "Recurrent weight scale"},
       &MemoryParams::recurrent_scale},
      {{"gated_scale", ParamType::Choice, 0, 0, 1, "matched", {"matched", "same"},
        "LSTM and GRU recurrent weights: matched (scaled so their state gain equals the RNN's) or same (the RNN's scale)",
        "LSTM and GRU recurrent weights", Tier::Basic, Slider::Auto, {"matched to the RNN’s state gain", "the RNN’s scale"}},
       &MemoryParams::gated_scale},
      {{"input_scale", ParamType::Real, 0, 10, 1, "0.01", {}, "size of the random input weights (small keeps every cell near its linear regime)",
        "Input scale", Tier::Advanced},
       &MemoryParams::input_scale},
      {{"forget_bias", ParamType::Real, -5, 10, 1, "-3", {}, "LSTM forget-gate bias: higher keeps more of the cell at each step",
        "LSTM forget-gate bias"},
       &MemoryParams::forget_bias},
      {{"update_bias", ParamType::Real, -5, 10, 1, "-3", {},
        "GRU update-gate bias: higher keeps more of the old state at each step", "GRU update-gate bias"},
       &MemoryParams::update_bias},
      {{"ridge", ParamType::Real, 0, 1, 1, "1e-6", {}, "how strongly the read-outs are kept small (relative to the state's variance)",
        "Ridge penalty", Tier::Advanced, Slider::Off},
       &MemoryParams::ridge},
      {{"seeds", ParamType::Integer, 1, 64, 1, "3", {}, "random networks of each kind, summarised by the median and the middle half",
        "Networks (seeds)", Tier::Advanced},
       &MemoryParams::seeds},
      {{"attention_key_size", ParamType::Integer, 1, 128, 1, "16", {}, "attention: the size of its keys and values",
        "Attention key size", Tier::Advanced},
       &MemoryParams::attention_key_size},
      {{"attention_contexts", ParamType::IntegerList, 1, 4096, 16, "1,4,16,64,256,1024", {},
        "attention: the numbers of tokens n before the query", "Attention context lengths n"},
       &MemoryParams::attention_contexts},
      {{"attention_trials", ParamType::Integer, 1, 1000, 1, "32", {},
        "attention: stored pairs tried per network and context length", "Attention trials per length", Tier::Advanced},
       &MemoryParams::attention_trials},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each network adds 1 to it)",
        "Random seed", Tier::Advanced, Slider::Off},
       &MemoryParams::seed},
  };
  return table;
}

MemoryParams default_memory_params() { return defaults_from(memory_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const MemoryParams& p) {
  std::string error = check_fields(memory_fields(), p);
  if (!error.empty()) return error;
  if (p.max_delay > p.washout)
    return "max_delay must be at most washout, so every target u(t-k) was fed to the network (got max_delay " +
           std::to_string(p.max_delay) + ", washout " + std::to_string(p.washout) + ")";
  // Chance adds about max_delay / (test_steps - 1) to the measured MC (see the header); this
  // keeps it below 0.5, so the bound MC <= N + chance_capacity stays close to N.
  if (p.test_steps < 2 * p.max_delay)
    return "test_steps must be at least 2*max_delay = " + std::to_string(2 * p.max_delay) +
           " so chance adds at most about 0.5 to MC (got " + std::to_string(p.test_steps) + ")";
  const int N = largest(p.hidden_sizes);
  if (p.train_steps < 2 * (N + 1))
    return "train_steps must be at least 2*(largest hidden size + 1) = " + std::to_string(2 * (N + 1)) +
           " so each read-out is fitted on more rows than it has weights (got " + std::to_string(p.train_steps) +
           ")";
  if (macs(p) > kMaxMacs)
    return "seeds * (the networks' steps * hidden_sizes^2 + attention_trials * sum(attention_contexts) * "
           "attention_key_size^2) is too large: the work must be at most 2e9 multiply-adds (got " +
           std::to_string(static_cast<long long>(macs(p))) + ")";
  return "";
}

MemoryGain memory_gain(const std::string& architecture, const MemoryParams& p) {
  const auto sigmoid = [](double x) { return 1.0 / (1.0 + std::exp(-x)); };
  MemoryGain g;
  if (architecture == "lstm") {
    g.keep = sigmoid(p.forget_bias);
    g.pass = sigmoid(0.0) * sigmoid(0.0);  // input gate * output gate
  } else if (architecture == "gru") {
    g.keep = sigmoid(p.update_bias);
    g.pass = (1.0 - g.keep) * sigmoid(0.0);  // (1 - z) * reset gate
  }
  g.recurrent_scale = architecture == "rnn" || p.gated_scale == "same"
                          ? p.recurrent_scale
                          : std::max(0.0, (p.recurrent_scale - g.keep) / g.pass);
  g.effective_gain = g.keep + g.pass * g.recurrent_scale;
  return g;
}

std::vector<double> memory_r_squared(const RecurrentCell& cell, const Eigen::VectorXd& inputs, int washout,
                                     int train_steps, int max_delay, double ridge, bool float32) {
  const int N = cell.hidden_size(), L = static_cast<int>(inputs.size()), K = max_delay;
  const int rows = L - washout, test_steps = rows - train_steps;

  // Hidden outputs after the washout: column i is h at time washout + i. (N, rows)
  Eigen::MatrixXd states(N, rows);
  if (float32) {
    FastCell fast(cell);
    std::vector<float> a(fast.padded_state(), 0.0f), b(fast.padded_state()), x(fast.padded_input(), 0.0f);
    float* state = a.data();
    float* next = b.data();
    for (int t = 0; t < L; ++t) {
      x[0] = static_cast<float>(inputs(t));
      fast.forward(state, x.data(), next, nullptr);
      std::swap(state, next);
      if (t >= washout)
        for (int i = 0; i < N; ++i) states(i, t - washout) = state[i];
    }
  } else {
    Eigen::VectorXd state = Eigen::VectorXd::Zero(cell.state_size()), x(1);
    for (int t = 0; t < L; ++t) {
      x(0) = inputs(t);
      state = cell.step(state, x);
      if (t >= washout) states.col(t - washout) = cell.hidden(state);
    }
  }
  // Targets: row i, column k-1 is u(t - k) at t = washout + i. (rows, K)
  Eigen::MatrixXd targets(rows, K);
  for (int k = 1; k <= K; ++k) targets.col(k - 1) = inputs.segment(washout - k, rows);

  // Ridge on centred training rows: (Xc Xc^T + lambda I) W = Xc Yc, W: (N, K).
  const Eigen::VectorXd mean = states.leftCols(train_steps).rowwise().mean();
  const Eigen::MatrixXd Xc = states.leftCols(train_steps).colwise() - mean;  // (N, train)
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(N, N);  // Xc Xc^T: lower half, then mirrored
  gram.selfadjointView<Eigen::Lower>().rankUpdate(Xc);
  gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
  const double lambda = ridge * gram.trace() / N + 1e-12 * (gram.trace() / N) + 1e-300;
  gram.diagonal().array() += lambda;
  const Eigen::MatrixXd Yc = targets.topRows(train_steps).rowwise() - targets.topRows(train_steps).colwise().mean();
  const Eigen::MatrixXd W = gram.ldlt().solve(Xc * Yc);  // (N, K)

  // Held-out rows: r^2 of each read-out (the constant does not change a correlation).
  const Eigen::MatrixXd predicted = (states.rightCols(test_steps).colwise() - mean).transpose() * W;  // (test, K)
  std::vector<double> r2(K);
  for (int k = 0; k < K; ++k) r2[k] = squared_correlation(predicted.col(k), targets.bottomRows(test_steps).col(k));
  return r2;
}

bool attention_retrieves(const Eigen::VectorXd& stored, const Eigen::MatrixXd& distractors) {
  const int K = static_cast<int>(stored.size()) / 2, n = static_cast<int>(distractors.cols()) + 1;
  // Queries and keys read a token's key half, values its value half.
  AttentionLayer layer;
  layer.Wq = Eigen::MatrixXd::Zero(K, 2 * K);
  layer.Wq.leftCols(K).setIdentity();
  layer.Wk = layer.Wq;
  layer.Wv = Eigen::MatrixXd::Zero(K, 2 * K);
  layer.Wv.rightCols(K).setIdentity();

  Eigen::MatrixXd tokens(2 * K, n + 1);  // stored, distractors, query
  tokens.col(0) = stored;
  tokens.middleCols(1, n - 1) = distractors;
  tokens.col(n) << stored.head(K), Eigen::VectorXd::Zero(K);
  const Eigen::VectorXd read = attention_last_output(layer, tokens);  // (K)
  // Decode: the context token whose value the read-out matches best.
  Eigen::Index best = 0;
  (tokens.bottomRows(K).leftCols(n).transpose() * read).maxCoeff(&best);
  return best == 0;
}

MemoryResult run_memory(const MemoryParams& p, const Progress& progress) {
  MemoryResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const int K = p.max_delay, L = p.washout + p.train_steps + p.test_steps;
  const std::size_t sizes = p.hidden_sizes.size();
  r.hidden_sizes = p.hidden_sizes;
  for (int k = 1; k <= K; ++k) r.delays.push_back(k);
  r.attention_context_lengths = p.attention_contexts;
  r.attention_chance = 1.0 / largest(p.attention_contexts);
  r.chance_r2 = 1.0 / (p.test_steps - 1);
  r.chance_capacity = K * r.chance_r2;

  const std::vector<std::string>& names = recurrent_architectures();
  std::vector<CellInit> inits(names.size());
  for (std::size_t a = 0; a < names.size(); ++a) {
    inits[a].recurrent_scale = memory_gain(names[a], p).recurrent_scale;
    inits[a].input_scale = p.input_scale;  // D = 1, so no 1/sqrt(D)
    inits[a].forget_bias = p.forget_bias;
    inits[a].update_bias = p.update_bias;
  }
  // [architecture][size][seed][k-1] and [architecture][seed][size]
  std::vector<std::vector<std::vector<std::vector<double>>>> r2(
      names.size(), std::vector<std::vector<std::vector<double>>>(sizes));
  std::vector<std::vector<std::vector<double>>> capacity(names.size(), std::vector<std::vector<double>>(p.seeds));
  std::vector<std::vector<double>> accuracy(p.seeds);
  const int d = p.attention_key_size, max_context = largest(p.attention_contexts);

  for (int s = 0; s < p.seeds; ++s) {
    // Draw order per seed: the input stream, then for each size (in the order given) an
    // rnn, an lstm and a gru, then attention's distractors and stored pairs.
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s));
    const Eigen::VectorXd inputs = rng.uniform(-1.0, 1.0, L);
    for (std::size_t i = 0; i < sizes; ++i)
      for (std::size_t a = 0; a < names.size(); ++a) {
        const auto cell = draw_cell(names[a], rng, p.hidden_sizes[i], 1, inits[a]);
        std::vector<double> curve = memory_r_squared(*cell, inputs, p.washout, p.train_steps, K, p.ridge);
        double mc = 0;
        for (double v : curve) mc += v;
        capacity[a][s].push_back(mc);
        r2[a][i].push_back(std::move(curve));
      }

    const Eigen::MatrixXd distractors = rng.randn(std::max(1, max_context - 1), 2 * d).transpose();  // (2d, .)
    const Eigen::MatrixXd stored = rng.randn(p.attention_trials, 2 * d).transpose();                 // (2d, trials)
    for (int n : p.attention_contexts) {
      int correct = 0;
      for (int trial = 0; trial < p.attention_trials; ++trial)
        correct += attention_retrieves(stored.col(trial), distractors.leftCols(n - 1));
      accuracy[s].push_back(double(correct) / p.attention_trials);
    }
    if (progress && !progress(double(s + 1) / p.seeds)) {
      MemoryResult cancelled;
      cancelled.error = "cancelled";
      return cancelled;
    }
  }

  for (std::size_t a = 0; a < names.size(); ++a) {
    MemoryNetwork net;
    net.architecture = names[a];
    const MemoryGain gain = memory_gain(names[a], p);
    net.keep = gain.keep;
    net.recurrent_scale = gain.recurrent_scale;
    net.effective_gain = gain.effective_gain;
    for (std::size_t i = 0; i < sizes; ++i) net.r2.push_back(band_across(r2[a][i]));
    net.capacity = band_across(capacity[a]);
    r.networks.push_back(std::move(net));
  }
  r.attention_accuracy = band_across(accuracy);
  return r;
}

}  // namespace rnn_lesson
