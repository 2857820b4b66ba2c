// Experiment 9's core half (core/experiments/gpu.h): the inputs are float32 numbers drawn in
// the documented order, and every reference equals a plain loop written here from GPU.md's
// formulas (row-major arrays, the cyclic batch rule), not from the blocks the core reuses.
#include <cmath>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"
#include "core/experiments/gpu.h"

namespace {

using namespace rnn_lesson;

GpuParams small() {
  GpuParams p = default_gpu_params();
  p.hidden = 7;
  p.key_size = 5;
  p.batch = 12;  // more sequences than steps: rotations wrap (b mod Lc)
  p.check_length = 9;
  p.lengths = {4, 30};
  p.seed = 3;
  return p;
}

// h_t[j] = tanh(sum_i h_{t-1}[i] wh[i*H + j] + drive[row(t)*H + j]), h_{-1} = 0, t < steps.
std::vector<double> rnn_loop(const std::vector<double>& wh, const std::vector<double>& drive, int H, int Lc,
                             int rotation) {
  std::vector<double> h(H, 0.0), next(H);
  for (int t = 0; t < Lc; ++t) {
    const int row = (t + rotation) % Lc;
    for (int j = 0; j < H; ++j) {
      double z = drive[row * H + j];
      for (int i = 0; i < H; ++i) z += h[i] * wh[i * H + j];
      next[j] = std::tanh(z);
    }
    h = next;
  }
  return h;
}

// A relative-plus-absolute closeness for double results whose sums were added in a different
// order: 1e-12 is ~10^4 times the rounding of these short sums.
void expect_close(const std::vector<double>& got, const std::vector<double>& want, double tol, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (std::size_t i = 0; i < got.size(); ++i)
    ASSERT_NEAR(got[i], want[i], tol * (1 + std::fabs(want[i]))) << what << " [" << i << "]";
}

TEST(Gpu, DefaultsAndRangesAreGpuMdsInterface) {
  const GpuParams d = default_gpu_params();
  EXPECT_EQ(d.hidden, 64);
  EXPECT_EQ(d.key_size, 64);
  EXPECT_EQ(d.batch, 32);
  EXPECT_EQ(d.lengths, (std::vector<int>{16, 64, 256, 1024}));
  EXPECT_EQ(d.check_length, 256);
  EXPECT_EQ(d.repeats, 5);
  EXPECT_EQ(d.seed, 0);
  EXPECT_EQ(validate(d), "");
  struct Range { const char* name; double min, max; int count; };
  const std::vector<Range> want = {{"hidden", 1, 256, 1},     {"key_size", 1, 256, 1},   {"batch", 1, 1024, 1},
                                   {"lengths", 1, 16384, 12}, {"check_length", 1, 2048, 1}, {"repeats", 1, 50, 1},
                                   {"seed", 0, 2147483647, 1}};
  ASSERT_EQ(gpu_fields().size(), want.size());
  for (std::size_t i = 0; i < want.size(); ++i) {
    const ParamSpec& s = gpu_fields()[i].spec;
    EXPECT_EQ(s.name, want[i].name);
    EXPECT_EQ(s.min, want[i].min) << s.name;
    EXPECT_EQ(s.max, want[i].max) << s.name;
    if (s.type == ParamType::IntegerList) {
      EXPECT_EQ(s.max_count, want[i].count);
    }
    EXPECT_FALSE(s.label.empty()) << s.name;
  }
}

TEST(Gpu, InputsAreFloat32NumbersOfTheDocumentedShapes) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  const int H = p.hidden, K = p.key_size, Lc = p.check_length;
  const std::vector<std::pair<const std::vector<double>*, int>> inputs = {
      {&r.rnn_wh, H * H}, {&r.rnn_drive, Lc * H}, {&r.attention_q, Lc * K}, {&r.attention_k, Lc * K},
      {&r.attention_v, Lc * K}, {&r.scan_a, Lc * H}, {&r.scan_b, Lc * H}};
  for (const auto& [x, n] : inputs) {
    ASSERT_EQ(x->size(), static_cast<std::size_t>(n));
    for (double v : *x) EXPECT_EQ(double(float(v)), v);
  }
  EXPECT_EQ(r.rnn_final.size(), static_cast<std::size_t>(H));
  EXPECT_EQ(r.batch_final.size(), static_cast<std::size_t>(p.batch * H));
  EXPECT_EQ(r.attention_out.size(), static_cast<std::size_t>(Lc * K));
  EXPECT_EQ(r.scan_out.size(), static_cast<std::size_t>(Lc * H));
  // The decays are sigma(-(Wz x - 3)): all in (0, 1), most near 0.95.
  double mean = 0;
  for (double a : r.scan_a) {
    EXPECT_GT(a, 0.0);
    EXPECT_LT(a, 1.0);
    mean += a / r.scan_a.size();
  }
  EXPECT_GT(mean, 0.85);
}

