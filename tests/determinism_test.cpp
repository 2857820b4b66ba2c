// Same parameters, same numbers, bit for bit; a different seed, different numbers.
#include <cstring>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/gradient.h"
#include "core/experiments/retention.h"

namespace {

using namespace rnn_lesson;

// Bitwise equality (EXPECT_EQ on vectors of doubles would also pass for -0.0 == 0.0).
bool same_bits(const std::vector<double>& a, const std::vector<double>& b) {
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}
bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same(const Band& a, const Band& b) {
  EXPECT_TRUE(same_bits(a.median, b.median));
  EXPECT_TRUE(same_bits(a.q1, b.q1));
  EXPECT_TRUE(same_bits(a.q3, b.q3));
}

GradientParams bptt() {
  GradientParams p = default_gradient_params();
  p.mode = "bptt";
  p.hidden_size = 10;
  p.input_size = 4;
  p.max_distance = 40;
  p.seeds = 5;
  return p;
}

GradientParams kata() {
  GradientParams p = default_gradient_params();
  p.mode = "kata";
  return p;
}

RetentionParams retention() {
  RetentionParams p = default_retention_params();
  p.max_steps = 60;
  p.seeds = 4;
  p.readout_trials = 64;
  return p;
}

void expect_same(const GradientResult& a, const GradientResult& b) {
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_EQ(a.distances, b.distances);
  expect_same(a.norm, b.norm);
  EXPECT_TRUE(same_bits(a.decay_per_step, b.decay_per_step));
  EXPECT_TRUE(same_bits(a.decay_r_squared, b.decay_r_squared));
  EXPECT_TRUE(same_bits(a.spectral_radius, b.spectral_radius));
  EXPECT_TRUE(same_bits(a.largest_singular_value, b.largest_singular_value));
}

TEST(Determinism, GradientBpttRepeats) { expect_same(run_gradient(bptt()), run_gradient(bptt())); }
TEST(Determinism, GradientKataRepeats) { expect_same(run_gradient(kata()), run_gradient(kata())); }

TEST(Determinism, RetentionRepeats) {
  const RetentionResult a = run_retention(retention()), b = run_retention(retention());
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_TRUE(same_bits(a.kata_cosine, b.kata_cosine));
  expect_same(a.influence, b.influence);
  expect_same(a.attention_cosine, b.attention_cosine);
  expect_same(a.attention_weight, b.attention_weight);
  expect_same(a.readout_r2, b.readout_r2);
  EXPECT_EQ(a.readout_steps, b.readout_steps);
}

TEST(Determinism, GradientSeedMatters) {
  for (GradientParams p : {bptt(), kata()}) {
    const GradientResult a = run_gradient(p);
    p.seed += 100;  // bptt uses seed..seed+seeds-1: no overlap
    const GradientResult b = run_gradient(p);
    ASSERT_EQ(a.error, "");
    ASSERT_EQ(b.error, "");
    EXPECT_NE(a.norm.median, b.norm.median) << p.mode;
    EXPECT_NE(a.spectral_radius, b.spectral_radius) << p.mode;
  }
}

TEST(Determinism, RetentionSeedMatters) {
  RetentionParams p = retention();
  const RetentionResult a = run_retention(p);
  p.seed = 7;
  const RetentionResult b = run_retention(p);
  ASSERT_EQ(a.error, "");
  ASSERT_EQ(b.error, "");
  EXPECT_NE(a.kata_cosine, b.kata_cosine);
  EXPECT_NE(a.influence.median, b.influence.median);
  EXPECT_NE(a.readout_r2.median, b.readout_r2.median);
}

}  // namespace
