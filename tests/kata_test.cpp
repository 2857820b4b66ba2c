// The kata's tables, reproduced: full-precision values from numpy running the kata's own
// code (tests/golden/make_goldens.py), and the printed lines of `rnn-lesson kata` against
// the lines the kata prints.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/gradient.h"
#include "core/experiments/retention.h"

namespace {

using namespace rnn_lesson;

const std::vector<int> kDistances = {1, 5, 10, 20, 50, 100, 200};
// repr(np.linalg.norm(grad)) in the kata's section 2.
const std::vector<double> kKataNorms = {2.1209658053643783,    0.23815962858553769,  0.02651558063099107,
                                        2.2948041237664777e-05, 2.0854249463958308e-11, 8.558923805544947e-24,
                                        2.832925389658645e-45};
const std::vector<int> kRetentionSteps = {0, 5, 10, 25, 50, 100, 200};
// repr(cos_sim) in the kata's section 3.
const std::vector<double> kKataCosines = {0.9999999953205073, -0.04026890679694843, 0.42179998289115256,
                                          0.5479723088376053, 0.5895336345372715,   -0.3147381349139582,
                                          0.6201718307201994};

GradientParams kata_gradient_params() {
  GradientParams p = default_gradient_params();
  p.mode = "kata";
  p.hidden_size = 16;
  p.weight_scale = 0.9;
  p.seed = 42;
  p.distances = kDistances;
  return p;
}

TEST(KataGradient, NormsMatchNumpy) {
  const GradientResult r = run_gradient(kata_gradient_params());
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.mode, "kata");
  ASSERT_EQ(r.distances, kDistances);
  ASSERT_EQ(r.norm.median.size(), kKataNorms.size());
  for (std::size_t i = 0; i < kKataNorms.size(); ++i) {
    SCOPED_TRACE("distance " + std::to_string(kDistances[i]));
    EXPECT_NEAR(r.norm.median[i], kKataNorms[i], 1e-12 * kKataNorms[i]);
    EXPECT_EQ(r.norm.q1[i], r.norm.median[i]) << "one run: the band is the value";
    EXPECT_EQ(r.norm.q3[i], r.norm.median[i]);
  }
}

TEST(KataGradient, WhSpectrumMatchesNumpy) {
  // max(abs(np.linalg.eigvals(Wh))) and np.linalg.norm(Wh, 2) for the kata's Wh.
  const GradientResult r = run_gradient(kata_gradient_params());
  ASSERT_EQ(r.error, "");
  EXPECT_NEAR(r.spectral_radius, 0.9170213025129769, 1e-12);
  EXPECT_NEAR(r.largest_singular_value, 1.7289105927641553, 1e-12);
}

TEST(KataGradient, DecayFitMatchesTheNorms) {
  // Independent fit of ln(norm) against distance, from the numpy norms.
  const GradientResult r = run_gradient(kata_gradient_params());
  double mx = 0, my = 0;
  for (std::size_t i = 0; i < kDistances.size(); ++i) {
    mx += kDistances[i];
    my += std::log(kKataNorms[i]);
  }
  mx /= kDistances.size();
  my /= kDistances.size();
  double sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < kDistances.size(); ++i) {
    sxx += (kDistances[i] - mx) * (kDistances[i] - mx);
    sxy += (kDistances[i] - mx) * (std::log(kKataNorms[i]) - my);
  }
  EXPECT_NEAR(r.decay_per_step, std::exp(sxy / sxx), 1e-10);
  EXPECT_GT(r.decay_r_squared, 0.95);
}

TEST(KataRetention, CosinesMatchNumpy) {
  RetentionParams p = default_retention_params();  // the kata's H=16, D=4, 0.5, 0.01, seed 42
  p.seeds = 1;  // kata_cosine does not depend on the summarised measures
  const RetentionResult r = run_retention(p);
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.kata_cosine.size(), 201u);
  for (std::size_t i = 0; i < kRetentionSteps.size(); ++i) {
    SCOPED_TRACE("n = " + std::to_string(kRetentionSteps[i]));
    EXPECT_NEAR(r.kata_cosine[static_cast<std::size_t>(kRetentionSteps[i])], kKataCosines[i], 1e-10);
  }
}

