// Experiment 2: the gradient from a late state back to an early one shrinks exponentially
// with the distance between them.
//
// Two modes:
//  - "kata": the kata's own simulation, reproduced draw for draw: Wh = randn(H, H) *
//    scale / sqrt(H) after seeding, then for each requested distance (in order, one
//    continuing random stream) the product of `distance` factors diag(uniform(0.3, 1, H)) @ Wh,
//    reported as its Frobenius norm.
//  - "bptt": the real thing. A tanh RNN is driven by random inputs; along that actual
//    trajectory the Jacobian d h_T / d h_{T-k} = A_T ... A_{T-k+1}, A_t = diag(1 - h_t^2) Wh^T,
//    is accumulated for k = 1..max_distance, for several seeds, and its Frobenius norm is
//    summarised per distance by the median and quartiles across seeds.
// Both report W_h's spectral radius and largest singular value: Pascanu et al. (2013) show
// that a largest singular value below 1 is sufficient for a tanh RNN's gradients to vanish.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/fields.h"
#include "core/params.h"
#include "core/blocks/rnn.h"
#include "core/blocks/stats.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct GradientParams {
  std::string mode;            // "bptt" or "kata"
  int hidden_size;             // H
  int input_size;              // D (bptt)
  double weight_scale;         // Wh = randn(H, H) * weight_scale / sqrt(H)
  double spectral_radius;      // bptt: if > 0, Wh is rescaled to this spectral radius
  double input_scale;          // bptt: x_t = randn(D) * input_scale
  int max_distance;            // bptt: distances 1..max_distance
  std::vector<int> distances;  // kata: the distances printed, in order
  int seeds;                   // bptt: independent networks and trajectories
  int seed;                    // first seed (bptt uses seed, seed+1, ...)
};

const std::vector<Field<GradientParams>>& gradient_fields();
GradientParams default_gradient_params();
std::string validate(const GradientParams& p);

struct GradientResult {
  std::string error;
  std::string mode;
  std::vector<int> distances;     // k
  Band norm;                      // ||d h_T / d h_{T-k}||_F per k, across seeds (kata: one run)
  double decay_per_step = 0;      // exp(slope) of a line fitted to ln(median norm) vs k
  double decay_r_squared = 0;     // R^2 of that fit
  double spectral_radius = 0;     // of Wh (median across seeds)
  double largest_singular_value = 0;  // of Wh (median across seeds)
};
inline void visit_fields(const GradientResult& r, FieldVisitor& v) {
  v.field("mode", r.mode);
  v.field("distances", r.distances);
  v.field("norm", r.norm);
  v.field("decay_per_step", r.decay_per_step);
  v.field("decay_r_squared", r.decay_r_squared);
  v.field("spectral_radius", r.spectral_radius);
  v.field("largest_singular_value", r.largest_singular_value);
}

GradientResult run_gradient(const GradientParams& p, const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct GradientExperiment {
  static constexpr const char* name = "gradient";
  static constexpr const char* summary = "gradient norm vs distance";
  using Params = GradientParams;
  using Result = GradientResult;
  static const std::vector<Field<Params>>& fields() { return gradient_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_gradient(p, progress); }
};

// Building blocks, exposed for tests.
// States h_0 = 0, h_1..h_T for inputs (D, T): returns T + 1 vectors of size H.
std::vector<Eigen::VectorXd> run_trajectory(const TanhRnn& rnn, const Eigen::MatrixXd& inputs);
// d h_T / d h_{T-k} along `states` (column convention, (H, H)); 1 <= k <= T.
Eigen::MatrixXd jacobian_across(const TanhRnn& rnn, const std::vector<Eigen::VectorXd>& states, int T, int k);

}  // namespace rnn_lesson
