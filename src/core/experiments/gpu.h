// Experiment 9, on your GPU: the core's half. The page times four kernels on the learner's
// graphics card with WebGPU (the tanh RNN's chain of L steps, a batch of B such chains,
// causal attention over L tokens, the linear recurrence as a parallel scan); the core draws
// the inputs they run on and computes, in double, the results the GPU's float32 outputs are
// compared with. Nothing here times anything.
//
// The four computations at the checked length Lc (arrays row-major, as the page sends them):
//   tanh RNN:   h_t = tanh(h_{t-1} Wh + drive_t), h_{-1} = 0, drive_t = x_t Wx (the input
//               projection, done up front); rnn_final = h_{Lc-1}.
//   batch:      sequence b (0..B-1) runs the same RNN on the drive rotated by b, row t being
//               drive row (t + b) mod Lc; batch_final row b = its h_{Lc-1}. (At any length L
//               the page reuses rows cyclically the same way: drive row (t + b) mod Lc.)
//   attention:  y_t = sum_{j<=t} softmax_j(q_t . k_j / sqrt(K)) v_j, every y_t (Lc x K).
//   scan:       h_t = a_t * h_{t-1} + b_t elementwise, h_{-1} = 0, every h_t (Lc x H), with
//               experiment 6's minGRU gates (linear_scan.h) and its gate bias -3, so a_t is
//               mostly near 0.95 (measured at the defaults: median 0.95, mean 0.93) and the
//               state carries each input over some 15 to 20 steps.
//
// Draw order, one NumpyRandom(seed) stream:
//   1. TanhRnn::draw(rng, H, H, 0.5): Wh = randn(H, H) * 0.5 / sqrt(H), then Wx likewise;
//   2. X = randn(Lc, H), the RNN's inputs; drive = X Wx (Lc x H);
//   3. AttentionLayer::draw(rng, K, K): Wq, Wk, Wv = randn(K, K) / sqrt(K) each;
//   4. X = randn(Lc, K), the tokens; row t of q is Wq x_t (so q, k and v have unit variance);
//   5. LinearGates::draw(rng, H, H, -3): randn(H, 2H) (the z block, then h~);
//   6. X = randn(Lc, H); a, b from LinearGates::compute.
// Every array the GPU receives (rnn_wh, rnn_drive, attention_q/k/v, scan_a/b) is then rounded
// to float32 (x = double(float(x))) BEFORE the references are computed from it: the page sends
// float32 numbers, so the core's results and the GPU's differ only by the GPU's arithmetic.
//
// Work caps (validate()): one timed run of the batch does B * max(L) * H^2 multiply-adds and one
// of attention about max(L)^2 * K, each held at most 2^31: on SwiftShader here (a software GPU on
// 2 CPU cores) ~0.3e9 of them ran per second (the batch 2.7e8 in 1.0 s, attention 1.1e9 in 3 s,
// bench/gpu.js), so a run at the caps takes about 7 s there and the GPU worker, which reports
// after every run, does not look silent to the page's watchdog (web/core.js, DEADLINES: 20 s);
// repeats and lengths multiply runs (at most 50 x 12 of each kernel). The core's own references are held to at most kGpuReferenceMacs multiply-adds, so
// that WebAssembly, where the page computes them before it starts the GPU, takes a fraction of a
// second (measured in Node on the project's 2 shared cores, medians under load averages of 3 to 4:
// 0.09 to 0.2 s at B = 64, 1.5e8 of them, mostly the batch; 0.12 to 0.26 s at B = 83, the cap
// at the other defaults).
#pragma once

#include <string>
#include <vector>

#include "core/fields.h"
#include "core/params.h"
#include "core/experiments/timing.h"  // Progress

