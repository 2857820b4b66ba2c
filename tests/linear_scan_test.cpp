// The chunked scan of the linear recurrence equals the sequential pass (float and double,
// several chunkings, lengths not divisible by the chunk count), and the chunk summaries the
// parallel section's workers exchange give the same summed outputs and end state.
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/linear_scan.h"

namespace {

using namespace rnn_lesson;

// Decays in (0.5, 1) and inputs in (-1, 1), from a fixed seed: (H, n) each.
template <class S>
void draw(int H, int n, ScanMatrix<S>& a, ScanMatrix<S>& b, ScanVector<S>& h0) {
  NumpyRandom rng(7);
  const Eigen::VectorXd da = rng.uniform(0.5, 1.0, H * n), db = rng.uniform(-1.0, 1.0, H * n);
  a = Eigen::Map<const Eigen::MatrixXd>(da.data(), H, n).template cast<S>();
  b = Eigen::Map<const Eigen::MatrixXd>(db.data(), H, n).template cast<S>();
  h0 = rng.uniform(-1.0, 1.0, H).template cast<S>();
}

// Largest |scan - sequential| over all states, for each chunking.
template <class S>
void expect_scan_equals_sequential(double tolerance) {
  const int H = 5;
  for (int n : {1, 7, 100, 1001}) {
    ScanMatrix<S> a, b;
    ScanVector<S> h0;
    draw<S>(H, n, a, b, h0);
    ScanMatrix<S> sequential(H, n), scanned(H, n);
    linear_recurrence<S>(sequential, a, b, h0);
    for (int chunks : {1, 2, 3, 7, 16, 1024}) {
      scanned.setConstant(S(99));
      linear_scan_chunked<S>(scanned, a, b, h0, chunks);
      const double worst = (scanned - sequential).cwiseAbs().maxCoeff();
      const double scale = 1 + sequential.cwiseAbs().maxCoeff();
      EXPECT_LE(worst, tolerance * scale) << "n = " << n << ", chunks = " << chunks;
    }
  }
}

// Tolerance relative to 1 + max |h_t|: the scan and the loop round differently only in the
// carries (a chunk's aggregate instead of its steps one by one), at most ~n rounding errors:
// double 1e-12 (n eps = 2e-13 at n = 1001), float 1e-4 (n eps = 1.2e-4 at worst; typical 1e-6).
TEST(LinearScan, ChunkedEqualsSequentialDouble) { expect_scan_equals_sequential<double>(1e-12); }
TEST(LinearScan, ChunkedEqualsSequentialFloat) { expect_scan_equals_sequential<float>(1e-4); }

TEST(LinearScan, ComposingTwoStepsIsOneStep) {
  // (a2 a1, a2 b1 + b2) applied to h equals the two steps one after the other.
  LinearStep<double> s1{Eigen::Vector2d(0.5, 0.9), Eigen::Vector2d(1.0, -2.0)};
  LinearStep<double> s2{Eigen::Vector2d(0.25, 2.0), Eigen::Vector2d(3.0, 0.5)};
  const Eigen::Vector2d h(4.0, -1.0);
  const LinearStep<double> both = then(s1, s2);
  const Eigen::Vector2d twice = s2.a.cwiseProduct(s1.a.cwiseProduct(h) + s1.b) + s2.b;
  EXPECT_DOUBLE_EQ((both.a.cwiseProduct(h) + both.b)(0), twice(0));
  EXPECT_DOUBLE_EQ((both.a.cwiseProduct(h) + both.b)(1), twice(1));
  EXPECT_DOUBLE_EQ(both.a(0), 0.125);  // hand: 0.25 * 0.5
  EXPECT_DOUBLE_EQ(both.b(0), 3.25);   // hand: 0.25 * 1 + 3
}

// A chunk's summary, from any start state c: its summed outputs and end state equal the
// sequential pass's; summaries of blocks composed equal the summary of the whole.
TEST(LinearScan, SummariesGiveSummedOutputsAndEndState) {
  const int H = 4, n = 203;
  ScanMatrix<double> a, b;
  ScanVector<double> c;
  draw<double>(H, n, a, b, c);
  Eigen::MatrixXd h(H, n);
  linear_recurrence<double>(h, a, b, c);
  const Eigen::VectorXd want_sum = h.rowwise().sum();
  LinearChunkSummary folded = LinearChunkSummary::identity(H);
  for (int t0 = 0; t0 < n; t0 += 50) {
    const int m = std::min(50, n - t0);
    folded = summarize_then(folded, summarize(a.middleCols(t0, m), b.middleCols(t0, m)));
  }
  const LinearChunkSummary whole = summarize(a, b);
  const LinearChunkSummary* both[] = {&whole, &folded};
  for (const LinearChunkSummary* s : both) {
    EXPECT_LE((s->summed_outputs(c) - want_sum).cwiseAbs().maxCoeff(), 1e-11);
    EXPECT_LE((s->end_state(c) - h.col(n - 1)).cwiseAbs().maxCoeff(), 1e-12);
  }
}

// The gates are minGRU's: 1 - a = z = sigma(Wz x + bz) and b = z (Wh x + bh), checked one
// entry at a time against the formula.
TEST(LinearScan, GatesAreMinGrus) {
  NumpyRandom rng(3);
  const LinearGates g = LinearGates::draw(rng, 3, 2, -3.0);
  const Eigen::MatrixXd x = rng.randn(2, 4);
  Eigen::MatrixXd a(3, 4), b(3, 4);
  g.compute(a, b, x);
  for (int i = 0; i < 3; ++i) {
    for (int t = 0; t < 4; ++t) {
      const double z = 1 / (1 + std::exp(-(g.Wz.row(i).dot(x.col(t)) - 3.0)));
      EXPECT_NEAR(a(i, t), 1 - z, 1e-15);
      EXPECT_NEAR(b(i, t), z * g.Wh.row(i).dot(x.col(t)), 1e-15);
    }
  }
}

}  // namespace
