// Work, depth and the worker slices; see parallel.h for the counting rules.
#include "core/experiments/parallel.h"

#include <algorithm>
#include <chrono>
#include <cmath>

#include <Eigen/Core>

#include "core/blocks/attention.h"
#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxSliceOps = 4e9;  // one scaling pass, whatever the split

double ceil_log2(double m) { return m <= 1 ? 0.0 : std::ceil(std::log2(m)); }

// Per-step counts of the recurrent cells (n tokens = n steps).
WorkDepth recurrent_step(const std::string& a, double H, double D) {
  if (a == "rnn")  // one multiply, a tree of adds over the H+D terms of [h; x], one tanh
    return {2 * H * (H + D), 2 + ceil_log2(H + D)};
  if (a == "lstm")  // gates over [h; x; 1], 4H nonlinearities, c' = f c + i g, h' = o tanh(c')
    return {8 * H * (H + D) + 9 * H, 6 + ceil_log2(H + D + 1)};
  if (a == "gru")  // r, z over [h; x; 1]; n = tanh(Wn x + bn + r (Un h + bhn)); h' = (1-z) n + z h
    return {6 * H * (H + D) + 9 * H, 7 + ceil_log2(H + D + 1)};
  return {};
}

// Sum over causal query rows [r0, r1) of the row's key count m = i + 1.
double causal_pairs(double r0, double r1) { return (r1 * (r1 + 1) - r0 * (r0 + 1)) / 2; }

// Attention work for query rows [r0, r1) with keys/values for tokens [0, r1): projections
// (q for the rows, k and v for every token seen), scores (K multiplies, K-1 adds, 1 scale),
// softmax (5m - 2 per row), weighted sums (K (2m - 1) per row).
double attention_ops(double r0, double r1, double K, double D) {
  const double rows = r1 - r0, pairs = causal_pairs(r0, r1);
  const double projection = (rows + 2 * r1) * K * (2 * D - 1);
  return projection + pairs * 2 * K + (5 * pairs - 2 * rows) + K * (2 * pairs - rows);
}

struct SharedTokens {
  AttentionLayer layer;
  Eigen::MatrixXd tokens;  // (D, n)
};

SharedTokens draw_tokens(const ScalingParams& p) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  SharedTokens s{AttentionLayer::draw(rng, p.hidden_size, p.input_size), Eigen::MatrixXd()};
  s.tokens.resize(p.input_size, p.length);
  for (int t = 0; t < p.length; ++t) s.tokens.col(t) = rng.randn(p.input_size);
  return s;
}

// The RNN every scaling slice uses (seed), and sequence s's inputs (seed + 1 + s).
TanhRnn scaling_rnn(const ScalingParams& p) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  return TanhRnn::draw(rng, p.hidden_size, p.input_size, 0.5);
}
Eigen::MatrixXd sequence_inputs(const ScalingParams& p, int sequence, int steps) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + 1u + static_cast<std::uint32_t>(sequence));
  Eigen::MatrixXd x(p.input_size, steps);
  for (int t = 0; t < steps; ++t) x.col(t) = rng.randn(p.input_size) * 0.1;
  return x;
}

SliceResult refused(const std::string& error) {
  SliceResult r;
  r.error = error;
  return r;
}

