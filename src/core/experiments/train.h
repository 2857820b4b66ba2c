// Experiment 7: can they learn across a gap? Train each architecture on "remember the first
// token" (first_token_task.h) at each lag, and measure how far each one learns.
//
// For every architecture, lag and seed: a fresh model (trainable.h) is trained for `steps`
// Adam steps on fresh mini-batches, by backpropagation through time (full, or truncated to
// the last `tbptt` steps). Every `eval_every` steps (and at steps 0 and `steps`) it is scored
// on one held-out batch of kHeldOutBatch sequences: accuracy, mean cross-entropy, and the
// norm of d(loss)/d x_0, the gradient reaching the first token through the same (possibly
// truncated) backward pass that training uses: the learning signal, which is exactly 0
// when the window does not reach the first token.
//
// Random streams, per seed s (s = seed, seed + 1, ...): weights from NumpyRandom(s) (the
// order in trainable.h); data from NumpyRandom(s + 2^31 mod 2^32): the held-out batch first,
// then one training batch per step. So at one lag and seed every architecture sees the same
// sequences.
//
// Work and memory: validate() caps the multiply-adds of the whole sweep (kMaxTrainMacs) and
// the activations kept for one backward pass, (16 H + 2 D) floats per position of each
// sequence (the LSTM's U, dU, gates, c, tanh c, h and the one-hot x and its gradient; the
// attention layer needs less) at the largest lag and batch: at most 256 MiB.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/fields.h"
#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

constexpr int kHeldOutBatch = 64;          // sequences in the held-out batch
constexpr double kLearnedAccuracy = 0.9;   // steps_to_learn: first evaluation at or above this

struct TrainParams {
  std::vector<std::string> architectures;  // of rnn, lstm, gru, linear, attention
  std::vector<int> lags;                   // T: the first token is T - 1 steps before the answer
  int steps;                               // Adam steps per run
  int batch;                               // sequences per step
  int hidden_size;                         // H
  double learning_rate;                    // Adam's lr
  int symbols;                             // K: classes, chance 1/K
  int distractors;                         // M: tokens that fill positions 1..T-1
  int seeds;                               // runs per architecture and lag
  int seed;                                // first seed
  int tbptt;                               // backward window W in steps; 0 = full BPTT
  double forget_bias;                      // LSTM forget-gate bias at initialisation
  double linear_gate_bias;                 // minGRU's bz at initialisation
  int eval_every;                          // steps between held-out evaluations
};

const std::vector<Field<TrainParams>>& train_fields();
TrainParams default_train_params();
std::string validate(const TrainParams& p);

// One architecture at one lag and seed.
struct TrainRun {
  std::string architecture;
  int lag = 0;
  double seed = 0;                            // seed + run index (a double: it can pass 2^31 - 1)
  std::vector<int> eval_steps;                // 0, eval_every, 2 eval_every, ..., steps
  std::vector<double> accuracy;               // held-out, per evaluation
  std::vector<double> loss;                   // held-out mean cross-entropy (nats)
  std::vector<double> first_token_gradient;   // || d loss / d x_0 || on the held-out batch
  std::optional<int> steps_to_learn;          // first eval step with accuracy >= 0.9; null: not within the budget
  double final_accuracy = 0;                  // accuracy after the last step
};
inline void visit_fields(const TrainRun& r, FieldVisitor& v) {
  v.field("architecture", r.architecture);
  v.field("lag", r.lag);
  v.field("seed", r.seed);
  v.field("eval_steps", r.eval_steps);
  v.field("accuracy", r.accuracy);
  v.field("loss", r.loss);
  v.field("first_token_gradient", r.first_token_gradient);
  v.field("steps_to_learn", r.steps_to_learn);
  v.field("final_accuracy", r.final_accuracy);
}

// Wall-clock cost of one training step (forward, backward, Adam) of one architecture at the
// largest lag: the median over that lag's steps of every seed.
struct StepTime {
  std::string architecture;
  int lag = 0;
  double ms_per_step = 0;
};
inline void visit_fields(const StepTime& s, FieldVisitor& v) {
  v.field("architecture", s.architecture);
  v.field("lag", s.lag);
  v.field("ms_per_step", s.ms_per_step);
}

struct TrainResult {
  std::string error;
  double chance = 0;                   // 1 / K
  std::vector<TrainRun> runs;          // architecture by architecture, lag by lag, seed by seed
  std::vector<StepTime> ms_per_step;   // one per architecture, in the order asked
};
inline void visit_fields(const TrainResult& r, FieldVisitor& v) {
  v.field("chance", r.chance);
  v.field("runs", r.runs);
  v.field("ms_per_step", r.ms_per_step);
}

// `clock` returns seconds (only ms_per_step uses it).
TrainResult run_train(const TrainParams& p, const Progress& progress = nullptr,
                      const Clock& clock = steady_clock_seconds());

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct TrainExperiment {
  static constexpr const char* name = "train";
  static constexpr const char* summary = "train rnn, lstm, gru, linear, attention to remember the first token";
  using Params = TrainParams;
  using Result = TrainResult;
  static const std::vector<Field<Params>>& fields() { return train_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_train(p, progress); }
};

}  // namespace rnn_lesson
