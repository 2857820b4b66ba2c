// Experiment 4: gradient vs distance for every architecture.
//
// One random input sequence x_1..x_T (x_t = randn(D) * input_scale, T = 50 burn-in steps +
// max_distance + 1) drives a tanh RNN, an LSTM and a GRU from a zero state, and a causal
// self-attention layer reads the same sequence. For a random unit read-out w, measured for
// every distance k = 1..max_distance:
//
//     || d(w . h_T) / d x_{T-k} ||        (attention: || d(w . y_T) / d x_{T-k} ||)
//
// The recurrent gradients are carried back exactly by reverse mode (one vector-Jacobian
// product per step, O(S^2) each, rescaled every step so that 1e-300 and below keep their
// precision); attention's come from its closed form. Each is summarised across seeds (one
// network of each kind and one sequence per seed) by the median and quartiles, and a line
// fitted to ln(median) vs k gives the decay per step.
//
// Two diagonal linear recurrences, h_t = a * h_{t-1} + B x_t with every unit's decay a
// fixed (linear_decay_a and _b; B = randn(H, D) / sqrt(D), drawn after everything else, so
// the other curves do not change), are measured the same way. Their gradient is
// B^T (a^k w): it does not depend on the inputs, and it shrinks by exactly a per step, so the
// decay alone sets the slope (models such as LRU also scale B by sqrt(1 - a^2), which moves
// the line's level, not its slope).
//
// Attention's path to any input is one hop, so its curve is flat in distance; but the
// softmax spreads one unit of weight over the whole context, so each input's gradient
// falls as the context grows. That second effect is measured too: the gradient with
// respect to the previous input (distance 1) for growing context lengths n (prefixes of
// the same sequence), with the slope of ln(norm) vs ln(n) (-1 means "shared among n").
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/blocks/cells.h"
#include "core/fields.h"
#include "core/params.h"
#include "core/blocks/stats.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct ArchitecturesParams {
  int hidden_size;         // H for the cells; attention's key size
  int input_size;          // D
  int max_distance;        // distances k = 1..max_distance
  double recurrent_scale;  // recurrent blocks = randn(H, H) * recurrent_scale / sqrt(H)
  double input_scale;      // x_t = randn(D) * input_scale
  double forget_bias;      // LSTM forget-gate bias
  double linear_decay_a;   // decay a of the first linear recurrence (every unit)
  double linear_decay_b;   // and of the second
  int seeds;               // independent networks and sequences
  int seed;                // first seed (seed, seed+1, ...)
};

const std::vector<Field<ArchitecturesParams>>& architectures_fields();
ArchitecturesParams default_architectures_params();
std::string validate(const ArchitecturesParams& p);

struct ArchitectureCurve {
  std::string architecture;    // "rnn", "lstm", "gru", "attention", "linear_a" or "linear_b"
  std::optional<double> decay; // the linear recurrences' a (none for the others)
  Band norm;                   // per distance, across seeds
  double decay_per_step = 0;   // exp(slope) of a line fitted to ln(median norm) vs k
  double decay_r_squared = 0;  // R^2 of that fit
};
inline void visit_fields(const ArchitectureCurve& c, FieldVisitor& v) {
  v.field("architecture", c.architecture);
  v.field("decay", c.decay);
  v.field("norm", c.norm);
  v.field("decay_per_step", c.decay_per_step);
  v.field("decay_r_squared", c.decay_r_squared);
}

struct ArchitecturesResult {
  std::string error;
  int sequence_length = 0;             // T
  std::vector<int> distances;          // k = 1..max_distance
  std::vector<ArchitectureCurve> curves;  // rnn, lstm, gru, attention, linear_a, linear_b, in this order
  std::vector<int> attention_context_lengths;  // n, from 2 to T
  Band attention_context_norm;         // ||d(w . y_n) / d x_{n-1}|| per n, across seeds
  double attention_context_slope = 0;  // slope of ln(median) vs ln(n)
};
inline void visit_fields(const ArchitecturesResult& r, FieldVisitor& v) {
  v.field("sequence_length", r.sequence_length);
  v.field("distances", r.distances);
  v.field("curves", r.curves);
  v.field("attention_context_lengths", r.attention_context_lengths);
  v.field("attention_context_norm", r.attention_context_norm);
  v.field("attention_context_slope", r.attention_context_slope);
}

ArchitecturesResult run_architectures(const ArchitecturesParams& p, const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct ArchitecturesExperiment {
  static constexpr const char* name = "architectures";
  static constexpr const char* summary = "gradient vs distance for rnn, lstm, gru, attention, linear recurrences";
  using Params = ArchitecturesParams;
  using Result = ArchitecturesResult;
  static const std::vector<Field<Params>>& fields() { return architectures_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_architectures(p, progress); }
};

// Building block, exposed for tests: ln|| d(w . h_T) / d x_{T-k} || for k = 1..max_distance
// (-inf where the gradient is exactly 0), by reverse mode from the zero state.
// inputs: (D, T) with T > max_distance, w: (H); returns max_distance values.
std::vector<double> log_input_gradient_norms(const RecurrentCell& cell, const Eigen::MatrixXd& inputs,
                                             const Eigen::VectorXd& w, int max_distance);

// The same in float32 through FastCell (what run_architectures uses): the forward states
// and the reverse-mode vectors in float, each step's rescaling and the logs in double.
// tests/architectures_test.cpp checks it against the double version above.
std::vector<double> log_input_gradient_norms_fast(const RecurrentCell& cell, const Eigen::MatrixXd& inputs,
                                                  const Eigen::VectorXd& w, int max_distance);

// ln|| d(w . h_T) / d x_{T-k} || for k = 1..max_distance of the diagonal linear recurrence
// h_t = decay * h_{t-1} + B x_t (every unit's decay the same), by reverse mode: the
// vector carried back is multiplied by the decay at every step. B: (H, D), w: (H).
std::vector<double> log_linear_input_gradient_norms(const Eigen::MatrixXd& B, double decay, const Eigen::VectorXd& w,
                                                    int max_distance);

}  // namespace rnn_lesson
