// The WebAssembly module's JS API: translation between plain JS values and the core, and
// nothing else. It walks the core's list of experiments (core/experiments/registry.h), names
// none, computes nothing, and writes every result with js_writer.h from the core's field
// tables (core/fields.h): the keys of the CLI's --json, plus `error: ''`.
//
//   version()                    -> "0.1.0"
//   experiments()                -> [{name, summary}, ...]: every experiment, in the list's order
//   parameterSpecs(name)         -> [{name, type, min, max, maxCount, defaultValue, choices, help,
//                                   range, label, advanced, slider, choiceLabels}, ...] or {error};
//                                   name: an experiment or a parameter table ('scaling')
//   runExperiment(name, params, progress?) -> {experiment, params, ...the result's fields, error: ''}
//                                   (`rnn-lesson <name> --json`) or {error}
//   limits(name, params)         -> {error: '', refused: '' or why validate() refuses params,
//                                   limits: {name: [lo, hi] or null (no value helps)}} or {error}:
//                                   each numeric parameter's interval, the others as given (~ms)
//   readText(name, parameter, text) -> {error: '', refused, numbers, tiny, parts, names} or {error}:
//                                   `text` as the core reads it for that parameter, no range
//                                   judged (read_text, core/params.h); name '': numbers, no table
//   slice(kind, params, part, parts, state?)
//                                -> {error, checksum, operations, state, begin, end}: part
//                                   `part` of `parts` of the 'scaling' run, bounds from the core
//                                   (slice_part(), core/experiments/parallel.h); kind 'attention',
//                                   'rnn_batch', 'rnn_relay' (from `state`, a Float64Array),
//                                   'scan_sequential', 'scan_chunk' or 'scan_finish' (from `state`)
//
// `params`: a plain object of numbers, arrays of numbers, or text as in a URL ("50,100,200",
// "bptt"); missing keys keep their defaults; only own enumerable properties count.
// `progress(fraction)` may return false to cancel. Numeric arrays come back as JS-owned
// copies (Float64Array, Int32Array): nothing needs .delete(). Errors are {error: "<one line
// naming the parameter and its range>"}, never a throw, on any input: every read of a
// caller's value is inside try/catch in js_input.js (throwing getters and Proxy traps too;
// known names are read one by one, so a huge object is not walked), arity.js makes argument
// counts match before embind sees them, no emval handle outlives a call, parameters are
// validated (work caps included) before anything runs, and with -fwasm-exceptions a
// std::bad_alloc or other exception becomes {error} too.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <exception>
#include <new>
#include <string>
#include <vector>

#include "core/experiments/registry.h"
#include "core/limits.h"
#include "wasm/js_input.h"
#include "wasm/js_writer.h"

using emscripten::val;

namespace {

using namespace rnn_lesson;
using wasm::type_name;

val error_object(const std::string& message) { return wasm::js_object([&](FieldVisitor& v) { v.field("error", message); }); }

// Calls `body`; a thrown exception becomes {error}.
template <class Body>
val guarded(Body body) {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return error_object("out of memory: try smaller parameters");
  } catch (const std::exception& e) {
    return error_object(std::string("internal error: ") + e.what());
  }
}

// The name argument as text ("" when it is not a string), cut to 200 characters.
std::string name_of(const val& name) {
  const wasm::JsValue v = wasm::read_value(name, 200);
  return v.kind == wasm::JsValue::Text ? v.text : "";
}

// {error} naming the known names (all descriptors, or only the experiments).
val unknown(const val& name, bool runnable_only) {
  const std::string text = name_of(name);
  return error_object(unknown_experiment(text.empty() ? type_name(name) : "'" + shown_text(text) + "'", runnable_only));
}

val experiments_js() {
  return guarded([] {
    val list = val::array();
    for_each_experiment([&](auto e) {
      val o = val::object();
      o.set("name", std::string(e.name));
      o.set("summary", std::string(e.summary));
      list.call<void>("push", o);
    });
    return list;
  });
}

