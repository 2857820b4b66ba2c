// Experiment 4, gradient vs distance by architecture; see architectures.h.
#include "core/experiments/architectures.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

#include "core/blocks/attention.h"
#include "core/blocks/fast_cell.h"
#include "core/blocks/numpy_random.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxMacs = 2e9;
constexpr int kBurnInSteps = 50;     // settle onto the driven trajectory before distances count
constexpr int kContextPoints = 25;   // attention's context-length grid, log-spaced

double safe_exp(double log_value) { return std::exp(std::max(log_value, -745.0)); }
double log_or_minus_inf(double x) { return x > 0 ? std::log(x) : -std::numeric_limits<double>::infinity(); }

// Multiply-adds: forward and backward of every cell (gate blocks 1 + 4 + 3) per step, and
// attention's projections and context prefixes.
double macs(const ArchitecturesParams& p) {
  const double H = p.hidden_size, D = p.input_size, T = kBurnInSteps + p.max_distance + 1.0;
  return p.seeds * (T * 2 * 8 * H * (H + D) + (2 + kContextPoints) * 4 * T * H * D);
}

// Every point with a finite log value, fitted as a line. Returns (slope, R^2).
LineFit fit_finite(const std::vector<double>& x, const std::vector<double>& log_y) {
  std::vector<double> xs, ys;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (std::isfinite(log_y[i])) {
      xs.push_back(x[i]);
      ys.push_back(log_y[i]);
    }
  return fit_line(xs, ys);
}

// Quantiles of ln(norm) turned back into norms (below e^-745 they underflow to 0).
Band exp_band(const Band& log_band) {
  Band b;
  for (std::size_t i = 0; i < log_band.median.size(); ++i) {
    b.median.push_back(safe_exp(log_band.median[i]));
    b.q1.push_back(safe_exp(log_band.q1[i]));
    b.q3.push_back(safe_exp(log_band.q3[i]));
  }
  return b;
}

std::vector<int> context_grid(int T) {
  std::vector<int> grid;
  for (int i = 0; i < kContextPoints; ++i) {
    const double n = 2.0 * std::pow(T / 2.0, double(i) / (kContextPoints - 1));
    const int rounded = std::min(T, static_cast<int>(std::lround(n)));
    if (grid.empty() || grid.back() != rounded) grid.push_back(rounded);
  }
  return grid;
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<ArchitecturesParams>>& architectures_fields() {
  static const std::vector<Field<ArchitecturesParams>> table = {
      {{"hidden_size", ParamType::Integer, 1, 256, 1, "32", {}, "hidden units H (also attention's key size)",
        "Hidden size H"},
       &ArchitecturesParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 64, 1, "8", {}, "input features D",
        "Input size D", Tier::Advanced}, &ArchitecturesParams::input_size},
      {{"max_distance", ParamType::Integer, 1, 5000, 1, "1000", {}, "the gradient is computed for every distance k from 1 to this",
        "Largest distance k"},
       &ArchitecturesParams::max_distance},
      {{"recurrent_scale", ParamType::Real, 0, 4, 1, "0.9", {},
        "size of the random recurrent weights (each block's spectral radius is about this)", "Recurrent weight scale"},
       &ArchitecturesParams::recurrent_scale},
      {{"input_scale", ParamType::Real, 0, 10, 1, "1", {}, "size of the random inputs", "Input scale", Tier::Advanced},
       &ArchitecturesParams::input_scale},
      {{"forget_bias", ParamType::Real, -5, 10, 1, "1", {}, "LSTM forget-gate bias (higher keeps more)",
        "LSTM forget-gate bias"},
       &ArchitecturesParams::forget_bias},
      {{"linear_decay_a", ParamType::Real, 0.01, 1, 1, "0.999", {},
        "decay a of the first linear recurrence, h_t = a h_(t-1) + B x_t (1 keeps everything)",
        "Linear recurrence: first decay a"},
       &ArchitecturesParams::linear_decay_a},
      {{"linear_decay_b", ParamType::Real, 0.01, 1, 1, "0.5", {}, "decay a of the second linear recurrence",
        "Linear recurrence: second decay a"},
       &ArchitecturesParams::linear_decay_b},
      {{"seeds", ParamType::Integer, 1, 64, 1, "16", {}, "random networks summarised by the median and the middle half",
        "Networks (seeds)", Tier::Advanced},
       &ArchitecturesParams::seeds},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each network adds 1 to it)",
        "Random seed", Tier::Advanced, Slider::Off},
       &ArchitecturesParams::seed},
  };
  return table;
}

