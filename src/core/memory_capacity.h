// Experiment 5: memory capacity, the hidden-state bottleneck as a number (Jaeger 2001,
// "Short term memory in echo state networks").
//
// Each network (rnn, lstm, gru; hidden size N, one scalar input) is driven by i.i.d. input
// u(t) ~ uniform(-1, 1). After `washout` steps, linear read-outs are fitted by ridge
// regression from h_t (plus a constant) to u(t - k), one per delay k = 1..max_delay, on
// `train_steps` steps, and scored on the next `test_steps` steps by the squared
// correlation r^2_k between read-out and target. The memory capacity is MC = sum_k r^2_k.
// Because the targets are mutually uncorrelated and a read-out sees only N numbers,
// MC <= N (Jaeger's bound, exact for the fit, approximate on held-out data): however long
// the past, a fixed-size state holds at most N inputs' worth of it.
//
// Attention's comparison, computed with the attention layer: one key/value pair is stored
// at the start of a context of n tokens (the rest are random distractor pairs), a final
// token queries with the stored key, and the read-out (the attention output) is decoded to
// the context token whose value it matches best. Accuracy over trials, for growing n. The
// layer keeps every token, so nothing is squeezed through N numbers; what limits it is the
// softmax sharing its weight among n tokens with random keys of size key_size.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/cells.h"
#include "core/params.h"
#include "core/stats.h"
#include "core/timing.h"  // Progress

namespace rnn_lesson {

struct MemoryParams {
  std::vector<int> hidden_sizes;        // N, one network of each architecture per size
  int max_delay;                        // delays k = 1..max_delay
  int washout;                          // steps driven before any read-out row
  int train_steps;                      // read-out fit rows
  int test_steps;                       // held-out rows that r^2 is scored on
  double recurrent_scale;               // recurrent blocks = randn(N, N) * recurrent_scale / sqrt(N)
  double input_scale;                   // input weights = randn(1, N) * input_scale
  double forget_bias;                   // LSTM forget-gate bias
  double ridge;                         // ridge penalty, relative to the mean state variance
  int seeds;                            // independent networks and input streams
  int attention_key_size;               // attention: key and value size
  std::vector<int> attention_contexts;  // attention: context lengths n
  int attention_trials;                 // attention: stored pairs per seed and context length
  int seed;                             // first seed (seed, seed+1, ...)
};

const std::vector<Field<MemoryParams>>& memory_fields();
MemoryParams default_memory_params();
std::string validate(const MemoryParams& p);

struct MemoryNetwork {
  std::string architecture;  // "rnn", "lstm" or "gru"
  std::vector<Band> r2;      // per hidden size: r^2_k per delay, across seeds
  Band capacity;             // per hidden size: MC = sum_k r^2_k, across seeds
};

struct MemoryResult {
  std::string error;
  std::vector<int> hidden_sizes;          // N, in the order given: the bound MC <= N
  std::vector<int> delays;                // k = 1..max_delay
  std::vector<MemoryNetwork> networks;    // rnn, lstm, gru
  std::vector<int> attention_context_lengths;  // n
  Band attention_accuracy;                // fraction of stored pairs retrieved, per n, across seeds
  double attention_chance = 0;            // accuracy of guessing at the largest n (1/n)
};

MemoryResult run_memory(const MemoryParams& p, const Progress& progress = nullptr);

// Building block, exposed for tests: r^2_k for k = 1..max_delay of ridge read-outs from the
// hidden output of `cell` (input size 1) driven from the zero state by `inputs`.
// inputs: (L) with L = washout + train_steps + test_steps and washout >= max_delay;
// returns max_delay values in [0, 1]. The network is driven in float32 through FastCell (what
// run_memory uses) or, with float32 = false, in double through `cell` itself (the reference);
// the read-outs are fitted in double either way.
std::vector<double> memory_r_squared(const RecurrentCell& cell, const Eigen::VectorXd& inputs, int washout,
                                     int train_steps, int max_delay, double ridge, bool float32 = true);

// Building block, exposed for tests: true if attention retrieves the stored pair.
// stored: (2K) = [key; value]; distractors: (2K, n - 1). The context is the stored pair
// then the distractors, and the query token is [key; 0].
bool attention_retrieves(const Eigen::VectorXd& stored, const Eigen::MatrixXd& distractors);

}  // namespace rnn_lesson
