// The WebAssembly module's JS API: translation between plain JS values and the core, and
// nothing else. Every number is computed by src/core, and every result is written by
// js_writer.h from the core's field tables (core/fields.h): the keys of the CLI's --json,
// plus `error: ''`.
//
//   version()                         -> "0.1.0"
//   parameterSpecs(experiment)        -> [{name, type, min, max, maxCount, defaultValue,
//                                          choices, help, range}, ...] or {error}
//   runTiming(params, progress?)      -> {experiment, params, ...the result's fields (its
//                                          visit_fields in core/experiments/timing.h), error: ''} or {error}
//   runGradient, runRetention, runArchitectures, runMemory, runWorkDepth, runTrain (params, progress?)
//                                     -> likewise (`rnn-lesson <experiment> --json`)
//   parameterSpecs('workdepth' | 'scaling') -> the specs of those parameter tables
//   limits(experiment, params)        -> {error: '', refused: '' or why validate() refuses params,
//                                          limits: {name: [lo, hi] or null (no value helps)}}
//                                          or {error}: each numeric parameter's allowed interval
//                                          with the others as given (core/limits.h); cheap (~ms)
//   attentionRows(params, rowBegin, rowEnd)           -> {error, checksum, operations, state}
//   rnnSequences(params, sequenceBegin, sequenceEnd)  -> likewise
//   rnnRelaySegment(params, tBegin, tEnd, state?)     -> likewise; state (Float64Array) is the
//                                          hidden state to hand to the next segment
//   balancedRowSplits(length, parts)  -> Int32Array of parts + 1 row boundaries, or {error}
//   (slice params: the scaling table: length, hidden_size, input_size, batch, seed)
//
// `params` is a plain object whose values are numbers, arrays of numbers, or text as in a
// URL ("50,100,200", "bptt"); missing keys keep their defaults, and only its own enumerable
// properties count. `progress(fraction)` may return false to cancel. Numeric result arrays
// are JS-owned copies (Float64Array for doubles, Int32Array for integers): nothing returned
// here needs .delete(). Errors come back as {error: "<one line naming the parameter and its
// range>"}, never as a throw, on any input: every read of a caller's value happens inside
// try/catch in js_input.js (throwing getters and Proxy traps included; the experiment's own
// parameter names are read one by one, so a huge object is not walked), argument counts are
// made to match before embind sees them (arity.js: missing ones are undefined, extra ones
// refused), and no emval handle is held after a call returns. The module keeps working:
// parameters are validated (including the core's work caps) before anything runs, and the
// module is built with -fwasm-exceptions so that a std::bad_alloc or other exception is
// caught here and becomes {error} too.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>
#include <vector>

#include "core/experiments/architectures.h"
#include "core/experiments/gradient.h"
#include "core/limits.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/params.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"
#include "core/experiments/train.h"
#include "wasm/js_input.h"
#include "wasm/js_writer.h"

using emscripten::val;

