// numpy-compatible random draws; see numpy_random.h for why this exists.
#include "core/blocks/numpy_random.h"

#include <cmath>

namespace rnn_lesson {

void NumpyRandom::reseed(std::uint32_t seed) {
  // init_genrand, as numpy's mt19937_seed
  state_[0] = seed;
  for (std::uint32_t i = 1; i < 624; ++i) state_[i] = 1812433253u * (state_[i - 1] ^ (state_[i - 1] >> 30)) + i;
  index_ = 624;
  has_cached_gauss_ = false;
  cached_gauss_ = 0.0;
}

void NumpyRandom::regenerate() {
  constexpr int N = 624, M = 397;
  constexpr std::uint32_t kMatrix = 0x9908b0dfu, kUpper = 0x80000000u, kLower = 0x7fffffffu;
  auto twist = [](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    const std::uint32_t y = (a & kUpper) | (b & kLower);
    return c ^ (y >> 1) ^ ((y & 1u) ? kMatrix : 0u);
  };
  int k = 0;
  for (; k < N - M; ++k) state_[k] = twist(state_[k], state_[k + 1], state_[k + M]);
  for (; k < N - 1; ++k) state_[k] = twist(state_[k], state_[k + 1], state_[k + M - N]);
  state_[N - 1] = twist(state_[N - 1], state_[0], state_[M - 1]);
  index_ = 0;
}

std::uint32_t NumpyRandom::next_word() {
  if (index_ >= 624) regenerate();
  std::uint32_t y = state_[index_++];
  y ^= y >> 11;
  y ^= (y << 7) & 0x9d2c5680u;
  y ^= (y << 15) & 0xefc60000u;
  return y ^ (y >> 18);
}

double NumpyRandom::random_sample() {
  // numpy: (a >> 5, b >> 6) -> (a * 2^26 + b) / 2^53
  const std::uint32_t a = next_word() >> 5;
  const std::uint32_t b = next_word() >> 6;
  return (a * 67108864.0 + b) / 9007199254740992.0;
}

double NumpyRandom::uniform(double low, double high) {
  return low + (high - low) * random_sample();
}

int NumpyRandom::randint(int high) {
  const std::uint32_t range = static_cast<std::uint32_t>(high) - 1u;  // numpy's rng
  if (range == 0) return 0;
  std::uint32_t mask = range;  // numpy's gen_mask: every bit below the highest set bit
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  std::uint32_t value;
  do value = next_word() & mask;
  while (value > range);
  return static_cast<int>(value);
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
