// The statistics the experiments rely on (stats.h): least squares, numpy's linear quantiles,
// and the median and quartiles across seeds, against hand computations and numpy's values.
#include "core/blocks/stats.h"

#include <utility>
#include <vector>

#include <gtest/gtest.h>

namespace {

using namespace rnn_lesson;

TEST(Stats, FitLineRecoversAnExactLine) {
  const LineFit f = fit_line({1, 2, 3, 4, 5}, {1, -1, -3, -5, -7});
  EXPECT_NEAR(f.slope, -2.0, 1e-14);
  EXPECT_NEAR(f.intercept, 3.0, 1e-14);
  EXPECT_NEAR(f.r_squared, 1.0, 1e-14);
}

TEST(Stats, FitLineOnNoisyPoints) {
  // By hand: slope = Sxy/Sxx = 5.5/5, intercept = 2.75 - 1.1*1.5, R^2 = 1 - 2.7/8.75.
  const LineFit f = fit_line({0, 1, 2, 3}, {1, 3, 2, 5});
  EXPECT_NEAR(f.slope, 1.1, 1e-14);
  EXPECT_NEAR(f.intercept, 1.1, 1e-14);
  EXPECT_NEAR(f.r_squared, 1.0 - 2.7 / 8.75, 1e-14);
}

TEST(Stats, FitLineConstantY) {
  const LineFit f = fit_line({1, 2, 3}, {4, 4, 4});
  EXPECT_EQ(f.slope, 0.0);
  EXPECT_EQ(f.intercept, 4.0);
  EXPECT_EQ(f.r_squared, 1.0);
}

TEST(Stats, QuantileMatchesNumpyLinear) {
  // np.quantile(a, q) for q in qs, numpy 1.24.2 (tests/golden/make_goldens.py).
  const std::vector<double> qs = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0};
  const std::vector<std::pair<std::vector<double>, std::vector<double>>> cases = {
      {{3.0, 1.0, 2.0}, {1.0, 1.2, 1.5, 2.0, 2.5, 2.8, 3.0}},
      {{1.0, 2.0, 3.0, 4.0}, {1.0, 1.3, 1.75, 2.5, 3.25, 3.7, 4.0}},
      {{7.5}, {7.5, 7.5, 7.5, 7.5, 7.5, 7.5, 7.5}},
      {{0.5, -2.0, 9.0, 4.25, 4.25, 1e-3, 13.0},
       {-2.0, -0.7993999999999998, 0.2505, 4.25, 6.625, 10.600000000000001, 13.0}},
  };
  for (const auto& [values, expected] : cases)
    for (std::size_t i = 0; i < qs.size(); ++i)
      EXPECT_NEAR(quantile(values, qs[i]), expected[i], 1e-12) << "q = " << qs[i];
  EXPECT_EQ(median({5.0, 1.0, 3.0, 2.0}), 2.5);
}

TEST(Stats, BandAcrossSeeds) {
  const Band b = band_across({{1, 10}, {2, 30}, {3, 20}, {4, 40}, {5, 50}});
  ASSERT_EQ(b.median.size(), 2u);
  EXPECT_EQ(b.median, (std::vector<double>{3, 30}));
  EXPECT_EQ(b.q1, (std::vector<double>{2, 20}));
  EXPECT_EQ(b.q3, (std::vector<double>{4, 40}));
}

}  // namespace
