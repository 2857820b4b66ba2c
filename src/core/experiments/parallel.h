// Sequential vs parallel: what each architecture lets parallel hardware do.
//
// Two kinds of figures live here:
//  - Counted: the total work W (operations) and the depth D (the longest chain of operations
//    that must happen one after another) of a forward pass over n tokens, for the tanh RNN,
//    the LSTM, the GRU and single-head causal self-attention. An operation is one multiply,
//    add, comparison, division or nonlinearity (tanh, sigmoid, exp); a sum of m terms is a
//    balanced tree of m - 1 adds (depth ceil(log2 m)). Brent's bound then says P parallel
//    units need about T_P = t_op * (W / P + D); t_op is measured on this device, so the
//    projection is "measured constants, counted operations, assumed P".
//  - Measured: slices of one forward pass that separate workers (one module each) can run.
//    Attention splits by query rows (every row reads all earlier keys, never another row's
//    output); an RNN cannot be split in time, only handed along (a relay of segments), while
//    a batch of independent sequences splits across workers. The diagonal linear recurrence
//    h_t = a_t h_{t-1} + b_t (minGRU's gates, core/blocks/linear_scan.h) splits in time: its
//    steps compose to a step of the same form, so each worker reduces its chunk to one
//    (scan_chunk), and each finishes its chunk from the start state the earlier chunks'
//    reductions give (scan_finish). A tanh step does not: tanh(W tanh(W h + u1) + u2) is
//    not A h + b for any A, b, so two composed steps are no smaller object than the steps.
// Parallel parts: parallel.cpp; the linear recurrence's slices: parallel_scan.cpp.
#pragma once

#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/fields.h"
#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct WorkDepth {
  double work = 0;   // operations in total
  double depth = 0;  // operations on the longest dependent chain
};

// W and D of a forward pass over n tokens. architecture: "rnn", "lstm", "gru" (hidden H,
// input D), "attention" (key/value size H, input D) or "linear" (the diagonal linear
// recurrence with minGRU's gates, as a parallel scan). Unknown names give {0, 0}.
//   linear: the gates of every token at once (no token waits for another): Wz x + bz and
//   Wh x + bh (2 H D operations each: D multiplies and a tree of D adds with the bias),
//   sigma, 1 - z and z h~ (H each): 4 H D + 3 H per token, depth 3 + ceil(log2(D + 1)).
//   Then the scan of the steps (a_t, b_t) under (a2 a1, a2 b1 + b2) (3 operations per unit,
//   depth 2): Blelloch's work-efficient scan, an up-sweep and a down-sweep of ceil(log2 n)
//   levels each, at most 2 (n - 1) combines, gives every position the steps before it
//   composed; h_t = a_t h_before + b_t is 2 more (depth 2). W = n (4HD + 3H) + 6 H (n - 1)
//   + 2 H n; S = 3 + ceil(log2(D + 1)) + 4 ceil(log2 n) + 2.
WorkDepth work_depth(const std::string& architecture, int n, int hidden_size, int input_size);

// ---- the work/depth experiment (counted, then projected with measured t_op) ----------

struct WorkDepthParams {
  std::vector<int> lengths;     // n
  int hidden_size;              // H (attention: key and value size)
  int input_size;               // D
  std::vector<int> processors;  // P for the projection
  double rnn_ns_per_op;         // measured elsewhere (the page's workers); 0 = measure here now
  double attention_ns_per_op;   // likewise
  double linear_ns_per_op;      // likewise, the linear recurrence's sequential pass
};

const std::vector<Field<WorkDepthParams>>& work_depth_fields();
WorkDepthParams default_work_depth_params();
std::string validate(const WorkDepthParams& p);

struct ArchitectureWorkDepth {
  std::string architecture;
  std::vector<double> work, depth;  // per length
};
inline void visit_fields(const ArchitectureWorkDepth& c, FieldVisitor& v) {
  v.field("architecture", c.architecture);
  v.field("work", c.work);
  v.field("depth", c.depth);
}

struct WorkDepthResult {
  std::string error;
  std::vector<int> lengths;
  std::vector<ArchitectureWorkDepth> counts;  // rnn, lstm, gru, attention, linear
  double rnn_ns_per_op = 0;                   // as given, or measured here
  double attention_ns_per_op = 0;
  double linear_ns_per_op = 0;
  bool measured_here = false;                 // true when either t_op was measured by this call
  std::vector<int> processors;
  // Projected forward time in ms, [processor index][length index].
  std::vector<std::vector<double>> rnn_projected_ms, attention_projected_ms, linear_projected_ms;
  // [processor index][length index]: 1 where attention's projection is below the RNN's.
  // (With few units attention's O(n^2) work loses; with many, its O(log n) depth wins over
  // the RNN's O(n) chain until n^2 / P catches up again.)
  std::vector<std::vector<int>> attention_faster;
};
inline void visit_fields(const WorkDepthResult& r, FieldVisitor& v) {
  v.field("lengths", r.lengths);
  v.field("counts", r.counts);
  v.field("rnn_ns_per_op", r.rnn_ns_per_op);
  v.field("attention_ns_per_op", r.attention_ns_per_op);
  v.field("linear_ns_per_op", r.linear_ns_per_op);
  v.field("measured_here", r.measured_here);
  v.field("processors", r.processors);
  v.field("rnn_projected_ms", r.rnn_projected_ms);
  v.field("attention_projected_ms", r.attention_projected_ms);
  v.field("linear_projected_ms", r.linear_projected_ms);
  v.field("attention_faster", r.attention_faster);
}

