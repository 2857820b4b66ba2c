// The tanh RNN every experiment studies, in the kata's row-vector convention:
//
//     h_t = tanh(h_{t-1} Wh + x_t Wx)      h: (H), x: (D), Wh: (H, H), Wx: (D, H)
//
// Weights are drawn like the kata (Wh ~ randn(H, H) * scale / sqrt(H), then
// Wx ~ randn(D, H) * 0.5 / sqrt(D)) so that the same seed gives the same network.
#pragma once

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"

namespace rnn_lesson {

struct TanhRnn {
  Eigen::MatrixXd Wh;  // (H, H)
  Eigen::MatrixXd Wx;  // (D, H)

  int hidden_size() const { return static_cast<int>(Wh.rows()); }
  int input_size() const { return static_cast<int>(Wx.rows()); }

  // Draws Wh then Wx from `rng`, in this order, exactly as the kata's SimpleRNN does;
  // `recurrent_scale` is the kata's 0.5 (or 0.9 in its gradient section).
  static TanhRnn draw(NumpyRandom& rng, int hidden_size, int input_size, double recurrent_scale = 0.5);

  // One step. h_prev: (H), x: (D); returns h: (H).
  Eigen::VectorXd step(const Eigen::VectorXd& h_prev, const Eigen::VectorXd& x) const;

  // Steps t0 .. t1-1 in place, h <- tanh(Wh^T h + Wx^T x_t) for column t of `inputs`: the one
  // implementation of the double step (step() is one of these; the parallel section's workers
  // run their sequences and relay segments with it). h: (H), inputs: (D, >= t1).
  void advance(Eigen::Ref<Eigen::VectorXd> h, const Eigen::Ref<const Eigen::MatrixXd>& inputs, int t0, int t1) const;

  // d h_t / d h_{t-1} in column convention, (H, H): diag(1 - h_t^2) Wh^T, given h_t.
  Eigen::MatrixXd step_jacobian(const Eigen::VectorXd& h) const;

  // One step of M networks side by side (retention's read-out), the fast kernel of step():
  //     next = tanh(states Wh + inputs Wx)
  // states, next: (M, H), row m is trial m; inputs: (M, D). `next` is (M, H) already and is
  // not `states`. Eight trials at a time in registers, tanh by fast_math.h's tanh_in_place;
  // checked against step() in tests/kernels_test.cpp.
  void step_batch(const Eigen::MatrixXd& states, const Eigen::MatrixXd& inputs, Eigen::MatrixXd& next) const;
};

// Largest |eigenvalue| of a square matrix (the spectral radius, lambda_1 in Pascanu et al.).
double spectral_radius(const Eigen::MatrixXd& m);
// Largest singular value (the operator 2-norm).
double largest_singular_value(const Eigen::MatrixXd& m);

// The timed forward pass: float32, the strictly sequential recurrence, each step summing its
// input projection and Wh^T h in registers (the projection does not depend on h, so the CPU
// overlaps it with the previous step), then a vectorised tanh approximation (max abs error
// 1.2e-6); see fast_forward.cpp. Its only output is a checksum: no experiment reads its
// numbers, only how long it takes.
class FastRnnForward {
 public:
  // Best: the fastest kernel this build and CPU offer (on x86-64: 256-bit vectors with
  // AVX-512VL's 32 registers, else AVX2+FMA, else portable 128-bit vectors). Portable: the
  // 128-bit kernel regardless of CPU. Eigen: the earlier Eigen kernel with std-accurate tanh
  // (a reference for benchmarks). Avx2: AVX2+FMA even where Best is AVX-512VL, so tests and
  // benchmarks reach it (the portable kernel on CPUs without AVX2).
  enum class Variant { Best, Portable, Eigen, Avx2 };

  FastRnnForward(const TanhRnn& rnn, Variant variant = Variant::Best);
  ~FastRnnForward();
  FastRnnForward(const FastRnnForward&) = delete;
  FastRnnForward& operator=(const FastRnnForward&) = delete;

  // Runs the first `length` columns of `inputs` (D, >= length) from h = 0 and returns a
  // checksum of the final state (sum of h), so the work cannot be optimised away.
  float run(const Eigen::MatrixXf& inputs, int length);

  // "avx512vl-fma", "avx2-fma", "vector128" or "eigen": which kernel run() uses.
  const char* kernel_name() const;

  // The hidden state h after the last run(): (H), zeros before the first. The experiment only
  // needs the checksum; tests/kernels_test.cpp compares every kernel's state with step().
  Eigen::VectorXf state() const;

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace rnn_lesson
