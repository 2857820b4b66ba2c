// Work and depth against hand counts, and the worker slices: splitting a pass must not
// change its answer, and a relay of RNN segments must equal one unbroken run.
#include <cmath>

#include <gtest/gtest.h>

#include "core/blocks/linear_scan.h"
#include "core/experiments/parallel.h"

namespace {

using namespace rnn_lesson;

// n = 1, H = 1, D = 1, counted on paper:
//  rnn:  z = wh*h + wx*x (2 multiplies, 1 add), tanh: W = 4; chain mul -> add -> tanh: D = 3.
//  lstm: 4 gates of 2 multiplies + 2 adds (bias) = 16, 4 nonlinearities, c' = f c + i g
//        (2 multiplies, 1 add), tanh(c'), o * tanh(c'): W = 16 + 4 + 3 + 1 + 1 = 25;
//        chain mul, add tree over 3 terms (2 levels), sigmoid, mul, add, tanh, mul: D = 8.
//  gru:  r, z: 2 x (2 multiplies + 2 adds) = 8, 2 sigmoids; n: un*h + bhn (1 mul, 1 add),
//        wn*x + bn (1 mul, 1 add), r * (.) (1 mul), sum (1 add), tanh; 1 - z (1), (1-z) n (1),
//        z h (1), final add (1): W = 8 + 2 + 2 + 2 + 1 + 1 + 1 + 4 = 21; chain mul, 2 adds,
//        sigmoid, mul, add, tanh, mul, add: D = 9.
//  attention: q, k, v (3 multiplies), score q*k and scale (2), softmax of one score
//        (subtract, exp, divide: 3), weighted sum (1 multiply): W = 9;
//        D = 1 + 2 + 3 + 1 = 7.
TEST(WorkDepth, MatchesHandCountsForOneToken) {
  EXPECT_EQ(work_depth("rnn", 1, 1, 1).work, 4);
  EXPECT_EQ(work_depth("rnn", 1, 1, 1).depth, 3);
  EXPECT_EQ(work_depth("lstm", 1, 1, 1).work, 25);
  EXPECT_EQ(work_depth("lstm", 1, 1, 1).depth, 8);
  EXPECT_EQ(work_depth("gru", 1, 1, 1).work, 21);
  EXPECT_EQ(work_depth("gru", 1, 1, 1).depth, 9);
  EXPECT_EQ(work_depth("attention", 1, 1, 1).work, 9);
  EXPECT_EQ(work_depth("attention", 1, 1, 1).depth, 7);
}

// n = 2, K = 1, D = 1 attention by hand: projections 2 tokens x 3 = 6 multiplies; scores for
// 1 + 2 = 3 pairs, 2 operations each = 6; softmax rows of 1 and 2: 3 + 8 = 11; weighted sums
// 1 + 3 = 4: W = 27. Depth: projections 1, score 2, softmax 2*1 + 3 = 5, sum 1 + 1 = 2: 10.
// RNN, n = 2, H = 2, D = 1: per step 2 rows x (3 multiplies + 2 adds) + 2 tanh = 12, W = 24;
// per step mul, add tree over 3 terms (2), tanh = 4, D = 8.
TEST(WorkDepth, MatchesHandCountsForTwoTokens) {
  EXPECT_EQ(work_depth("attention", 2, 1, 1).work, 27);
  EXPECT_EQ(work_depth("attention", 2, 1, 1).depth, 10);
  EXPECT_EQ(work_depth("rnn", 2, 2, 1).work, 24);
  EXPECT_EQ(work_depth("rnn", 2, 2, 1).depth, 8);
}

TEST(WorkDepth, RecurrentDepthIsLinearAttentionDepthLogarithmic) {
  for (const char* a : {"rnn", "lstm", "gru"})
    EXPECT_EQ(work_depth(a, 1000, 32, 8).depth, 1000 * work_depth(a, 1, 32, 8).depth) << a;
  // Doubling n adds a constant (3 levels of trees) to attention's depth, and about 4x work.
  const WorkDepth a1 = work_depth("attention", 1024, 32, 8), a2 = work_depth("attention", 2048, 32, 8);
  EXPECT_EQ(a2.depth - a1.depth, 3);
  EXPECT_NEAR(a2.work / a1.work, 4.0, 0.05);
  EXPECT_EQ(work_depth("unknown", 10, 1, 1).work, 0);
}

// The linear recurrence as a scan, counted on paper (parallel.h's rule):
//  n = 1, H = 1, D = 1: gates z, h~ (1 multiply + 1 add with the bias each = 4), sigma, 1 - z,
//        z h~ (3): 7; no combine (0 levels); h = a * 0 + b (2): W = 9. Depth: multiply, add
//        (tree over 2 terms: 1 level), sigma, z h~: 4; plus the last multiply-add 2: S = 6.
//  n = 4, H = 2, D = 3: gates per token 2 x (2 rows x (3 multiplies + 3 adds)) = 24 + 3 x 2 = 30,
//        x 4 = 120; 2 (n - 1) = 6 combines x 3 ops x 2 units = 36; final 2 x 2 x 4 = 16: W = 172.
//        Depth: multiply, add tree over 4 terms (2), sigma, product: 5; 2 x 2 levels x 2 = 8; 2: S = 15.
TEST(WorkDepth, LinearScanMatchesHandCounts) {
  EXPECT_EQ(work_depth("linear", 1, 1, 1).work, 9);
  EXPECT_EQ(work_depth("linear", 1, 1, 1).depth, 6);
  EXPECT_EQ(work_depth("linear", 4, 2, 3).work, 172);
  EXPECT_EQ(work_depth("linear", 4, 2, 3).depth, 15);
  // Doubling n adds one level to each sweep (4 operations); the tanh RNN's chain doubles.
  EXPECT_EQ(work_depth("linear", 2048, 32, 8).depth - work_depth("linear", 1024, 32, 8).depth, 4);
  EXPECT_LT(work_depth("linear", 1000, 32, 8).depth, work_depth("rnn", 1000, 32, 8).depth / 100);
}

TEST(WorkDepthExperiment, ProjectsBrentsBoundWithGivenConstants) {
  WorkDepthParams p = default_work_depth_params();
  p.lengths = {16, 4096};
  p.processors = {1, 10000};
  p.rnn_ns_per_op = 2;
  p.attention_ns_per_op = 1;
  p.linear_ns_per_op = 3;
  const WorkDepthResult r = run_work_depth(p);
  ASSERT_EQ(r.error, "");
  EXPECT_FALSE(r.measured_here);
  ASSERT_EQ(r.counts.size(), 5u);
  EXPECT_EQ(r.counts[4].architecture, "linear");
  const WorkDepth lin = work_depth("linear", 4096, 32, 8);
  EXPECT_DOUBLE_EQ(r.linear_projected_ms[1][1], 3 * (lin.work / 10000 + lin.depth) * 1e-6);
  const WorkDepth rnn = work_depth("rnn", 4096, 32, 8), att = work_depth("attention", 4096, 32, 8);
  EXPECT_DOUBLE_EQ(r.rnn_projected_ms[1][1], 2 * (rnn.work / 10000 + rnn.depth) * 1e-6);
  EXPECT_DOUBLE_EQ(r.attention_projected_ms[1][1], 1 * (att.work / 10000 + att.depth) * 1e-6);
  // One unit: attention's O(n^2) work loses; 10,000 units: its short chain wins at n = 16.
  EXPECT_EQ(r.attention_faster[0][1], 0);
  EXPECT_EQ(r.attention_faster[1][0], 1);
}

TEST(WorkDepthExperiment, MeasuresConstantsWhenNotGiven) {
  WorkDepthParams p = default_work_depth_params();
  p.lengths = {64};
  const WorkDepthResult r = run_work_depth(p);
  ASSERT_EQ(r.error, "");
  EXPECT_TRUE(r.measured_here);
  EXPECT_GT(r.rnn_ns_per_op, 0);
  EXPECT_GT(r.attention_ns_per_op, 0);
  EXPECT_GT(r.linear_ns_per_op, 0);
  EXPECT_LT(r.linear_ns_per_op, 1000);
  EXPECT_LT(r.rnn_ns_per_op, 1000);  // a nanosecond-scale operation, not a unit mix-up
}

TEST(ScalingSlices, AttentionRowSplitsGiveTheSameAnswer) {
  ScalingParams p = default_scaling_params();
  p.length = 300;
  const SliceResult whole = attention_rows(p, 0, p.length);
  ASSERT_EQ(whole.error, "");
  for (int parts : {2, 3, 8}) {
    const std::vector<int> cuts = balanced_row_splits(p.length, parts);
    ASSERT_EQ(cuts.size(), static_cast<std::size_t>(parts) + 1);
    double checksum = 0;
    for (int k = 0; k < parts; ++k) checksum += attention_rows(p, cuts[k], cuts[k + 1]).checksum;
    EXPECT_NEAR(checksum, whole.checksum, 1e-9 * (1 + std::fabs(whole.checksum))) << parts;
  }
  EXPECT_DOUBLE_EQ(whole.operations, work_depth("attention", p.length, p.hidden_size, p.input_size).work);
}

TEST(ScalingSlices, BalancedSplitsShareTheWork) {
  ScalingParams p = default_scaling_params();
  const std::vector<int> cuts = balanced_row_splits(p.length, 4);
  const double total = work_depth("attention", p.length, p.hidden_size, p.input_size).work;
  for (int k = 0; k < 4; ++k) {
    const double share = attention_rows(p, cuts[k], cuts[k + 1]).operations / total;
    EXPECT_NEAR(share, 0.25, 0.03) << k;  // the k/v projections each slice repeats are small
  }
}

TEST(ScalingSlices, RnnRelayEqualsOneRun) {
  ScalingParams p = default_scaling_params();
  p.length = 500;
  p.batch = 1;
  const SliceResult whole = rnn_relay_segment(p, 0, p.length, {});
  SliceResult part = rnn_relay_segment(p, 0, 123, {});
  part = rnn_relay_segment(p, 123, 400, part.state);
  part = rnn_relay_segment(p, 400, 500, part.state);
  ASSERT_EQ(part.error, "");
  ASSERT_EQ(part.state.size(), whole.state.size());
  for (std::size_t i = 0; i < whole.state.size(); ++i) EXPECT_DOUBLE_EQ(part.state[i], whole.state[i]);
  // Sequence 0 of the batch is the relay's sequence.
  EXPECT_DOUBLE_EQ(rnn_sequences(p, 0, 1).checksum, whole.checksum);
}

TEST(ScalingSlices, BatchSplitsGiveTheSameAnswer) {
  ScalingParams p = default_scaling_params();
  p.length = 200;
  p.batch = 6;
  const double whole = rnn_sequences(p, 0, 6).checksum;
  const double split = rnn_sequences(p, 0, 2).checksum + rnn_sequences(p, 2, 6).checksum;
  EXPECT_NEAR(split, whole, 1e-12 * (1 + std::fabs(whole)));
}

// The reference: the inputs drawn whole, the gates of every step at once, linear_recurrence over
// the whole sequence, every h_t summed.
double linear_reference(const ScalingParams& p, Eigen::VectorXd* last) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const LinearGates g = LinearGates::draw(rng, p.hidden_size, p.input_size, -3.0);
  Eigen::MatrixXd a(p.hidden_size, p.scan_length), b(p.hidden_size, p.scan_length), h(p.hidden_size, p.scan_length);
  g.compute(a, b, scan_inputs(p, 0, p.scan_length));
  linear_recurrence<double>(h, a, b, Eigen::VectorXd::Zero(p.hidden_size));
  *last = h.col(p.scan_length - 1);
  return h.sum();
}