WorkDepthResult run_work_depth(const WorkDepthParams& p);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct WorkDepthExperiment {
  static constexpr const char* name = "workdepth";
  static constexpr const char* summary = "work and depth per architecture, projected to P parallel units";
  using Params = WorkDepthParams;
  using Result = WorkDepthResult;
  static const std::vector<Field<Params>>& fields() { return work_depth_fields(); }
  static Result run(const Params& p, const Progress&) { return run_work_depth(p); }
};

// ---- slices for workers -------------------------------------------------------------

struct ScalingParams {
  int length;       // n tokens (attention) or steps (RNN)
  int hidden_size;  // H, and attention's key/value size
  int input_size;   // D
  int batch;        // independent RNN sequences
  int seed;
  int scan_length;  // steps of the linear recurrence (its pass is far cheaper per step)
};

const std::vector<Field<ScalingParams>>& scaling_fields();
ScalingParams default_scaling_params();
std::string validate(const ScalingParams& p);

struct SliceResult {
  std::string error;
  int begin = 0, end = 0;      // slice(): the part's rows, sequences or steps [begin, end)
  double checksum = 0;         // sum of the slice's outputs (identical however it is split)
  double operations = 0;       // counted work of this slice, as work_depth counts it
  std::vector<double> state;   // rnn_relay_segment: the hidden state handed to the next worker;
                               // scan_chunk: its summary; scan_sequential, scan_finish: the end state
};
inline void visit_fields(const SliceResult& r, FieldVisitor& v) {
  v.field("checksum", r.checksum);
  v.field("operations", r.operations);
  v.field("state", r.state);
  v.field("begin", r.begin);
  v.field("end", r.end);
}

// Query rows [row_begin, row_end) of the causal attention pass over the n tokens drawn
// from `seed` (every worker draws the same tokens and weights).
SliceResult attention_rows(const ScalingParams& p, int row_begin, int row_end);
// Row boundaries (parts + 1 values, 0..n) that give each part about equal work: causal
// row i costs about i + 1 key reads, so equal row counts would leave the last worker
// with most of it.
std::vector<int> balanced_row_splits(int length, int parts);

// Independent sequences [sequence_begin, sequence_end) of the batch, each n steps from h = 0.
SliceResult rnn_sequences(const ScalingParams& p, int sequence_begin, int sequence_end);

// Steps [t_begin, t_end) of sequence 0, starting from `state` (empty = zeros). The next
// segment must wait for this one's state: a relay, not a split.
SliceResult rnn_relay_segment(const ScalingParams& p, int t_begin, int t_end, const std::vector<double>& state);

// ---- the linear recurrence (parallel_scan.cpp) ----
// Its inputs x_t (D) are drawn in blocks of kScanBlock tokens, block j from its own seed, so
// a worker draws only its own chunk's; its gates are LinearGates::draw(seed, H, D, -3)
// (bz = -3: the decay 1 - z starts near 0.95). The checksum is the sum of every h_t.
constexpr int kScanBlock = 256;
Eigen::MatrixXd scan_inputs(const ScalingParams& p, int t_begin, int t_end);  // (D, t_end - t_begin)
// The sequential pass over all scan_length steps from h = 0 (linear_recurrence, block by block).
SliceResult scan_sequential(const ScalingParams& p);
// Steps [t_begin, t_end) reduced to their summary (LinearChunkSummary): state = [a; b; sum_h0;
// sum_p], 4 H numbers; checksum = sum_h0's sum (the outputs from a zero start).
SliceResult scan_chunk(const ScalingParams& p, int t_begin, int t_end);
// Chunk `part` finished from its true start state: `summaries` holds scan_chunk's states of
// parts 0..part in order ((part + 1) * 4 H numbers); the start state is h = 0 carried through
// parts 0..part-1's aggregates; checksum = the chunk's outputs summed, state = its end state.
SliceResult scan_finish(const ScalingParams& p, int part, const std::vector<double>& summaries);

// Part `part` of `parts` (0 <= part < parts, 1 <= parts <= kMaxSliceParts) of one kind of
// slice, its bounds computed here and returned in `begin` and `end`:
//   "attention": query rows balanced_row_splits(length, parts)[part .. part + 1];
//   "rnn_batch": sequences floor(part * batch / parts) .. floor((part + 1) * batch / parts);
//   "rnn_relay": steps floor(part * length / parts) .. floor((part + 1) * length / parts),
//                starting from `state` (ignored by the other kinds);
//   "scan_sequential": the whole linear recurrence on one worker (parts must be 1);
//   "scan_chunk": steps floor(part * scan_length / parts) .. floor((part + 1) * scan_length / parts)
//                reduced to a summary; "scan_finish": the same steps finished, from `state`
//                = scan_chunk's states of parts 0..part.
// part and parts are taken as the caller gave them (a JS number may be 1.5 or 3e9) and
// checked here; a refused kind, part or parts, or a relay part after the first without the
// previous part's state, gives one sentence naming the argument.
constexpr int kMaxSliceParts = 1024;
// "kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk,
// scan_finish (got ...)", `got` already shown.
std::string unknown_slice_kind(const std::string& got);
SliceResult slice_part(const std::string& kind, const ScalingParams& p, double part, double parts,
                       const std::vector<double>& state);

// The scaling table's descriptor: parameters and slices for the page's workers, no run of
// its own (so it is no CLI command and not in experiments(); parameterSpecs and limits
// know it).
struct ScalingSlices {
  static constexpr const char* name = "scaling";
  static constexpr const char* summary = "slices of one forward pass for parallel workers";
  using Params = ScalingParams;
  static const std::vector<Field<Params>>& fields() { return scaling_fields(); }
  static SliceResult slice(const std::string& kind, const Params& p, double part, double parts,
                           const std::vector<double>& state) {
    return slice_part(kind, p, part, parts, state);
  }
  static std::string unknown_kind(const std::string& got) { return unknown_slice_kind(got); }
};

}  // namespace rnn_lesson
