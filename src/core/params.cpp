// Parsing and checking of untrusted parameter values; see params.h.
#include "core/params.h"

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

enum class ListError { None, NotANumber, Underflow };

// Splits "50, 100,200" into numbers; on failure sets `bad` to the offending token.
ListError parse_number_list(const std::string& text, std::vector<double>& out, std::string& bad) {
  out.clear();
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string token = text.substr(start, comma - start);
    std::size_t a = token.find_first_not_of(" \t");
    std::size_t b = token.find_last_not_of(" \t");
    token = (a == std::string::npos) ? "" : token.substr(a, b - a + 1);
    if (token.empty()) {
      if (text.find_first_not_of(" \t") == std::string::npos) return ListError::None;  // empty list
      bad = token;
      return ListError::NotANumber;
    }
    char* end = nullptr;
    double v = std::strtod(token.c_str(), &end);
    // strtod also reads hexadecimal ("0x20") and skips leading line breaks; the lesson's
    // inputs are decimal, and whitespace other than spaces and tabs is refused on both sides.
    if (end != token.c_str() + token.size() || token.find_first_of("xX") != std::string::npos ||
        std::string(" \t\n\v\f\r").find(token[0]) != std::string::npos) {
      bad = token;
      return ListError::NotANumber;
    }
    // A non-zero literal that became 0 ("1e-400") is refused rather than silently changed.
    // Decided from the digits, not errno, so glibc and musl (the wasm build) agree.
    const std::string mantissa = token.substr(0, token.find_first_of("eE"));
    if (v == 0 && mantissa.find_first_of("123456789") != std::string::npos) {
      bad = token;
      return ListError::Underflow;
    }
    out.push_back(v);  // overflow gives +-inf, refused by the range check
    start = comma + 1;
  }
  return ListError::None;
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
    std::string bad;
    const ListError e = parse_number_list(input.text, numbers, bad);
    if (e == ListError::Underflow) return must + " (got " + quoted(bad) + ", too small to represent: it would become 0)";
    if (e != ListError::None) return must + " (got " + quoted(bad.empty() ? input.text : bad) + ", not a number)";
  } else {
    numbers = input.numbers;
  }

  const bool is_list = spec.type == ParamType::IntegerList;
  if (numbers.empty()) return must + (is_list ? " (got an empty list)" : " (got nothing)");
  if (!is_list && numbers.size() != 1) return must + " (got a list of " + std::to_string(numbers.size()) + ")";
  if (is_list && numbers.size() > static_cast<std::size_t>(spec.max_count))
    return must + " (got " + std::to_string(numbers.size()) + " values)";

  const bool integral = spec.type != ParamType::Real;
  for (double x : numbers) {
    if (!std::isfinite(x) || x < spec.min || x > spec.max || (integral && x != std::floor(x)))
      return must + " (got " + number_text_of(x) + ")";
  }
  out.numbers = std::move(numbers);
  return "";
}

}  // namespace rnn_lesson
