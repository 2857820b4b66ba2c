// Every fast kernel against its plain reference, at sizes on both sides of each padding and
// block threshold (issue 10). The references are the shared building blocks written as the
// math: TanhRnn::step, the double cells' step and vjp (cells.h), attention_forward.
//   - FastRnnForward (fast_forward.cpp, experiment 1's timed pass), every variant this build can run:
//     Best (avx512vl-fma or avx2-fma on CPUs with them), Avx2, Portable (the 128-bit generic-vector kernel, the one
//     wasm runs with SIMD128; SSE2 here) and Eigen. Thresholds: H padded to a multiple of 8;
//     rows in blocks of 32 then single vectors; the wide loop above Hp = 64, in panels of 32
//     rows and a narrower last one; the final state's buffer alternating with the length's parity.
//   - TanhRnn::step_batch (retention's read-out): trials in blocks of 8, then the tail.
//   - FastCell (fast_cell.cpp, experiments 4 and 5), rnn, lstm, gru: H padded to 8, D to 4,
//     product rows in blocks of 8 vectors above 40 rows, then one block of 1..10 vectors.
//   - The parallel slices (parallel.cpp: attention rows, RNN sequences, relayed segments)
//     against the single-worker references, not only against each other.
// The vectorised double tanh has its own tests (fast_math_test.cpp: every branch, every tail).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <Eigen/Core>
#include <gtest/gtest.h>

#include "core/blocks/attention.h"
#include "core/blocks/cells.h"
#include "core/blocks/fast_cell.h"
#include "core/blocks/numpy_random.h"
#include "core/experiments/parallel.h"
#include "core/blocks/rnn.h"