template <class F>
double seconds_of(F&& f) {
  const auto t0 = std::chrono::steady_clock::now();
  f();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

WorkDepth work_depth(const std::string& architecture, int n_tokens, int hidden_size, int input_size) {
  const double n = n_tokens, H = hidden_size, D = input_size;
  if (architecture == "attention") {
    const double work = attention_ops(0, n, H, D);
    const double depth = (1 + ceil_log2(D))                 // projections
                         + (2 + ceil_log2(H))               // a score: multiply, add tree, scale
                         + (2 * ceil_log2(n) + 3)           // softmax: max tree, subtract, exp, sum tree, divide
                         + (1 + ceil_log2(n));              // weighted sum: multiply, add tree
    return {work, depth};
  }
  if (architecture == "linear") {
    const WorkDepth gates{4 * H * D + 3 * H, 3 + ceil_log2(D + 1)};
    const double levels = ceil_log2(n);
    return {n * gates.work + 6 * H * (n - 1) + 2 * H * n, gates.depth + 4 * levels + 2};
  }
  const WorkDepth step = recurrent_step(architecture, H, D);
  return {n * step.work, n * step.depth};
}

// ---- work/depth experiment ------------------------------------------------------------

RNN_LESSON_FOR_SIZE const std::vector<Field<WorkDepthParams>>& work_depth_fields() {
  static const std::vector<Field<WorkDepthParams>> table = {
      {{"lengths", ParamType::IntegerList, 1, 1000000, 40,
        "16,32,64,128,256,512,1024,2048,4096,8192,16384,32768,65536", {}, "sequence lengths n to count",
        "Sequence lengths L"},
       &WorkDepthParams::lengths},
      {{"hidden_size", ParamType::Integer, 1, 4096, 1, "32", {}, "hidden units H (attention: key and value size)",
        "Hidden size H"},
       &WorkDepthParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 4096, 1, "8", {}, "input features D",
        "Input size D"}, &WorkDepthParams::input_size},
      {{"processors", ParamType::IntegerList, 1, 10000000, 12, "1,10,100,1000,10000", {},
        "parallel units P for the projection T_P = t_op (W/P + D)",
        "Parallel units P (projection)"}, &WorkDepthParams::processors},
      {{"rnn_ns_per_op", ParamType::Real, 0, 1e6, 1, "0", {},
        "measured ns per RNN operation (0: measure it now on this device)",
        "rnn ns per op"}, &WorkDepthParams::rnn_ns_per_op},
      {{"attention_ns_per_op", ParamType::Real, 0, 1e6, 1, "0", {},
        "measured ns per attention operation (0: measure it now on this device)", "attention ns per op"},
       &WorkDepthParams::attention_ns_per_op},
      {{"linear_ns_per_op", ParamType::Real, 0, 1e6, 1, "0", {},
        "measured ns per linear-recurrence operation (0: measure it now on this device)", "linear ns per op"},
       &WorkDepthParams::linear_ns_per_op},
  };
  return table;
}

