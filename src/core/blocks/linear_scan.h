// The diagonal linear recurrence h_t = a_t * h_{t-1} + b_t (elementwise; h, a_t, b_t in R^H)
// and why it parallelises: one step is the affine map h -> a h + b, and two steps composed,
// first (a1, b1) then (a2, b2), are again one such map, (a2 a1, a2 b1 + b2). Composition is
// associative, so a sequence can be cut into chunks, each chunk reduced to one map (its
// aggregate) independently, the aggregates combined into each chunk's true start state, and
// every chunk finished from there (Blelloch 1990's prefix sums over this operator; Martin &
// Cundy 2018 for linear RNNs). A tanh step has no such closed form: see parallel.h.
//
// The gates are minGRU's (Feng et al. 2024; experiment 7's "linear" model, trainable.h):
//     z_t = sigma(Wz x_t + bz),  h~_t = Wh x_t + bh,  h_t = (1 - z_t) h_{t-1} + z_t h~_t,
// so a_t = 1 - z_t and b_t = z_t h~_t depend on the input only, never on h.
#pragma once

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"

namespace rnn_lesson {

template <class S>
using ScanMatrix = Eigen::Matrix<S, Eigen::Dynamic, Eigen::Dynamic>;
template <class S>
using ScanVector = Eigen::Matrix<S, Eigen::Dynamic, 1>;

// The map h -> a * h + b (a, b: (H)); a chunk's aggregate is the map its steps compose to.
template <class S>
struct LinearStep {
  ScanVector<S> a, b;
};

// `earlier` then `later`: (a2 a1, a2 b1 + b2). Associative; identity (1, 0).
template <class S>
LinearStep<S> then(const LinearStep<S>& earlier, const LinearStep<S>& later);

// The sequential reference, written as the math: h_t = a_t * h_{t-1} + b_t from h_{-1} = h0.
// h: (H, n) out, column t is h_t; a, b: (H, n); h0: (H).
template <class S>
void linear_recurrence(Eigen::Ref<ScanMatrix<S>> h, const Eigen::Ref<const ScanMatrix<S>>& a,
                       const Eigen::Ref<const ScanMatrix<S>>& b, const Eigen::Ref<const ScanVector<S>>& h0);

// The aggregate of steps [t0, t1): the map from h_{t0-1} to h_{t1-1}. a, b: (H, n).
template <class S>
LinearStep<S> chunk_aggregate(const Eigen::Ref<const ScanMatrix<S>>& a, const Eigen::Ref<const ScanMatrix<S>>& b,
                              int t0, int t1);

// The same states as linear_recurrence, computed as a chunked scan: chunk k is steps
// [floor(k n / chunks), floor((k+1) n / chunks)). Phase 1: each chunk's aggregate (independent
// of the others); the carries: chunk k starts from the aggregates of chunks 0..k-1 applied to h0;
// phase 2: each chunk runs its own steps from that true start state (independent again).
// h: (H, n) out; a, b: (H, n); h0: (H); 1 <= chunks (more chunks than steps leaves some empty).
template <class S>
void linear_scan_chunked(Eigen::Ref<ScanMatrix<S>> h, const Eigen::Ref<const ScanMatrix<S>>& a,
                         const Eigen::Ref<const ScanMatrix<S>>& b, const Eigen::Ref<const ScanVector<S>>& h0,
                         int chunks);

// A chunk reduced far enough that its summed outputs need no second pass over its steps:
// every output is affine in the chunk's start state c, h_t = h0_t + P_t * c with h0_t the
// state reached from zero and P_t = a_t ... a_{t0} the running product, so
//     sum_t h_t = sum_h0 + sum_p * c,  and the end state is step.a * c + step.b.
// Summaries compose like steps (summarize_then), so a chunk can be summarised block by block.
struct LinearChunkSummary {
  LinearStep<double> step;        // the chunk's aggregate (a = P_last, b = h0_last)
  Eigen::VectorXd sum_h0, sum_p;  // (H) each
  static LinearChunkSummary identity(int hidden_size);  // an empty chunk
  Eigen::VectorXd summed_outputs(const Eigen::VectorXd& start) const { return sum_h0 + sum_p.cwiseProduct(start); }
  Eigen::VectorXd end_state(const Eigen::VectorXd& start) const { return step.a.cwiseProduct(start) + step.b; }
};
// One pass over steps [0, n) of a, b (H, n).
LinearChunkSummary summarize(const Eigen::Ref<const Eigen::MatrixXd>& a, const Eigen::Ref<const Eigen::MatrixXd>& b);
// `earlier` then `later`.
LinearChunkSummary summarize_then(const LinearChunkSummary& earlier, const LinearChunkSummary& later);

// minGRU's input-only gates (the header's equations), double.
struct LinearGates {
  Eigen::MatrixXd Wz, Wh;  // (H, D)
  Eigen::VectorXd bz, bh;  // (H)
  // Like trainable.h's linear model: Wx = randn(D, 2H)^T / sqrt(D) (rows: z block, then h~),
  // bz = gate_bias, bh = 0. With bz < 0 the decay 1 - z starts near 1.
  static LinearGates draw(NumpyRandom& rng, int hidden_size, int input_size, double gate_bias);
  // a, b: (H, m) out; x: (D, m).
  void compute(Eigen::Ref<Eigen::MatrixXd> a, Eigen::Ref<Eigen::MatrixXd> b, const Eigen::Ref<const Eigen::MatrixXd>& x) const;
};

}  // namespace rnn_lesson
