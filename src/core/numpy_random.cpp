// numpy-compatible random draws; see numpy_random.h for why this exists.
#include "core/numpy_random.h"

#include <cmath>

namespace rnn_lesson {

void NumpyRandom::reseed(std::uint32_t seed) {
  engine_.seed(seed);  // init_genrand, as numpy's mt19937_seed
  has_cached_gauss_ = false;
  cached_gauss_ = 0.0;
}

double NumpyRandom::random_sample() {
  // numpy: (a >> 5, b >> 6) -> (a * 2^26 + b) / 2^53
  const std::uint32_t a = static_cast<std::uint32_t>(engine_()) >> 5;
  const std::uint32_t b = static_cast<std::uint32_t>(engine_()) >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::uniform(double low, double high) {
  return low + (high - low) * random_sample();
}

double NumpyRandom::standard_normal() {
  if (has_cached_gauss_) {
    has_cached_gauss_ = false;
    return cached_gauss_;
  }
  double x1, x2, r2;
  do {
    x1 = 2.0 * random_sample() - 1.0;
    x2 = 2.0 * random_sample() - 1.0;
    r2 = x1 * x1 + x2 * x2;
  } while (r2 >= 1.0 || r2 == 0.0);
  const double f = std::sqrt(-2.0 * std::log(r2) / r2);
  cached_gauss_ = f * x1;  // numpy returns f*x2 first and keeps f*x1 for the next call
  has_cached_gauss_ = true;
  return f * x2;
}

Eigen::MatrixXd NumpyRandom::randn(int rows, int cols) {
  Eigen::MatrixXd m(rows, cols);
  for (int r = 0; r < rows; ++r)
    for (int c = 0; c < cols; ++c) m(r, c) = standard_normal();
  return m;
}

Eigen::VectorXd NumpyRandom::randn(int n) {
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v(i) = standard_normal();
  return v;
}

Eigen::VectorXd NumpyRandom::uniform(double low, double high, int n) {
  Eigen::VectorXd v(n);
  for (int i = 0; i < n; ++i) v(i) = uniform(low, high);
  return v;
}

}  // namespace rnn_lesson
