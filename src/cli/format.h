// Text and JSON renderings of the experiments' results for the `rnn-lesson` command.
// Formatting only: every number printed here was computed by src/core.
#pragma once

#include <string>
#include <vector>

#include "core/architectures.h"
#include "core/gradient.h"
#include "core/memory_capacity.h"
#include "core/parallel.h"
#include "core/params.h"
#include "core/retention.h"
#include "core/timing.h"

namespace rnn_lesson::cli {

// JSON objects with the same keys the WebAssembly module returns to the page.
std::string to_json(const TimingParams& p, const TimingResult& r);
std::string to_json(const GradientParams& p, const GradientResult& r);
std::string to_json(const RetentionParams& p, const RetentionResult& r);
std::string to_json(const ArchitecturesParams& p, const ArchitecturesResult& r);
std::string to_json(const MemoryParams& p, const MemoryResult& r);
std::string to_json(const WorkDepthParams& p, const WorkDepthResult& r);

// Human-readable reports for one experiment.
std::string to_text(const TimingResult& r);
std::string to_text(const GradientResult& r);
std::string to_text(const RetentionResult& r);
std::string to_text(const ArchitecturesResult& r);
std::string to_text(const MemoryResult& r);
std::string to_text(const WorkDepthResult& r);

// The kata's three sections and its summary, in the kata's own table layout.
struct KataRun {
  TimingResult timing;
  GradientResult gradient;
  RetentionResult retention;
  std::vector<int> retention_steps;  // the rows the kata prints: 0, 5, 10, 25, 50, 100, 200
};
std::string kata_text(const KataRun& k);
std::string kata_json(const KataRun& k);

// "--name  range  (default ...)  help" lines for --help.
std::string param_help(const std::vector<ParamSpec>& specs);

}  // namespace rnn_lesson::cli