namespace {

using namespace rnn_lesson;

using wasm::type_name;

val error_object(const std::string& message) {
  val o = val::object();
  o.set("error", message);
  return o;
}

// Parse, validate, run, convert; every failure becomes {error}.
template <class Params, class Run>
val run_experiment(const char* name, const std::vector<Field<Params>>& table, const val& params, const val& progress,
                   Run run) {
  try {
    Params p;
    std::string error = wasm::read_params(table, params, p);
    if (error.empty()) error = validate(p);
    wasm::ProgressBridge bridge;
    if (error.empty()) error = bridge.init(progress);
    if (!error.empty()) return error_object(error);
    const auto result = run(p, bridge.progress());
    if (!result.error.empty()) return error_object(bridge.error_for(result.error));
    return wasm::js_object([&](FieldVisitor& v) {
      visit_run(name, table, p, result, v);
      v.field("error", "");
    });
  } catch (const std::bad_alloc&) {
    return error_object("out of memory: try smaller parameters");
  } catch (const std::exception& e) {
    return error_object(std::string("internal error: ") + e.what());
  }
}

val run_timing_js(val params, val progress) {
  return run_experiment("timing", timing_fields(), params, progress,
                        [](const TimingParams& p, const Progress& pr) { return run_timing(p, steady_clock_seconds(), pr); });
}

val run_gradient_js(val params, val progress) {
  return run_experiment("gradient", gradient_fields(), params, progress,
                        [](const GradientParams& p, const Progress& pr) { return run_gradient(p, pr); });
}

val run_retention_js(val params, val progress) {
  return run_experiment("retention", retention_fields(), params, progress,
                        [](const RetentionParams& p, const Progress& pr) { return run_retention(p, pr); });
}

val run_architectures_js(val params, val progress) {
  return run_experiment("architectures", architectures_fields(), params, progress,
                        [](const ArchitecturesParams& p, const Progress& pr) { return run_architectures(p, pr); });
}

val run_memory_js(val params, val progress) {
  return run_experiment("memory", memory_fields(), params, progress,
                        [](const MemoryParams& p, const Progress& pr) { return run_memory(p, pr); });
}

val run_train_js(val params, val progress) {
  return run_experiment("train", train_fields(), params, progress,
                        [](const TrainParams& p, const Progress& pr) { return run_train(p, pr); });
}

val run_work_depth_js(val params, val progress) {
  return run_experiment("workdepth", work_depth_fields(), params, progress,
                        [](const WorkDepthParams& p, const Progress&) { return run_work_depth(p); });
}

// ---- slices of the scaling run (one call per worker and piece) ----------------------------

// An integer argument: "" when it is a whole number within int's range, else why not.
std::string read_int(const val& v, const char* name, int& out) {
  if (v.typeOf().as<std::string>() != "number") return std::string(name) + " must be an integer (got " + type_name(v) + ")";
  const double x = v.as<double>();
  if (!(x >= -2147483648.0 && x <= 2147483647.0) || x != static_cast<double>(static_cast<long long>(x)))
    return std::string(name) + " must be an integer (got " + std::to_string(x) + ")";
  out = static_cast<int>(x);
  return "";
}

val slice_val(const SliceResult& r) {
  if (!r.error.empty()) return error_object(r.error);
  return wasm::js_object([&](FieldVisitor& v) {
    v.field("error", "");
    visit_fields(r, v);
  });
}

// Reads the scaling params and two integer bounds, then runs `slice(p, begin, end)`.
template <class Slice>
val run_slice(const val& params, const val& begin, const val& end, const char* begin_name, const char* end_name,
              Slice slice) {
  try {
    ScalingParams p;
    int b = 0, e = 0;
    std::string error = wasm::read_params(scaling_fields(), params, p);
    if (error.empty()) error = validate(p);
    if (error.empty()) error = read_int(begin, begin_name, b);
    if (error.empty()) error = read_int(end, end_name, e);
    if (!error.empty()) return error_object(error);
    return slice(p, b, e);
  } catch (const std::bad_alloc&) {
    return error_object("out of memory: try smaller parameters");
  } catch (const std::exception& e) {
    return error_object(std::string("internal error: ") + e.what());
  }
}

val attention_rows_js(val params, val row_begin, val row_end) {
  return run_slice(params, row_begin, row_end, "rowBegin", "rowEnd",
                   [](const ScalingParams& p, int b, int e) { return slice_val(attention_rows(p, b, e)); });
}

val rnn_sequences_js(val params, val sequence_begin, val sequence_end) {
  return run_slice(params, sequence_begin, sequence_end, "sequenceBegin", "sequenceEnd",
                   [](const ScalingParams& p, int b, int e) { return slice_val(rnn_sequences(p, b, e)); });
}

val rnn_relay_segment_js(val params, val t_begin, val t_end, val state) {
  std::vector<double> h;
  if (!state.isUndefined() && !state.isNull()) {
    wasm::JsValue v = wasm::read_value(state, 0, true);
    if (v.kind != wasm::JsValue::Numbers)
      return error_object("state must be undefined, a Float64Array or an array of at most " +
                          std::to_string(wasm::kMaxArrayLength) + " numbers (got " +
                          (v.kind == wasm::JsValue::Bad ? v.text : type_name(state)) + ")");
    h = std::move(v.numbers);
  }
  return run_slice(params, t_begin, t_end, "tBegin", "tEnd",
                   [&h](const ScalingParams& p, int b, int e) { return slice_val(rnn_relay_segment(p, b, e, h)); });
}

val balanced_row_splits_js(val length, val parts) {
  int n = 0, k = 0;
  std::string error = read_int(length, "length", n);
  if (error.empty()) error = read_int(parts, "parts", k);
  if (error.empty() && !(n >= 1 && n <= 1000000)) error = "length must be an integer from 1 to 1000000";
  if (error.empty() && !(k >= 1 && k <= 1024)) error = "parts must be an integer from 1 to 1024";
  if (!error.empty()) return error_object(error);
  return wasm::typed_array(balanced_row_splits(n, k));
}

val spec_array(const std::vector<ParamSpec>& specs) {
  return wasm::js_value([&](FieldVisitor& v) { v.field(nullptr, specs); });
}

// The experiment argument as text ("" when it is not a string), cut to 200 characters.
std::string experiment_name(const val& experiment) {
  const wasm::JsValue v = wasm::read_value(experiment, 200);
  return v.kind == wasm::JsValue::Text ? v.text : "";
}

val parameter_specs_js(val experiment) {
  try {
    const std::string name = experiment_name(experiment);
    if (name == "timing") return spec_array(specs_of(timing_fields()));
    if (name == "gradient") return spec_array(specs_of(gradient_fields()));
    if (name == "retention") return spec_array(specs_of(retention_fields()));
    if (name == "architectures") return spec_array(specs_of(architectures_fields()));
    if (name == "memory") return spec_array(specs_of(memory_fields()));
    if (name == "workdepth") return spec_array(specs_of(work_depth_fields()));
    if (name == "train") return spec_array(specs_of(train_fields()));
    if (name == "scaling") return spec_array(specs_of(scaling_fields()));
    return error_object("experiment must be one of timing, gradient, retention, architectures, memory, workdepth, train, scaling (got " +
                        (name.empty() ? type_name(experiment) : "'" + shown_text(name) + "'") + ")");
  } catch (const std::exception& e) {
    return error_object(std::string("internal error: ") + e.what());
  }
}

// The allowed interval of each numeric parameter, the others as given (core/limits.h).
template <class Params>
val limits_of(const std::vector<Field<Params>>& table, const val& params) {
  Params p;
  const std::string error = wasm::read_params(table, params, p);
  if (!error.empty()) return error_object(error);
  val limits = val::object();
  for (const ParamLimit& l : param_limits(table, p, validate)) {
    val range = val::null();
    if (l.any) {
      range = val::array();
      range.set(0, l.lo);
      range.set(1, l.hi);
    }
    limits.set(l.name, range);
  }
  val o = val::object();
  o.set("error", std::string());
  o.set("refused", validate(p));
  o.set("limits", limits);
  return o;
}

val limits_js(val experiment, val params) {
  try {
    const std::string name = experiment_name(experiment);
    if (name == "timing") return limits_of(timing_fields(), params);
    if (name == "gradient") return limits_of(gradient_fields(), params);
    if (name == "retention") return limits_of(retention_fields(), params);
    if (name == "architectures") return limits_of(architectures_fields(), params);
    if (name == "memory") return limits_of(memory_fields(), params);
    if (name == "workdepth") return limits_of(work_depth_fields(), params);
    if (name == "train") return limits_of(train_fields(), params);
    if (name == "scaling") return limits_of(scaling_fields(), params);
    return parameter_specs_js(experiment);  // its error names the experiments
  } catch (const std::exception& e) {
    return error_object(std::string("internal error: ") + e.what());
  }
}

std::string version_js() { return RNN_LESSON_VERSION; }

}  // namespace

// One signature per function: arity.js gives each call exactly these arguments.
EMSCRIPTEN_BINDINGS(rnn_lesson) {
  using emscripten::function;
  function("version", &version_js);
  function("parameterSpecs", &parameter_specs_js);
  function("runTiming", &run_timing_js);
  function("runGradient", &run_gradient_js);
  function("runRetention", &run_retention_js);
  function("runArchitectures", &run_architectures_js);
  function("runMemory", &run_memory_js);
  function("runWorkDepth", &run_work_depth_js);
  function("runTrain", &run_train_js);
  function("attentionRows", &attention_rows_js);
  function("rnnSequences", &rnn_sequences_js);
  function("rnnRelaySegment", &rnn_relay_segment_js);
  function("balancedRowSplits", &balanced_row_splits_js);
  function("limits", &limits_js);
}
