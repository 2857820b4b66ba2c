// Parameter tables: one row per parameter, shared by the CLI, the WebAssembly bindings and
// the page.
//
// Each experiment describes its parameters once, as a table of `Field`s that pairs a
// `ParamSpec` (name, type, range, default, help) with the member of the experiment's plain
// parameter struct it fills. Everything else is derived from that table: the defaults, the
// parsing of untrusted input (CLI flags, JS objects, URL text), the validation messages
// that name the parameter and its range, and the `--help` listings. Adding a parameter is
// one row.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "core/fields.h"

namespace rnn_lesson {

// ChoiceList: a comma-separated list of distinct choices, 1 to max_count of them
// ("rnn,lstm,attention"), kept in the order given.
enum class ParamType { Integer, Real, IntegerList, Choice, ChoiceList };

// Where the page puts a parameter's control: with the experiment's main settings, or under
// "More settings".
enum class Tier { Basic, Advanced };

// Whether the page may put a slider beside the control's number field. Auto: where
// shows_slider() finds the range narrow enough; Off: a number field only (values spread over
// decades, seeds).
enum class Slider { Auto, Off };

// A table row spells these in order: {name, type, min, max, max_count, default, choices, help,
// label[, tier[, slider[, choice_labels]]]}; the page's flags name themselves
// ("Random seed", Tier::Advanced, Slider::Off).
struct ParamSpec {
  std::string name;            // CLI flag (--name) and JS key
  ParamType type = ParamType::Integer;
  double min = 0, max = 0;     // inclusive; for a list, the range of every element
  int max_count = 1;           // lists only: the most elements accepted
  std::string default_value;   // as text: "32", "0.9", "50,100,200", "bptt", "rnn,lstm"
  std::vector<std::string> choices;  // Choice and ChoiceList only
  std::string help;            // one line, in the lesson's words
  // The page's control (not part of the CLI's --help nor of a run's output):
  std::string label = "";      // the control's label ("Hidden size H")
  Tier tier = Tier::Basic;
  Slider slider = Slider::Auto;
  std::vector<std::string> choice_labels = {};  // Choice and ChoiceList, parallel to `choices`; empty = the choices
};

// "an integer from 1 to 512", "a list of 1 to 32 integers, each from 1 to 20000",
// "a list of 1 to 5 different names from rnn, lstm, gru", ...
std::string describe_range(const ParamSpec& spec);

// Whether the page's control for this spec has a slider beside its number field: the table
// allows one (Slider::Auto), the parameter is one number, and its range is narrow enough for a
// slider's even steps to reach each useful value (an integer span of at most 2100, a real
// span of at most 10). The specs' `slider` key (visit_fields) is this.
bool shows_slider(const ParamSpec& spec);

// A spec as the page reads it (core/fields.h): {name, type ("integer", "real",
// "integer_list", "choice" or "choice_list"), min, max, maxCount, defaultValue, choices, help, range,
// label, advanced (the tier is Tier::Advanced), slider (shows_slider), choiceLabels}
// (choiceLabels: one per choice, the choice itself where the table gives none).
void visit_fields(const ParamSpec& spec, FieldVisitor& v);

// Untrusted text (a name or value) as it may appear inside a one-line error message: line
// breaks and other control characters (C0, DEL, C1, U+2028, U+2029) and bytes that are not
// UTF-8 are escaped ("\n", "\t", "\r", "\x1b", "\u2028"), and text longer than
// `max_chars` characters is cut and ends in "...". The CLI and the wasm bindings echo names
// and values only through this, so a message is one line whatever the input.
std::string shown_text(const std::string& text, std::size_t max_chars = 40);

// One untrusted value: either numbers (a JS number or array) or text (a CLI argument, a
// URL value, a JS string). Numeric parameters given as text are read by read_text() below:
// "50,100, 200", decimal numbers separated by commas, with spaces and tabs around them
// ignored; any other whitespace (a line break, before or after) is refused, and so is a
// non-zero literal so small that it would become 0 ("1e-400").
struct ParamInput {
  std::vector<double> numbers;
  std::string text;
  bool is_text = false;

