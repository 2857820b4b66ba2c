// The tanh RNN: kata-compatible weights, exact steps and Jacobians in double and a batched
// double step (retention's read-out); see rnn.h. The float32 forward pass the timing
// experiment times, FastRnnForward, is fast_forward.cpp's.
#include "core/blocks/rnn.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <memory>
#include <utility>

#include <Eigen/Eigenvalues>

#include "core/blocks/fast_math.h"
#include "core/blocks/simd.h"

namespace rnn_lesson {

TanhRnn TanhRnn::draw(NumpyRandom& rng, int hidden_size, int input_size, double recurrent_scale) {
  TanhRnn rnn;
  rnn.Wh = rng.randn(hidden_size, hidden_size) * (recurrent_scale / std::sqrt(double(hidden_size)));
  rnn.Wx = rng.randn(input_size, hidden_size) * (0.5 / std::sqrt(double(input_size)));
  return rnn;
}

Eigen::VectorXd TanhRnn::step(const Eigen::VectorXd& h_prev, const Eigen::VectorXd& x) const {
  Eigen::VectorXd h = h_prev;
  advance(h, x, 0, 1);
  return h;
}

void TanhRnn::advance(Eigen::Ref<Eigen::VectorXd> h, const Eigen::Ref<const Eigen::MatrixXd>& inputs, int t0,
                      int t1) const {
  Eigen::VectorXd z(h.size());
  for (int t = t0; t < t1; ++t) {
    // Row-vector h Wh is Wh^T h in column form.
    z.noalias() = Wh.transpose() * h;
    z.noalias() += Wx.transpose() * inputs.col(t);
    h = z.array().tanh().matrix();
  }
}

Eigen::MatrixXd TanhRnn::step_jacobian(const Eigen::VectorXd& h) const {
  const Eigen::VectorXd d = (1.0 - h.array().square()).matrix();
  return d.asDiagonal() * Wh.transpose();
}

// Each output column i (unit i of every trial) is summed over the inputs, then the units, for
// eight trials at a time in registers, reading each column once: contiguous, vectorised loops
// (SSE2 natively, SIMD128 in wasm, where Eigen has no vector code) and no temporaries.
RNN_LESSON_STEP_FUNCTION void TanhRnn::step_batch(const Eigen::MatrixXd& states, const Eigen::MatrixXd& inputs,
                                                  Eigen::MatrixXd& next) const {
  constexpr Eigen::Index kBlock = 8;
  const Eigen::Index M = states.rows(), H = states.cols(), D = inputs.cols();
  for (Eigen::Index i = 0; i < H; ++i) {
    double* out = next.col(i).data();
    Eigen::Index m0 = 0;
    for (; m0 + kBlock <= M; m0 += kBlock) {
      double acc[kBlock] = {};
      for (Eigen::Index d = 0; d < D; ++d) {
        const double w = Wx(d, i);
        const double* x = inputs.col(d).data() + m0;
        for (Eigen::Index k = 0; k < kBlock; ++k) acc[k] += w * x[k];
      }
      for (Eigen::Index j = 0; j < H; ++j) {
        const double w = Wh(j, i);
        const double* h = states.col(j).data() + m0;
        for (Eigen::Index k = 0; k < kBlock; ++k) acc[k] += w * h[k];
      }
      for (Eigen::Index k = 0; k < kBlock; ++k) out[m0 + k] = acc[k];
    }
    for (Eigen::Index m = m0; m < M; ++m) {  // the last M % 8 trials
      double acc = 0;
      for (Eigen::Index d = 0; d < D; ++d) acc += Wx(d, i) * inputs(m, d);
      for (Eigen::Index j = 0; j < H; ++j) acc += Wh(j, i) * states(m, j);
      out[m] = acc;
    }
  }
  tanh_in_place(next.data(), next.size());
}

double spectral_radius(const Eigen::MatrixXd& m) {
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/false);
  return solver.eigenvalues().cwiseAbs().maxCoeff();
}

double largest_singular_value(const Eigen::MatrixXd& m) {
  // sqrt of the largest eigenvalue of m^T m: exact to rounding for the largest singular
  // value, and much less code in the WebAssembly module than a full SVD.
  const Eigen::MatrixXd gram = m.transpose() * m;
  Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(gram, Eigen::EigenvaluesOnly);
  return std::sqrt(std::max(0.0, solver.eigenvalues().maxCoeff()));
}

}  // namespace rnn_lesson
