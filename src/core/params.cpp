// Parsing and checking of untrusted parameter values; see params.h.
#include "core/params.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstdio>

namespace rnn_lesson {
namespace {

std::string number_text(double x) {
  if (std::isnan(x)) return "NaN";
  if (std::isinf(x)) return x > 0 ? "Infinity" : "-Infinity";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", x);
  return buf;
}

std::string quoted(const std::string& t) {
  std::string shown = t.size() > 40 ? t.substr(0, 40) + "..." : t;
  std::string out = "'";
  for (char c : shown) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  return out + "'";
}

// Splits "50, 100,200" into numbers; returns false with `bad` set to the offending token.
bool parse_number_list(const std::string& text, std::vector<double>& out, std::string& bad) {
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
      if (text.find_first_not_of(" \t") == std::string::npos) return true;  // empty list
      bad = token;
      return false;
    }
    char* end = nullptr;
    errno = 0;
    double v = std::strtod(token.c_str(), &end);
    // strtod also reads hexadecimal ("0x20"); the lesson's inputs are decimal only.
    if (end != token.c_str() + token.size() || token.find_first_of("xX") != std::string::npos) {
      bad = token;
      return false;
    }
    out.push_back(v);  // overflow gives +-inf, refused by the range check
    start = comma + 1;
  }
  return true;
}

}  // namespace

std::string describe_range(const ParamSpec& spec) {
  switch (spec.type) {
    case ParamType::Integer:
      return "an integer from " + number_text(spec.min) + " to " + number_text(spec.max);
    case ParamType::Real:
      return "a number from " + number_text(spec.min) + " to " + number_text(spec.max);
    case ParamType::IntegerList:
      return "a list of 1 to " + std::to_string(spec.max_count) + " integers, each from " +
             number_text(spec.min) + " to " + number_text(spec.max);
    case ParamType::Choice: {
      std::string s = "one of ";
      for (std::size_t i = 0; i < spec.choices.size(); ++i) s += (i ? ", " : "") + spec.choices[i];
      return s;
    }
  }
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

  std::vector<double> numbers;
  if (input.is_text) {
    std::string bad;
    if (!parse_number_list(input.text, numbers, bad))
      return must + " (got " + quoted(bad.empty() ? input.text : bad) + ", not a number)";
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
      return must + " (got " + number_text(x) + ")";
  }
  out.numbers = std::move(numbers);
  return "";
}

}  // namespace rnn_lesson