  static ParamInput from_text(std::string t) { ParamInput p; p.text = std::move(t); p.is_text = true; return p; }
  static ParamInput from_numbers(std::vector<double> n) { ParamInput p; p.numbers = std::move(n); return p; }
};
using ParamInputs = std::map<std::string, ParamInput>;

// Text inputs longer than this are refused before parsing, whatever the parameter.
constexpr std::size_t kMaxParamTextLength = 4096;

// What a setting's text reads as, before its range is judged: the one reader of numbers
// written as text. check_param() judges what it reads; the page asks it through the module
// (readText) for its address and its typed fields, then applies its own policy (a number
// out of range in the address is clamped with a message, so it needs the raw number).
// Numbers: decimal only ("1", "-.5", "2e3"; not "inf", "nan", "0x10"); overflow reads as
// +-inf. A non-zero literal too small for a double ("1e-400") reads as a signed 0 and is
// listed in `tiny` (check_param refuses it; the page may treat it as below a positive minimum).
struct TextReading {
  std::string refused;             // "" or why the text is not this setting's kind of value:
                                   // not numbers, too many or too few, a name not allowed
  std::vector<double> numbers;     // numeric settings: each element as read
  std::vector<int> tiny;           // indices of elements written non-zero that read as 0
  std::vector<std::string> parts;  // numeric settings: each element's text, spaces and tabs trimmed
  std::vector<std::string> names;  // Choice and ChoiceList: the names, as check_param accepts them
};
// {refused, numbers, tiny, parts, names}
void visit_fields(const TextReading& r, FieldVisitor& v);

// Reads `text` as a value of `spec`; with no spec (nullptr), as a list of numbers of any
// length (a setting of the page's own, which has no row in the core). `length`: the text's
// full length in characters when `text` was cut (over kMaxParamTextLength it is refused).
TextReading read_text(const ParamSpec* spec, const std::string& text, std::size_t length = 0);

// One setting of a table by name (`specs` empty and `parameter` "": no spec, as above).
// Returns "" and fills `out`, or unknown_parameter() naming the table's parameters.
std::string read_setting(const std::vector<ParamSpec>& specs, const std::string& parameter,
                         const std::string& text, std::size_t length, TextReading& out);

// Checks one input against its spec. On success fills `out` (numbers for numeric types,
// `choice` for Choice, `choice_list` for ChoiceList) and returns ""; otherwise returns one
// line naming the parameter and its allowed range.
struct CheckedValue {
  std::vector<double> numbers;
  std::string choice;
  std::vector<std::string> choice_list;
};
std::string check_param(const ParamSpec& spec, const ParamInput& input, CheckedValue& out);

// A number as refusals show it: up to 12 significant digits ("1.5", "3000000000"), "NaN",
// "Infinity".
std::string shown_number(double x);

// "unknown parameter 'x' (known: a, b, c)", with the name shown by shown_text().
std::string unknown_parameter(const std::string& name, const std::vector<std::string>& known);

// A table row: a spec and the struct member it fills.
template <class Params>
struct Field {
  ParamSpec spec;
  std::variant<int Params::*, double Params::*, std::vector<int> Params::*, std::string Params::*,
               std::vector<std::string> Params::*>
      member;
};

// GCC 12 warns (-Warray-bounds) about the list branch of these visitors for parameter
// structs that have no list member: a branch that can never run for them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Warray-bounds"
#endif

namespace detail {
template <class Params>
void assign(const Field<Params>& f, const CheckedValue& v, Params& p) {
  std::visit([&](auto m) {
    using T = std::decay_t<decltype(p.*m)>;
    if constexpr (std::is_same_v<T, int>) p.*m = static_cast<int>(v.numbers.at(0));
    else if constexpr (std::is_same_v<T, double>) p.*m = v.numbers.at(0);
    else if constexpr (std::is_same_v<T, std::vector<int>>) {
      (p.*m).clear();
      for (double x : v.numbers) (p.*m).push_back(static_cast<int>(x));
    } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      p.*m = v.choice_list;
    } else p.*m = v.choice;
  }, f.member);
}

template <class Params>
ParamInput read(const Field<Params>& f, const Params& p) {
  return std::visit([&](auto m) {
    using T = std::decay_t<decltype(p.*m)>;
    if constexpr (std::is_same_v<T, int> || std::is_same_v<T, double>)
      return ParamInput::from_numbers({static_cast<double>(p.*m)});
    else if constexpr (std::is_same_v<T, std::vector<int>>)
      return ParamInput::from_numbers(std::vector<double>((p.*m).begin(), (p.*m).end()));
    else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
      std::string joined;  // as typed in a URL or on the command line
      for (const std::string& c : p.*m) joined += (joined.empty() ? "" : ",") + c;
      return ParamInput::from_text(joined);
    } else return ParamInput::from_text(p.*m);
  }, f.member);
}
}  // namespace detail

