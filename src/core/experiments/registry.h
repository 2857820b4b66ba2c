// The one list of the lesson's experiments. The CLI (its commands, usage and --help), the
// WebAssembly module (experiments(), run(), parameterSpecs(), limits()) and through it the
// page's worker all walk this list; none of them names an experiment.
//
// Adding an experiment: its files under core/experiments/ with a descriptor next to its code
//   struct XExperiment {
//     static constexpr const char* name = "x";        // CLI command, JS name
//     static constexpr const char* summary = "...";   // one line for the usage text (no number: the CLI numbers by place)
//     using Params = XParams;                         // with std::string validate(const XParams&)
//     using Result = XResult;                         // with `error` and visit_fields()
//     static const std::vector<Field<Params>>& fields();
//     static Result run(const Params&, const Progress&);
//   };
// and one line in `Experiments` below. A CLI table (cli::to_text) is optional: without one
// the CLI prints the result's fields. A descriptor without `run` (the scaling table) is a
// parameter table only: it has no command and is not in experiments(), but parameterSpecs()
// and limits() know it.
//
// The list is a compile-time type list: walking it calls each descriptor's static functions
// directly (no std::function or virtual call is added around a run).
#pragma once

#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "core/experiments/architectures.h"
#include "core/experiments/gpu.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/experiments/recall.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"
#include "core/experiments/train.h"

namespace rnn_lesson {

template <class... E>
struct ExperimentList {};

// The list, in the order of the lesson (and of the CLI's usage text and experiments()).
using Experiments = ExperimentList<TimingExperiment, GradientExperiment, RetentionExperiment, ArchitecturesExperiment,
                                   MemoryExperiment, WorkDepthExperiment, TrainExperiment, RecallExperiment,
                                   GpuExperiment, ScalingSlices>;

// The descriptor whose slice() the page's workers call (the parallel section).
using Slices = ScalingSlices;

// Whether a descriptor has a run (an experiment) or is a parameter table only.
template <class E, class = void>
struct has_run : std::false_type {};
template <class E>
struct has_run<E, std::void_t<decltype(&E::run)>> : std::true_type {};
template <class E>
constexpr bool has_run_v = has_run<E>::value;

namespace detail {
template <class F, class... E>
void for_each_in(ExperimentList<E...>, F&& f) {
  (f(E{}), ...);
}

template <bool kRunnableOnly, class F>
bool visit_named(const std::string& name, F& f) {
  bool found = false;
  for_each_in(Experiments{}, [&](auto e) {
    using E = decltype(e);
    if constexpr (has_run_v<E> || !kRunnableOnly)
      if (!found && name == E::name) {
        found = true;
        f(e);
      }
  });
  return found;
}
}  // namespace detail

// Calls f(E{}) for every descriptor E of the list, in order: every experiment, or with
// for_each_descriptor the parameter tables too.
template <class F>
void for_each_experiment(F&& f) {
  detail::for_each_in(Experiments{}, [&](auto e) {
    if constexpr (has_run_v<decltype(e)>) f(e);
  });
}
template <class F>
void for_each_descriptor(F&& f) {
  detail::for_each_in(Experiments{}, f);
}

// Calls f(E{}) for the experiment (with a run) named `name`, or with visit_descriptor for
// any descriptor of that name; false when there is none.
template <class F>
bool visit_experiment(const std::string& name, F&& f) {
  return detail::visit_named<true>(name, f);
}
template <class F>
bool visit_descriptor(const std::string& name, F&& f) {
  return detail::visit_named<false>(name, f);
}

// The descriptors' names in list order (only those with a run, or all).
inline std::vector<std::string> experiment_names(bool runnable_only) {
  std::vector<std::string> names;
  for_each_descriptor([&](auto e) {
    if (has_run_v<decltype(e)> || !runnable_only) names.push_back(decltype(e)::name);
  });
  return names;
}

// "experiment must be one of timing, gradient, ... (got 'x')": `got` is already shown
// ("'x'" or "a number").
inline std::string unknown_experiment(const std::string& got, bool runnable_only) {
  std::string known;
  for (const std::string& n : experiment_names(runnable_only)) known += (known.empty() ? "" : ", ") + n;
  return "experiment must be one of " + known + " (got " + got + ")";
}

}  // namespace rnn_lesson
