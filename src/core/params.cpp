// Parsing and checking of untrusted parameter values; see params.h.
#include "core/params.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>

namespace rnn_lesson {
namespace {

std::string number_text_of(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

std::string quoted(const std::string& t) { return "'" + shown_text(t) + "'"; }

std::string joined(const std::vector<std::string>& names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
  return s;
}

// "rnn, lstm,gru" -> {"rnn", "lstm", "gru"}: split at commas, spaces and tabs around each
// name trimmed (as for number lists). An empty name stays empty (and is refused).
std::vector<std::string> split_names(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t comma = text.find(',', start);
    const std::string token = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    const std::size_t a = token.find_first_not_of(" \t"), b = token.find_last_not_of(" \t");
    out.push_back(a == std::string::npos ? "" : token.substr(a, b - a + 1));
    if (comma == std::string::npos) return out;
    start = comma + 1;
  }
}

// The code point of the UTF-8 sequence at text[i] (setting `length`), or -1 when the bytes
// there are not UTF-8 (then `length` is 1). Overlong forms and surrogates count as not UTF-8.
long decode_utf8(const std::string& text, std::size_t i, std::size_t& length) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b = byte(i);
  length = 1;
  if (b < 0x80) return b;
  const std::size_t n = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xc2 && b <= 0xdf ? 2 : 0;
  if (n == 0 || i + n > text.size()) return -1;
  long cp = b & (0x7f >> n);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (byte(i + k) & 0x3f);
  }
  static const long kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kLeast[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  length = n;
  return cp;
}

// Reads "50, 100,200" into `r` (numbers, parts, tiny), stopping at the first element that is
// not a decimal number: returns its index then (its text in `bad`), else -1. A blank text
// (spaces and tabs only) is an empty list.
long read_number_list(const std::string& text, TextReading& r, std::string& bad) {
  if (text.find_first_not_of(" \t") == std::string::npos) return -1;
  std::size_t start = 0;
  for (long index = 0;; ++index) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string token = text.substr(start, comma - start);
    const std::size_t a = token.find_first_not_of(" \t"), b = token.find_last_not_of(" \t");
    token = (a == std::string::npos) ? "" : token.substr(a, b - a + 1);
    // strtod also reads hexadecimal ("0x20"), words ("inf", "nan") and skips leading line
    // breaks; the lesson's numbers are decimal: after a sign, a digit or a point.
    const std::size_t first = token.find_first_not_of("+-");
    const bool decimal = first != std::string::npos && first <= 1 &&
                         std::string("0123456789.").find(token[first]) != std::string::npos &&
                         token.find_first_of("xX") == std::string::npos;
    char* end = nullptr;
    const double v = decimal ? std::strtod(token.c_str(), &end) : 0;
    if (!decimal || end != token.c_str() + token.size()) {
      bad = token;
      return index;
    }
    // A non-zero literal that became 0 ("1e-400"). Decided from the digits, not errno, so
    // glibc and musl (the wasm build) agree.
    const std::string mantissa = token.substr(0, token.find_first_of("eE"));
    if (v == 0 && mantissa.find_first_of("123456789") != std::string::npos) r.tiny.push_back(static_cast<int>(index));
    r.numbers.push_back(v);  // overflow gives +-inf, refused by the range check
    r.parts.push_back(token);
    if (comma == text.size()) return -1;
    start = comma + 1;
  }
}

std::string must_text(const ParamSpec* spec) {
  return spec ? spec->name + " must be " + describe_range(*spec) : "the value must be numbers separated by commas";
}

