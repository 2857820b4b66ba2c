// Experiment 2, gradient vs distance; see gradient.h.
#include "core/experiments/gradient.h"

#include <cmath>
#include <limits>

#include "core/blocks/numpy_random.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxMacs = 2e9;  // seeds * (max_distance + burn-in + 2H) * H^3, or kata's sum(distances) * H^3
constexpr int kBurnInSteps = 50;  // bptt: settle onto the driven trajectory before measuring

double safe_exp(double log_value) { return std::exp(std::max(log_value, -745.0)); }

// ln||.||_F of a product kept as (matrix, log scale) so long products neither underflow
// nor overflow.
struct ScaledMatrix {
  Eigen::MatrixXd m;
  double log_scale = 0;
  double log_norm() const {
    const double n = m.norm();
    return n > 0 ? std::log(n) + log_scale : -std::numeric_limits<double>::infinity();
  }
  void rescale() {
    const double n = m.norm();
    if (n > 0 && (n < 1e-100 || n > 1e100)) {
      m /= n;
      log_scale += std::log(n);
    }
  }
};

void fit_decay(const std::vector<int>& k, const std::vector<double>& log_median, GradientResult& r) {
  std::vector<double> x, y;
  for (std::size_t i = 0; i < k.size(); ++i)
    if (std::isfinite(log_median[i])) {
      x.push_back(k[i]);
      y.push_back(log_median[i]);
    }
  const LineFit fit = fit_line(x, y);
  r.decay_per_step = std::exp(fit.slope);
  r.decay_r_squared = fit.r_squared;
}

GradientResult run_kata(const GradientParams& p) {
  GradientResult r;
  r.mode = "kata";
  const int H = p.hidden_size;
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const Eigen::MatrixXd Wh = rng.randn(H, H) * (p.weight_scale / std::sqrt(double(H)));
  std::vector<double> log_norms;
  for (int distance : p.distances) {
    ScaledMatrix grad{Eigen::MatrixXd::Identity(H, H)};
    for (int t = 0; t < distance; ++t) {
      const Eigen::VectorXd tanh_slope = rng.uniform(0.3, 1.0, H);
      const Eigen::MatrixXd J = tanh_slope.asDiagonal() * Wh;  // the kata's J = diag(u) @ Wh
      grad.m = J * grad.m;
      grad.rescale();
    }
    log_norms.push_back(grad.log_norm());
    r.distances.push_back(distance);
    r.norm.median.push_back(safe_exp(log_norms.back()));
  }
  r.norm.q1 = r.norm.q3 = r.norm.median;
  fit_decay(r.distances, log_norms, r);
  r.spectral_radius = spectral_radius(Wh);
  r.largest_singular_value = largest_singular_value(Wh);
  return r;
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<GradientParams>>& gradient_fields() {
  static const std::vector<Field<GradientParams>> table = {
      {{"mode", ParamType::Choice, 0, 0, 1, "bptt", {"bptt", "kata"},
        "bptt: the exact gradient of a real run; kata: the kata's stand-in with random slopes",
        "Gradient computed by", Tier::Basic, Slider::Auto, {"real backprop (bptt)", "the kata’s simulation (kata)"}},
       &GradientParams::mode},
      {{"hidden_size", ParamType::Integer, 1, 256, 1, "16", {}, "hidden units H",
        "Hidden size H"}, &GradientParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 256, 1, "8", {}, "input features D (bptt)",
        "Input size D", Tier::Advanced}, &GradientParams::input_size},
      {{"weight_scale", ParamType::Real, 0, 4, 1, "0.9", {}, "size of the random recurrent weights W_h (about W_h's spectral radius)",
        "Weight scale of W_h"},
       &GradientParams::weight_scale},
      {{"spectral_radius", ParamType::Real, 0, 4, 1, "0", {},
        "bptt: if above 0, W_h is rescaled to exactly this spectral radius (weight scale is then ignored)",
        "Force spectral radius (0 = off)"},
       &GradientParams::spectral_radius},
      {{"input_scale", ParamType::Real, 0, 10, 1, "1", {}, "bptt: size of the random inputs", "Input scale", Tier::Advanced},
       &GradientParams::input_scale},
      {{"max_distance", ParamType::Integer, 1, 2000, 1, "200", {}, "bptt: the gradient is computed for every distance k from 1 to this",
        "Largest distance k"},
       &GradientParams::max_distance},
      {{"distances", ParamType::IntegerList, 1, 2000, 64, "1,5,10,20,50,100,200", {}, "kata: the distances k to compute, in order",
        "Distances for the kata’s simulation", Tier::Advanced},
       &GradientParams::distances},
      {{"seeds", ParamType::Integer, 1, 64, 1, "16", {}, "bptt: random networks summarised by the median and the middle half",
        "Networks (seeds)", Tier::Advanced},
       &GradientParams::seeds},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each network adds 1 to it)",
        "Random seed", Tier::Advanced, Slider::Off},
       &GradientParams::seed},
  };
  return table;
}

