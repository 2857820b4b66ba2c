// Experiment 1: an RNN's forward time grows linearly with sequence length, because every
// step waits for the one before it.
//
// Each length is timed robustly: a warm-up (passes over every length for at least 20 ms,
// and at most 1e9 multiply-adds); the number of forward passes per measured interval is
// raised until two intervals in a row last at least `min_interval_ms` (so a coarse clock,
// e.g. a browser's 0.1 ms, still resolves a single pass, and a pause during calibration does
// not leave the count too small; an interval is
// also capped at 2e8 multiply-adds, so a stalled clock cannot make it endless); then `trials`
// rounds, each timing one interval of every length, give each length's median and spread.
// A least-squares line time = a + b*L turns the medians into nanoseconds per step (b) and R^2.
// The clock and the workload are injectable so tests can script them.
//
// Why rounds: timed one length after another, a slowdown late in the run (another program,
// a throttled CPU) lands on the last lengths only and looks like a length effect: 1.3x on the
// last two of 50..2000 gives a steeper line with R^2 still 0.997. Interleaved, it lands on a
// few rounds of every length, where the median drops it. Round r starts at length r mod n
// (a rotation), so no length is always timed first or last.
//
// The verdict `disturbed`: the measurement does not support a clean line when
//   - R^2 < kMinRSquared (0.99): the medians are not on a line (a fault, or noise that the
//     medians did not remove), or
//   - some length's trials spread more than kMaxSpread (1.2x), spread = the 80th percentile
//     of its per-pass times over the 20th (numpy's linear quantiles): a slowdown over a fifth
//     or more of the rounds (1.3x over 2 rounds of 7 gives 1.24), while a single outlier
//     trial out of 5 or more does not count (the median drops it anyway).
// Either way the page says so and offers a re-run.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/fields.h"
#include "core/params.h"

namespace rnn_lesson {

struct TimingParams {
  int hidden_size;           // H
  int input_size;            // D
  std::vector<int> lengths;  // sequence lengths L to time
  int trials;                // measured intervals per length (median taken)
  double min_interval_ms;    // shortest interval the clock is trusted to resolve
  int seed;                  // weights and inputs, drawn like the kata
};

const std::vector<Field<TimingParams>>& timing_fields();
TimingParams default_timing_params();
// "" when valid; otherwise one line naming the parameter and its range. Also enforces the
// work caps (documented in timing.cpp and the CLI help).
std::string validate(const TimingParams& p);

// The thresholds of the `disturbed` verdict (above); the result carries them for the page.
constexpr double kMinRSquared = 0.99;
constexpr double kMaxSpread = 1.2;

struct TimingResult {
  std::string error;             // non-empty: nothing else is meaningful
  std::vector<int> lengths;      // as requested, in order
  std::vector<double> median_ms; // per length: one forward pass, median over trials
  std::vector<double> min_ms;    // per length: fastest trial
  std::vector<double> max_ms;    // per length: slowest trial
  std::vector<double> spread;    // per length: 80th / 20th percentile of its trials (>= 1;
                                 // 2 * kMaxSpread, a marker, if the 20th is 0 ms)
  std::vector<int> repeats;      // per length: forward passes in each measured interval
  std::vector<double> state_sum; // per length: sum of h after one pass from h = 0 (what run_once
                                 // returns): computed, not measured, so the same on every run;
                                 // kernels on other machines agree within float rounding
  double ns_per_step = 0;        // fitted slope b, nanoseconds per recurrent step
  double intercept_ms = 0;       // fitted a
  double r_squared = 0;          // of the fit, on the medians
  bool disturbed = false;        // r_squared < kMinRSquared or some spread > kMaxSpread
  bool clock_too_coarse = false; // some length's 20th-percentile trial measured 0 ms: the clock did
                                 // not tick in a fifth or more of its intervals (disturbed too)
  double r_squared_threshold = kMinRSquared;
  double spread_threshold = kMaxSpread;
  double checksum = 0;           // sum of final states; keeps the work observable
};
// The output's fields (core/fields.h); the checksum only keeps the work observable.
inline void visit_fields(const TimingResult& r, FieldVisitor& v) {
  v.field("lengths", r.lengths);
  v.field("median_ms", r.median_ms);
  v.field("min_ms", r.min_ms);
  v.field("max_ms", r.max_ms);
  v.field("spread", r.spread);
  v.field("repeats", r.repeats);
  v.field("state_sum", r.state_sum);
  v.field("ns_per_step", r.ns_per_step);
  v.field("intercept_ms", r.intercept_ms);
  v.field("r_squared", r.r_squared);
  v.field("disturbed", r.disturbed);
  v.field("clock_too_coarse", r.clock_too_coarse);
  v.field("r_squared_threshold", r.r_squared_threshold);
  v.field("spread_threshold", r.spread_threshold);
}

// Seconds on some monotonic clock.
using Clock = std::function<double()>;
// Called with the fraction done, strictly increasing to exactly 1 (the timing experiment calls
// it after its warm-up, each length's calibration and each timed interval, so a watcher hears
// from a live run at least once per interval); return false to stop the run (the result then
// carries error "cancelled").
using Progress = std::function<bool(double fraction)>;

Clock steady_clock_seconds();

// Times the float32 RNN forward pass described by `p` on `clock`.
TimingResult run_timing(const TimingParams& p, const Clock& clock = steady_clock_seconds(),
                        const Progress& progress = nullptr);

// The experiment's descriptor (core/experiments/registry.h lists it once).
struct TimingExperiment {
  static constexpr const char* name = "timing";
  static constexpr const char* summary = "forward time vs sequence length";
  using Params = TimingParams;
  using Result = TimingResult;
  static const std::vector<Field<Params>>& fields() { return timing_fields(); }
  static Result run(const Params& p, const Progress& progress) { return run_timing(p, steady_clock_seconds(), progress); }
};

// The measuring protocol alone: `run_once(L)` performs one pass of length L and returns a
// value to fold into the checksum (the same value on every call: reported as state_sum). Used by run_timing and by tests with a scripted clock.
TimingResult measure_lengths(const TimingParams& p, const Clock& clock,
                             const std::function<double(int length)>& run_once,
                             const Progress& progress = nullptr);

}  // namespace rnn_lesson