TEST(KataRetention, CosineDoesNotDependOnSeedsCount) {
  RetentionParams p = default_retention_params();
  p.seeds = 1;
  p.max_steps = 50;
  const RetentionResult one = run_retention(p);
  p.seeds = 3;
  const RetentionResult three = run_retention(p);
  ASSERT_EQ(one.error, "");
  ASSERT_EQ(three.error, "");
  EXPECT_EQ(one.kata_cosine, three.kata_cosine);
}

// ---- the printed table ---------------------------------------------------------------------

// Lines the kata prints (numpy 1.24.2), sections 2 and 3, table rows only.
const std::vector<std::string> kKataGradientRows = {
    "        1  |      2.120966 | ##########",
    "        5  |      0.238160 | #########",
    "       10  |      0.026516 | ########",
    "       20  |      0.000023 | #####",
    "       50  |      0.000000 | #",
    "      100  |      0.000000 | #",
    "      200  |      0.000000 | #",
};
const std::vector<std::string> kKataRetentionRows = {
    "      0 |     +1.0000  | ###################  | ####################",
    "      5 |     -0.0403  |                      | ####################",
    "     10 |     +0.4218  | ########             | ####################",
    "     25 |     +0.5480  | ##########           | ####################",
    "     50 |     +0.5895  | ###########          | ####################",
    "    100 |     -0.3147  | ######               | ####################",
    "    200 |     +0.6202  | ############         | ####################",
};

std::string run_cli(const std::string& args, int* status) {
  const std::string command = std::string("'") + RNN_LESSON_CLI + "' " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "";
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  *status = pclose(pipe);
  return out;
}

std::vector<std::string> lines_between(const std::string& text, const std::string& first, const std::string& last) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line.rfind(first, 0) == 0) inside = true;
    if (inside && line.rfind(last, 0) == 0) break;
    if (inside) lines.push_back(line);
  }
  return lines;
}

// The rows after a table's "---" rule, up to the first blank line.
std::vector<std::string> table_rows(const std::vector<std::string>& section) {
  std::vector<std::string> rows;
  bool after_rule = false;
  for (const auto& line : section) {
    if (after_rule && line.empty()) break;
    if (after_rule) rows.push_back(line);
    if (line.rfind("  ---", 0) == 0 || line.rfind("  ------", 0) == 0) after_rule = true;
  }
  return rows;
}

TEST(KataCli, PrintedTablesMatchTheKataLineForLine) {
  int status = -1;
  const std::string out = run_cli("kata", &status);
  ASSERT_EQ(status, 0) << out;
  const auto gradient = lines_between(out, "=== 2.", "=== 3.");
  const auto retention = lines_between(out, "=== 3.", "=== Why");
  ASSERT_FALSE(gradient.empty()) << out;
  ASSERT_FALSE(retention.empty()) << out;
  EXPECT_EQ(gradient[0], "=== 2. Gradient Magnitude vs Distance ===");
  EXPECT_EQ(gradient[2], "  Distance | Gradient Norm | Visualization");
  const auto grows = table_rows(gradient);
  ASSERT_EQ(grows.size(), kKataGradientRows.size()) << out;
  for (std::size_t i = 0; i < grows.size(); ++i) EXPECT_EQ(grows[i], kKataGradientRows[i]);
  EXPECT_EQ(retention[0], "=== 3. Hidden State Information Bottleneck ===");
  EXPECT_EQ(retention[2], "  Stored signal: [ 1.  -1.   0.5 -0.5]");
  EXPECT_EQ(retention[3], "  Hidden dim: 16 | Measuring retention after N noise steps");
  EXPECT_EQ(retention[5], "  Steps | h dot target | Retention | RNN vs Direct Access");
  const auto rrows = table_rows(retention);
  ASSERT_EQ(rrows.size(), kKataRetentionRows.size()) << out;
  for (std::size_t i = 0; i < rrows.size(); ++i) EXPECT_EQ(rrows[i], kKataRetentionRows[i]);
}

TEST(KataCli, JsonHasTheKataValues) {
  int status = -1;
  const std::string out = run_cli("kata --json", &status);
  ASSERT_EQ(status, 0);
  EXPECT_EQ(out.front(), '{');
  EXPECT_NE(out.find("\"gradient\""), std::string::npos) << out;
  const std::size_t at = out.find("\"norm\":[");
  ASSERT_NE(at, std::string::npos) << out;
  const double first_norm = std::strtod(out.c_str() + at + 8, nullptr);
  EXPECT_NEAR(first_norm, kKataNorms[0], 1e-12 * kKataNorms[0]) << "JSON keeps full precision";
}

}  // namespace
