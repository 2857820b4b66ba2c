// Untrusted JS values read through js_input.js; see js_input.h. The JS functions return
// inert records (arrays built there), so reading them here cannot run a caller's code.
#include "wasm/js_input.h"

#include <emscripten.h>
#include <emscripten/val.h>

#include <utility>

using emscripten::val;

extern "C" {
emscripten::EM_VAL rnn_js_type_name(emscripten::EM_VAL v);
emscripten::EM_VAL rnn_js_read_value(emscripten::EM_VAL v, unsigned max_array, unsigned max_text, bool typed_ok);
emscripten::EM_VAL rnn_js_read_own(emscripten::EM_VAL object, const char* name, unsigned max_array, unsigned max_text);
emscripten::EM_VAL rnn_js_check_keys(emscripten::EM_VAL object, emscripten::EM_VAL known, unsigned max_keys);
}

// Calls progress(fraction) inside a JS try/catch, so a throwing callback cannot unwind
// through C++ frames: 1 = go on, 0 = cancel (the callback returned false), -1 = it threw.
// clang-format off
EM_JS(int, call_progress_js, (emscripten::EM_VAL callback, double fraction), {
  try {
    return Emval.toValue(callback)(fraction) === false ? 0 : 1;
  } catch (e) {
    return -1;
  }
});
// clang-format on

namespace rnn_lesson::wasm {
namespace {

JsValue from_record(const val& record) {
  JsValue out;
  const std::string kind = record[0].as<std::string>();
  if (kind == "absent") {
    out.kind = JsValue::Absent;
  } else if (kind == "number") {
    out.kind = JsValue::Number;
    out.number = record[1].as<double>();
  } else if (kind == "text") {
    out.kind = JsValue::Text;
    out.text = record[1].as<std::string>();
    out.length = record[2].as<unsigned>();
  } else if (kind == "numbers") {
    out.kind = JsValue::Numbers;
    out.numbers = emscripten::convertJSArrayToNumberVector<double>(record[1]);
  } else if (kind == "bad") {
    out.kind = JsValue::Bad;
    out.text = record[1].as<std::string>();
  } else {
    out.kind = JsValue::Threw;
  }
  return out;
}

}  // namespace

std::string type_name(const val& v) { return val::take_ownership(rnn_js_type_name(v.as_handle())).as<std::string>(); }

JsValue read_value(const val& v, unsigned max_text, bool typed_arrays) {
  return from_record(val::take_ownership(rnn_js_read_value(v.as_handle(), kMaxArrayLength, max_text, typed_arrays)));
}

std::string read_number(const val& v, const char* name, double& out) {
  if (v.typeOf().as<std::string>() != "number") return std::string(name) + " must be an integer (got " + type_name(v) + ")";
  out = v.as<double>();
  return "";
}

std::string read_optional_numbers(const val& v, const char* name, std::vector<double>& out) {
  out.clear();
  if (v.isUndefined() || v.isNull()) return "";
  JsValue in = read_value(v, 0, true);
  if (in.kind != JsValue::Numbers)
    return std::string(name) + " must be undefined, a Float64Array or an array of at most " +
           std::to_string(kMaxArrayLength) + " numbers (got " + (in.kind == JsValue::Bad ? in.text : type_name(v)) + ")";
  out = std::move(in.numbers);
  return "";
}

std::string read_param(const val& params, const ParamSpec& spec, ParamInput& out, bool& present) {
  // One character more than the core accepts, so an over-long text is still refused by
  // check_param with its length in the message.
  JsValue v = from_record(val::take_ownership(
      rnn_js_read_own(params.as_handle(), spec.name.c_str(), kMaxArrayLength, kMaxParamTextLength + 1)));
  present = v.kind != JsValue::Absent;
  const std::string must = spec.name + " must be " + describe_range(spec);
  switch (v.kind) {
    case JsValue::Absent: return "";
    case JsValue::Threw: return must + " (got a value that threw an exception when read)";
    case JsValue::Bad: return must + " (got " + v.text + ")";
    case JsValue::Number: out = ParamInput::from_numbers({v.number}); return "";
    case JsValue::Numbers: out = ParamInput::from_numbers(std::move(v.numbers)); return "";
    case JsValue::Text:
      if (v.length > kMaxParamTextLength) return must + " (got " + std::to_string(v.length) + " characters of text)";
      out = ParamInput::from_text(std::move(v.text));
      return "";
  }
  return "";
}

std::string check_keys(const val& params, const std::vector<std::string>& known) {
  val names = val::array();
  for (std::size_t i = 0; i < known.size(); ++i) names.set(i, known[i]);
  const val record = val::take_ownership(rnn_js_check_keys(params.as_handle(), names.as_handle(), kMaxKeys));
  const std::string kind = record[0].as<std::string>();
  if (kind == "threw") return "params could not be read: listing its keys threw an exception";
  if (kind == "too-many")
    return "params must have at most " + std::to_string(kMaxKeys) + " keys (got " +
           std::to_string(record[1].as<unsigned>()) + ")";
  if (kind == "unknown") return unknown_parameter(record[1].as<std::string>(), known);
  return "";
}

std::string ProgressBridge::init(const val& progress) {
  if (progress.isUndefined() || progress.isNull()) return "";
  if (progress.typeOf().as<std::string>() != "function")
    return "progress must be a function(fraction) returning false to cancel (got " + type_name(progress) + ")";
  callback = progress;
  return "";
}

Progress ProgressBridge::progress() {
  if (callback.isUndefined()) return nullptr;
  return [this](double fraction) {
    const int r = call_progress_js(callback.as_handle(), fraction);
    if (r < 0) threw = true;
    return r > 0;
  };
}

std::string ProgressBridge::error_for(const std::string& core_error) const {
  return threw ? "the progress callback threw an exception; the run was stopped" : core_error;
}

}  // namespace rnn_lesson::wasm
