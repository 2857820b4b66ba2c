// Experiment 1, timing; see timing.h.
#include "core/experiments/timing.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"
#include "core/blocks/stats.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

// Work caps, so no request can run for minutes or allocate without bound.
constexpr double kMaxMacsPerPass = 1e9;        // H*(H+D)*sum(L), one pass over all lengths
constexpr double kMaxBufferFloats = 4e6;       // (H+D)*max(L): no longer one buffer (the step
                                               // dropped its projection), kept so the refused
                                               // settings and documented ranges stay the same
constexpr double kMaxIntervalBudgetMs = 60e3;  // trials * count(L) * min_interval_ms
constexpr long kMaxRepeats = 1000000;          // passes in one interval
constexpr double kMaxMacsPerInterval = 2e8;    // so a stalled clock cannot make an interval endless
// Warm-up: at least this long, and at most this much work (again for a stalled clock). A
// WebAssembly engine first runs new code from a quick baseline compile and swaps in optimised
// code only after the code has run a while (V8: some ms later, between calls). With a single
// warm-up pass, 1 page load in 6 measured the baseline code (208 ns per step, R^2 0.999,
// against ~120 ns): the trials must start after the swap.
constexpr double kWarmupSeconds = 0.02;
constexpr double kMaxWarmupMacs = 1e9;

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<TimingParams>>& timing_fields() {
  static const std::vector<Field<TimingParams>> table = {
      {{"hidden_size", ParamType::Integer, 1, 1024, 1, "32", {}, "hidden units H",
        "Hidden size H"}, &TimingParams::hidden_size},
      {{"input_size", ParamType::Integer, 1, 256, 1, "8", {}, "input features D",
        "Input size D", Tier::Advanced}, &TimingParams::input_size},
      {{"lengths", ParamType::IntegerList, 1, 20000, 32, "50,100,200,500,1000,2000", {},
        "sequence lengths to time (at least two different)", "Sequence lengths L"}, &TimingParams::lengths},
      {{"trials", ParamType::Integer, 1, 51, 1, "7", {}, "timed rounds: each times every length once; the median per length is reported",
        "Trials per length"},
       &TimingParams::trials},
      {{"min_interval_ms", ParamType::Real, 0.5, 1000, 1, "2", {},
        "shortest measured interval in ms (a browser clock ticks every 0.1 ms)",
        "Shortest timed interval (ms)", Tier::Advanced}, &TimingParams::min_interval_ms},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed for weights and inputs",
        "Random seed", Tier::Advanced, Slider::Off},
       &TimingParams::seed},
  };
  return table;
}

