// The timing protocol on a scripted clock (exact answers known in advance), the statistics
// it relies on, and the float32 forward pass it times.
#include "core/experiments/timing.h"

#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"
#include "core/blocks/stats.h"

namespace {

using namespace rnn_lesson;

// A pass of length L takes a + b*L seconds. Dyadic a and b keep every clock reading exact.
constexpr double kA = 1.0 / 8192;     // ~0.122 ms per pass
constexpr double kB = 1.0 / 1048576;  // ~954 ns per step

struct ScriptedWork {
  double now = 0;
  long calls = 0;
  double a = kA, b = kB;
  Clock clock() {
    return [this] { return now; };
  }
  std::function<double(int)> run_once() {
    return [this](int length) {
      ++calls;
      now += a + b * length;
      return 1.0;
    };
  }
};

TimingParams scripted_params() {
  TimingParams p = default_timing_params();
  p.lengths = {50, 100, 200, 500, 1000, 2000};
  p.trials = 5;
  p.min_interval_ms = 2;
  return p;
}

TEST(MeasureLengths, ScriptedClockGivesTheExactLine) {
  ScriptedWork w;
  const TimingParams p = scripted_params();
  const TimingResult r = measure_lengths(p, w.clock(), w.run_once());
  ASSERT_EQ(r.error, "");
  ASSERT_EQ(r.lengths, p.lengths);
  ASSERT_EQ(r.median_ms.size(), p.lengths.size());
  EXPECT_NEAR(r.ns_per_step, kB * 1e9, 1e-9 * kB * 1e9);
  EXPECT_NEAR(r.intercept_ms, kA * 1e3, 1e-9 * kA * 1e3);
  EXPECT_NEAR(r.r_squared, 1.0, 1e-12);
  EXPECT_FALSE(r.clock_too_coarse);
  for (std::size_t i = 0; i < p.lengths.size(); ++i) {
    SCOPED_TRACE("L = " + std::to_string(p.lengths[i]));
    const double pass_s = kA + kB * p.lengths[i];
    const double repeats = r.repeats[i];
    const double expected_ms = pass_s * repeats * 1e3 / repeats;  // the interval, per pass
    EXPECT_EQ(r.median_ms[i], expected_ms);
    EXPECT_EQ(r.min_ms[i], expected_ms);
    EXPECT_EQ(r.max_ms[i], expected_ms);
  }
  EXPECT_EQ(r.checksum, static_cast<double>(w.calls)) << "every pass is folded into the checksum";
}

TEST(MeasureLengths, RepeatsGrowUntilTheIntervalIsLongEnough) {
  for (double b : {kB, 1.0 / (1 << 30), 1e-3}) {
    ScriptedWork w;
    w.a = 1.0 / (1 << 24);
    w.b = b;
    TimingParams p = scripted_params();
    p.lengths = {3, 50, 1000};
    p.hidden_size = 1;  // tiny nominal work, so the per-interval work cap never binds here
    p.input_size = 1;
    const TimingResult r = measure_lengths(p, w.clock(), w.run_once());
    ASSERT_EQ(r.error, "");
    for (std::size_t i = 0; i < p.lengths.size(); ++i) {
      const double pass_s = w.a + w.b * p.lengths[i];
      SCOPED_TRACE("pass " + std::to_string(pass_s * 1e9) + " ns, repeats " + std::to_string(r.repeats[i]));
      EXPECT_GE(r.repeats[i] * pass_s, p.min_interval_ms * 1e-3);
      if (pass_s >= p.min_interval_ms * 1e-3) {
        EXPECT_EQ(r.repeats[i], 1);
      }
      // Growth is geometric, so the interval does not overshoot wildly.
      EXPECT_LT(r.repeats[i] * pass_s, 4 * p.min_interval_ms * 1e-3 + pass_s);
    }
  }
}

TEST(MeasureLengths, APauseDuringCalibrationDoesNotShortenTheIntervals) {
  // Each length's first timed calibration interval includes a 5 ms pause (the thread
  // descheduled): a count chosen from it alone would be 1 pass (~0.12-2 ms), at the shortest
  // lengths close to a browser clock's 0.1 ms tick. The count must still give 2 ms intervals.
  ScriptedWork w;
  const auto work = w.run_once();
  const TimingParams p = scripted_params();
  int since_report = -1;  // calls since the last progress report; -1: still warming up
  std::size_t pauses = 0;
  const TimingResult r = measure_lengths(
      p, w.clock(),
      [&](int length) {
        // Progress comes after the warm-up and after each length's calibration, whose first
        // call is untimed and whose second is in its first timed interval.
        if (since_report >= 0 && ++since_report == 2 && pauses < p.lengths.size()) {
          w.now += 5e-3;
          ++pauses;
        }
        return work(length);
      },
      [&](double) {
        since_report = 0;
        return true;
      });
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(pauses, p.lengths.size()) << "one pause per length's calibration";
  for (std::size_t i = 0; i < p.lengths.size(); ++i) {
    const double pass_s = kA + kB * p.lengths[i];
    EXPECT_GE(r.repeats[i] * pass_s, p.min_interval_ms * 1e-3) << "L = " << p.lengths[i];
  }
  EXPECT_NEAR(r.ns_per_step, kB * 1e9, 1e-6 * kB * 1e9) << "no trial includes a pause";
}

TEST(MeasureLengths, StalledClockCannotHangARun) {
  // A clock that never advances: calibration stops at the work cap of timing.cpp
  // (2e8 multiply-adds per interval, H*(H+D)*L per pass) instead of looping forever.
  ScriptedWork w;
  const TimingParams p = scripted_params();
  const TimingResult r = measure_lengths(p, [] { return 0.0; }, w.run_once());
  ASSERT_EQ(r.error, "");
  for (std::size_t i = 0; i < p.lengths.size(); ++i) {
    const double macs_per_pass = double(p.lengths[i]) * p.hidden_size * (p.hidden_size + p.input_size);
    EXPECT_GE(r.repeats[i], 1);
    EXPECT_LE(r.repeats[i] * macs_per_pass, 2e8) << "L = " << p.lengths[i];
    EXPECT_EQ(r.median_ms[i], 0.0);
    EXPECT_EQ(r.spread[i], 2 * kMaxSpread) << "a 0 ms 20th percentile is marked, not a ratio";
  }
  EXPECT_TRUE(r.clock_too_coarse);
  EXPECT_TRUE(r.disturbed) << "a clock that never ticks measures nothing";
}

TEST(MeasureLengths, WarmsUpForTwentyMillisecondsBeforeTiming) {
  // Passes over all lengths until 20 ms have passed, then calibration and trials: count the
  // passes made before the clock first reads 20 ms.
  ScriptedWork w;
  const TimingParams p = scripted_params();
  long passes_at_20ms = -1;
  const auto run = [&](int length) {
    if (passes_at_20ms < 0 && w.now >= 0.02) passes_at_20ms = w.calls;
    return w.run_once()(length);
  };
  const TimingResult r = measure_lengths(p, w.clock(), run);
  ASSERT_EQ(r.error, "");
  double round_s = 0;
  for (int l : p.lengths) round_s += kA + kB * l;
  const long rounds = static_cast<long>(std::ceil(0.02 / round_s));
  EXPECT_EQ(passes_at_20ms, rounds * static_cast<long>(p.lengths.size()))
      << "whole rounds over every length until 20 ms, nothing else before";
}

TEST(MeasureLengths, StalledClockCapsTheWarmUp) {
  long calls = 0;
  TimingParams p = scripted_params();
  const TimingResult r = measure_lengths(p, [] { return 0.0; }, [&](int) { ++calls; return 0.0; });
  ASSERT_EQ(r.error, "");
  double macs_per_round = 0;
  for (int l : p.lengths) macs_per_round += double(l) * p.hidden_size * (p.hidden_size + p.input_size);
  // Warm-up rounds stop at 1e9 multiply-adds (then calibration and trials, capped per interval
  // as StalledClockCannotHangARun checks): the run returned, after the whole warm-up.
  EXPECT_GE(calls, static_cast<long>(std::ceil(1e9 / macs_per_round)) * static_cast<long>(p.lengths.size()));
}

TEST(MeasureLengths, CoarseClockStillResolvesTheSlope) {
  // A browser-like clock: floors to 0.1 ms.
  ScriptedWork w;
  w.a = 3.1e-6;
  w.b = 7.3e-9;
  const Clock coarse = [&w] { return std::floor(w.now / 1e-4) * 1e-4; };
  TimingParams p = scripted_params();
  p.trials = 7;
  const TimingResult r = measure_lengths(p, coarse, w.run_once());
  ASSERT_EQ(r.error, "");
  EXPECT_NEAR(r.ns_per_step, w.b * 1e9, 0.05 * w.b * 1e9);
  EXPECT_GT(r.r_squared, 0.99);
}

TEST(MeasureLengths, MedianIgnoresOutlierIntervals) {
  // Every third interval (the clock is read twice per interval) ends after a 1 s stall. A
  // length's 7 trials sit one per round, n = 6 intervals apart, so 2 or 3 of them stall:
  // the median of 7 never sees one.
  ScriptedWork w;
  long reads = 0;
  const Clock stalling = [&] {
    ++reads;
    const bool interval_end = reads % 2 == 0;
    if (interval_end && (reads / 2) % 3 == 1) w.now += 1.0;
    return w.now;
  };
  TimingParams p = scripted_params();
  p.trials = 7;
  const TimingResult r = measure_lengths(p, stalling, w.run_once());
  ASSERT_EQ(r.error, "");
  bool saw_outlier = false;
  for (std::size_t i = 0; i < p.lengths.size(); ++i) {
    const double pass_ms = (kA + kB * p.lengths[i]) * 1e3;
    EXPECT_NEAR(r.median_ms[i], pass_ms, 1e-9 * pass_ms) << "L = " << p.lengths[i];
    EXPECT_NEAR(r.min_ms[i], pass_ms, 1e-9 * pass_ms);
    saw_outlier = saw_outlier || r.max_ms[i] > 2 * pass_ms;
  }
  EXPECT_TRUE(saw_outlier) << "the stalls did land in measured trials";
  EXPECT_TRUE(r.disturbed) << "2 or 3 stalled trials of 7 spread every length";
  EXPECT_NEAR(r.ns_per_step, kB * 1e9, 1e-6 * kB * 1e9);
  EXPECT_NEAR(r.r_squared, 1.0, 1e-9);
}

// Progress: once after the warm-up (1%), once per length's calibration (to 5%), once per
// timed interval (the rounds fill 5% to 100%): strictly increasing, ending at exactly 1, so a
// watcher hears from a live run at least once per interval.
TEST(MeasureLengths, ProgressReportsFractionsInOrder) {
  ScriptedWork w;
  std::vector<double> fractions;
  const TimingParams p = scripted_params();
  const TimingResult r = measure_lengths(p, w.clock(), w.run_once(), [&](double f) {
    fractions.push_back(f);
    return true;
  });
  ASSERT_EQ(r.error, "");
  const std::size_t n = p.lengths.size();
  ASSERT_EQ(fractions.size(), 1 + n + n * static_cast<std::size_t>(p.trials)) << "warm-up, calibrations, intervals";
  EXPECT_EQ(fractions[0], 0.01);
  EXPECT_NEAR(fractions[n], 0.05, 1e-15);
  for (std::size_t i = 1; i < fractions.size(); ++i) EXPECT_GT(fractions[i], fractions[i - 1]) << i;
  for (int round = 1; round < p.trials; ++round)  // each round's end
    EXPECT_NEAR(fractions[n + n * round], 0.05 + 0.95 * round / p.trials, 1e-15);
  EXPECT_EQ(fractions.back(), 1.0);
}

// Each round times every length once, round r starting at length r mod n. Every clock read
// opens or closes an interval, so logging the length of the first pass after each read gives
// the intervals in time order; the rounds are the last n * trials of them (warm-up and
// calibration come first).
TEST(MeasureLengths, RoundsInterleaveTheLengthsInARotatingOrder) {
  ScriptedWork w;
  TimingParams p = scripted_params();
  std::vector<int> interval_lengths;
  bool clock_was_read = true;
  const auto run = [&](int length) {
    if (clock_was_read) interval_lengths.push_back(length);
    clock_was_read = false;
    return w.run_once()(length);
  };
  const Clock clock = [&] {
    clock_was_read = true;
    return w.now;
  };
  const TimingResult r = measure_lengths(p, clock, run);
  ASSERT_EQ(r.error, "");
  const std::size_t n = p.lengths.size(), total = n * static_cast<std::size_t>(p.trials);
  ASSERT_GE(interval_lengths.size(), total);
  const std::vector<int> rounds(interval_lengths.end() - static_cast<long>(total), interval_lengths.end());
  for (int round = 0; round < p.trials; ++round)
    for (std::size_t j = 0; j < n; ++j)
      EXPECT_EQ(rounds[round * n + j], p.lengths[(j + round) % n]) << "round " << round << ", slot " << j;
}

// The case: the machine slows down by 1.3x late in the run. Timed one length after
// another, the slowdown falls on the last two lengths and bends the line (a steeper slope, R^2
// still high); timed in rounds, it falls on the last 2 of 7 rounds of every length, the medians
// drop it, and the spread reports it.
TEST(MeasureLengths, ALateSlowdownDoesNotBendTheInterleavedLine) {
  TimingParams p = scripted_params();
  p.trials = 7;
  // Sequential timing, computed: the last two lengths' medians 1.3x slower.
  std::vector<double> x, sequential_ms;
  for (std::size_t i = 0; i < p.lengths.size(); ++i) {
    x.push_back(p.lengths[i]);
    sequential_ms.push_back((kA + kB * p.lengths[i]) * 1e3 * (i + 2 >= p.lengths.size() ? 1.3 : 1.0));
  }
  const LineFit sequential = fit_line(x, sequential_ms);
  std::printf("  sequential under the slowdown: %.1f ns per step (true %.1f), R^2 %.4f\n", sequential.slope * 1e6,
              kB * 1e9, sequential.r_squared);
  EXPECT_GT(sequential.slope * 1e6, 1.2 * kB * 1e9) << "the sequential slope is biased";
  EXPECT_GT(sequential.r_squared, kMinRSquared) << "and R^2 alone does not catch it";

  // Interleaved: the slowdown starts when round 5 of 7 does (the progress seam marks it).
  ScriptedWork w;
  bool slow = false;
  const auto run = [&](int length) {
    ++w.calls;
    w.now += (kA + kB * length) * (slow ? 1.3 : 1.0);
    return 1.0;
  };
  // measure_lengths maps the rounds onto 5%..100% of its progress, reported after every interval.
  const TimingResult r = measure_lengths(p, w.clock(), run, [&](double fraction) {
    slow = fraction >= 0.05 + 0.95 * 5.0 / p.trials - 1e-12;
    return true;
  });
  ASSERT_EQ(r.error, "");
  std::printf("  interleaved under the slowdown: %.1f ns per step, R^2 %.6f, spread %.3f, disturbed %d\n",
              r.ns_per_step, r.r_squared, r.spread[0], int(r.disturbed));
  EXPECT_NEAR(r.ns_per_step, kB * 1e9, 1e-6 * kB * 1e9);
  EXPECT_NEAR(r.r_squared, 1.0, 1e-9);
  for (double v : r.spread) EXPECT_NEAR(v, 1.0 + 0.8 * 0.3, 1e-9);  // 80th percentile of 5 x 1.0, 2 x 1.3
  EXPECT_TRUE(r.disturbed) << "a spread above kMaxSpread";
}

TEST(MeasureLengths, CleanLineIsNotDisturbed) {
  ScriptedWork w;
  const TimingResult r = measure_lengths(scripted_params(), w.clock(), w.run_once());
  ASSERT_EQ(r.error, "");
  for (double v : r.spread) EXPECT_EQ(v, 1.0);
  EXPECT_FALSE(r.disturbed);
  EXPECT_EQ(r.r_squared_threshold, kMinRSquared);
  EXPECT_EQ(r.spread_threshold, kMaxSpread);
}

TEST(MeasureLengths, PoorFitIsDisturbed) {
  // Steady but not linear in L (a pass of length L costs a + c*L^2): no spread, R^2 low.
  ScriptedWork w;
  const auto run = [&](int length) {
    w.now += kA + 1e-12 * double(length) * length;
    return 1.0;
  };
  TimingParams p = scripted_params();
  p.lengths = {50, 100, 200, 500, 1000, 2000, 1500, 150};
  const TimingResult r = measure_lengths(p, w.clock(), run);
  ASSERT_EQ(r.error, "");
  for (double v : r.spread) EXPECT_NEAR(v, 1.0, 1e-12);
  std::printf("  quadratic cost: R^2 %.4f\n", r.r_squared);
  EXPECT_LT(r.r_squared, kMinRSquared);
  EXPECT_TRUE(r.disturbed);
}

TEST(MeasureLengths, ProgressReturningFalseCancels) {
  ScriptedWork w;
  int calls = 0;
  const TimingResult r = measure_lengths(scripted_params(), w.clock(), w.run_once(), [&](double) {
    ++calls;
    return false;
  });
  EXPECT_EQ(r.error, "cancelled");
  EXPECT_EQ(calls, 1) << "stops at the first report";
  EXPECT_TRUE(r.median_ms.empty());
}

TEST(MeasureLengths, ClockGoingBackwardsCountsAsZero) {
  // A clock that steps back must not produce negative times.
  ScriptedWork w;
  long reads = 0;
  const Clock jumpy = [&] { return (++reads % 10 == 0) ? w.now - 5.0 : w.now; };
  TimingParams p = scripted_params();
  p.trials = 3;
  const TimingResult r = measure_lengths(p, jumpy, w.run_once());
  ASSERT_EQ(r.error, "");
  for (double v : r.min_ms) EXPECT_GE(v, 0.0);
}

// ---- the timed forward pass ----------------------------------------------------------------

double double_forward_sum(const TanhRnn& rnn, const Eigen::MatrixXf& inputs, int length) {
  Eigen::VectorXd h = Eigen::VectorXd::Zero(rnn.hidden_size());
  for (int t = 0; t < length; ++t) h = rnn.step(h, inputs.col(t).cast<double>());
  return h.sum();
}

TEST(FastRnnForward, MatchesDoublePrecisionSteps) {
  // Fixed-size kernels (32, 8) and (16, 4), and the dynamic one; float32 vs double.
  for (auto [H, D] : {std::pair{32, 8}, std::pair{16, 4}, std::pair{7, 3}}) {
    SCOPED_TRACE("H = " + std::to_string(H) + ", D = " + std::to_string(D));
    NumpyRandom rng(42);
    const TanhRnn rnn = TanhRnn::draw(rng, H, D, 0.5);
    const Eigen::MatrixXf inputs = (rng.randn(D, 300) * 0.1).cast<float>();
    FastRnnForward fast(rnn);
    for (int L : {1, 17, 300}) {
      const double ref = double_forward_sum(rnn, inputs, L);
      EXPECT_NEAR(fast.run(inputs, L), ref, 1e-4 * (1 + std::fabs(ref))) << "L = " << L;
    }
  }
}

TEST(RunTiming, RealClockSmokeRun) {
  TimingParams p = default_timing_params();
  p.lengths = {20, 200};
  p.trials = 1;
  p.min_interval_ms = 0.5;
  const TimingResult r = run_timing(p);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.lengths, p.lengths);
  ASSERT_EQ(r.repeats.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_GE(r.repeats[i], 1);
    EXPECT_GT(r.median_ms[i], 0.0);
    EXPECT_LE(r.min_ms[i], r.median_ms[i]);
    EXPECT_LE(r.median_ms[i], r.max_ms[i]);
  }
  EXPECT_TRUE(std::isfinite(r.checksum));
  // state_sum is computed, not measured: the double-precision steps of the same network on
  // the same inputs (run_timing's draws: the RNN, then randn(D) * 0.1 per step), within the
  // float32 kernel's rounding and its tanh's 1.2e-6 (as MatchesDoublePrecisionSteps).
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const TanhRnn rnn = TanhRnn::draw(rng, p.hidden_size, p.input_size, 0.5);
  Eigen::MatrixXf inputs(p.input_size, 200);
  for (int t = 0; t < 200; ++t)
    for (int d = 0; d < p.input_size; ++d) inputs(d, t) = static_cast<float>(rng.standard_normal() * 0.1);
  ASSERT_EQ(r.state_sum.size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    const double ref = double_forward_sum(rnn, inputs, p.lengths[i]);
    EXPECT_NEAR(r.state_sum[i], ref, 1e-4 * (1 + std::fabs(ref))) << "L = " << p.lengths[i];
  }
}

}  // namespace
