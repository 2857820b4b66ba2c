// Experiment 3: a fixed-size hidden state forgets what it stored, while attention reads any
// past input directly.
//
// A signal is written into an RNN at step 0, then `n` steps of small noise follow. Measured
// for every n = 0..max_steps:
//  - kata_cosine: the kata's own measure, cos(h_n, h_0) for one network (seed `seed`),
//    reproduced draw for draw. It compares directions only, so it can stay high even
//    when the state has shrunk to noise: shown for fidelity, not trusted alone.
//  - influence: how much of the signal is still in h_n. The same network runs twice on
//    the same noise, with and without the signal; ||h_n - h'_n|| / ||h_0 - h'_0||.
//  - readout R^2 (on a grid of n): many random signals are stored, a least-squares linear
//    read-out is fitted from h_n back to the signal on half of them and scored on the
//    other half. 1 = perfectly recoverable, 0 = nothing left.
//  - attention: a causal attention read-out over the same inputs (signal, then the noise
//    tokens) with a query that matches the signal's key; the cosine between what it reads
//    and the signal, and the softmax weight it puts on the signal.
// Measures other than kata_cosine are summarised across `seeds` networks.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/fields.h"
#include "core/params.h"
#include "core/blocks/stats.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct RetentionParams {
  int hidden_size;      // H (and the attention's key size)
  int input_size;       // D; the stored signal is the kata's [1, -1, 0.5, -0.5] repeated
  int max_steps;        // noise steps after the signal: n = 0..max_steps
  double weight_scale;  // Wh = randn(H, H) * weight_scale / sqrt(H) (the kata: 0.5)
  double noise_scale;   // noise tokens x_t = randn(D) * noise_scale (the kata: 0.01)
  int seeds;            // networks for the summarised measures
  int readout_trials;   // stored signals per network for the read-out (half fit, half scored)
  int seed;             // first seed
};

const std::vector<Field<RetentionParams>>& retention_fields();
RetentionParams default_retention_params();
std::string validate(const RetentionParams& p);

struct RetentionResult {
  std::string error;
  std::vector<int> steps;            // n = 0..max_steps
  std::vector<double> kata_cosine;   // per n
  Band influence;                    // per n
  Band attention_cosine;             // per n
  Band attention_weight;             // per n: softmax weight on the stored token
  std::vector<int> readout_steps;    // grid of n where the read-out was fitted
  Band readout_r2;                   // per readout step
};
inline void visit_fields(const RetentionResult& r, FieldVisitor& v) {
  v.field("steps", r.steps);
  v.field("kata_cosine", r.kata_cosine);
  v.field("influence", r.influence);
  v.field("attention_cosine", r.attention_cosine);
  v.field("attention_weight", r.attention_weight);
  v.field("readout_steps", r.readout_steps);
  v.field("readout_r2", r.readout_r2);
}

RetentionResult run_retention(const RetentionParams& p, const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct RetentionExperiment {
  static constexpr const char* name = "retention";
  static constexpr const char* summary = "what the hidden state keeps vs attention";
  using Params = RetentionParams;
  using Result = RetentionResult;
  static const std::vector<Field<Params>>& fields() { return retention_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_retention(p, progress); }
};

// The stored signal for input size D: the kata's [1, -1, 0.5, -0.5], repeated or cut to D.
Eigen::VectorXd stored_signal(int input_size);

// Causal attention read-out. tokens: (D, n) (the past, oldest first), query: (D);
// projection: (K, D) shared by queries and keys, values are the tokens themselves.
// Returns the read vector (D) and sets weight_on_first to the softmax weight of token 0.
Eigen::VectorXd attention_read(const Eigen::MatrixXd& tokens, const Eigen::VectorXd& query,
                               const Eigen::MatrixXd& projection, double* weight_on_first = nullptr);
// The same in two parts: the scores (n) of every token for the query, then the read from
// tokens (D, n) and their scores (n). A prefix of the tokens reads with the prefix of the scores.
Eigen::VectorXd attention_scores(const Eigen::MatrixXd& tokens, const Eigen::VectorXd& query,
                                 const Eigen::MatrixXd& projection);
Eigen::VectorXd attention_read_scored(const Eigen::Ref<const Eigen::MatrixXd>& tokens,
                                      const Eigen::Ref<const Eigen::VectorXd>& scores,
                                      double* weight_on_first = nullptr);

}  // namespace rnn_lesson