TEST(ScalingSlices, ScanInputsDoNotDependOnTheRange) {
  ScalingParams p = default_scaling_params();
  p.scan_length = 1000;
  const Eigen::MatrixXd whole = scan_inputs(p, 0, 1000);
  EXPECT_EQ((scan_inputs(p, 250, 777) - whole.middleCols(250, 527)).cwiseAbs().maxCoeff(), 0.0);
  EXPECT_NE(whole(0, 0), whole(0, kScanBlock));  // blocks have streams of their own
}

// Phase 1 on every part, then phase 2 from the summaries: the summed outputs and end state equal
// the sequential pass's, for lengths not divisible by the parts (relative 1e-12: the carries
// round differently, ~n eps).
TEST(ScalingSlices, ScanPartsEqualTheSequentialPass) {
  ScalingParams p = default_scaling_params();
  p.hidden_size = 6;
  p.input_size = 3;
  for (int n : {16, 1001, 5000}) {
    p.scan_length = n;
    Eigen::VectorXd last;
    const double want = linear_reference(p, &last);
    const SliceResult one = slice_part("scan_sequential", p, 0, 1, {});
    ASSERT_EQ(one.error, "");
    EXPECT_NEAR(one.checksum, want, 1e-12 * std::fabs(want)) << n;
    for (int parts : {1, 2, 3, 7, 64}) {
      std::vector<double> summaries;
      double checksum = 0;
      for (int k = 0; k < parts; ++k) {
        const SliceResult c = slice_part("scan_chunk", p, k, parts, {});
        ASSERT_EQ(c.error, "");
        summaries.insert(summaries.end(), c.state.begin(), c.state.end());
      }
      SliceResult f;
      for (int k = 0; k < parts; ++k) {
        f = slice_part("scan_finish", p, k, parts, std::vector<double>(summaries.begin(), summaries.begin() + (k + 1) * 4 * p.hidden_size));
        ASSERT_EQ(f.error, "");
        checksum += f.checksum;
      }
      EXPECT_NEAR(checksum, want, 1e-12 * std::fabs(want)) << n << " in " << parts;
      for (int i = 0; i < p.hidden_size; ++i) EXPECT_NEAR(f.state[i], last(i), 1e-12 * (1 + std::fabs(last(i))));
      EXPECT_EQ(f.end, n);
    }
  }
}

