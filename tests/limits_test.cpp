// param_limits: each numeric parameter's allowed interval, found from validate() alone, agrees
// with caps computed by hand from the experiments' rules, and with validate() at its ends.
#include "core/limits.h"

#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/architectures.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"

namespace {

using namespace rnn_lesson;

template <class Params>
ParamLimit limit_of(const std::vector<Field<Params>>& table, const Params& p, std::string (*validate)(const Params&),
                    const std::string& name) {
  for (const ParamLimit& l : param_limits(table, p, validate))
    if (l.name == name) return l;
  ADD_FAILURE() << "no limit for " << name;
  return {};
}

TEST(Limits, TimingHiddenSizeCapFollowsTheSumOfLengths) {
  TimingParams p = default_timing_params();  // D = 8, sum(lengths) = 3850
  // Largest H with H * (H + 8) * 3850 <= 1e9: 505 * 513 * 3850 = 997,394,250; 506 gives 1,001,317,400.
  ParamLimit l = limit_of(timing_fields(), p, validate, "hidden_size");
  EXPECT_TRUE(l.any);
  EXPECT_EQ(l.lo, 1);
  EXPECT_EQ(l.hi, 505);
  // A refused combination (H = 1024, as a clamped URL gives) still reports the same interval.
  p.hidden_size = 1024;
  ASSERT_FALSE(validate(p).empty());
  l = limit_of(timing_fields(), p, validate, "hidden_size");
  EXPECT_TRUE(l.any);
  EXPECT_EQ(l.hi, 505);
}

TEST(Limits, TimingLengthsCapIsTheLargestElementWithTheOthersKept) {
  TimingParams p = default_timing_params();
  p.hidden_size = 256;  // 256 * 264 * (1850 + x) <= 1e9 -> x <= 12946; 264 * x <= 4e6 -> x <= 15151
  const ParamLimit l = limit_of(timing_fields(), p, validate, "lengths");
  EXPECT_TRUE(l.any);
  EXPECT_EQ(l.lo, 1);
  EXPECT_EQ(l.hi, 12946);
}

TEST(Limits, TimingRealCapIsRoundedInwards) {
  TimingParams p = default_timing_params();
  p.trials = 51;  // 51 * 6 * min_interval_ms <= 60000 -> at most 196.078...
  const ParamLimit l = limit_of(timing_fields(), p, validate, "min_interval_ms");
  EXPECT_TRUE(l.any);
  EXPECT_EQ(l.lo, 0.5);
  EXPECT_LE(l.hi, 60000.0 / 306);
  EXPECT_GT(l.hi, 60000.0 / 306 - 0.011);
  p.min_interval_ms = l.hi;
  EXPECT_EQ(validate(p), "");
}

TEST(Limits, LowerBoundsFromOtherParameters) {
  MemoryParams m = default_memory_params();  // max_delay 100, washout 100, largest N 128
  EXPECT_EQ(limit_of(memory_fields(), m, validate, "washout").lo, 100);
  EXPECT_EQ(limit_of(memory_fields(), m, validate, "max_delay").hi, 100);
  EXPECT_EQ(limit_of(memory_fields(), m, validate, "train_steps").lo, 2 * (128 + 1));
  RetentionParams r = default_retention_params();  // H = 16, readout_trials 128
  EXPECT_EQ(limit_of(retention_fields(), r, validate, "readout_trials").lo, 2 * (16 + 2));
  EXPECT_EQ(limit_of(retention_fields(), r, validate, "hidden_size").hi, 128 / 2 - 2);
}

TEST(Limits, UnconstrainedParametersGetTheirWholeRange) {
  const TimingParams p = default_timing_params();
  const ParamLimit seed = limit_of(timing_fields(), p, validate, "seed");
  EXPECT_EQ(seed.lo, 0);
  EXPECT_EQ(seed.hi, 2147483647);
  const GradientParams g = default_gradient_params();
  const ParamLimit w = limit_of(gradient_fields(), g, validate, "weight_scale");
  EXPECT_EQ(w.lo, 0);
  EXPECT_EQ(w.hi, 4);
  for (const ParamLimit& l : param_limits(gradient_fields(), g, validate)) EXPECT_NE(l.name, "mode");
  // Ends that are not multiples of the rounding quantum in doubles (0.01 and 1 at 1e-5) are
  // the spec's own ends, exactly (snapping them gave [0.01001, 0.99999]).
  const ArchitecturesParams a = default_architectures_params();
  const ParamLimit decay = limit_of(architectures_fields(), a, validate, "linear_decay_a");
  EXPECT_EQ(decay.lo, 0.01);
  EXPECT_EQ(decay.hi, 1.0);
}

TEST(Limits, WhenNoValueOfAParameterHelpsItsLimitIsEmpty) {
  TimingParams p = default_timing_params();
  p.lengths = std::vector<int>(32, 20000);
  p.lengths.back() = 19999;  // two different values, as a fitted line needs
  p.hidden_size = 1024;
  // Lengths summing to 639,999 with H = 1024: no length alone can make it fit.
  EXPECT_FALSE(limit_of(timing_fields(), p, validate, "lengths").any);
  // H alone can: H * (H + 8) * 639999 <= 1e9 -> H <= 35 (35 * 43 = 1505, 36 * 44 = 1584).
  EXPECT_EQ(limit_of(timing_fields(), p, validate, "hidden_size").hi, 35);
}

// For every parameter of every table at its defaults and at a heavier setting: the ends are
// accepted, one step beyond each end (inside the spec range) is refused.
template <class Params>
void expect_ends_agree(const std::vector<Field<Params>>& table, const Params& p, std::string (*validate)(const Params&)) {
  ASSERT_EQ(validate(p), "");
  for (const ParamLimit& l : param_limits(table, p, validate)) {
    SCOPED_TRACE(l.name);
    ASSERT_TRUE(l.any);
    for (const auto& f : table) {
      if (f.spec.name != l.name) continue;
      const bool integral = f.spec.type != ParamType::Real;
      const double step = integral ? 1 : std::pow(10.0, std::floor(std::log10(f.spec.max - f.spec.min)) - 2);
      const auto accepts = [&](double x) {
        Params q = p;
        ParamInputs in;
        in[l.name] = ParamInput::from_numbers({x});
        if (f.spec.type == ParamType::IntegerList) {
          const ParamInput now = detail::read(f, p);
          std::vector<double> list = now.numbers;
          *std::max_element(list.begin(), list.end()) = x;
          in[l.name] = ParamInput::from_numbers(list);
        }
        for (const auto& g : table)
          if (g.spec.name != l.name) in[g.spec.name] = detail::read(g, p);
        return parse_params(table, in, q).empty() && validate(q).empty();
      };
      EXPECT_TRUE(accepts(l.hi));
      EXPECT_TRUE(accepts(l.lo));
      if (l.hi < f.spec.max) {
        EXPECT_FALSE(accepts(l.hi + step));
      }
      if (l.lo > f.spec.min && f.spec.type != ParamType::IntegerList) {
        EXPECT_FALSE(accepts(l.lo - step));
      }
    }
  }
}

TEST(Limits, EndsAgreeWithValidateForEveryExperiment) {
  expect_ends_agree(timing_fields(), default_timing_params(), validate);
  expect_ends_agree(gradient_fields(), default_gradient_params(), validate);
  expect_ends_agree(retention_fields(), default_retention_params(), validate);
  expect_ends_agree(architectures_fields(), default_architectures_params(), validate);
  expect_ends_agree(memory_fields(), default_memory_params(), validate);
  expect_ends_agree(work_depth_fields(), default_work_depth_params(), validate);
  expect_ends_agree(scaling_fields(), default_scaling_params(), validate);

  TimingParams t = default_timing_params();
  t.lengths = {1000, 5000, 20000};
  t.trials = 31;
  expect_ends_agree(timing_fields(), t, validate);
  GradientParams g = default_gradient_params();
  g.mode = "kata";
  g.hidden_size = 100;
  expect_ends_agree(gradient_fields(), g, validate);
  RetentionParams r = default_retention_params();
  r.hidden_size = 30;
  r.max_steps = 1000;
  expect_ends_agree(retention_fields(), r, validate);
  ArchitecturesParams a = default_architectures_params();
  a.seeds = 32;
  expect_ends_agree(architectures_fields(), a, validate);
  MemoryParams m = default_memory_params();
  m.hidden_sizes = {8, 160};
  m.washout = 400;
  expect_ends_agree(memory_fields(), m, validate);
  ScalingParams s = default_scaling_params();
  s.length = 6000;
  expect_ends_agree(scaling_fields(), s, validate);
}

}  // namespace