// The draws in gpu.h's order, redone from the raw stream: Wh first (randn(H, H) * 0.5 /
// sqrt(H), row-major as sent), then Wx and the RNN's inputs, whose product is the drive.
TEST(Gpu, DrawsFollowTheDocumentedOrder) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  const int H = p.hidden, Lc = p.check_length;
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const Eigen::MatrixXd wh = rng.randn(H, H), wx = rng.randn(H, H), x = rng.randn(Lc, H);
  const double scale = 0.5 / std::sqrt(double(H));
  for (int i = 0; i < H; ++i)
    for (int j = 0; j < H; ++j) EXPECT_EQ(r.rnn_wh[i * H + j], double(float(wh(i, j) * scale))) << i << "," << j;
  for (int t = 0; t < Lc; ++t)
    for (int j = 0; j < H; ++j) {
      double d = 0;
      for (int i = 0; i < H; ++i) d += x(t, i) * wx(i, j) * scale;
      // float32 rounding of a double that may differ in its last bits: one float32 step.
      EXPECT_NEAR(r.rnn_drive[t * H + j], d, 1.2e-7 * std::fabs(d) + 1e-300) << t << "," << j;
    }
}

TEST(Gpu, RnnFinalStateEqualsAPlainLoop) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  expect_close(r.rnn_final, rnn_loop(r.rnn_wh, r.rnn_drive, p.hidden, p.check_length, 0), 1e-12, "rnn_final");
  double largest = 0;
  for (double h : r.rnn_final) largest = std::fmax(largest, std::fabs(h));
  EXPECT_GT(largest, 0.05);  // a state that moved, not zeros
  EXPECT_LT(largest, 1.0);
}

TEST(Gpu, BatchSequenceBRunsTheDriveRotatedByB) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  const int H = p.hidden;
  // Sequence 0 is the single RNN (the same arithmetic: equal to the last bit).
  for (int j = 0; j < H; ++j) EXPECT_EQ(r.batch_final[j], r.rnn_final[j]);
  for (int b = 0; b < p.batch; ++b) {
    const std::vector<double> row(r.batch_final.begin() + b * H, r.batch_final.begin() + (b + 1) * H);
    expect_close(row, rnn_loop(r.rnn_wh, r.rnn_drive, H, p.check_length, b), 1e-12, "batch row " + std::to_string(b));
  }
  // Rotations b and b + Lc are the same sequence; b and b + 1 are not.
  const int Lc = p.check_length;
  for (int j = 0; j < H; ++j) EXPECT_EQ(r.batch_final[(1 + Lc) * H + j], r.batch_final[1 * H + j]);
  EXPECT_NE(r.batch_final[H], r.batch_final[0]);
}

TEST(Gpu, AttentionOutEqualsANaiveCausalSoftmax) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  const int K = p.key_size, Lc = p.check_length;
  std::vector<double> want(Lc * K, 0.0);
  for (int t = 0; t < Lc; ++t) {
    std::vector<double> w(t + 1);
    double top = -1e300, total = 0;
    for (int j = 0; j <= t; ++j) {
      double s = 0;
      for (int c = 0; c < K; ++c) s += r.attention_q[t * K + c] * r.attention_k[j * K + c];
      w[j] = s / std::sqrt(double(K));
      top = std::fmax(top, w[j]);
    }
    for (double& x : w) total += (x = std::exp(x - top));
    for (int j = 0; j <= t; ++j)
      for (int c = 0; c < K; ++c) want[t * K + c] += w[j] / total * r.attention_v[j * K + c];
  }
  expect_close(r.attention_out, want, 1e-12, "attention_out");
  // y_0 is v_0 (one visible token).
  for (int c = 0; c < K; ++c) EXPECT_NEAR(r.attention_out[c], r.attention_v[c], 1e-15);
}

TEST(Gpu, ScanOutEqualsThePlainRecurrence) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  const int H = p.hidden, Lc = p.check_length;
  std::vector<double> h(H, 0.0), want;
  for (int t = 0; t < Lc; ++t)
    for (int j = 0; j < H; ++j) want.push_back(h[j] = r.scan_a[t * H + j] * h[j] + r.scan_b[t * H + j]);
  expect_close(r.scan_out, want, 1e-15, "scan_out");  // one multiply and one add per entry: no reordering
}

TEST(Gpu, WorkCountsFollowTheLengths) {
  const GpuParams p = small();
  const GpuResult r = run_gpu(p);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.lengths, p.lengths);
  ASSERT_EQ(r.attention_multiply_adds.size(), 2u);
  EXPECT_EQ(r.rnn_multiply_adds[1], 30.0 * 7 * 7);
  EXPECT_EQ(r.batch_multiply_adds[1], 12.0 * 30 * 7 * 7);
  EXPECT_EQ(r.attention_multiply_adds[1], 30.0 * 31 * 5);
  EXPECT_EQ(r.scan_multiply_adds[0], 4.0 * 7);
}