WorkDepthParams default_work_depth_params() { return defaults_from(work_depth_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const WorkDepthParams& p) { return check_fields(work_depth_fields(), p); }

WorkDepthResult run_work_depth(const WorkDepthParams& p) {
  WorkDepthResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  r.lengths = p.lengths;
  r.processors = p.processors;
  for (const char* a : {"rnn", "lstm", "gru", "attention", "linear"}) {
    ArchitectureWorkDepth c{a, {}, {}};
    for (int n : p.lengths) {
      const WorkDepth wd = work_depth(a, n, p.hidden_size, p.input_size);
      c.work.push_back(wd.work);
      c.depth.push_back(wd.depth);
    }
    r.counts.push_back(c);
  }

  // t_op on this device, when not given: one modest pass of each, best of three.
  ScalingParams probe = default_scaling_params();
  probe.hidden_size = std::min(p.hidden_size, 256);
  probe.input_size = std::min(p.input_size, 256);
  probe.length = 512;
  probe.batch = 4;
  probe.scan_length = 8192;
  r.rnn_ns_per_op = p.rnn_ns_per_op;
  r.attention_ns_per_op = p.attention_ns_per_op;
  if (r.rnn_ns_per_op <= 0) {
    double best = 1e300, ops = 0;
    for (int i = 0; i < 3; ++i) best = std::min(best, seconds_of([&] { ops = rnn_sequences(probe, 0, probe.batch).operations; }));
    r.rnn_ns_per_op = best * 1e9 / ops;
    r.measured_here = true;
  }
  if (r.attention_ns_per_op <= 0) {
    double best = 1e300, ops = 0;
    for (int i = 0; i < 3; ++i) best = std::min(best, seconds_of([&] { ops = attention_rows(probe, 0, probe.length).operations; }));
    r.attention_ns_per_op = best * 1e9 / ops;
    r.measured_here = true;
  }

  r.linear_ns_per_op = p.linear_ns_per_op;
  if (r.linear_ns_per_op <= 0) {
    double best = 1e300, ops = 0;
    for (int i = 0; i < 3; ++i) best = std::min(best, seconds_of([&] { ops = scan_sequential(probe).operations; }));
    r.linear_ns_per_op = best * 1e9 / ops;
    r.measured_here = true;
  }

  const ArchitectureWorkDepth& rnn = r.counts[0];
  const ArchitectureWorkDepth& att = r.counts[3];
  const ArchitectureWorkDepth& lin = r.counts[4];
  for (int P : p.processors) {
    std::vector<double> rnn_ms, att_ms, lin_ms;
    std::vector<int> faster;
    for (std::size_t i = 0; i < p.lengths.size(); ++i) {
      rnn_ms.push_back(r.rnn_ns_per_op * (rnn.work[i] / P + rnn.depth[i]) * 1e-6);
      att_ms.push_back(r.attention_ns_per_op * (att.work[i] / P + att.depth[i]) * 1e-6);
      lin_ms.push_back(r.linear_ns_per_op * (lin.work[i] / P + lin.depth[i]) * 1e-6);
      faster.push_back(att_ms.back() < rnn_ms.back() ? 1 : 0);
    }
    r.rnn_projected_ms.push_back(rnn_ms);
    r.attention_projected_ms.push_back(att_ms);
    r.linear_projected_ms.push_back(lin_ms);
    r.attention_faster.push_back(faster);
  }
  return r;
}

// ---- scaling slices --------------------------------------------------------------------

RNN_LESSON_FOR_SIZE const std::vector<Field<ScalingParams>>& scaling_fields() {
  static const std::vector<Field<ScalingParams>> table = {
      {{"length", ParamType::Integer, 16, 8192, 1, "2048", {}, "tokens n (attention) and steps (RNN)",
        "Sequence length n"},
       &ScalingParams::length},
      {{"hidden_size", ParamType::Integer, 1, 256, 1, "32", {}, "hidden units H; attention's key and value size",
        "Hidden size H"},
       &ScalingParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 256, 1, "8", {}, "input features D",
        "Input size D", Tier::Advanced}, &ScalingParams::input_size},
      {{"batch", ParamType::Integer, 1, 256, 1, "16", {}, "independent RNN sequences (the part that can be split)",
        "Independent RNN sequences"},
       &ScalingParams::batch},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed for weights and tokens",
        "Random seed", Tier::Advanced, Slider::Off},
       &ScalingParams::seed},
      {{"scan_length", ParamType::Integer, 16, 1048576, 1, "65536", {},
        "steps of the linear recurrence's sequence (its pass costs far less per step than attention's)",
        "Linear recurrence length n"},
       &ScalingParams::scan_length},
  };
  return table;
}