ArchitecturesParams default_architectures_params() { return defaults_from(architectures_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const ArchitecturesParams& p) {
  std::string error = check_fields(architectures_fields(), p);
  if (!error.empty()) return error;
  if (macs(p) > kMaxMacs)
    return "seeds * (max_distance + 51) * hidden_size * (hidden_size + input_size) is too large: the work must be "
           "at most 2e9 multiply-adds (got " + std::to_string(static_cast<long long>(macs(p))) + ")";
  return "";
}

std::vector<double> log_input_gradient_norms(const RecurrentCell& cell, const Eigen::MatrixXd& inputs,
                                             const Eigen::VectorXd& w, int max_distance) {
  const int T = static_cast<int>(inputs.cols()), S = cell.state_size();
  std::vector<Eigen::VectorXd> states(T + 1), records(T + 1);
  states[0] = Eigen::VectorXd::Zero(S);
  for (int t = 1; t <= T; ++t) states[t] = cell.forward(states[t - 1], inputs.col(t - 1), &records[t]);

  std::vector<double> log_norms(max_distance, -std::numeric_limits<double>::infinity());
  Eigen::VectorXd v = Eigen::VectorXd::Zero(S);  // d(w.h_T)/d state_t, divided by e^log_scale
  v.head(cell.hidden_size()) = w;
  double log_scale = 0;
  for (int k = 0; k <= max_distance; ++k) {  // step t = T - k consumed x_{T-k}
    const int t = T - k;
    CellVjp back = cell.backward(records[t], states[t - 1], states[t], v);
    if (k > 0) log_norms[k - 1] = log_or_minus_inf(back.x.norm()) + log_scale;
    const double n = back.state_prev.norm();
    if (!(n > 0)) break;  // exactly zero: nothing further back reaches the output
    v = back.state_prev / n;
    log_scale += std::log(n);
  }
  return log_norms;
}

std::vector<double> log_input_gradient_norms_fast(const RecurrentCell& cell, const Eigen::MatrixXd& inputs,
                                                  const Eigen::VectorXd& w, int max_distance) {
  FastCell fast(cell);
  const int T = static_cast<int>(inputs.cols()), D = static_cast<int>(inputs.rows()), H = cell.hidden_size();
  const int Sp = fast.padded_state(), Dp = fast.padded_input(), Rp = fast.record_size();
  // states and records are left uninitialised (forward writes every padded entry of each
  // step; only state 0 is zeroed): zero-filling ~1 MB per cell cost ~9 ms per run in wasm.
  std::vector<float> x(static_cast<std::size_t>(T) * Dp, 0.0f);
  std::unique_ptr<float[]> states(new float[static_cast<std::size_t>(T + 1) * Sp]),
      records(new float[static_cast<std::size_t>(T) * Rp + 1]);
  std::fill(states.get(), states.get() + Sp, 0.0f);
  for (int t = 0; t < T; ++t)
    for (int d = 0; d < D; ++d) x[static_cast<std::size_t>(t) * Dp + d] = static_cast<float>(inputs(d, t));
  auto state = [&](int t) { return states.get() + static_cast<std::size_t>(t) * Sp; };
  auto record = [&](int t) { return Rp ? records.get() + static_cast<std::size_t>(t - 1) * Rp : nullptr; };
  for (int t = 1; t <= T; ++t) fast.forward(state(t - 1), x.data() + static_cast<std::size_t>(t - 1) * Dp, state(t), record(t));

  std::vector<double> log_norms(max_distance, -std::numeric_limits<double>::infinity());
  // v: d(w.h_T)/d state_t divided by e^log_scale. Rescaled to norm 1 only when its norm leaves
  // [2^-40, 2^40] (float's range is 2^+-126), so the log is taken rarely.
  std::vector<float> v_a(Sp, 0.0f), v_b(Sp), g_x(Dp);
  float* v = v_a.data();
  float* v_prev = v_b.data();
  for (int i = 0; i < H; ++i) v[i] = static_cast<float>(w(i));
  double log_scale = 0;
  constexpr double kLow = 0x1p-80, kHigh = 0x1p80;  // squared norms
  for (int k = 0; k <= max_distance; ++k) {  // step t = T - k consumed x_{T-k}
    const int t = T - k;
    fast.backward(record(t), state(t - 1), state(t), v, v_prev, g_x.data());
    if (k > 0) log_norms[k - 1] = 0.5 * log_or_minus_inf(padded_squared_norm(g_x.data(), Dp)) + log_scale;
    std::swap(v, v_prev);
    const double n2 = padded_squared_norm(v, Sp);
    if (!(n2 > 0)) break;  // exactly zero: nothing further back reaches the output
    if (n2 < kLow || n2 > kHigh) {
      const double n = std::sqrt(n2);
      const float inv = static_cast<float>(1.0 / n);
      for (int i = 0; i < Sp; ++i) v[i] *= inv;
      log_scale += std::log(n);
    }
  }
  return log_norms;
}

std::vector<double> log_linear_input_gradient_norms(const Eigen::MatrixXd& B, double decay, const Eigen::VectorXd& w,
                                                    int max_distance) {
  std::vector<double> log_norms(max_distance, -std::numeric_limits<double>::infinity());
  Eigen::VectorXd v = w;  // d(w.h_T)/d h_t, divided by e^log_scale
  double log_scale = 0;
  for (int k = 0; k <= max_distance; ++k) {  // x_{T-k} entered at step T - k through B
    if (k > 0) log_norms[k - 1] = log_or_minus_inf((B.transpose() * v).norm()) + log_scale;
    v *= decay;  // back through h_{T-k} = decay * h_{T-k-1} + B x_{T-k}
    const double n = v.norm();
    if (!(n > 0)) break;
    v /= n;
    log_scale += std::log(n);
  }
  return log_norms;
}

ArchitecturesResult run_architectures(const ArchitecturesParams& p, const Progress& progress) {
  ArchitecturesResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const int H = p.hidden_size, D = p.input_size, K = p.max_distance;
  const int T = kBurnInSteps + K + 1;
  r.sequence_length = T;
  for (int k = 1; k <= K; ++k) r.distances.push_back(k);
  r.attention_context_lengths = context_grid(T);

  CellInit init;
  init.recurrent_scale = p.recurrent_scale;
  init.forget_bias = p.forget_bias;
  const std::vector<std::string>& recurrent = recurrent_architectures();
  const std::size_t A = recurrent.size() + 1;  // + attention
  const double linear_decays[2] = {p.linear_decay_a, p.linear_decay_b};
  std::vector<std::vector<double>> log_linear[2];  // [which][seed][k-1]
  std::vector<std::vector<std::vector<double>>> log_norms(A);  // [architecture][seed][k-1]
  std::vector<std::vector<double>> log_context(p.seeds);       // [seed][context point]
  for (int s = 0; s < p.seeds; ++s) {
    // Draw order per seed: rnn, lstm, gru, attention (Wq, Wk, Wv), read-out w, inputs.
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s));
    std::vector<std::unique_ptr<RecurrentCell>> cells;
    for (const std::string& name : recurrent) cells.push_back(draw_cell(name, rng, H, D, init));
    const AttentionLayer attention = AttentionLayer::draw(rng, H, D);
    Eigen::VectorXd w = rng.randn(H);
    w /= w.norm();
    const Eigen::MatrixXd inputs = rng.randn(T, D).transpose() * p.input_scale;  // (D, T): x_t = row t

    for (std::size_t a = 0; a < cells.size(); ++a)
      log_norms[a].push_back(log_input_gradient_norms_fast(*cells[a], inputs, w, K));

    const AttentionProjections projected = project_sequence(attention, inputs, w);  // shared by both
    const Eigen::MatrixXd G = attention_readout_gradient(attention, inputs, w, projected);  // (D, T)
    std::vector<double> att(K);
    for (int k = 1; k <= K; ++k) att[k - 1] = log_or_minus_inf(G.col(T - 1 - k).norm());
    log_norms[A - 1].push_back(std::move(att));
    for (double norm : attention_previous_input_gradient_norms(attention, inputs, w, r.attention_context_lengths, projected))
      log_context[s].push_back(log_or_minus_inf(norm));
    const Eigen::MatrixXd B = rng.randn(H, D) / std::sqrt(double(D));  // drawn last: the curves above keep their draws
    for (int which = 0; which < 2; ++which)
      log_linear[which].push_back(log_linear_input_gradient_norms(B, linear_decays[which], w, K));
    if (progress && !progress(double(s + 1) / p.seeds)) {
      ArchitecturesResult cancelled;
      cancelled.error = "cancelled";
      return cancelled;
    }
  }

  const std::vector<double> k_values(r.distances.begin(), r.distances.end());
  // One curve from its per-seed ln norms: the band across seeds and the fitted factor per step.
  const auto add_curve = [&](const std::string& architecture, std::optional<double> decay,
                             const std::vector<std::vector<double>>& per_seed) {
    ArchitectureCurve c;
    c.architecture = architecture;
    c.decay = decay;
    const Band log_band = band_across(per_seed);
    c.norm = exp_band(log_band);
    const LineFit fit = fit_finite(k_values, log_band.median);
    c.decay_per_step = std::exp(fit.slope);
    c.decay_r_squared = fit.r_squared;
    r.curves.push_back(std::move(c));
  };
  for (std::size_t a = 0; a < A; ++a) add_curve(a < recurrent.size() ? recurrent[a] : "attention", std::nullopt, log_norms[a]);
  add_curve("linear_a", linear_decays[0], log_linear[0]);
  add_curve("linear_b", linear_decays[1], log_linear[1]);
  const Band log_context_band = band_across(log_context);
  r.attention_context_norm = exp_band(log_context_band);
  std::vector<double> log_n;
  for (int n : r.attention_context_lengths) log_n.push_back(std::log(double(n)));
  r.attention_context_slope = fit_finite(log_n, log_context_band.median).slope;
  return r;
}

}  // namespace rnn_lesson