// The struct with every parameter at its table default.
template <class Params>
Params defaults_from(const std::vector<Field<Params>>& table) {
  Params p{};
  for (const auto& f : table) {
    CheckedValue v;
    check_param(f.spec, ParamInput::from_text(f.spec.default_value), v);
    detail::assign(f, v, p);
  }
  return p;
}

// Fills `out` from untrusted inputs: missing names keep their defaults, unknown names and
// invalid values are refused. Returns "" or one line naming the offending parameter.
template <class Params>
std::string parse_params(const std::vector<Field<Params>>& table, const ParamInputs& inputs, Params& out) {
  out = defaults_from(table);
  for (const auto& [name, value] : inputs) {
    const Field<Params>* field = nullptr;
    for (const auto& f : table)
      if (f.spec.name == name) field = &f;
    if (!field) {
      std::vector<std::string> known;
      for (const auto& f : table) known.push_back(f.spec.name);
      return unknown_parameter(name, known);
    }
    CheckedValue v;
    std::string error = check_param(field->spec, value, v);
    if (!error.empty()) return error;
    detail::assign(*field, v, out);
  }
  return "";
}

// Checks every member of an already-built struct against the table (for C++ callers that
// fill the struct directly). Returns "" or one line naming the parameter.
template <class Params>
std::string check_fields(const std::vector<Field<Params>>& table, const Params& p) {
  for (const auto& f : table) {
    CheckedValue v;
    std::string error = check_param(f.spec, detail::read(f, p), v);
    if (!error.empty()) return error;
  }
  return "";
}

// An experiment's parameters as its table has them: numbers, lists as arrays of numbers
// (plain, not typed: they echo what the caller gave), choices as text, a choice list as
// its comma-separated text ("rnn,lstm", as in the URL).
template <class Params>
void visit_params(const std::vector<Field<Params>>& table, const Params& p, FieldVisitor& v) {
  for (const auto& f : table) {
    const ParamInput in = detail::read(f, p);
    const char* key = f.spec.name.c_str();
    if (in.is_text) {
      v.text(key, in.text);
    } else if (f.spec.type == ParamType::IntegerList) {
      v.begin_array(key);
      for (double x : in.numbers) v.number(nullptr, x);
      v.end_array();
    } else {
      v.number(key, in.numbers.at(0));
    }
  }
}

#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

template <class Params>
std::vector<ParamSpec> specs_of(const std::vector<Field<Params>>& table) {
  std::vector<ParamSpec> specs;
  for (const auto& f : table) specs.push_back(f.spec);
  return specs;
}

// One run's output, the same in every format: {experiment, params, ...the result's fields}.
// A writer opens and closes the enclosing object (the page's adds `error` before closing).
template <class Params, class Result>
void visit_run(const std::string& experiment, const std::vector<Field<Params>>& table, const Params& p,
               const Result& r, FieldVisitor& v) {
  v.field("experiment", experiment);
  v.begin_object("params");
  visit_params(table, p, v);
  v.end_object();
  visit_fields(r, v);
}

}  // namespace rnn_lesson
