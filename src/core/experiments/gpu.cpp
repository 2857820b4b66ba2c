// Experiment 9, on your GPU: the inputs the page's kernels run on and the references their
// outputs are compared with; see gpu.h.
#include "core/experiments/gpu.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "core/blocks/attention.h"
#include "core/blocks/linear_scan.h"
#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxBatchMacs = 2147483648.0;       // 2^31: B * max(L) * H^2 per timed run
constexpr double kMaxAttentionMacs = 2147483648.0;   // 2^31: max(L)^2 * K per timed run
constexpr double kScanGateBias = -3.0;               // experiment 6's (parallel_scan.cpp)

int largest(const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); }

// Rounds every entry to the nearest float32: what the page sends the GPU.
void to_float32(Eigen::MatrixXd& m) { m = m.cast<float>().cast<double>(); }

// A (rows, cols) matrix's entries column after column: for an (H, Lc) matrix whose column t is
// step t, the row-major Lc x H array the page uses.
std::vector<double> flat(const Eigen::MatrixXd& m) { return std::vector<double>(m.data(), m.data() + m.size()); }

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<GpuParams>>& gpu_fields() {
  static const std::vector<Field<GpuParams>> table = {
      {{"hidden", ParamType::Integer, 1, 256, 1, "64", {},
        "hidden size H of the tanh RNN (its chain and the batch) and of the linear recurrence", "Hidden size H"},
       &GpuParams::hidden},
      {{"key_size", ParamType::Integer, 1, 256, 1, "64", {}, "attention's key size K: q, k, v and the output have K numbers per token",
        "Key size K"},
       &GpuParams::key_size},
      {{"batch", ParamType::Integer, 1, 1024, 1, "32", {},
        "independent RNN sequences B run side by side on the GPU, one workgroup each", "Batch of sequences B"},
       &GpuParams::batch},
      {{"lengths", ParamType::IntegerList, 1, 16384, 12, "16,64,256,1024", {},
        "sequence lengths L the GPU times each kernel at (past check_length the inputs repeat)", "Lengths L"},
       &GpuParams::lengths},
      {{"check_length", ParamType::Integer, 1, 2048, 1, "256", {},
        "length Lc of the drawn inputs, at which every GPU output is compared with the core's double-precision result",
        "Checked length Lc", Tier::Advanced},
       &GpuParams::check_length},
      {{"repeats", ParamType::Integer, 1, 50, 1, "5", {},
        "timed runs of each kernel at each length, summarised by the median and the range", "Repeats", Tier::Advanced},
       &GpuParams::repeats},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "0", {}, "random seed of the weights and inputs", "Random seed",
        Tier::Advanced, Slider::Off},
       &GpuParams::seed},
  };
  return table;
}

GpuParams default_gpu_params() { return defaults_from(gpu_fields()); }

double gpu_reference_macs(const GpuParams& p) {
  const double H = p.hidden, K = p.key_size, B = p.batch, Lc = p.check_length;
  const double draws = Lc * (3 * H * H + 3 * K * K);  // drive = X Wx, q k v, the gates' two products
  const double rnn = 2 * (B + 1) * Lc * H * H;
  const double attention = 9 * Lc * K * K + 1.5 * Lc * Lc * K;  // every score, then the causal sums
  return draws + rnn + attention + Lc * H;
}

RNN_LESSON_FOR_SIZE std::string validate(const GpuParams& p) {
  std::string error = check_fields(gpu_fields(), p);
  if (!error.empty()) return error;
  const double L = largest(p.lengths), H = p.hidden;
  const auto got = [](double x) { return " (got " + std::to_string(static_cast<long long>(x)) + ")"; };
  if (p.batch * L * H * H > kMaxBatchMacs)
    return "batch * max(lengths) * hidden^2 must be at most 2^31 = 2147483648 multiply-adds per timed run of the batch"
           + got(p.batch * L * H * H);
  if (L * L * p.key_size > kMaxAttentionMacs)
    return "max(lengths)^2 * key_size must be at most 2^31 = 2147483648 multiply-adds per timed run of attention" +
           got(L * L * p.key_size);
  if (gpu_reference_macs(p) > kGpuReferenceMacs)
    return "check_length * ((2 batch + 5) hidden^2 + hidden + 12 key_size^2 + 1.5 check_length key_size) is too large: the "
           "core's references must be at most 2e8 multiply-adds" + got(gpu_reference_macs(p));
  return "";
}

