// The vectorised double tanh against std::tanh (the C library's, correctly rounded to within
// an ulp or so), in relative error, over every range its branches cover.
#include "core/blocks/fast_math.h"

#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"

namespace {

using rnn_lesson::tanh_in_place;

double worst_relative_error(std::vector<double> x) {
  std::vector<double> y = x;
  tanh_in_place(y.data(), static_cast<std::ptrdiff_t>(y.size()));
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double ref = std::tanh(x[i]);
    const double err = ref == 0 ? std::fabs(y[i]) : std::fabs(y[i] - ref) / std::fabs(ref);
    worst = std::max(worst, err);
  }
  return worst;
}

TEST(FastTanh, WithinTwoUlpsOfStdTanh) {
  std::vector<double> grid;
  for (int i = -200000; i <= 200000; ++i) grid.push_back(i * 1e-4);  // [-20, 20], both branches
  for (int i = 1; i <= 2000; ++i) grid.push_back(0.625 + (i - 1000) * 1e-7);  // around the branch point
  for (int e = -300; e <= 1; ++e) grid.push_back(std::pow(10.0, e));   // tiny to large
  rnn_lesson::NumpyRandom rng(5);
  for (int i = 0; i < 100000; ++i) grid.push_back(rng.standard_normal() * 3);
  const double worst = worst_relative_error(grid);
  std::printf("worst relative error against std::tanh over %zu points: %.3g\n", grid.size(), worst);
  EXPECT_LE(worst, 5e-16);  // 2.2e-16 is one ulp at 1; measured 4.0e-16
}

TEST(FastTanh, EdgeValues) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> x = {0.0, -0.0, 22.0, -22.0, 40.0, -1e300, inf, -inf, std::nan(""), 1e-310};
  tanh_in_place(x.data(), static_cast<std::ptrdiff_t>(x.size()));
  EXPECT_EQ(x[0], 0.0);
  EXPECT_TRUE(std::signbit(x[1]));
  EXPECT_EQ(x[2], 1.0);
  EXPECT_EQ(x[3], -1.0);
  EXPECT_EQ(x[4], 1.0);
  EXPECT_EQ(x[5], -1.0);
  EXPECT_EQ(x[6], 1.0);
  EXPECT_EQ(x[7], -1.0);
  EXPECT_TRUE(std::isnan(x[8]));
  EXPECT_EQ(x[9], 1e-310);  // subnormal: tanh x = x
}

TEST(FastTanh, OddLengthsAndTheTail) {
  for (int n : {0, 1, 2, 3, 7}) {
    std::vector<double> x(static_cast<std::size_t>(n) + 1, 5.0);
    for (int i = 0; i < n; ++i) x[static_cast<std::size_t>(i)] = 0.3 * i - 0.7;
    tanh_in_place(x.data(), n);
    for (int i = 0; i < n; ++i) EXPECT_NEAR(x[static_cast<std::size_t>(i)], std::tanh(0.3 * i - 0.7), 1e-15);
    EXPECT_EQ(x[static_cast<std::size_t>(n)], 5.0) << "wrote past n = " << n;
  }
}

}  // namespace
