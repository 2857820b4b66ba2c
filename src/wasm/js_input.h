// Untrusted JS values read for the bindings without any JS exception crossing C++ frames
// (the JS half is js_input.js). read_params() reads a params object the way every export
// does: the experiment's own parameter names one by one (so a huge object or Proxy is never
// walked, and a value is checked before the object's keys are listed), then the key count,
// then unknown keys. Each refusal is one sentence naming the parameter and what is allowed.
// The caller's progress callback is called the same way (ProgressBridge).
#pragma once

#include <emscripten/val.h>

#include <string>
#include <vector>

#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson::wasm {

constexpr unsigned kMaxArrayLength = 10000;  // elements in one array value
constexpr unsigned kMaxKeys = 100;           // keys in one params object

// "a number", "null", "an array", "an object", "a revoked Proxy", ... (never throws).
std::string type_name(const emscripten::val& v);

// One value as read: a number, text (cut to `max_text` characters, `length` the full length),
// numbers from an array (or a typed array where allowed), or why it is none of those.
struct JsValue {
  enum Kind { Absent, Threw, Number, Text, Numbers, Bad } kind = Absent;
  double number = 0;
  std::string text;       // Text: the (cut) string; Bad: e.g. "a string at index 1"
  unsigned length = 0;    // Text: the full length in UTF-16 units
  std::vector<double> numbers;
};
JsValue read_value(const emscripten::val& v, unsigned max_text, bool typed_arrays = false);

// A numeric argument: "" when `v` is a number (any: the core judges its value), else why not.
std::string read_number(const emscripten::val& v, const char* name, double& out);

// An optional numeric array argument: "" when `v` is undefined or null (out empty), a
// Float64Array or an array of at most kMaxArrayLength numbers; else why not.
std::string read_optional_numbers(const emscripten::val& v, const char* name, std::vector<double>& out);

// A parameter's value as ParamInput, or "" with `present` false, or the refusal.
std::string read_param(const emscripten::val& params, const ParamSpec& spec, ParamInput& out, bool& present);

// "" when params has at most kMaxKeys own keys and each enumerable string key is one of
// `known`; otherwise why not (an unknown key in the core's words, see unknown_parameter()).
std::string check_keys(const emscripten::val& params, const std::vector<std::string>& known);

// Fills `out` from a JS params object (undefined and null mean all defaults): parse_params'
// checks included, validate() not. Returns "" or the refusal.
template <class Params>
std::string read_params(const std::vector<Field<Params>>& table, const emscripten::val& params, Params& out) {
  ParamInputs inputs;
  if (!params.isUndefined() && !params.isNull()) {
    const std::string type = type_name(params);
    if (type != "an object") return "params must be an object of parameter values (got " + type + ")";
    std::vector<std::string> known;
    for (const auto& f : table) {
      known.push_back(f.spec.name);
      bool present = false;
      ParamInput in;
      const std::string error = read_param(params, f.spec, in, present);
      if (!error.empty()) return error;
      if (present) inputs[f.spec.name] = std::move(in);
    }
    // The values first: a refused value needs no listing of the object's keys.
    const std::string error = parse_params(table, inputs, out);
    if (!error.empty()) return error;
    return check_keys(params, known);
  }
  return parse_params(table, inputs, out);
}

// An optional progress(fraction) callback as the core's Progress: returning false cancels
// the run; throwing stops it, and `threw` records that.
struct ProgressBridge {
  emscripten::val callback = emscripten::val::undefined();
  bool threw = false;

  // "" or why `progress` is refused (it is neither undefined, null nor a function).
  std::string init(const emscripten::val& progress);
  Progress progress();  // nullptr when there is no callback
  // The run's error as the caller should read it: a throwing callback named as the cause.
  std::string error_for(const std::string& core_error) const;
};

}  // namespace rnn_lesson::wasm