RNN_LESSON_FOR_SIZE GpuResult run_gpu(const GpuParams& p, const Progress& progress) {
  GpuResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const int H = p.hidden, K = p.key_size, B = p.batch, Lc = p.check_length;
  const auto cancelled = [&](double fraction) {
    if (!progress || progress(fraction)) return false;
    r = GpuResult();
    r.error = "cancelled";
    return true;
  };

  // The draws, in gpu.h's order; matrices (size, Lc), column t is step t.
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const TanhRnn drawn = TanhRnn::draw(rng, H, H, 0.5);
  Eigen::MatrixXd drive = drawn.Wx.transpose() * rng.randn(Lc, H).transpose();  // drive_t = x_t Wx
  const AttentionLayer layer = AttentionLayer::draw(rng, K, K);
  const Eigen::MatrixXd tokens = rng.randn(Lc, K).transpose();
  Eigen::MatrixXd q = layer.Wq * tokens, k = layer.Wk * tokens, v = layer.Wv * tokens;
  const LinearGates gates = LinearGates::draw(rng, H, H, kScanGateBias);
  Eigen::MatrixXd a(H, Lc), b(H, Lc);
  gates.compute(a, b, rng.randn(Lc, H).transpose());
  Eigen::MatrixXd wh = drawn.Wh;
  for (Eigen::MatrixXd* m : {&wh, &drive, &q, &k, &v, &a, &b}) to_float32(*m);

  r.rnn_wh = flat(Eigen::MatrixXd(wh.transpose()));  // row-major: Wh[i][j] at i * H + j
  r.rnn_drive = flat(drive);
  r.attention_q = flat(q);
  r.attention_k = flat(k);
  r.attention_v = flat(v);
  r.scan_a = flat(a);
  r.scan_b = flat(b);

  // The RNN with Wx = I, so that advance() adds drive_t as sent: 1 * d + 0 * (the others) is
  // exactly d. Batch sequence b starts at column b mod Lc of the drive written out twice.
  const TanhRnn rnn{wh, Eigen::MatrixXd::Identity(H, H)};
  Eigen::MatrixXd twice(H, 2 * Lc);
  twice << drive, drive;
  Eigen::VectorXd h = Eigen::VectorXd::Zero(H);
  rnn.advance(h, drive, 0, Lc);
  r.rnn_final.assign(h.data(), h.data() + H);
  for (int s = 0; s < B; ++s) {
    h.setZero();
    rnn.advance(h, twice, s % Lc, s % Lc + Lc);
    r.batch_final.insert(r.batch_final.end(), h.data(), h.data() + H);
    if ((s % 16 == 15 || s == B - 1) && cancelled(0.8 * (s + 1) / B)) return r;
  }

  // Attention on q, k, v as sent: a layer whose projections pick them out of the stacked
  // [q; k; v] (3K, Lc), again exactly (products with 1 and 0).
  AttentionLayer picks;
  for (Eigen::MatrixXd* w : {&picks.Wq, &picks.Wk, &picks.Wv}) *w = Eigen::MatrixXd::Zero(K, 3 * K);
  picks.Wq.leftCols(K).setIdentity();
  picks.Wk.middleCols(K, K).setIdentity();
  picks.Wv.rightCols(K).setIdentity();
  Eigen::MatrixXd stacked(3 * K, Lc);
  stacked << q, k, v;
  r.attention_out = flat(attention_forward(picks, stacked));
  if (cancelled(0.95)) return r;

  Eigen::MatrixXd states(H, Lc);
  linear_recurrence<double>(states, a, b, Eigen::VectorXd::Zero(H));
  r.scan_out = flat(states);
  if (cancelled(1.0)) return r;

  r.lengths = p.lengths;
  for (int L : p.lengths) {
    r.rnn_multiply_adds.push_back(double(L) * H * H);
    r.batch_multiply_adds.push_back(double(B) * L * H * H);
    r.attention_multiply_adds.push_back(double(L) * (L + 1.0) * K);
    r.scan_multiply_adds.push_back(double(L) * H);
  }
  return r;
}

}  // namespace rnn_lesson
