// The tanh RNN: kata-compatible weights, exact steps and Jacobians in double, and a fast
// float32 forward pass for the timing experiment; see rnn.h.
#include "core/rnn.h"

#include <cmath>
#include <memory>

#include <Eigen/Eigenvalues>
#include <Eigen/SVD>

namespace rnn_lesson {

TanhRnn TanhRnn::draw(NumpyRandom& rng, int hidden_size, int input_size, double recurrent_scale) {
  TanhRnn rnn;
  rnn.Wh = rng.randn(hidden_size, hidden_size) * (recurrent_scale / std::sqrt(double(hidden_size)));
  rnn.Wx = rng.randn(input_size, hidden_size) * (0.5 / std::sqrt(double(input_size)));
  return rnn;
}

Eigen::VectorXd TanhRnn::step(const Eigen::VectorXd& h_prev, const Eigen::VectorXd& x) const {
  // Row-vector h Wh is Wh^T h in column form.
  Eigen::VectorXd z = Wh.transpose() * h_prev + Wx.transpose() * x;
  return z.array().tanh().matrix();
}

Eigen::MatrixXd TanhRnn::step_jacobian(const Eigen::VectorXd& h) const {
  const Eigen::VectorXd d = (1.0 - h.array().square()).matrix();
  return d.asDiagonal() * Wh.transpose();
}

double spectral_radius(const Eigen::MatrixXd& m) {
  Eigen::EigenSolver<Eigen::MatrixXd> solver(m, /*computeEigenvectors=*/false);
  return solver.eigenvalues().cwiseAbs().maxCoeff();
}

double largest_singular_value(const Eigen::MatrixXd& m) {
  Eigen::JacobiSVD<Eigen::MatrixXd> svd(m);
  return svd.singularValues()(0);
}

// ---- fast forward pass ---------------------------------------------------------------

namespace {

struct Kernel {
  virtual ~Kernel() = default;
  virtual float run(const Eigen::MatrixXf& inputs, int length) = 0;
};

// Compile-time sizes let Eigen unroll and vectorise the (H, H) product completely.
template <int H, int D>
struct KernelFor : Kernel {
  using Vec = Eigen::Matrix<float, H, 1>;
  Eigen::Matrix<float, H, H> WhT;                  // (H, H): z = WhT h
  Eigen::Matrix<float, H, D> WxT;                  // (H, D)
  Eigen::Matrix<float, H, Eigen::Dynamic> inputs_projected;  // (H, L)

  KernelFor(const TanhRnn& rnn) : WhT(rnn.Wh.transpose().cast<float>()), WxT(rnn.Wx.transpose().cast<float>()) {
    if (H == Eigen::Dynamic) WhT.resize(rnn.hidden_size(), rnn.hidden_size());
  }

  float run(const Eigen::MatrixXf& inputs, int length) override {
    inputs_projected.noalias() = WxT * inputs.leftCols(length);  // parallel part: one GEMM
    Vec h = Vec::Zero(WhT.rows());
    Vec z(WhT.rows());
    for (int t = 0; t < length; ++t) {  // sequential part: each step needs the last
      z.noalias() = WhT * h;
      z += inputs_projected.col(t);
      h = z.array().tanh().matrix();
    }
    return h.sum();
  }
};

}  // namespace

struct FastRnnForward::Impl {
  std::unique_ptr<Kernel> kernel;
};

FastRnnForward::FastRnnForward(const TanhRnn& rnn) : impl_(new Impl) {
  const int H = rnn.hidden_size(), D = rnn.input_size();
  if (H == 32 && D == 8) impl_->kernel.reset(new KernelFor<32, 8>(rnn));
  else if (H == 16 && D == 4) impl_->kernel.reset(new KernelFor<16, 4>(rnn));
  else impl_->kernel.reset(new KernelFor<Eigen::Dynamic, Eigen::Dynamic>(rnn));
}

FastRnnForward::~FastRnnForward() { delete impl_; }

float FastRnnForward::run(const Eigen::MatrixXf& inputs, int length) { return impl_->kernel->run(inputs, length); }

}  // namespace rnn_lesson
