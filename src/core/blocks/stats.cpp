// Order statistics and least squares; see stats.h.
#include "core/blocks/stats.h"

#include <algorithm>
#include <cmath>
#include <cstddef>

namespace rnn_lesson {

namespace {
// The q-quantile of values already sorted, interpolated linearly (numpy's default).
double sorted_quantile(const std::vector<double>& values, double q) {
  const double pos = q * static_cast<double>(values.size() - 1);
  const std::size_t lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, values.size() - 1);
  const double frac = pos - static_cast<double>(lo);
  return values[lo] + (values[hi] - values[lo]) * frac;
}
}  // namespace

double quantile(std::vector<double> values, double q) {
  std::sort(values.begin(), values.end());
  return sorted_quantile(values, q);
}

LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y) {
  LineFit fit;
  const std::size_t n = std::min(x.size(), y.size());
  if (n == 0) return fit;
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < n; ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0, sxy = 0, syy = 0;
  for (std::size_t i = 0; i < n; ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
    syy += (y[i] - my) * (y[i] - my);
  }
  fit.slope = sxx > 0 ? sxy / sxx : 0.0;
  fit.intercept = my - fit.slope * mx;
  double ss_res = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double r = y[i] - (fit.intercept + fit.slope * x[i]);
    ss_res += r * r;
  }
  fit.r_squared = syy > 0 ? 1.0 - ss_res / syy : 1.0;
  return fit;
}

}  // namespace rnn_lesson

namespace rnn_lesson {

Band band_across(const std::vector<std::vector<double>>& per_seed) {
  Band band;
  if (per_seed.empty()) return band;
  const std::size_t points = per_seed.front().size();
  std::vector<double> column(per_seed.size());
  for (std::size_t i = 0; i < points; ++i) {
    for (std::size_t s = 0; s < per_seed.size(); ++s) column[s] = per_seed[s][i];
    std::sort(column.begin(), column.end());  // once for the three quantiles
    band.median.push_back(sorted_quantile(column, 0.5));
    band.q1.push_back(sorted_quantile(column, 0.25));
    band.q3.push_back(sorted_quantile(column, 0.75));
  }
  return band;
}

}  // namespace rnn_lesson