namespace {

using namespace rnn_lesson;

// Hidden sizes on both sides of every threshold of the float32 kernels (8-padding, 32-row
// blocks, 40-row merged blocks, the wide loop above 64 with its 32-row panels and a last panel
// of 8, 16 or 24 rows (Hp = 72, 80, 88, 136) or none (128, 512: issue 15's size)).
const std::vector<int> kHiddenSizes = {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 39, 40, 41,
                                       63, 64, 65, 72, 73, 88, 127, 128, 129, 512};

// ---- FastRnnForward --------------------------------------------------------------------
//
// Reference: TanhRnn::step in double on the kernel's own inputs, the weights rounded to float
// first (as the kernels hold them), so only the kernels' arithmetic differs. That is float32
// products and sums (unit roundoff 6e-8; |z| <= ~3 and the sums' rounding grows like
// sqrt(H + D) in practice) and a tanh with max abs error 1.2e-6 (the vector kernels' rational
// approximation; Eigen's float tanh is a few ulps). Per step the error is then a few 1e-6 at
// most, and the recurrence (spectral radius <= 0.9 here, tanh' <= 1) does not grow it beyond a
// small multiple. Tolerance: 1e-5 absolute per unit (h is O(0.1..1)); measured worst 2.6e-6
// (printed by the test).
constexpr double kForwardTolerance = 1e-5;

struct ForwardCase {
  double recurrent_scale, input_scale;  // kata (0.5, 0.1); saturating with the clamp at 7 hit
};

TEST(FastRnnForwardKernels, EveryVariantMatchesStepAtEverySize) {
  const FastRnnForward::Variant variants[] = {FastRnnForward::Variant::Best, FastRnnForward::Variant::Portable,
                                              FastRnnForward::Variant::Eigen, FastRnnForward::Variant::Avx2};
  std::set<std::string> kernels_seen;
  double worst = 0;
  for (const ForwardCase c : {ForwardCase{0.5, 0.1}, ForwardCase{0.9, 6.0}})
    for (int H : kHiddenSizes)
      for (int D : {1, 4, 8}) {  // (16, 4) and (32, 8) are the Eigen kernel's fixed sizes
        NumpyRandom rng(1000 + 7 * H + D);
        const TanhRnn rnn = TanhRnn::draw(rng, H, D, c.recurrent_scale);
        const int L = 37;
        const Eigen::MatrixXf inputs = (rng.randn(D, L) * c.input_scale).cast<float>();
        TanhRnn rounded;
        rounded.Wh = rnn.Wh.cast<float>().cast<double>();
        rounded.Wx = rnn.Wx.cast<float>().cast<double>();
        std::vector<Eigen::VectorXd> ref(L + 1, Eigen::VectorXd::Zero(H));  // ref[t]: h after t steps
        for (int t = 0; t < L; ++t) ref[t + 1] = rounded.step(ref[t], inputs.col(t).cast<double>());
        for (const auto variant : variants) {
          FastRnnForward fast(rnn, variant);
          kernels_seen.insert(fast.kernel_name());
          for (int length : {1, 37, 2}) {  // both parities; a shorter run after a longer one
            const float checksum = fast.run(inputs, length);
            const Eigen::VectorXd got = fast.state().cast<double>();
            ASSERT_EQ(got.size(), H);
            const double err = (got - ref[length]).cwiseAbs().maxCoeff();
            worst = std::max(worst, err);
            EXPECT_LE(err, kForwardTolerance) << fast.kernel_name() << " H=" << H << " D=" << D << " L=" << length
                                              << " scale " << c.input_scale;
            EXPECT_NEAR(checksum, got.sum(), 1e-4 * (1 + got.cwiseAbs().sum()));  // same state, summed
          }
        }
      }
  std::string names;
  for (const std::string& k : kernels_seen) names += k + " ";
  std::printf("  kernels run: %s; worst |h - step()| %.2e (tolerance %.0e)\n", names.c_str(), worst,
              kForwardTolerance);
#if defined(__GNUC__)
  EXPECT_TRUE(kernels_seen.count("vector128")) << "the portable kernel wasm runs was not tested";
  EXPECT_TRUE(kernels_seen.count("eigen"));
#endif
#if defined(__GNUC__) && (defined(__x86_64__) || defined(__i386__))
  // With the run-time dispatch built in (RNN_LESSON_AVX2_DISPATCH, on by default) and an AVX2
  // CPU, Avx2 ran AVX2+FMA; then Best must have picked AVX-512VL where the CPU has it.
  __builtin_cpu_init();
  const bool avx512vl = __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
  if (kernels_seen.count("avx2-fma")) EXPECT_EQ(kernels_seen.count("avx512vl-fma"), avx512vl ? 1u : 0u);
  else EXPECT_EQ(kernels_seen.count("avx512vl-fma"), 0u);
#endif
}

// ---- TanhRnn::step_batch -----------------------------------------------------------------
//
// Double against double: the batch sums inputs then units in its own order, step() through
// Eigen's products, and tanh_in_place is within 5e-16 of std::tanh. With at most 60 terms of
// size <= ~1 per sum, rounding differs by at most ~60 * 1.1e-16 * sum|terms| ~ 1e-14 per step;
// 1e-13 absolute over three steps.
TEST(StepBatchKernel, MatchesStepForEveryTrial) {
  double worst = 0;
  for (int M : {1, 7, 8, 9, 15, 16, 17, 33})
    for (int H : {1, 3, 8, 9, 17, 33})
      for (int D : {1, 4, 5}) {
        NumpyRandom rng(50 + M + 3 * H + 11 * D);
        const TanhRnn rnn = TanhRnn::draw(rng, H, D, 0.9);
        Eigen::MatrixXd states = rng.randn(M, H) * 0.7, next(M, H);
        Eigen::MatrixXd ref = states;
        for (int step = 0; step < 3; ++step) {
          const Eigen::MatrixXd inputs = rng.randn(M, D) * 2.0;
          rnn.step_batch(states, inputs, next);
          for (int m = 0; m < M; ++m)
            ref.row(m) = rnn.step(ref.row(m).transpose(), inputs.row(m).transpose()).transpose();
          states.swap(next);
          const double err = (states - ref).cwiseAbs().maxCoeff();
          worst = std::max(worst, err);
          ASSERT_LE(err, 1e-13) << "M=" << M << " H=" << H << " D=" << D << " step " << step;
        }
      }
  std::printf("  step_batch: worst |next - step()| %.2e (tolerance 1e-13)\n", worst);
}

// ---- FastCell ------------------------------------------------------------------------------
//
// The float32 cells against the double cells, one step and one vjp, at hidden sizes that
// fill the 4-float vectors and 8-vector row blocks exactly and ones that need padding and
// tails, states in the nonlinear range and pre-activations far into saturation (no NaN,
// gates at their limits). Float rounding through one step is ~1e-7 relative: tolerance 1e-5
// relative to each vector's norm, plus a floor of 1e-6 |v|, float's resolution of derivative
// terms of order |v|. The floor is needed in saturation (1 - tanh^2 falls below float
// resolution: 0 or a few 1e-8 where double has 1e-20) and where a gradient is small by
// cancellation (measured: GRU, H=31, D=1: |g_x| 1e-2, error 1.7e-7, from terms of
// order |v| ~ 5, which float's unit roundoff 6e-8 rounds by ~3e-7).
class FastCellKernel : public ::testing::TestWithParam<std::string> {};

TEST_P(FastCellKernel, MatchesTheDoubleCellAtEverySize) {
  for (int H : {1, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40, 41, 64, 65, 72, 73})
    for (int D : {1, 3, 4, 5, 8, 9}) {
      NumpyRandom rng(300 + 13 * H + D);
      CellInit init;
      init.recurrent_scale = 1.2;
      init.input_scale = 1.0;
      init.update_bias = -0.7;
      const std::unique_ptr<RecurrentCell> cell = draw_cell(GetParam(), rng, H, D, init);
      FastCell fast(*cell);
      for (double input_scale : {1.0, 60.0}) {  // 60: saturated gates
        const Eigen::VectorXd state = rng.randn(cell->state_size()) * 0.7;
        const Eigen::VectorXd x = rng.randn(D) * input_scale;
        const Eigen::VectorXd v = rng.randn(cell->state_size());
        const Eigen::VectorXd next = cell->step(state, x), next_f = fast.step(state, x);
        ASSERT_TRUE(next_f.allFinite());
        EXPECT_LT((next - next_f).norm(), 1e-5 * next.norm()) << "H=" << H << " D=" << D;
        const CellVjp exact = cell->vjp(state, x, next, v), got = fast.vjp(state, x, v);
        ASSERT_TRUE(got.state_prev.allFinite() && got.x.allFinite());
        const double floor = 1e-6 * v.norm();
        EXPECT_LT((exact.state_prev - got.state_prev).norm(), 1e-5 * exact.state_prev.norm() + floor)
            << "H=" << H << " D=" << D << " scale " << input_scale;
        EXPECT_LT((exact.x - got.x).norm(), 1e-5 * exact.x.norm() + floor)
            << "H=" << H << " D=" << D << " scale " << input_scale;
      }
    }
}

INSTANTIATE_TEST_SUITE_P(EveryArchitecture, FastCellKernel, ::testing::Values("rnn", "lstm", "gru"),
                         [](const auto& info) { return info.param; });

// ---- the parallel slices against one worker -----------------------------------------------
//
// What every worker draws (parallel.cpp): from NumpyRandom(seed) the attention layer (Wq, Wk,
// Wv) then one randn(D) per token; from NumpyRandom(seed) the RNN (TanhRnn::draw, scale 0.5);
// from NumpyRandom(seed + 1 + s) sequence s's inputs, randn(D) * 0.1 per step. The references
// recompute these with attention_forward and TanhRnn::step. Both sides are double; they sum
// in different orders (row products vs one matrix product), so the tolerance is 1e-12
// relative to the summed magnitudes (about 1e4 roundings of 1.1e-16 each at most).

std::vector<ScalingParams> slice_cases() {
  std::vector<ScalingParams> cases;
  for (int H : {1, 4, 5, 17, 33})
    for (int D : {1, 3, 8})
      for (int n : {16, 17, 64}) {
        ScalingParams p = default_scaling_params();
        p.hidden_size = H;
        p.input_size = D;
        p.length = n;
        p.batch = 5;
        p.seed = 7 + H + D + n;
        cases.push_back(p);
      }
  return cases;
}

std::string describe(const ScalingParams& p) {
  return "H=" + std::to_string(p.hidden_size) + " D=" + std::to_string(p.input_size) + " n=" + std::to_string(p.length);
}

TEST(ParallelSlices, AttentionRowsMatchOneWorkersForwardPass) {
  for (const ScalingParams& p : slice_cases()) {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
    const AttentionLayer layer = AttentionLayer::draw(rng, p.hidden_size, p.input_size);
    Eigen::MatrixXd tokens(p.input_size, p.length);
    for (int t = 0; t < p.length; ++t) tokens.col(t) = rng.randn(p.input_size);
    const Eigen::MatrixXd Y = attention_forward(layer, tokens);  // (K, n): the whole pass
    for (int parts : {1, 2, 3, 8}) {
      const std::vector<int> cuts = balanced_row_splits(p.length, parts);
      for (int k = 0; k < parts; ++k) {
        const int r0 = cuts[k], r1 = cuts[k + 1];
        const SliceResult slice = attention_rows(p, r0, r1);
        ASSERT_EQ(slice.error, "");
        const auto rows = Y.middleCols(r0, r1 - r0);
        EXPECT_NEAR(slice.checksum, rows.sum(), 1e-12 * (1 + rows.cwiseAbs().sum()))
            << describe(p) << " rows " << r0 << ".." << r1;
      }
    }
  }
}

TanhRnn scaling_rnn(const ScalingParams& p) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  return TanhRnn::draw(rng, p.hidden_size, p.input_size, 0.5);
}

