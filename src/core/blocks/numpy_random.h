// A random number generator that draws exactly what numpy's legacy `np.random` draws.
//
// Every random number in the lesson comes from here, for two reasons: the kata's printed
// tables become reproducible digit for digit, and the native and WebAssembly builds draw
// identical numbers (std::normal_distribution differs between standard libraries, so it is
// never used). The engine is MT19937 seeded like `np.random.seed(n)`; doubles use numpy's
// 53-bit construction; Gaussians use numpy's legacy polar method, including its cached
// second value.
#pragma once

#include <cstdint>

#include <Eigen/Core>

namespace rnn_lesson {

class NumpyRandom {
 public:
  explicit NumpyRandom(std::uint32_t seed = 0) { reseed(seed); }

  // Same as np.random.seed(seed): restarts the stream and forgets a cached Gaussian.
  void reseed(std::uint32_t seed);

  // np.random.random_sample(): uniform on [0, 1) with 53 random bits.
  double random_sample();
  // np.random.uniform(low, high): low + (high - low) * random_sample().
  double uniform(double low, double high);
  // np.random.randint(0, high) for 1 <= high <= 2^31 - 1 (numpy's legacy path): one 32-bit
  // word masked to the smallest 2^k - 1 that covers high - 1, drawn again while above it;
  // high = 1 gives 0 and draws nothing. randint(0, high, size=n) is n such calls in order.
  int randint(int high);
  // np.random.standard_normal() (legacy polar method, pairs cached like numpy).
  double standard_normal();

  // np.random.randn(rows, cols): filled in row-major order, as numpy does.
  Eigen::MatrixXd randn(int rows, int cols);
  // np.random.randn(n).
  Eigen::VectorXd randn(int n);
  // np.random.uniform(low, high, n).
  Eigen::VectorXd uniform(double low, double high, int n);

 private:
  // MT19937 (Matsumoto & Nishimura 1998), as numpy's mt19937 and std::mt19937: the whole
  // state is regenerated 624 words at a time. (libc++'s std::mt19937, which the wasm build
  // gets, updates one word per call; this made drawing normals ~2x faster there.)
  std::uint32_t next_word();
  void regenerate();
  std::uint32_t state_[624];
  int index_ = 624;
  bool has_cached_gauss_ = false;
  double cached_gauss_ = 0.0;
};

}  // namespace rnn_lesson
