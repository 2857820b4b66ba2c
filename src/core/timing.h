// Experiment 1: an RNN's forward time grows linearly with sequence length, because every
// step waits for the one before it.
//
// Each length is timed robustly: a warm-up (passes over every length for at least 20 ms,
// and at most 1e9 multiply-adds); the number of forward passes per measured interval is
// raised until one interval lasts at least `min_interval_ms` (so a
// coarse clock, e.g. a browser's 0.1 ms, still resolves a single pass; an interval is
// also capped at 2e8 multiply-adds, so a stalled clock cannot make it endless); then `trials`
// intervals give the median and the spread. A least-squares line time = a + b*L turns the
// medians into nanoseconds per step (b) and R^2. The clock and the workload are injectable
// so tests can script them.
#pragma once

#include <functional>
#include <string>
#include <vector>

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

struct TimingResult {
  std::string error;             // non-empty: nothing else is meaningful
  std::vector<int> lengths;      // as requested, in order
  std::vector<double> median_ms; // per length: one forward pass, median over trials
  std::vector<double> min_ms;    // per length: fastest trial
  std::vector<double> max_ms;    // per length: slowest trial
  std::vector<int> repeats;      // per length: forward passes in each measured interval
  double ns_per_step = 0;        // fitted slope b, nanoseconds per recurrent step
  double intercept_ms = 0;       // fitted a
  double r_squared = 0;          // of the fit, on the medians
  double checksum = 0;           // sum of final states; keeps the work observable
};

// Seconds on some monotonic clock.
using Clock = std::function<double()>;
// Called between measurements with the fraction done; return false to stop the run
// (the result then carries error "cancelled").
using Progress = std::function<bool(double fraction)>;

Clock steady_clock_seconds();

// Times the float32 RNN forward pass described by `p` on `clock`.
TimingResult run_timing(const TimingParams& p, const Clock& clock = steady_clock_seconds(),
                        const Progress& progress = nullptr);

// The measuring protocol alone: `run_once(L)` performs one pass of length L and returns a
// value to fold into the checksum. Used by run_timing and by tests with a scripted clock.
TimingResult measure_lengths(const TimingParams& p, const Clock& clock,
                             const std::function<double(int length)>& run_once,
                             const Progress& progress = nullptr);

}  // namespace rnn_lesson