TimingParams default_timing_params() { return defaults_from(timing_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const TimingParams& p) {
  std::string error = check_fields(timing_fields(), p);
  if (!error.empty()) return error;
  if (std::set<int>(p.lengths.begin(), p.lengths.end()).size() < 2)
    return "lengths must hold at least 2 different values to fit a line";
  const double H = p.hidden_size, D = p.input_size;
  double sum_l = 0, max_l = 0;
  for (int l : p.lengths) {
    sum_l += l;
    max_l = std::max<double>(max_l, l);
  }
  if (H * (H + D) * sum_l > kMaxMacsPerPass)
    return "hidden_size * (hidden_size + input_size) * sum(lengths) must be at most 1e9 multiply-adds (got " +
           std::to_string(static_cast<long long>(H * (H + D) * sum_l)) + ")";
  if ((H + D) * max_l > kMaxBufferFloats)
    return "(hidden_size + input_size) * max(lengths) must be at most 4000000 (got " +
           std::to_string(static_cast<long long>((H + D) * max_l)) + ")";
  if (p.trials * static_cast<double>(p.lengths.size()) * p.min_interval_ms > kMaxIntervalBudgetMs)
    return "trials * count(lengths) * min_interval_ms must be at most 60000 ms";
  return "";
}

Clock steady_clock_seconds() {
  return [] {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
  };
}

TimingResult measure_lengths(const TimingParams& p, const Clock& clock,
                             const std::function<double(int)>& run_once, const Progress& progress) {
  TimingResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const double min_interval_s = p.min_interval_ms * 1e-3;
  // Progress is reported after the warm-up (1%), after each length's calibration (up to 5%)
  // and after each timed interval (the rounds fill 5% to 100%), outside the timed regions, so
  // a caller watching for a stopped run never waits longer than one interval or the warm-up.
  // The fractions strictly increase and end at exactly 1; `false` from progress stops the run.
  auto report = [&](double fraction) { return !progress || progress(fraction); };
  auto of_rounds = [&](double rounds_done) { return rounds_done >= p.trials ? 1.0 : 0.05 + 0.95 * rounds_done / p.trials; };
  const auto cancelled = [] {
    TimingResult c;
    c.error = "cancelled";
    return c;
  };

  // Warm-up: caches, buffers, the CPU's clock speed and the engine's code settle before
  // anything counts. Whole passes over every length, until kWarmupSeconds have passed.
  double macs_per_round = 0;
  for (int l : p.lengths) macs_per_round += double(l) * p.hidden_size * (p.hidden_size + p.input_size);
  const double warmup_start = clock();
  for (double macs = 0; macs < kMaxWarmupMacs;) {
    for (int l : p.lengths) r.checksum += run_once(l);
    macs += macs_per_round;
    if (clock() - warmup_start >= kWarmupSeconds) break;
  }
  if (!report(0.01)) return cancelled();

  // Calibrate each length: grow its repeat count until one interval is long enough.
  const std::size_t n = p.lengths.size();
  std::vector<long> repeats(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int length = p.lengths[i];
    const double macs_per_pass = double(length) * p.hidden_size * (p.hidden_size + p.input_size);
    const long max_repeats = std::clamp<long>(static_cast<long>(kMaxMacsPerInterval / macs_per_pass), 1, kMaxRepeats);
    const double state_sum = run_once(length);  // one untimed pass: its result is the output
    r.checksum += state_sum;
    r.state_sum.push_back(state_sum);
    // A count is kept once two intervals in a row are long enough: one long interval alone may
    // have been a pause (the thread descheduled on a busy machine), and a count chosen from it
    // then times intervals shorter than the clock's tick (0.1 ms in a browser), measured as 0.
    long count = 1;
    bool once = false;  // the last interval at this count was long enough
    for (;;) {
      const double t0 = clock();
      for (long k = 0; k < count; ++k) r.checksum += run_once(length);
      const double dt = std::max(0.0, clock() - t0);
      if (count >= max_repeats || (dt >= min_interval_s && once)) break;
      once = dt >= min_interval_s;
      if (once) continue;
      const double grow = dt > 0 ? std::ceil(1.25 * min_interval_s / dt) : 10.0;
      count = std::min<long>(max_repeats, count * static_cast<long>(std::clamp(grow, 2.0, 100.0)));
    }
    repeats[i] = count;
    if (!report(0.01 + 0.04 * static_cast<double>(i + 1) / n)) return cancelled();
  }

  // Rounds: each times one interval of every length, round r starting at length r mod n.
  std::vector<std::vector<double>> per_pass_ms(n);  // [length][round]
  for (int round = 0; round < p.trials; ++round) {
    for (std::size_t j = 0; j < n; ++j) {
      const std::size_t i = (j + static_cast<std::size_t>(round)) % n;
      const double t0 = clock();
      for (long k = 0; k < repeats[i]; ++k) r.checksum += run_once(p.lengths[i]);
      const double dt = std::max(0.0, clock() - t0);
      per_pass_ms[i].push_back(dt * 1e3 / static_cast<double>(repeats[i]));
      if (!report(of_rounds(round + static_cast<double>(j + 1) / n))) return cancelled();
    }
  }

  for (std::size_t i = 0; i < n; ++i) {
    const std::vector<double>& t = per_pass_ms[i];
    r.lengths.push_back(p.lengths[i]);
    r.repeats.push_back(static_cast<int>(repeats[i]));
    r.median_ms.push_back(median(t));
    r.min_ms.push_back(*std::min_element(t.begin(), t.end()));
    r.max_ms.push_back(*std::max_element(t.begin(), t.end()));
    const double low = quantile(t, 0.2), high = quantile(t, 0.8);
    // A 20th percentile of 0 ms: the clock did not tick during a fifth or more of the intervals
    // (coarser than min_interval_ms, or stalled), so no ratio can be read: marked disturbed.
    r.spread.push_back(low > 0 ? high / low : kMaxSpread * 2);
    if (!(low > 0)) r.clock_too_coarse = true;
  }

  const std::vector<double> x(r.lengths.begin(), r.lengths.end());
  const LineFit fit = fit_line(x, r.median_ms);
  r.ns_per_step = fit.slope * 1e6;
  r.intercept_ms = fit.intercept;
  r.r_squared = fit.r_squared;
  r.disturbed = r.clock_too_coarse || r.r_squared < kMinRSquared ||
                std::any_of(r.spread.begin(), r.spread.end(), [](double v) { return v > kMaxSpread; });
  return r;
}

TimingResult run_timing(const TimingParams& p, const Clock& clock, const Progress& progress) {
  const std::string error = validate(p);
  if (!error.empty()) {
    TimingResult r;
    r.error = error;
    return r;
  }
  NumpyRandom rng(static_cast<std::uint32_t>(p.seed));
  const TanhRnn rnn = TanhRnn::draw(rng, p.hidden_size, p.input_size, 0.5);
  const int max_length = *std::max_element(p.lengths.begin(), p.lengths.end());
  // Inputs like the kata's: one randn(D) * 0.1 per step, drawn in step order.
  Eigen::MatrixXf inputs(p.input_size, max_length);
  for (int t = 0; t < max_length; ++t)
    for (int d = 0; d < p.input_size; ++d) inputs(d, t) = static_cast<float>(rng.standard_normal() * 0.1);
  FastRnnForward forward(rnn);
  return measure_lengths(p, clock, [&](int length) { return double(forward.run(inputs, length)); }, progress);
}

}  // namespace rnn_lesson
