// Small statistics used by the experiments: order statistics and a least-squares line.
#pragma once

#include <vector>

#include "core/fields.h"

namespace rnn_lesson {

// Quantile q in [0, 1] with linear interpolation between order statistics (numpy's
// default "linear" method). `values` must not be empty.
double quantile(std::vector<double> values, double q);
inline double median(std::vector<double> values) { return quantile(std::move(values), 0.5); }

// y = intercept + slope * x by ordinary least squares, with the coefficient of
// determination R^2 = 1 - SS_res / SS_tot (1 when every point is on the line).
struct LineFit {
  double intercept = 0;
  double slope = 0;
  double r_squared = 0;
};
LineFit fit_line(const std::vector<double>& x, const std::vector<double>& y);

}  // namespace rnn_lesson

namespace rnn_lesson {

// A curve summarised across seeds: per point, the median and the quartiles.
struct Band {
  std::vector<double> median, q1, q3;
};
inline void visit_fields(const Band& b, FieldVisitor& v) {
  v.field("median", b.median);
  v.field("q1", b.q1);
  v.field("q3", b.q3);
}
// per_seed[s][i] is seed s's value at point i; every row has the same length.
Band band_across(const std::vector<std::vector<double>>& per_seed);

}  // namespace rnn_lesson