// Parse, validate, run, convert; every failure becomes {error}.
template <class E>
val run_one(E, const val& params, const val& progress) {
  typename E::Params p;
  std::string error = wasm::read_params(E::fields(), params, p);
  if (error.empty()) error = validate(p);
  wasm::ProgressBridge bridge;
  if (error.empty()) error = bridge.init(progress);
  if (!error.empty()) return error_object(error);
  const auto result = E::run(p, bridge.progress());
  if (!result.error.empty()) return error_object(bridge.error_for(result.error));
  return wasm::js_object([&](FieldVisitor& v) {
    visit_run(E::name, E::fields(), p, result, v);
    v.field("error", "");
  });
}

val run_js(val name, val params, val progress) {
  return guarded([&] {
    val out = val::undefined();
    return visit_experiment(name_of(name), [&](auto e) { out = run_one(e, params, progress); }) ? out : unknown(name, true);
  });
}

val parameter_specs_js(val name) {
  return guarded([&] {
    val out = val::undefined();
    const auto write = [&](auto e) { out = wasm::js_value([&](FieldVisitor& v) { v.field(nullptr, specs_of(e.fields())); }); };
    return visit_descriptor(name_of(name), write) ? out : unknown(name, false);
  });
}

// The allowed interval of each numeric parameter, the others as given (core/limits.h).
template <class E>
val limits_of(E, const val& params) {
  typename E::Params p;
  const std::string error = wasm::read_params(E::fields(), params, p);
  if (!error.empty()) return error_object(error);
  return wasm::js_object([&](FieldVisitor& v) {
    v.field("error", "");
    v.field("refused", validate(p));
    v.begin_object("limits");
    for (const ParamLimit& l : param_limits(E::fields(), p, validate)) {
      if (!l.any) v.null_value(l.name.c_str());
      else v.begin_array(l.name.c_str()), v.number(nullptr, l.lo), v.number(nullptr, l.hi), v.end_array();
    }
    v.end_object();
  });
}

val limits_js(val name, val params) {
  return guarded([&] {
    val out = val::undefined();
    return visit_descriptor(name_of(name), [&](auto e) { out = limits_of(e, params); }) ? out : unknown(name, false);
  });
}

val read_text_js(val name, val parameter, val text) {
  return guarded([&] {
    std::vector<ParamSpec> specs;  // none for name '': a setting of the page's own
    const bool page = wasm::read_value(name, 1).kind == wasm::JsValue::Text && name_of(name).empty();
    if (!page && !visit_descriptor(name_of(name), [&](auto e) { specs = specs_of(e.fields()); })) return unknown(name, false);
    const wasm::JsValue t = wasm::read_value(text, kMaxParamTextLength + 1);
    if (t.kind != wasm::JsValue::Text) return error_object("text must be a string (got " + type_name(text) + ")");
    TextReading r;
    const std::string error = read_setting(specs, name_of(parameter), t.text, t.length, r);
    return error.empty() ? wasm::js_object([&](FieldVisitor& v) { v.field("error", ""); visit_fields(r, v); }) : error_object(error);
  });
}

val slice_js(val kind, val params, val part, val parts, val state) {
  return guarded([&] {
    const wasm::JsValue k = wasm::read_value(kind, 200);
    if (k.kind != wasm::JsValue::Text) return error_object(Slices::unknown_kind(type_name(kind)));
    Slices::Params p;
    double i = 0, n = 0;
    std::vector<double> h;
    std::string error = wasm::read_params(Slices::fields(), params, p);
    if (error.empty()) error = wasm::read_number(part, "part", i);
    if (error.empty()) error = wasm::read_number(parts, "parts", n);
    if (error.empty()) error = wasm::read_optional_numbers(state, "state", h);
    if (!error.empty()) return error_object(error);
    const SliceResult r = Slices::slice(k.text, p, i, n, h);
    if (!r.error.empty()) return error_object(r.error);
    return wasm::js_object([&](FieldVisitor& v) {
      v.field("error", "");
      visit_fields(r, v);
    });
  });
}

std::string version_js() { return RNN_LESSON_VERSION; }

}  // namespace

// One signature per function: arity.js gives each call exactly these arguments.
EMSCRIPTEN_BINDINGS(rnn_lesson) {
  using emscripten::function;
  function("version", &version_js);
  function("experiments", &experiments_js);
  function("parameterSpecs", &parameter_specs_js);
  function("runExperiment", &run_js);
  function("limits", &limits_js);
  function("readText", &read_text_js);
  function("slice", &slice_js);
}