TEST(Gpu, DeterministicForASeed) {
  GpuParams p = small();
  const GpuResult a = run_gpu(p), b = run_gpu(p);
  EXPECT_EQ(a.rnn_drive, b.rnn_drive);
  EXPECT_EQ(a.batch_final, b.batch_final);
  EXPECT_EQ(a.attention_out, b.attention_out);
  EXPECT_EQ(a.scan_out, b.scan_out);
  p.seed += 1;
  EXPECT_NE(run_gpu(p).rnn_wh, a.rnn_wh);
  // The timed lengths and repeats are the page's only: they change no input nor reference.
  p = small();
  p.lengths = {1};
  p.repeats = 50;
  EXPECT_EQ(run_gpu(p).attention_out, a.attention_out);
}

TEST(Gpu, ValidateRefusesEachSettingWithOneSentenceNamingIt) {
  struct Case { std::string name; GpuParams p; std::string needle; };
  std::vector<Case> cases;
  const auto with = [&](const std::string& needle, auto change) {
    GpuParams p = default_gpu_params();
    change(p);
    cases.push_back({needle, p, needle});
  };
  with("hidden", [](GpuParams& p) { p.hidden = 0; });
  with("hidden", [](GpuParams& p) { p.hidden = 257; });
  with("key_size", [](GpuParams& p) { p.key_size = 257; });
  with("batch", [](GpuParams& p) { p.batch = 1025; });
  with("lengths", [](GpuParams& p) { p.lengths = {16, 16385}; });
  with("lengths", [](GpuParams& p) { p.lengths = std::vector<int>(13, 8); });
  with("lengths", [](GpuParams& p) { p.lengths = {}; });
  with("check_length", [](GpuParams& p) { p.check_length = 2049; });
  with("repeats", [](GpuParams& p) { p.repeats = 0; });
  with("repeats", [](GpuParams& p) { p.repeats = 51; });
  with("seed", [](GpuParams& p) { p.seed = -1; });
  // The timing caps: 2^31 for the batch (2^34 here), 2^31 for attention (2^36 here).
  with("batch * max(lengths) * hidden^2", [](GpuParams& p) { p.batch = 16; p.check_length = 16; p.hidden = 256; p.lengths = {16384}; });
  with("max(lengths)^2 * key_size", [](GpuParams& p) { p.key_size = 256; p.lengths = {16384}; p.batch = 1; p.hidden = 8; });
  // The reference cap (2e8): 2 (B + 1) Lc H^2 alone is 2^28 here.
  with("check_length * ((2 batch + 5) hidden^2 + hidden", [](GpuParams& p) { p.batch = 127; });
  with("check_length * ((2 batch + 5) hidden^2 + hidden", [](GpuParams& p) { p.key_size = 256; p.check_length = 2048; p.hidden = 1; p.batch = 1; });
  for (const Case& c : cases) {
    const std::string error = validate(c.p);
    EXPECT_NE(error.find(c.needle), std::string::npos) << c.needle << ": " << error;
    EXPECT_EQ(error.find('\n'), std::string::npos) << error;
    const GpuResult r = run_gpu(c.p);
    EXPECT_EQ(r.error, error);
    EXPECT_TRUE(r.rnn_final.empty() && r.attention_out.empty());
  }
  // Just inside the caps.
  GpuParams p = default_gpu_params();
  p.batch = 2;
  p.check_length = 16;
  p.hidden = 256;
  p.key_size = 8;
  p.lengths = {16384};
  EXPECT_EQ(validate(p), "");  // 2^1 * 2^14 * 2^16 = 2^31
  p.batch = 3;
  EXPECT_NE(validate(p), "");
  p = default_gpu_params();
  p.key_size = 8;
  p.lengths = {16384};
  p.batch = 1;
  EXPECT_EQ(validate(p), "");  // 2^28 * 2^3 = 2^31
  p.key_size = 9;
  EXPECT_NE(validate(p), "");
  // At the defaults the references allow B <= 83: 256 (4096 (2 B + 5) + 64 + 12 * 4096 + 1.5 * 256 * 64)
  // is 198197248 at 83, 200294400 at 84.
  p = default_gpu_params();
  p.batch = 83;
  EXPECT_EQ(validate(p), "");
  p.batch = 84;
  EXPECT_NE(validate(p).find("(got 200294400)"), std::string::npos) << validate(p);
}

TEST(Gpu, ProgressRisesToOneAndCancelStops) {
  std::vector<double> seen;
  const GpuResult r = run_gpu(small(), [&](double f) { seen.push_back(f); return true; });
  ASSERT_EQ(r.error, "");
  ASSERT_FALSE(seen.empty());
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GT(seen[i], seen[i - 1]);
  EXPECT_GT(seen.front(), 0.0);
  EXPECT_EQ(seen.back(), 1.0);
  const GpuResult stopped = run_gpu(small(), [](double) { return false; });
  EXPECT_EQ(stopped.error, "cancelled");
  EXPECT_TRUE(stopped.rnn_wh.empty());
}

}  // namespace