// h after `steps` steps of sequence s, by TanhRnn::step. (H)
std::vector<Eigen::VectorXd> reference_states(const ScalingParams& p, const TanhRnn& rnn, int s) {
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + 1u + static_cast<std::uint32_t>(s));
  std::vector<Eigen::VectorXd> h(p.length + 1, Eigen::VectorXd::Zero(p.hidden_size));  // h[t]: after t steps
  for (int t = 0; t < p.length; ++t) h[t + 1] = rnn.step(h[t], rng.randn(p.input_size) * 0.1);
  return h;
}

TEST(ParallelSlices, RnnSequencesMatchOneWorkersSteps) {
  for (const ScalingParams& p : slice_cases()) {
    const TanhRnn rnn = scaling_rnn(p);
    std::vector<double> final_sum, final_abs;
    for (int s = 0; s < p.batch; ++s) {
      const Eigen::VectorXd h = reference_states(p, rnn, s).back();
      final_sum.push_back(h.sum());
      final_abs.push_back(h.cwiseAbs().sum());
    }
    for (auto [b, e] : {std::pair{0, 5}, std::pair{0, 1}, std::pair{1, 4}, std::pair{4, 5}, std::pair{2, 2}}) {
      double ref = 0, scale = 1;
      for (int s = b; s < e; ++s) {
        ref += final_sum[s];
        scale += final_abs[s];
      }
      const SliceResult slice = rnn_sequences(p, b, e);
      ASSERT_EQ(slice.error, "");
      EXPECT_NEAR(slice.checksum, ref, 1e-12 * scale) << describe(p) << " sequences " << b << ".." << e;
    }
  }
}

