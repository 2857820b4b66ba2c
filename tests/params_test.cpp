// Parameter tables: every parameter of every experiment refuses bad input with one line that
// names it and its allowed range; cross-parameter caps refuse oversized work before running.
#include "core/params.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/gradient.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"

namespace {

using namespace rnn_lesson;

const double kNaN = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

std::string text_of(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

struct BadCase {
  std::string what;
  ParamInput input;
};

// Inputs every parameter of this spec must refuse.
std::vector<BadCase> bad_inputs(const ParamSpec& s) {
  std::vector<BadCase> cases;
  const std::string too_long(kMaxParamTextLength + 1, '1');
  cases.push_back({"too long text", ParamInput::from_text(too_long)});
  cases.push_back({"text that is not a number", ParamInput::from_text("5x")});
  cases.push_back({"empty text", ParamInput::from_text("")});
  if (s.type == ParamType::Choice) {
    cases.push_back({"wrong choice", ParamInput::from_text("nope")});
    cases.push_back({"choice in the wrong case", ParamInput::from_text(s.choices.at(0) + "X")});
    cases.push_back({"choice with a trailing space", ParamInput::from_text(s.choices.at(0) + " ")});
    cases.push_back({"a number for a choice", ParamInput::from_numbers({1})});
    return cases;
  }
  if (s.type == ParamType::ChoiceList) {
    const std::string first = s.choices.at(0);
    cases.push_back({"unknown name", ParamInput::from_text(first + ",nope")});
    cases.push_back({"name in the wrong case", ParamInput::from_text(first + "X")});
    cases.push_back({"name twice", ParamInput::from_text(first + "," + first)});
    cases.push_back({"trailing comma", ParamInput::from_text(first + ",")});
    cases.push_back({"blank text", ParamInput::from_text("  ")});
    cases.push_back({"a line break", ParamInput::from_text(first + "\n")});
    cases.push_back({"a number for a list of names", ParamInput::from_numbers({1})});
    std::string over;
    for (int i = 0; i <= s.max_count; ++i) over += (i ? "," : "") + first;
    cases.push_back({"more names than max_count", ParamInput::from_text(over)});
    return cases;
  }
  const bool integral = s.type != ParamType::Real;
  const double below = integral ? s.min - 1 : std::nextafter(s.min, -kInf);
  const double above = integral ? s.max + 1 : std::nextafter(s.max, kInf);
  for (double v : {below, above, kNaN, kInf, -kInf}) {
    cases.push_back({"number " + text_of(v), ParamInput::from_numbers({v})});
    cases.push_back({"text " + text_of(v), ParamInput::from_text(text_of(v))});
  }
  cases.push_back({"text nan", ParamInput::from_text("nan")});
  cases.push_back({"text -inf", ParamInput::from_text("-inf")});
  cases.push_back({"text overflowing a double", ParamInput::from_text("1e999")});
  if (integral) {
    cases.push_back({"non-integer number", ParamInput::from_numbers({s.min + 0.5})});
    cases.push_back({"non-integer text", ParamInput::from_text(text_of(s.min + 0.5))});
  }
  cases.push_back({"empty number list", ParamInput::from_numbers({})});
  cases.push_back({"blank text", ParamInput::from_text("  ")});
  cases.push_back({"empty list element", ParamInput::from_text(text_of(s.min) + ",," + text_of(s.min))});
  cases.push_back({"trailing comma", ParamInput::from_text(text_of(s.min) + ",")});
  if (s.type == ParamType::IntegerList) {
    cases.push_back({"list over max_count",
                     ParamInput::from_numbers(std::vector<double>(static_cast<std::size_t>(s.max_count) + 1, s.min))});
    std::string over;
    for (int i = 0; i <= s.max_count; ++i) over += (i ? "," : "") + text_of(s.min);
    cases.push_back({"text list over max_count", ParamInput::from_text(over)});
    cases.push_back({"list with one bad element", ParamInput::from_numbers({s.min, above})});
  } else {
    cases.push_back({"a list for a scalar", ParamInput::from_numbers({s.min, s.min})});
    cases.push_back({"a text list for a scalar", ParamInput::from_text(text_of(s.min) + "," + text_of(s.min))});
  }
  return cases;
}

template <class Params>
void expect_table_refuses_bad_inputs(const std::vector<Field<Params>>& table) {
  ASSERT_FALSE(table.empty());
  for (const auto& field : table) {
    const ParamSpec& s = field.spec;
    const std::string range = describe_range(s);
    for (const auto& c : bad_inputs(s)) {
      SCOPED_TRACE(s.name + ": " + c.what);
      CheckedValue v;
      const std::string direct = check_param(s, c.input, v);
      EXPECT_NE(direct.find(s.name), std::string::npos) << direct;
      EXPECT_NE(direct.find(range), std::string::npos) << direct;
      EXPECT_LT(direct.size(), 400u) << "one short line";
      EXPECT_EQ(direct.find('\n'), std::string::npos) << direct;

      Params p{};
      const std::string parsed = parse_params(table, {{s.name, c.input}}, p);
      EXPECT_EQ(parsed, direct);
    }
  }
}

template <class Params>
void expect_table_accepts_edges(const std::vector<Field<Params>>& table) {
  for (const auto& field : table) {
    const ParamSpec& s = field.spec;
    SCOPED_TRACE(s.name);
    CheckedValue v;
    EXPECT_EQ(check_param(s, ParamInput::from_text(s.default_value), v), "");
    if (s.type == ParamType::Choice) {
      for (const auto& choice : s.choices) {
        EXPECT_EQ(check_param(s, ParamInput::from_text(choice), v), "");
        EXPECT_EQ(v.choice, choice);
      }
      continue;
    }
    if (s.type == ParamType::ChoiceList) {
      // Every name alone, and all of them in reverse order with spaces around (order kept).
      std::string all;
      std::vector<std::string> reversed(s.choices.rbegin(), s.choices.rend());
      for (const auto& choice : reversed) {
        EXPECT_EQ(check_param(s, ParamInput::from_text(choice), v), "");
        EXPECT_EQ(v.choice_list, std::vector<std::string>{choice});
        all += (all.empty() ? "" : ",\t ") + choice;
      }
      if (s.choices.size() <= static_cast<std::size_t>(s.max_count)) {
        EXPECT_EQ(check_param(s, ParamInput::from_text(" " + all + " "), v), "");
        EXPECT_EQ(v.choice_list, reversed);
      }
      continue;
    }
    for (double x : {s.min, s.max}) {
      EXPECT_EQ(check_param(s, ParamInput::from_numbers({x}), v), "") << x;
      ASSERT_EQ(v.numbers.size(), 1u);
      EXPECT_EQ(v.numbers[0], x);
      EXPECT_EQ(check_param(s, ParamInput::from_text(" " + text_of(x) + "\t"), v), "") << x;
      EXPECT_EQ(v.numbers[0], x);
    }
    // Exactly kMaxParamTextLength characters is still accepted (padding is trimmed).
    const std::string value = text_of(s.min);
    const std::string padded = std::string(kMaxParamTextLength - value.size(), ' ') + value;
    ASSERT_EQ(padded.size(), kMaxParamTextLength);
    EXPECT_EQ(check_param(s, ParamInput::from_text(padded), v), "");
    if (s.type == ParamType::IntegerList) {
      std::vector<double> full(static_cast<std::size_t>(s.max_count), s.max);
      EXPECT_EQ(check_param(s, ParamInput::from_numbers(full), v), "");
      EXPECT_EQ(v.numbers.size(), full.size());
      EXPECT_EQ(check_param(s, ParamInput::from_text(text_of(s.min) + ", " + text_of(s.max)), v), "");
      EXPECT_EQ(v.numbers, (std::vector<double>{s.min, s.max}));
    }
  }
}

template <class Params>
void expect_unknown_name_refused(const std::vector<Field<Params>>& table) {
  Params p{};
  const std::string e = parse_params(table, {{"no_such_param", ParamInput::from_text("1")}}, p);
  EXPECT_NE(e.find("unknown parameter 'no_such_param'"), std::string::npos) << e;
  for (const auto& f : table) EXPECT_NE(e.find(f.spec.name), std::string::npos) << "lists known names: " << e;
  const std::string long_name(5000, 'z');
  const std::string e2 = parse_params(table, {{long_name, ParamInput::from_text("1")}}, p);
  EXPECT_NE(e2.find("unknown parameter"), std::string::npos);
  EXPECT_LT(e2.size(), 600u) << "the unknown name is shortened";
}

TEST(Params, DescribeRange) {
  ParamSpec i{"n", ParamType::Integer, 1, 512, 1, "1", {}, ""};
  EXPECT_EQ(describe_range(i), "an integer from 1 to 512");
  ParamSpec r{"x", ParamType::Real, 0.5, 1000, 1, "2", {}, ""};
  EXPECT_EQ(describe_range(r), "a number from 0.5 to 1000");
  ParamSpec l{"ls", ParamType::IntegerList, 1, 20000, 32, "1", {}, ""};
  EXPECT_EQ(describe_range(l), "a list of 1 to 32 integers, each from 1 to 20000");
  ParamSpec c{"mode", ParamType::Choice, 0, 0, 1, "a", {"a", "b"}, ""};
  EXPECT_EQ(describe_range(c), "one of a, b");
  ParamSpec cl{"models", ParamType::ChoiceList, 0, 0, 3, "a", {"a", "b", "c"}, ""};
  EXPECT_EQ(describe_range(cl), "a list of 1 to 3 different names from a, b, c");
}

// A choice list as a table row: parsed into the member in the order given, echoed as the
// text it would be typed as, refused with the parameter and its range named.
TEST(Params, AChoiceListFillsAListOfNames) {
  struct P {
    std::vector<std::string> models;
    int n;
  };
  const std::vector<Field<P>> table = {
      {{"models", ParamType::ChoiceList, 0, 0, 3, "b,a", {"a", "b", "c"}, "which"}, &P::models},
      {{"n", ParamType::Integer, 1, 9, 1, "2", {}, "how many"}, &P::n},
  };
  P p = defaults_from(table);
  EXPECT_EQ(p.models, (std::vector<std::string>{"b", "a"}));
  EXPECT_EQ(parse_params(table, {{"models", ParamInput::from_text("c, a")}}, p), "");
  EXPECT_EQ(p.models, (std::vector<std::string>{"c", "a"}));
  EXPECT_EQ(check_fields(table, p), "");
  p.models = {"a", "a"};
  EXPECT_EQ(check_fields(table, p), "models must be a list of 1 to 3 different names from a, b, c (got 'a' twice)");
  EXPECT_EQ(parse_params(table, {{"models", ParamInput::from_text("a,d")}}, p),
            "models must be a list of 1 to 3 different names from a, b, c (got 'd')");
  expect_table_refuses_bad_inputs(table);
  expect_table_accepts_edges(table);
}

TEST(Params, TimingDefaultsParse) {
  TimingParams p{};
  EXPECT_EQ(parse_params(timing_fields(), {}, p), "");
  EXPECT_EQ(check_fields(timing_fields(), p), "");
  EXPECT_EQ(validate(p), "");
  EXPECT_EQ(p.hidden_size, 32);
  EXPECT_EQ(p.input_size, 8);
  EXPECT_EQ(p.lengths, (std::vector<int>{50, 100, 200, 500, 1000, 2000}));
  EXPECT_EQ(p.trials, 7);
  EXPECT_EQ(p.min_interval_ms, 2.0);
  EXPECT_EQ(p.seed, 42);
}

TEST(Params, GradientDefaultsParse) {
  GradientParams p{};
  EXPECT_EQ(parse_params(gradient_fields(), {}, p), "");
  EXPECT_EQ(validate(p), "");
  EXPECT_EQ(p.mode, "bptt");
  EXPECT_EQ(p.hidden_size, 16);
  EXPECT_EQ(p.weight_scale, 0.9);
  EXPECT_EQ(p.distances, (std::vector<int>{1, 5, 10, 20, 50, 100, 200}));
  EXPECT_EQ(p.seed, 42);
  GradientParams d = default_gradient_params();
  EXPECT_EQ(d.max_distance, p.max_distance);
  EXPECT_EQ(d.seeds, p.seeds);
}

TEST(Params, RetentionDefaultsAreTheKatas) {
  RetentionParams p = default_retention_params();
  EXPECT_EQ(validate(p), "");
  EXPECT_EQ(p.hidden_size, 16);
  EXPECT_EQ(p.input_size, 4);
  EXPECT_EQ(p.weight_scale, 0.5);
  EXPECT_EQ(p.noise_scale, 0.01);
  EXPECT_EQ(p.seed, 42);
  EXPECT_EQ(p.max_steps, 200);
}

TEST(Params, TimingFieldsRefuseBadInput) { expect_table_refuses_bad_inputs(timing_fields()); }
TEST(Params, GradientFieldsRefuseBadInput) { expect_table_refuses_bad_inputs(gradient_fields()); }
TEST(Params, RetentionFieldsRefuseBadInput) { expect_table_refuses_bad_inputs(retention_fields()); }

TEST(Params, TimingFieldsAcceptEdges) { expect_table_accepts_edges(timing_fields()); }
TEST(Params, GradientFieldsAcceptEdges) { expect_table_accepts_edges(gradient_fields()); }
TEST(Params, RetentionFieldsAcceptEdges) { expect_table_accepts_edges(retention_fields()); }

TEST(Params, UnknownNameRefused) {
  expect_unknown_name_refused(timing_fields());
  expect_unknown_name_refused(gradient_fields());
  expect_unknown_name_refused(retention_fields());
}

TEST(Params, ParseFillsTheStruct) {
  TimingParams p{};
  ASSERT_EQ(parse_params(timing_fields(),
                         {{"lengths", ParamInput::from_text("10, 20,30")},
                          {"min_interval_ms", ParamInput::from_numbers({0.75})},
                          {"hidden_size", ParamInput::from_text("64")}},
                         p),
            "");
  EXPECT_EQ(p.lengths, (std::vector<int>{10, 20, 30}));
  EXPECT_EQ(p.min_interval_ms, 0.75);
  EXPECT_EQ(p.hidden_size, 64);
  EXPECT_EQ(p.input_size, 8) << "untouched parameters keep their defaults";
  GradientParams g{};
  ASSERT_EQ(parse_params(gradient_fields(), {{"mode", ParamInput::from_text("kata")}}, g), "");
  EXPECT_EQ(g.mode, "kata");
}

TEST(Params, CheckFieldsCatchesOutOfRangeStructMembers) {
  TimingParams t = default_timing_params();
  t.hidden_size = 0;
  EXPECT_NE(check_fields(timing_fields(), t).find("hidden_size"), std::string::npos);
  t = default_timing_params();
  t.min_interval_ms = kNaN;
  EXPECT_NE(validate(t).find("min_interval_ms"), std::string::npos);
  t = default_timing_params();
  t.lengths.clear();
  EXPECT_NE(validate(t).find("lengths"), std::string::npos);
  GradientParams g = default_gradient_params();
  g.mode = "";
  EXPECT_NE(validate(g).find("mode"), std::string::npos);
  RetentionParams r = default_retention_params();
  r.noise_scale = -kInf;
  EXPECT_NE(validate(r).find("noise_scale"), std::string::npos);
}

// ---- cross-parameter caps ----------------------------------------------------------------

TEST(TimingCaps, LengthsNeedTwoDistinctValues) {
  TimingParams p = default_timing_params();
  p.lengths = {100, 100, 100};
  EXPECT_NE(validate(p).find("lengths"), std::string::npos) << validate(p);
  p.lengths = {100};
  EXPECT_NE(validate(p).find("lengths"), std::string::npos);
  p.lengths = {100, 101};
  EXPECT_EQ(validate(p), "");
}

TEST(TimingCaps, MultiplyAddCap) {
  TimingParams p = default_timing_params();
  p.hidden_size = 1024;
  p.input_size = 256;
  p.lengths = {20000, 19999};
  const std::string e = validate(p);
  EXPECT_NE(e.find("hidden_size"), std::string::npos) << e;
  EXPECT_NE(e.find("1e9"), std::string::npos) << e;
}

TEST(TimingCaps, BufferCap) {
  TimingParams p = default_timing_params();
  p.hidden_size = 1;
  p.input_size = 256;  // (1 + 256) * 20000 > 4e6 while the multiply-adds stay small
  p.lengths = {1, 20000};
  const std::string e = validate(p);
  EXPECT_NE(e.find("max(lengths)"), std::string::npos) << e;
  p.lengths = {1, 15000};  // 257 * 15000 < 4e6
  EXPECT_EQ(validate(p), "");
}

TEST(TimingCaps, IntervalBudgetCap) {
  TimingParams p = default_timing_params();
  p.trials = 51;
  p.min_interval_ms = 1000;
  p.lengths = {1, 2};  // 51 * 2 * 1000 > 60000
  const std::string e = validate(p);
  EXPECT_NE(e.find("min_interval_ms"), std::string::npos) << e;
}

TEST(TimingCaps, InvalidParamsDoNotRun) {
  TimingParams p = default_timing_params();
  p.lengths = {7, 7};
  int runs = 0, clock_calls = 0, progress_calls = 0;
  const TimingResult r = measure_lengths(
      p, [&] { return double(++clock_calls); }, [&](int) { ++runs; return 0.0; },
      [&](double) { ++progress_calls; return true; });
  EXPECT_FALSE(r.error.empty());
  EXPECT_EQ(runs, 0);
  EXPECT_EQ(clock_calls, 0);
  EXPECT_EQ(progress_calls, 0);
  EXPECT_TRUE(r.median_ms.empty());
  p = default_timing_params();
  p.hidden_size = -3;
  const TimingResult rt = run_timing(p);
  EXPECT_NE(rt.error.find("hidden_size"), std::string::npos) << rt.error;
  EXPECT_TRUE(rt.lengths.empty());
}

TEST(GradientCaps, BpttWorkCap) {
  GradientParams p = default_gradient_params();
  p.hidden_size = 256;
  p.max_distance = 2000;
  p.seeds = 64;
  const std::string e = validate(p);
  EXPECT_NE(e.find("2e9"), std::string::npos) << e;
  int progress_calls = 0;
  const GradientResult r = run_gradient(p, [&](double) { ++progress_calls; return true; });
  EXPECT_EQ(r.error, e);
  EXPECT_EQ(progress_calls, 0);
  EXPECT_TRUE(r.norm.median.empty());
}

TEST(GradientCaps, KataWorkCap) {
  GradientParams p = default_gradient_params();
  p.mode = "kata";
  p.hidden_size = 256;
  p.distances = {2000, 2000};
  const std::string e = validate(p);
  EXPECT_NE(e.find("distances"), std::string::npos) << e;
  EXPECT_FALSE(run_gradient(p).error.empty());
  p.hidden_size = 16;
  EXPECT_EQ(validate(p), "");
}

TEST(GradientCaps, InvalidFieldIsReportedByRun) {
  GradientParams p = default_gradient_params();
  p.weight_scale = kNaN;
  const GradientResult r = run_gradient(p);
  EXPECT_NE(r.error.find("weight_scale"), std::string::npos) << r.error;
  EXPECT_TRUE(r.distances.empty());
}

TEST(RetentionCaps, ReadoutTrialsMustExceedWeights) {
  RetentionParams p = default_retention_params();
  p.readout_trials = 2 * (p.hidden_size + 2) - 1;
  const std::string e = validate(p);
  EXPECT_NE(e.find("readout_trials"), std::string::npos) << e;
  p.readout_trials += 1;
  EXPECT_EQ(validate(p), "");
}

TEST(RetentionCaps, WorkCap) {
  RetentionParams p = default_retention_params();
  p.hidden_size = 256;
  p.max_steps = 2000;
  p.seeds = 64;
  p.readout_trials = 4000;
  const std::string e = validate(p);
  EXPECT_NE(e.find("2e9"), std::string::npos) << e;
  int progress_calls = 0;
  const RetentionResult r = run_retention(p, [&](double) { ++progress_calls; return true; });
  EXPECT_EQ(r.error, e);
  EXPECT_EQ(progress_calls, 0);
  EXPECT_TRUE(r.kata_cosine.empty());
}

TEST(RetentionCaps, InvalidFieldIsReportedByRun) {
  RetentionParams p = default_retention_params();
  p.input_size = 65;
  const RetentionResult r = run_retention(p);
  EXPECT_NE(r.error.find("input_size"), std::string::npos) << r.error;
}

}  // namespace