ScalingParams default_scaling_params() { return defaults_from(scaling_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const ScalingParams& p) {
  std::string error = check_fields(scaling_fields(), p);
  if (!error.empty()) return error;
  const double att = attention_ops(0, p.length, p.hidden_size, p.input_size);
  if (att > kMaxSliceOps)
    return "length^2 * hidden_size is too large: the attention pass must be at most 4e9 operations (got " +
           std::to_string(static_cast<long long>(att)) + ")";
  const double rnn = p.batch * work_depth("rnn", p.length, p.hidden_size, p.input_size).work;
  if (rnn > kMaxSliceOps)
    return "batch * length * hidden_size * (hidden_size + input_size) is too large: the RNN batch must be at most "
           "4e9 operations (got " + std::to_string(static_cast<long long>(rnn)) + ")";
  const double lin = work_depth("linear", p.scan_length, p.hidden_size, p.input_size).work;
  if (lin > kMaxSliceOps)
    return "scan_length * hidden_size * input_size is too large: the linear recurrence's pass must be at most 4e9 "
           "operations (got " + std::to_string(static_cast<long long>(lin)) + ")";
  return "";
}

std::vector<int> balanced_row_splits(int length, int parts) {
  parts = std::max(1, parts);
  std::vector<int> cuts{0};
  for (int k = 1; k < parts; ++k) {
    // causal_pairs(0, r) ~ r^2 / 2: equal shares at r = n sqrt(k / parts).
    const int r = static_cast<int>(std::lround(length * std::sqrt(double(k) / parts)));
    cuts.push_back(std::clamp(r, cuts.back(), length));
  }
  cuts.push_back(length);
  return cuts;
}

SliceResult attention_rows(const ScalingParams& p, int row_begin, int row_end) {
  std::string error = validate(p);
  if (error.empty() && !(0 <= row_begin && row_begin <= row_end && row_end <= p.length))
    error = "rows must satisfy 0 <= row_begin <= row_end <= length (" + std::to_string(p.length) + ")";
  if (!error.empty()) return refused(error);
  SliceResult r;
  if (row_begin == row_end) return r;
  const SharedTokens s = draw_tokens(p);
  const double scale = 1.0 / std::sqrt(double(p.hidden_size));
  const Eigen::MatrixXd Q = s.layer.Wq * s.tokens.middleCols(row_begin, row_end - row_begin);  // (K, rows)
  const Eigen::MatrixXd K = s.layer.Wk * s.tokens.leftCols(row_end);                            // (K, r1)
  const Eigen::MatrixXd V = s.layer.Wv * s.tokens.leftCols(row_end);                            // (K, r1)
  Eigen::VectorXd scores(row_end), y(p.hidden_size);
  for (int i = row_begin; i < row_end; ++i) {
    const int m = i + 1;
    auto sc = scores.head(m);
    sc.noalias() = K.leftCols(m).transpose() * Q.col(i - row_begin);
    sc *= scale;
    softmax_in_place(sc);
    y.noalias() = V.leftCols(m) * sc;
    r.checksum += y.sum();
  }
  r.operations = attention_ops(row_begin, row_end, p.hidden_size, p.input_size);
  return r;
}

SliceResult rnn_sequences(const ScalingParams& p, int sequence_begin, int sequence_end) {
  std::string error = validate(p);
  if (error.empty() && !(0 <= sequence_begin && sequence_begin <= sequence_end && sequence_end <= p.batch))
    error = "sequences must satisfy 0 <= sequence_begin <= sequence_end <= batch (" + std::to_string(p.batch) + ")";
  if (!error.empty()) return refused(error);
  SliceResult r;
  const TanhRnn rnn = scaling_rnn(p);
  for (int s = sequence_begin; s < sequence_end; ++s) {
    const Eigen::MatrixXd x = sequence_inputs(p, s, p.length);
    Eigen::VectorXd h = Eigen::VectorXd::Zero(p.hidden_size);
    rnn.advance(h, x, 0, p.length);
    r.checksum += h.sum();
  }
  r.operations = (sequence_end - sequence_begin) * work_depth("rnn", p.length, p.hidden_size, p.input_size).work;
  return r;
}

SliceResult rnn_relay_segment(const ScalingParams& p, int t_begin, int t_end, const std::vector<double>& state) {
  std::string error = validate(p);
  if (error.empty() && !(0 <= t_begin && t_begin <= t_end && t_end <= p.length))
    error = "steps must satisfy 0 <= t_begin <= t_end <= length (" + std::to_string(p.length) + ")";
  if (error.empty() && !state.empty() && static_cast<int>(state.size()) != p.hidden_size)
    error = "state must hold hidden_size (" + std::to_string(p.hidden_size) + ") values or none";
  if (!error.empty()) return refused(error);
  SliceResult r;
  const TanhRnn rnn = scaling_rnn(p);
  const Eigen::MatrixXd x = sequence_inputs(p, 0, t_end);
  Eigen::VectorXd h = state.empty() ? Eigen::VectorXd::Zero(p.hidden_size)
                                    : Eigen::Map<const Eigen::VectorXd>(state.data(), p.hidden_size).eval();
  rnn.advance(h, x, t_begin, t_end);
  r.state.assign(h.data(), h.data() + h.size());
  r.checksum = h.sum();
  r.operations = (t_end - t_begin) * work_depth("rnn", 1, p.hidden_size, p.input_size).work;
  return r;
}

std::string unknown_slice_kind(const std::string& got) {
  return "kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk, scan_finish (got " + got + ")";
}

SliceResult slice_part(const std::string& kind, const ScalingParams& p, double part_in, double parts_in,
                       const std::vector<double>& state) {
  const bool scan = kind == "scan_sequential" || kind == "scan_chunk" || kind == "scan_finish";
  const bool known = kind == "attention" || kind == "rnn_batch" || kind == "rnn_relay" || scan;
  if (!known) return refused(unknown_slice_kind("'" + shown_text(kind) + "'"));
  const auto whole = [](double x) { return std::isfinite(x) && x == std::floor(x); };
  if (!(whole(parts_in) && parts_in >= 1 && parts_in <= kMaxSliceParts))
    return refused("parts must be an integer from 1 to " + std::to_string(kMaxSliceParts) + " (got " +
                   shown_number(parts_in) + ")");
  const int parts = static_cast<int>(parts_in);
  if (!(whole(part_in) && part_in >= 0 && part_in < parts))
    return refused("part must be an integer from 0 to parts - 1 (" + std::to_string(parts - 1) + ") (got " +
                   shown_number(part_in) + ")");
  const int part = static_cast<int>(part_in);
  if (kind == "rnn_relay" && part > 0 && state.empty())
    return refused("state must be the hidden state that part " + std::to_string(part - 1) +
                   " returned (hidden_size numbers): a relay part after the first continues from it");
  if (kind == "scan_sequential" && parts != 1)
    return refused("parts must be 1 for scan_sequential: one worker runs the whole sequence (got " +
                   std::to_string(parts) + ")");
  const std::string error = validate(p);
  if (!error.empty()) return refused(error);
  if (kind == "scan_finish" && state.size() != static_cast<std::size_t>(part + 1) * 4 * p.hidden_size)
    return refused("state must be the summaries scan_chunk returned for parts 0 to " + std::to_string(part) +
                   " in order (4 * hidden_size numbers each)");
  // floor(k * n / parts) for k = part, part + 1 (in 64 bits: k * n may pass int's range).
  const auto share = [&](int n, int k) { return static_cast<int>(static_cast<long long>(k) * n / parts); };
  int begin = 0, end = 0;
  SliceResult r;
  if (kind == "attention") {
    const std::vector<int> cuts = balanced_row_splits(p.length, parts);
    begin = cuts[part];
    end = cuts[part + 1];
    r = attention_rows(p, begin, end);
  } else if (kind == "rnn_batch") {
    begin = share(p.batch, part);
    end = share(p.batch, part + 1);
    r = rnn_sequences(p, begin, end);
  } else if (scan) {
    begin = share(p.scan_length, part);
    end = share(p.scan_length, part + 1);
    r = kind == "scan_sequential" ? scan_sequential(p) : kind == "scan_chunk" ? scan_chunk(p, begin, end)
                                                                             : scan_finish(p, part, state);
  } else {
    begin = share(p.length, part);
    end = share(p.length, part + 1);
    r = rnn_relay_segment(p, begin, end, state);
  }
  if (r.error.empty()) r.begin = begin, r.end = end;
  return r;
}

}  // namespace rnn_lesson
