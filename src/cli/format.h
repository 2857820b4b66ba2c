// Text and JSON renderings of the experiments' results for the `rnn-lesson` command.
// Formatting only: every number printed here was computed by src/core, and every JSON key
// comes from the core's field tables (core/fields.h).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "core/experiments/architectures.h"
#include "core/fields.h"
#include "core/experiments/gpu.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/params.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"
#include "core/experiments/train.h"

namespace rnn_lesson::cli {

// The JSON writer: one object holding the fields `fill` visits, compact (no spaces), keys
// in table order, numbers as %.17g (read back, the same double), non-finite ones as null.
std::string json_object(const std::function<void(FieldVisitor&)>& fill);

// A run as JSON: the keys and order of the WebAssembly module's result, without its `error`.
template <class Params, class Result>
std::string to_json(const std::string& experiment, const std::vector<Field<Params>>& table, const Params& p,
                    const Result& r) {
  return json_object([&](FieldVisitor& v) { visit_run(experiment, table, p, r, v); });
}

// Human-readable reports for one experiment (optional: see text_of()).
std::string to_text(const TimingResult& r);
std::string to_text(const GradientResult& r);
std::string to_text(const RetentionResult& r);
std::string to_text(const ArchitecturesResult& r);
std::string to_text(const MemoryResult& r);
std::string to_text(const WorkDepthResult& r);
std::string to_text(const TrainResult& r);  // in train_text.cpp
std::string to_text(const GpuResult& r);    // in gpu_text.cpp

// A result as "  key: value" lines from its field table (core/fields.h), for a result with
// no to_text() above.
std::string fields_text(const std::function<void(FieldVisitor&)>& fill);

namespace detail {
template <class Result>
auto text_of(const Result& r, int) -> decltype(to_text(r)) { return to_text(r); }
template <class Result>
std::string text_of(const Result& r, long) {
  return fields_text([&](FieldVisitor& v) { visit_fields(r, v); });
}
}  // namespace detail

// An experiment's text report: its to_text() if the CLI has one, else fields_text().
template <class Result>
std::string text_of(const Result& r) { return detail::text_of(r, 0); }

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