// read_text(), and the index of the element that is not a number (-1: none).
TextReading read_text_at(const ParamSpec* spec, const std::string& text, std::size_t length, long& bad_at) {
  TextReading r;
  bad_at = -1;
  const std::string must = must_text(spec);
  length = std::max(length, text.size());
  if (length > kMaxParamTextLength) {
    r.refused = must + " (got " + std::to_string(length) + " characters of text)";
    return r;
  }
  if (spec && (spec->type == ParamType::Choice || spec->type == ParamType::ChoiceList)) {
    CheckedValue v;
    r.refused = check_param(*spec, ParamInput::from_text(text), v);
    if (r.refused.empty()) r.names = spec->type == ParamType::Choice ? std::vector<std::string>{v.choice} : v.choice_list;
    return r;
  }
  std::string bad;
  bad_at = read_number_list(text, r, bad);
  const bool is_list = !spec || spec->type == ParamType::IntegerList;
  const std::size_t n = r.numbers.size();
  if (bad_at >= 0) r.refused = must + " (got " + quoted(bad.empty() ? text : bad) + ", not a number)";
  else if (n == 0) r.refused = must + (is_list ? " (got an empty list)" : " (got nothing)");
  else if (!is_list && n != 1) r.refused = must + " (got a list of " + std::to_string(n) + ")";
  else if (spec && is_list && n > static_cast<std::size_t>(spec->max_count))
    r.refused = must + " (got " + std::to_string(n) + " values)";
  return r;
}

}  // namespace

std::string shown_text(const std::string& text, std::size_t max_chars) {
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  std::size_t chars = 0, i = 0;
  for (; i < text.size() && chars < max_chars; ++chars) {
    std::size_t length = 1;
    const long cp = decode_utf8(text, i, length);
    if (cp == '\n') out += "\\n";
    else if (cp == '\t') out += "\\t";
    else if (cp == '\r') out += "\\r";
    else if (cp < 0 || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
      // A stray byte or a control character: its byte value (C1 characters by code point).
      const unsigned v = cp < 0 ? static_cast<unsigned char>(text[i]) : static_cast<unsigned>(cp);
      out += std::string("\\x") + kHex[v >> 4] + kHex[v & 15];
    } else if (cp == 0x2028 || cp == 0x2029) {
      out += cp == 0x2028 ? "\\u2028" : "\\u2029";
    } else {
      out.append(text, i, length);
    }
    i += length;
  }
  return i < text.size() ? out + "..." : out;
}

std::string shown_number(double x) { return number_text_of(x); }

std::string unknown_parameter(const std::string& name, const std::vector<std::string>& known) {
  std::string list;
  for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
  return "unknown parameter '" + shown_text(name) + "' (known: " + list + ")";
}

std::string describe_range(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::Integer:
      return "an integer from " + number_text_of(spec.min) + " to " + number_text_of(spec.max);
    case ParamType::Real:
      return "a number from " + number_text_of(spec.min) + " to " + number_text_of(spec.max);
    case ParamType::IntegerList:
      return "a list of 1 to " + std::to_string(spec.max_count) + " integers, each from " +
             number_text_of(spec.min) + " to " + number_text_of(spec.max);
    case ParamType::Choice:
      return "one of " + joined(spec.choices);
    case ParamType::ChoiceList:
      return "a list of 1 to " + std::to_string(spec.max_count) + " different names from " + joined(spec.choices);
  }
  return "";
}

bool shows_slider(const ParamSpec& spec) {
  if (spec.slider == Slider::Off) return false;
  if (spec.type == ParamType::Integer) return spec.max - spec.min <= 2100;
  if (spec.type == ParamType::Real) return spec.max - spec.min <= 10;
  return false;
}

void visit_fields(const ParamSpec& spec, FieldVisitor& v) {
  const ParamType t = spec.type;
  v.field("name", spec.name);
  v.field("type", t == ParamType::Integer ? "integer" : t == ParamType::Real ? "real"
                  : t == ParamType::IntegerList ? "integer_list" : t == ParamType::Choice ? "choice" : "choice_list");
  v.field("min", spec.min);
  v.field("max", spec.max);
  v.field("maxCount", spec.max_count);
  v.field("defaultValue", spec.default_value);
  v.field("choices", spec.choices);
  v.field("help", spec.help);
  v.field("range", describe_range(spec));
  v.field("label", spec.label);
  v.field("advanced", spec.tier == Tier::Advanced);
  v.field("slider", shows_slider(spec));
  std::vector<std::string> labels = spec.choices;
  for (std::size_t i = 0; i < labels.size() && i < spec.choice_labels.size(); ++i) labels[i] = spec.choice_labels[i];
  v.field("choiceLabels", labels);
}

