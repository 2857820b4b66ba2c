// Experiment 8: associative recall without training, the memory bound that stays.
//
// n key -> value pairs are drawn at random in d dimensions: keys k_i = g_i / |g_i| with
// g_i ~ randn(d) (unit length), values v_i ~ randn(d). Every key is then used as a query and
// each readout is decoded to the stored value it is most similar to by cosine similarity
// (argmax_j r . v_j / |v_j|); accuracy is the fraction of queries decoded to their own value
// (chance: 1/n). Two memories, neither trained:
//   (a) a fixed state, the linear-attention / fast-weight memory S = sum_i v_i k_i^T (d, d):
//       what a linear recurrence with a matrix state, S_t = S_{t-1} + v_t k_t^T, holds after
//       n steps. Its readout is S k_i = v_i + sum_{j != i} v_j (k_j . k_i): the stored value
//       plus crosstalk from every other pair. With orthogonal keys (possible only for n <= d)
//       the crosstalk is zero; random keys overlap by about 1/sqrt(d) each, so the crosstalk
//       has (n - 1) / d times the signal's variance per coordinate and errors start near n = d.
//       Decoding to the nearest of n known values cleans up part of it: the match scores about
//       sqrt(d) and the n competitors spread by about sqrt(2 + n / d) each, so recall holds
//       while d > 2 ln(n) (2 + n / d), i.e. up to n of about d^2 / (2 ln n): a ceiling that
//       grows with the state's d^2 numbers (up to the logarithm). Returning the values
//       themselves exactly is harder: S K = V is d n equations in d^2 unknowns, so no d x d
//       matrix returns more than d generic values exactly (d values of d numbers fill its d^2;
//       experiment 5's MC <= N again). The state is d^2 numbers whatever n is.
//   (b) softmax attention over the whole key-value cache (2 n d numbers, growing with n):
//       readout sum_j a_j v_j, a = softmax(beta * K^T k_i), beta = sharpness * sqrt(d).
//       With sharpness 1 this is the transformer's q . k / sqrt(d) for keys of length sqrt(d)
//       (what randn(d) vectors have). The match then gets weight e^sqrt(d) and each other key
//       about e^(beta^2 / (2 d)) = e^0.5 on average (cosines of random unit vectors have
//       variance 1/d), so the match's share of the weight falls as n grows and the cache, too,
//       loses accuracy at large n: a limit of the softmax's temperature, not of a state's
//       size (measured, one draw, d = 16: 0.98 at n = 128, 0.48 at n = 512). The default
//       sharpness 4 makes the softmax nearly a hard lookup (the exact key is in the cache, at
//       cosine 1, the others below), so the cache keeps its accuracy far beyond n = d; the
//       page lets the learner blunt it.
// Draw order, reproducible with numpy: for each seed s, np.random.seed(seed + s); then for
// each d in the order given, G = randn(N, d) then V = randn(N, d), N the largest n; the
// first n rows are the pairs stored for n.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/blocks/stats.h"
#include "core/fields.h"
#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct RecallParams {
  std::vector<int> dims;   // d: key and value size; the fixed state is d x d
  std::vector<int> pairs;  // n: pairs stored, then queried
  double sharpness;        // attention's inverse temperature over sqrt(d)
  double threshold;        // accuracy that counts as "recalled" for the capacities
  int seeds;               // independent draws of keys and values
  int seed;                // first seed (seed, seed+1, ...)
};

const std::vector<Field<RecallParams>>& recall_fields();
RecallParams default_recall_params();
std::string validate(const RecallParams& p);

struct RecallResult {
  std::string error;
  std::vector<int> dims;                        // d, in the order given
  std::vector<int> pairs;                       // n, in the order given
  std::vector<std::vector<double>> fixed_state;  // [d][n]: median accuracy across seeds
  std::vector<std::vector<double>> attention;    // [d][n]: median accuracy across seeds
  std::vector<Band> fixed_state_spread;          // per d: median and quartiles across seeds, over n
  std::vector<Band> attention_spread;            // per d: likewise
  std::vector<int> fixed_state_capacity;  // per d: the largest n such that the median is >= threshold at it
                                          // and at every smaller n tested (0 if the smallest fails)
  std::vector<int> attention_capacity;    // per d: likewise for the cache
  std::vector<double> state_numbers;      // per d: d^2, the fixed state's size
  std::vector<std::vector<double>> cache_numbers;  // [d][n]: 2 n d, the cache's size
  std::vector<double> inverse_temperature;         // per d: beta = sharpness * sqrt(d)
  std::vector<double> chance;                      // per n: 1/n
};
inline void visit_fields(const RecallResult& r, FieldVisitor& v) {
  v.field("dims", r.dims);
  v.field("pairs", r.pairs);
  v.field("fixed_state", r.fixed_state);
  v.field("attention", r.attention);
  v.field("fixed_state_spread", r.fixed_state_spread);
  v.field("attention_spread", r.attention_spread);
  v.field("fixed_state_capacity", r.fixed_state_capacity);
  v.field("attention_capacity", r.attention_capacity);
  v.field("state_numbers", r.state_numbers);
  v.field("cache_numbers", r.cache_numbers);
  v.field("inverse_temperature", r.inverse_temperature);
  v.field("chance", r.chance);
}

RecallResult run_recall(const RecallParams& p, const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct RecallExperiment {
  static constexpr const char* name = "recall";
  static constexpr const char* summary = "associative recall, a fixed d x d state vs the attention cache";
  using Params = RecallParams;
  using Result = RecallResult;
  static const std::vector<Field<Params>>& fields() { return recall_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_recall(p, progress); }
};

// Building blocks, exposed for tests. keys, values: (d, n), column i is pair i.
// The fixed state's readouts: column i is S k_i with S = values * keys^T. Returns (d, n).
Eigen::MatrixXd fixed_state_readouts(const Eigen::Ref<const Eigen::MatrixXd>& keys,
                                     const Eigen::Ref<const Eigen::MatrixXd>& values);
// Attention's readouts: column i is values * softmax(beta * keys^T k_i). Returns (d, n).
Eigen::MatrixXd attention_readouts(const Eigen::Ref<const Eigen::MatrixXd>& keys,
                                   const Eigen::Ref<const Eigen::MatrixXd>& values, double beta);
// For each readout column, the index of the value with the largest cosine similarity to it
// (the first on a tie, like numpy's argmax). readouts: (d, m), values: (d, n); returns m indices.
std::vector<int> decode_nearest(const Eigen::Ref<const Eigen::MatrixXd>& readouts,
                                const Eigen::Ref<const Eigen::MatrixXd>& values);
// The fraction of queries i whose decoded index is i.
double recall_accuracy(const std::vector<int>& decoded);

}  // namespace rnn_lesson
