// The linear recurrence's worker slices: the sequential pass, a chunk reduced to its summary,
// and a chunk finished from its true start state (see parallel.h and core/blocks/linear_scan.h).
//
// The second phase reads no token: a chunk's outputs are affine in its start state c
// (h_t = h0_t + P_t c), so the first phase keeps, beside the aggregate, sum_t h0_t and sum_t P_t,
// and the chunk's summed outputs are sum_h0 + sum_p c. A layer that hands every h_t on would
// add that multiply-add per element (2 operations) in the second phase.
#include <algorithm>

#include "core/blocks/linear_scan.h"
#include "core/experiments/parallel.h"
#include "core/blocks/numpy_random.h"

namespace rnn_lesson {
namespace {

constexpr double kScanGateBias = -3.0;

LinearGates scan_gates(const ScalingParams& p) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  return LinearGates::draw(rng, p.hidden_size, p.input_size, kScanGateBias);
}

// Counted like work_depth("linear"): the gates, 4 H D + 3 H per token, plus per token the
// step (2 H) and the sum of the outputs (H); a summary adds the running product and its sum (2 H).
double gate_ops(const ScalingParams& p) { return 4.0 * p.hidden_size * p.input_size + 3.0 * p.hidden_size; }

// Calls f(a, b) on the gates of steps [t_begin, t_end), a block of at most kScanBlock at a time.
template <class F>
void for_each_gate_block(const ScalingParams& p, int t_begin, int t_end, F&& f) {
  const LinearGates gates = scan_gates(p);
  Eigen::MatrixXd a(p.hidden_size, kScanBlock), b(p.hidden_size, kScanBlock);
  for (int t = t_begin; t < t_end;) {
    const int next = std::min(t_end, (t / kScanBlock + 1) * kScanBlock);
    const int m = next - t;
    gates.compute(a.leftCols(m), b.leftCols(m), scan_inputs(p, t, next));
    f(a.leftCols(m), b.leftCols(m));
    t = next;
  }
}

SliceResult refused_scan(const std::string& error) {
  SliceResult r;
  r.error = error;
  return r;
}

}  // namespace

Eigen::MatrixXd scan_inputs(const ScalingParams& p, int t_begin, int t_end) {
  Eigen::MatrixXd x(p.input_size, t_end - t_begin);
  for (int t = t_begin; t < t_end;) {
    const int block = t / kScanBlock, next = std::min(t_end, (block + 1) * kScanBlock);
    // Block j's seed: the scaling seed mixed with j (its own stream, whoever draws it).
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) ^ (0x9E3779B9u * static_cast<std::uint32_t>(block + 1)));
    const Eigen::MatrixXd drawn = rng.randn(kScanBlock, p.input_size).transpose();  // (D, block)
    x.middleCols(t - t_begin, next - t) = drawn.middleCols(t - block * kScanBlock, next - t);
    t = next;
  }
  return x;
}

SliceResult scan_sequential(const ScalingParams& p) {
  const std::string error = validate(p);
  if (!error.empty()) return refused_scan(error);
  SliceResult r;
  Eigen::VectorXd h = Eigen::VectorXd::Zero(p.hidden_size);
  Eigen::MatrixXd states(p.hidden_size, kScanBlock);
  for_each_gate_block(p, 0, p.scan_length, [&](const Eigen::Ref<const Eigen::MatrixXd>& a, const Eigen::Ref<const Eigen::MatrixXd>& b) {
    auto hs = states.leftCols(a.cols());
    linear_recurrence<double>(hs, a, b, h);
    h = hs.col(a.cols() - 1);
    r.checksum += hs.sum();
  });
  r.state.assign(h.data(), h.data() + h.size());
  r.operations = p.scan_length * (gate_ops(p) + 3.0 * p.hidden_size);
  return r;
}

SliceResult scan_chunk(const ScalingParams& p, int t_begin, int t_end) {
  std::string error = validate(p);
  if (error.empty() && !(0 <= t_begin && t_begin <= t_end && t_end <= p.scan_length))
    error = "steps must satisfy 0 <= t_begin <= t_end <= scan_length (" + std::to_string(p.scan_length) + ")";
  if (!error.empty()) return refused_scan(error);
  LinearChunkSummary s = LinearChunkSummary::identity(p.hidden_size);
  for_each_gate_block(p, t_begin, t_end, [&](const Eigen::Ref<const Eigen::MatrixXd>& a, const Eigen::Ref<const Eigen::MatrixXd>& b) {
    s = summarize_then(s, summarize(a, b));
  });
  SliceResult r;
  for (const Eigen::VectorXd* v : {&s.step.a, &s.step.b, &s.sum_h0, &s.sum_p}) r.state.insert(r.state.end(), v->data(), v->data() + v->size());
  r.checksum = s.sum_h0.sum();
  r.operations = (t_end - t_begin) * (gate_ops(p) + 5.0 * p.hidden_size);
  return r;
}

SliceResult scan_finish(const ScalingParams& p, int part, const std::vector<double>& summaries) {
  std::string error = validate(p);
  const int H = p.hidden_size;
  if (error.empty() && !(part >= 0 && summaries.size() == static_cast<std::size_t>(part + 1) * 4 * H))
    error = "state must be the summaries scan_chunk returned for parts 0 to part in order (4 * hidden_size numbers each)";
  if (!error.empty()) return refused_scan(error);
  const auto vec = [&](int k, int which) { return Eigen::Map<const Eigen::VectorXd>(summaries.data() + (4 * k + which) * H, H); };
  // The carry: h = 0 through the aggregates of the earlier parts, in order.
  Eigen::VectorXd c = Eigen::VectorXd::Zero(H);
  for (int k = 0; k < part; ++k) c = vec(k, 0).cwiseProduct(c) + vec(k, 1);
  LinearChunkSummary own{{vec(part, 0), vec(part, 1)}, vec(part, 2), vec(part, 3)};
  SliceResult r;
  r.checksum = own.summed_outputs(c).sum();
  const Eigen::VectorXd end = own.end_state(c);
  r.state.assign(end.data(), end.data() + H);
  r.operations = (2.0 * part + 5.0) * H;  // the carry; sum_h0 + sum_p c and its sum; a c + b
  return r;
}

}  // namespace rnn_lesson