void visit_fields(const TextReading& r, FieldVisitor& v) {
  v.field("refused", r.refused);
  v.field("numbers", r.numbers);
  v.field("tiny", r.tiny);
  v.field("parts", r.parts);
  v.field("names", r.names);
}

TextReading read_text(const ParamSpec* spec, const std::string& text, std::size_t length) {
  long bad_at = -1;
  return read_text_at(spec, text, length, bad_at);
}

std::string read_setting(const std::vector<ParamSpec>& specs, const std::string& parameter,
                         const std::string& text, std::size_t length, TextReading& out) {
  const ParamSpec* spec = nullptr;
  for (const ParamSpec& s : specs) if (s.name == parameter) spec = &s;
  if (!spec && !(specs.empty() && parameter.empty())) {
    std::vector<std::string> known;
    for (const ParamSpec& s : specs) known.push_back(s.name);
    return unknown_parameter(parameter, known);
  }
  out = read_text(spec, text, length);
  return "";
}

std::string check_param(const ParamSpec& spec, const ParamInput& input, CheckedValue& out) {
  const std::string must = spec.name + " must be " + describe_range(spec);
  if (input.is_text && input.text.size() > kMaxParamTextLength)
    return must + " (got " + std::to_string(input.text.size()) + " characters of text)";

  if (spec.type == ParamType::Choice) {
    if (!input.is_text) return must + " (got a number)";
    for (const auto& c : spec.choices)
      if (c == input.text) {
        out.choice = c;
        return "";
      }
    return must + " (got " + quoted(input.text) + ")";
  }
  if (spec.type == ParamType::ChoiceList) {
    if (!input.is_text) return must + " (got a number)";
    std::vector<std::string> names = split_names(input.text);
    if (names.size() > static_cast<std::size_t>(spec.max_count))
      return must + " (got " + std::to_string(names.size()) + " names)";
    for (std::size_t i = 0; i < names.size(); ++i) {
      bool known = false;
      for (const auto& c : spec.choices) known = known || c == names[i];
      if (!known) return must + " (got " + quoted(names[i]) + ")";
      for (std::size_t j = 0; j < i; ++j)
        if (names[j] == names[i]) return must + " (got " + quoted(names[i]) + " twice)";
    }
    out.choice_list = std::move(names);
    return "";
  }

  std::vector<double> numbers;
  if (input.is_text) {
    // The reading's first problem in the text's order: an element too small to represent,
    // or one that is not a number; then the count.
    long bad_at = -1;
    TextReading r = read_text_at(&spec, input.text, 0, bad_at);
    if (!r.tiny.empty() && (bad_at < 0 || r.tiny[0] < bad_at))
      return must + " (got " + quoted(r.parts[r.tiny[0]]) + ", too small to represent: it would become 0)";
    if (!r.refused.empty()) return r.refused;
    numbers = std::move(r.numbers);
  } else {
    numbers = input.numbers;
    const bool is_list = spec.type == ParamType::IntegerList;
    if (numbers.empty()) return must + (is_list ? " (got an empty list)" : " (got nothing)");
    if (!is_list && numbers.size() != 1) return must + " (got a list of " + std::to_string(numbers.size()) + ")";
    if (is_list && numbers.size() > static_cast<std::size_t>(spec.max_count))
      return must + " (got " + std::to_string(numbers.size()) + " values)";
  }

  const bool integral = spec.type != ParamType::Real;
  for (double x : numbers) {
    if (!std::isfinite(x) || x < spec.min || x > spec.max || (integral && x != std::floor(x)))
      return must + " (got " + number_text_of(x) + ")";
  }
  out.numbers = std::move(numbers);
  return "";
}

}  // namespace rnn_lesson
