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
//    a batch of independent sequences splits across workers.
#pragma once

#include <string>
#include <vector>

#include "core/fields.h"
#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct WorkDepth {
  double work = 0;   // operations in total
  double depth = 0;  // operations on the longest dependent chain
};

// W and D of a forward pass over n tokens. architecture: "rnn", "lstm", "gru" (hidden H,
// input D) or "attention" (key/value size H, input D). Unknown names give {0, 0}.
WorkDepth work_depth(const std::string& architecture, int n, int hidden_size, int input_size);

// ---- the work/depth experiment (counted, then projected with measured t_op) ----------

struct WorkDepthParams {
  std::vector<int> lengths;     // n
  int hidden_size;              // H (attention: key and value size)
  int input_size;               // D
  std::vector<int> processors;  // P for the projection
  double rnn_ns_per_op;         // measured elsewhere (the page's workers); 0 = measure here now
  double attention_ns_per_op;   // likewise
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
  std::vector<ArchitectureWorkDepth> counts;  // rnn, lstm, gru, attention
  double rnn_ns_per_op = 0;                   // as given, or measured here
  double attention_ns_per_op = 0;
  bool measured_here = false;                 // true when either t_op was measured by this call
  std::vector<int> processors;
  // Projected forward time in ms, [processor index][length index].
  std::vector<std::vector<double>> rnn_projected_ms, attention_projected_ms;
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
  v.field("measured_here", r.measured_here);
  v.field("processors", r.processors);
  v.field("rnn_projected_ms", r.rnn_projected_ms);
  v.field("attention_projected_ms", r.attention_projected_ms);
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
};

const std::vector<Field<ScalingParams>>& scaling_fields();
ScalingParams default_scaling_params();
std::string validate(const ScalingParams& p);

struct SliceResult {
  std::string error;
  int begin = 0, end = 0;      // slice(): the part's rows, sequences or steps [begin, end)
  double checksum = 0;         // sum of the slice's outputs (identical however it is split)
  double operations = 0;       // counted work of this slice, as work_depth counts it
  std::vector<double> state;   // rnn_relay_segment: the hidden state handed to the next worker
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

// Part `part` of `parts` (0 <= part < parts, 1 <= parts <= kMaxSliceParts) of one kind of
// slice, its bounds computed here and returned in `begin` and `end`:
//   "attention": query rows balanced_row_splits(length, parts)[part .. part + 1];
//   "rnn_batch": sequences floor(part * batch / parts) .. floor((part + 1) * batch / parts);
//   "rnn_relay": steps floor(part * length / parts) .. floor((part + 1) * length / parts),
//                starting from `state` (ignored by the other kinds).
// part and parts are taken as the caller gave them (a JS number may be 1.5 or 3e9) and
// checked here; a refused kind, part or parts, or a relay part after the first without the
// previous part's state, gives one sentence naming the argument.
constexpr int kMaxSliceParts = 1024;
// "kind must be one of attention, rnn_batch, rnn_relay (got ...)", `got` already shown.
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