GradientParams default_gradient_params() { return defaults_from(gradient_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const GradientParams& p) {
  std::string error = check_fields(gradient_fields(), p);
  if (!error.empty()) return error;
  const double h3 = std::pow(double(p.hidden_size), 3);
  if (p.mode == "kata") {
    double sum = 0;
    for (int d : p.distances) sum += d;
    if (sum * h3 > kMaxMacs)
      return "sum(distances) * hidden_size^3 must be at most 2e9 multiply-adds in kata mode";
  } else {
    const double work = p.seeds * (p.max_distance + kBurnInSteps + 2.0 * p.hidden_size) * h3;
    if (work > kMaxMacs)
      return "seeds * (max_distance + 50 + 2*hidden_size) * hidden_size^3 must be at most 2e9 multiply-adds (got " +
             std::to_string(static_cast<long long>(work)) + ")";
  }
  return "";
}

std::vector<Eigen::VectorXd> run_trajectory(const TanhRnn& rnn, const Eigen::MatrixXd& inputs) {
  std::vector<Eigen::VectorXd> states;
  states.reserve(inputs.cols() + 1);
  states.push_back(Eigen::VectorXd::Zero(rnn.hidden_size()));
  for (Eigen::Index t = 0; t < inputs.cols(); ++t) states.push_back(rnn.step(states.back(), inputs.col(t)));
  return states;
}

Eigen::MatrixXd jacobian_across(const TanhRnn& rnn, const std::vector<Eigen::VectorXd>& states, int T, int k) {
  Eigen::MatrixXd g = Eigen::MatrixXd::Identity(rnn.hidden_size(), rnn.hidden_size());
  for (int t = T; t > T - k; --t) g = g * rnn.step_jacobian(states[t]);
  return g;
}

GradientResult run_gradient(const GradientParams& p, const Progress& progress) {
  GradientResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  if (p.mode == "kata") return run_kata(p);

  r.mode = "bptt";
  const int H = p.hidden_size, K = p.max_distance, T = kBurnInSteps + K;
  std::vector<std::vector<double>> log_norms(p.seeds, std::vector<double>(K));
  std::vector<double> radii, sigmas;
  for (int s = 0; s < p.seeds; ++s) {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s));
    TanhRnn rnn = TanhRnn::draw(rng, H, p.input_size, p.weight_scale);
    if (p.spectral_radius > 0) {
      const double current = spectral_radius(rnn.Wh);
      if (current > 0) rnn.Wh *= p.spectral_radius / current;
    }
    radii.push_back(spectral_radius(rnn.Wh));
    sigmas.push_back(largest_singular_value(rnn.Wh));
    Eigen::MatrixXd inputs(p.input_size, T);
    for (int t = 0; t < T; ++t) inputs.col(t) = rng.randn(p.input_size) * p.input_scale;
    const std::vector<Eigen::VectorXd> states = run_trajectory(rnn, inputs);

    // Backward accumulation: G_k = G_{k-1} A_{T-k+1}, one factor per extra step of distance.
    ScaledMatrix g{Eigen::MatrixXd::Identity(H, H)};
    Eigen::MatrixXd scaled(H, H);
    for (int k = 1; k <= K; ++k) {
      const Eigen::VectorXd& h = states[T - k + 1];
      scaled.noalias() = g.m * (1.0 - h.array().square()).matrix().asDiagonal();
      g.m.noalias() = scaled * rnn.Wh.transpose();
      g.rescale();
      log_norms[s][k - 1] = g.log_norm();
    }
    if (progress && !progress(double(s + 1) / p.seeds)) {
      GradientResult cancelled;
      cancelled.error = "cancelled";
      return cancelled;
    }
  }
  // Quantiles of ln(norm), so norms far below 1e-300 keep their precision (between two
  // order statistics this interpolates geometrically).
  const Band log_band = band_across(log_norms);
  for (int k = 1; k <= K; ++k) r.distances.push_back(k);
  for (std::size_t i = 0; i < log_band.median.size(); ++i) {
    r.norm.median.push_back(safe_exp(log_band.median[i]));
    r.norm.q1.push_back(safe_exp(log_band.q1[i]));
    r.norm.q3.push_back(safe_exp(log_band.q3[i]));
  }
  fit_decay(r.distances, log_band.median, r);
  r.spectral_radius = median(radii);
  r.largest_singular_value = median(sigmas);
  return r;
}

}  // namespace rnn_lesson