TEST(ParallelSlices, RelayedSegmentsMatchOneWorkersSteps) {
  for (const ScalingParams& p : slice_cases()) {
    const std::vector<Eigen::VectorXd> ref = reference_states(p, scaling_rnn(p), 0);
    const int n = p.length;
    for (const std::vector<int>& cuts : {std::vector<int>{0, n}, std::vector<int>{0, 1, n / 2, n / 2, n - 1, n}}) {
      std::vector<double> state;  // empty: the first segment starts from zeros
      for (std::size_t k = 0; k + 1 < cuts.size(); ++k) {
        const SliceResult seg = rnn_relay_segment(p, cuts[k], cuts[k + 1], state);
        ASSERT_EQ(seg.error, "");
        ASSERT_EQ(seg.state.size(), static_cast<std::size_t>(p.hidden_size));
        const Eigen::VectorXd& h = ref[cuts[k + 1]];
        for (int i = 0; i < p.hidden_size; ++i)
          EXPECT_NEAR(seg.state[i], h(i), 1e-12 * (1 + std::fabs(h(i)))) << describe(p) << " after step " << cuts[k + 1];
        EXPECT_NEAR(seg.checksum, h.sum(), 1e-12 * (1 + h.cwiseAbs().sum()));
        state = seg.state;
      }
    }
  }
}

}  // namespace