TEST(ScalingSlices, ScanRefusals) {
  ScalingParams p = default_scaling_params();
  p.scan_length = 100;
  EXPECT_NE(slice_part("scan_sequential", p, 0, 2, {}).error.find("parts must be 1"), std::string::npos);
  EXPECT_NE(slice_part("scan_finish", p, 1, 2, std::vector<double>(4 * p.hidden_size)).error.find("parts 0 to 1"), std::string::npos);
  EXPECT_NE(scan_chunk(p, 50, 101).error.find("scan_length"), std::string::npos);
  p.scan_length = 1048576;
  p.hidden_size = 128;  // 5.8e9 operations; attention and the RNN batch stay below 4e9
  EXPECT_NE(validate(p).find("linear recurrence's pass must be at most 4e9"), std::string::npos);
}

TEST(ScalingSlices, RefusesBadRangesAndParameters) {
  ScalingParams p = default_scaling_params();
  EXPECT_NE(attention_rows(p, 5, 2).error.find("row_begin"), std::string::npos);
  EXPECT_NE(attention_rows(p, 0, p.length + 1).error.find("row_end"), std::string::npos);
  EXPECT_NE(rnn_sequences(p, 0, p.batch + 1).error.find("batch"), std::string::npos);
  EXPECT_NE(rnn_relay_segment(p, 0, 10, {1.0, 2.0}).error.find("state"), std::string::npos);
  p.length = 8192;
  p.hidden_size = 256;
  EXPECT_NE(validate(p).find("at most 4e9"), std::string::npos);
  p = default_scaling_params();
  p.length = 4;
  EXPECT_NE(validate(p).find("length must be an integer from 16 to 8192"), std::string::npos);
  WorkDepthParams w = default_work_depth_params();
  w.processors = {};
  EXPECT_NE(validate(w).find("processors"), std::string::npos);
}

}  // namespace
