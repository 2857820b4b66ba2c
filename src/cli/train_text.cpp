// Experiment 7's text report for `rnn-lesson train` (its own file: format.cpp holds the
// others and stays short). Formatting only; every number comes from run_train.
#include <algorithm>
#include <cstdio>
#include <set>
#include <sstream>

#include "cli/format.h"

namespace rnn_lesson::cli {

// Two tables, architecture by lag, each cell listing the seeds in order ("a/b/..."):
// the first evaluated step with held-out accuracy >= 0.9 ("-": not within the budget), and
// the held-out accuracy after the last step. Then each network's time per training step.
std::string to_text(const TrainResult& r) {
  std::vector<std::string> architectures;
  std::set<int> lag_set;
  for (const TrainRun& run : r.runs) {
    if (std::find(architectures.begin(), architectures.end(), run.architecture) == architectures.end())
      architectures.push_back(run.architecture);
    lag_set.insert(run.lag);
  }
  const std::vector<int> lags(lag_set.begin(), lag_set.end());
  const int budget = r.runs.empty() ? 0 : r.runs.front().eval_steps.back();
  char buf[64];
  std::ostringstream o;
  const auto table = [&](const std::string& title, auto cell) {
    o << "  " << title << "\n\n  " << std::string(10, ' ');
    for (int lag : lags) {
      std::snprintf(buf, sizeof buf, " | lag %-8d", lag);
      o << buf;
    }
    o << "\n";
    for (const std::string& a : architectures) {
      std::snprintf(buf, sizeof buf, "  %-10s", a.c_str());
      o << buf;
      for (int lag : lags) {
        std::string text;
        for (const TrainRun& run : r.runs)
          if (run.architecture == a && run.lag == lag) text += (text.empty() ? "" : "/") + cell(run);
        std::snprintf(buf, sizeof buf, " | %-12s", text.c_str());
        o << buf;
      }
      o << "\n";
    }
    o << "\n";
  };
  table("Steps to reach 90% held-out accuracy ('-': not within " + std::to_string(budget) + " steps)",
        [](const TrainRun& run) { return run.steps_to_learn ? std::to_string(*run.steps_to_learn) : std::string("-"); });
  std::snprintf(buf, sizeof buf, "%.2f", r.chance);
  table(std::string("Held-out accuracy after the last step (chance ") + buf + ")", [](const TrainRun& run) {
    char acc[16];
    std::snprintf(acc, sizeof acc, "%.2f", run.final_accuracy);
    return std::string(acc);
  });
  o << "  Time per training step:";
  for (const StepTime& s : r.ms_per_step) {
    std::snprintf(buf, sizeof buf, "  %s %.2f ms", s.architecture.c_str(), s.ms_per_step);
    o << buf;
  }
  if (!r.ms_per_step.empty()) o << " (at lag " << r.ms_per_step.front().lag << ")";
  o << "\n";
  return o.str();
}

}  // namespace rnn_lesson::cli
