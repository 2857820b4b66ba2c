// The linear recurrence, sequential and chunked; see linear_scan.h.
#include "core/blocks/linear_scan.h"

#include <cmath>
#include <vector>

namespace rnn_lesson {

template <class S>
LinearStep<S> then(const LinearStep<S>& earlier, const LinearStep<S>& later) {
  return {later.a.cwiseProduct(earlier.a), later.a.cwiseProduct(earlier.b) + later.b};
}

template <class S>
void linear_recurrence(Eigen::Ref<ScanMatrix<S>> h, const Eigen::Ref<const ScanMatrix<S>>& a,
                       const Eigen::Ref<const ScanMatrix<S>>& b, const Eigen::Ref<const ScanVector<S>>& h0) {
  ScanVector<S> state = h0;
  for (Eigen::Index t = 0; t < a.cols(); ++t) {
    state = a.col(t).cwiseProduct(state) + b.col(t);
    h.col(t) = state;
  }
}

template <class S>
LinearStep<S> chunk_aggregate(const Eigen::Ref<const ScanMatrix<S>>& a, const Eigen::Ref<const ScanMatrix<S>>& b,
                              int t0, int t1) {
  LinearStep<S> total{ScanVector<S>::Ones(a.rows()), ScanVector<S>::Zero(a.rows())};
  for (int t = t0; t < t1; ++t) total = then(total, LinearStep<S>{a.col(t), b.col(t)});
  return total;
}

template <class S>
void linear_scan_chunked(Eigen::Ref<ScanMatrix<S>> h, const Eigen::Ref<const ScanMatrix<S>>& a,
                         const Eigen::Ref<const ScanMatrix<S>>& b, const Eigen::Ref<const ScanVector<S>>& h0,
                         int chunks) {
  const long long n = a.cols();
  const auto cut = [&](int k) { return static_cast<int>(k * n / chunks); };
  // Phase 1 (each chunk on its own): its aggregate.
  std::vector<LinearStep<S>> aggregate;
  for (int k = 0; k < chunks; ++k) aggregate.push_back(chunk_aggregate<S>(a, b, cut(k), cut(k + 1)));
  // The carries: chunk k starts from h0 mapped through the aggregates of chunks 0..k-1.
  std::vector<ScanVector<S>> start{h0};
  for (int k = 1; k < chunks; ++k)
    start.push_back(aggregate[k - 1].a.cwiseProduct(start.back()) + aggregate[k - 1].b);
  // Phase 2 (each chunk on its own again): its steps from its true start state.
  for (int k = 0; k < chunks; ++k) {
    const int t0 = cut(k), m = cut(k + 1) - t0;
    linear_recurrence<S>(h.middleCols(t0, m), a.middleCols(t0, m), b.middleCols(t0, m), start[k]);
  }
}

template LinearStep<float> then(const LinearStep<float>&, const LinearStep<float>&);
template LinearStep<double> then(const LinearStep<double>&, const LinearStep<double>&);
template void linear_recurrence<float>(Eigen::Ref<ScanMatrix<float>>, const Eigen::Ref<const ScanMatrix<float>>&,
                                       const Eigen::Ref<const ScanMatrix<float>>&, const Eigen::Ref<const ScanVector<float>>&);
template void linear_recurrence<double>(Eigen::Ref<ScanMatrix<double>>, const Eigen::Ref<const ScanMatrix<double>>&,
                                        const Eigen::Ref<const ScanMatrix<double>>&, const Eigen::Ref<const ScanVector<double>>&);
template void linear_scan_chunked<float>(Eigen::Ref<ScanMatrix<float>>, const Eigen::Ref<const ScanMatrix<float>>&,
                                         const Eigen::Ref<const ScanMatrix<float>>&, const Eigen::Ref<const ScanVector<float>>&, int);
template void linear_scan_chunked<double>(Eigen::Ref<ScanMatrix<double>>, const Eigen::Ref<const ScanMatrix<double>>&,
                                          const Eigen::Ref<const ScanMatrix<double>>&, const Eigen::Ref<const ScanVector<double>>&, int);

LinearChunkSummary LinearChunkSummary::identity(int hidden_size) {
  return {{Eigen::VectorXd::Ones(hidden_size), Eigen::VectorXd::Zero(hidden_size)}, Eigen::VectorXd::Zero(hidden_size),
          Eigen::VectorXd::Zero(hidden_size)};
}

LinearChunkSummary summarize(const Eigen::Ref<const Eigen::MatrixXd>& a, const Eigen::Ref<const Eigen::MatrixXd>& b) {
  LinearChunkSummary s = LinearChunkSummary::identity(static_cast<int>(a.rows()));
  Eigen::VectorXd& h = s.step.b;  // h0_t, the state from zero
  Eigen::VectorXd& p = s.step.a;  // P_t
  for (Eigen::Index t = 0; t < a.cols(); ++t) {
    h = a.col(t).cwiseProduct(h) + b.col(t);
    p = a.col(t).cwiseProduct(p);
    s.sum_h0 += h;
    s.sum_p += p;
  }
  return s;
}

// The later chunk's outputs from the earlier's end state e = (A1, B1) applied to c:
// sum_h0' = sum_h0_2 + sum_p_2 * B1 and sum_p' = sum_p_2 * A1.
LinearChunkSummary summarize_then(const LinearChunkSummary& earlier, const LinearChunkSummary& later) {
  return {then(earlier.step, later.step), earlier.sum_h0 + later.sum_h0 + later.sum_p.cwiseProduct(earlier.step.b),
          earlier.sum_p + later.sum_p.cwiseProduct(earlier.step.a)};
}

LinearGates LinearGates::draw(NumpyRandom& rng, int hidden_size, int input_size, double gate_bias) {
  const Eigen::MatrixXd w = rng.randn(input_size, 2 * hidden_size).transpose() / std::sqrt(double(input_size));
  return {w.topRows(hidden_size), w.bottomRows(hidden_size), Eigen::VectorXd::Constant(hidden_size, gate_bias),
          Eigen::VectorXd::Zero(hidden_size)};
}

void LinearGates::compute(Eigen::Ref<Eigen::MatrixXd> a, Eigen::Ref<Eigen::MatrixXd> b,
                          const Eigen::Ref<const Eigen::MatrixXd>& x) const {
  a.noalias() = Wz * x;  // z's pre-activation, then 1 - z = sigma(-(Wz x + bz))
  a.colwise() += bz;
  a = (1.0 / (1.0 + a.array().exp())).matrix();
  b.noalias() = Wh * x;  // h~
  b.colwise() += bh;
  b.array() *= 1.0 - a.array();
}

}  // namespace rnn_lesson