namespace rnn_lesson {

struct GpuParams {
  int hidden;                // H: the RNNs' and the linear recurrence's state size
  int key_size;              // K: attention's q, k, v and y per token
  int batch;                 // B: independent RNN sequences in the batch kernel
  std::vector<int> lengths;  // L: sequence lengths the GPU times (the page's runs only)
  int check_length;          // Lc: the length of the inputs and of the compared outputs
  int repeats;               // timed runs per kernel and length (the page's runs only)
  int seed;                  // the one random stream's seed
};

const std::vector<Field<GpuParams>>& gpu_fields();
GpuParams default_gpu_params();
std::string validate(const GpuParams& p);

// Multiply-adds of the core's draws and references, per step of Lc: the draws' products
// (drive = X Wx, q, k, v, the gates: 3 H^2 + 3 K^2); the single RNN and the B batch sequences
// (advance() adds the drive as a product with the identity, so 2 H^2 each); attention on the
// stacked [q; k; v] (its three projections 9 K^2, see gpu.cpp; every score Lc K, the causal
// sums Lc K / 2 on average); the scan's H. In all
//     Lc ((2 B + 5) H^2 + H + 12 K^2 + 1.5 Lc K).
double gpu_reference_macs(const GpuParams& p);
constexpr double kGpuReferenceMacs = 2e8;

struct GpuResult {
  std::string error;
  // The inputs, already float32 numbers. Row-major: rnn_wh[i * H + j] = Wh[i][j].
  std::vector<double> rnn_wh;       // H * H
  std::vector<double> rnn_drive;    // Lc * H
  std::vector<double> attention_q;  // Lc * K
  std::vector<double> attention_k;  // Lc * K
  std::vector<double> attention_v;  // Lc * K
  std::vector<double> scan_a;       // Lc * H
  std::vector<double> scan_b;       // Lc * H
  // The references, in double from those inputs.
  std::vector<double> rnn_final;      // H: h_{Lc-1} of the single RNN
  std::vector<double> batch_final;    // B * H: row b = h_{Lc-1} of batch sequence b
  std::vector<double> attention_out;  // Lc * K: every y_t
  std::vector<double> scan_out;       // Lc * H: every h_t
  std::vector<int> lengths;  // the lengths the page times, as given
  // The timed work per entry of `lengths` (in its order), in multiply-adds per run of a
  // kernel: the RNN L H^2, the batch B L H^2, attention's scores and weighted sums over the
  // causal triangle L (L + 1) K, the scan L H (what a sequential pass does; a parallel scan
  // does a small multiple of it).
  std::vector<double> rnn_multiply_adds;
  std::vector<double> batch_multiply_adds;
  std::vector<double> attention_multiply_adds;
  std::vector<double> scan_multiply_adds;
};
inline void visit_fields(const GpuResult& r, FieldVisitor& v) {
  v.field("rnn_wh", r.rnn_wh);
  v.field("rnn_drive", r.rnn_drive);
  v.field("attention_q", r.attention_q);
  v.field("attention_k", r.attention_k);
  v.field("attention_v", r.attention_v);
  v.field("scan_a", r.scan_a);
  v.field("scan_b", r.scan_b);
  v.field("rnn_final", r.rnn_final);
  v.field("batch_final", r.batch_final);
  v.field("attention_out", r.attention_out);
  v.field("scan_out", r.scan_out);
  v.field("lengths", r.lengths);
  v.field("rnn_multiply_adds", r.rnn_multiply_adds);
  v.field("batch_multiply_adds", r.batch_multiply_adds);
  v.field("attention_multiply_adds", r.attention_multiply_adds);
  v.field("scan_multiply_adds", r.scan_multiply_adds);
}

GpuResult run_gpu(const GpuParams& p, const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct GpuExperiment {
  static constexpr const char* name = "gpu";
  static constexpr const char* summary = "the RNN's chain, a batch, attention and the scan: inputs and references for your GPU";
  using Params = GpuParams;
  using Result = GpuResult;
  static const std::vector<Field<Params>>& fields() { return gpu_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_gpu(p, progress); }
};

}  // namespace rnn_lesson
