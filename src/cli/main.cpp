// rnn-lesson: the lesson's experiments from the command line.
//
//   rnn-lesson kata [--json]                      the kata's three sections, reproduced
//   rnn-lesson timing|gradient|retention|architectures|memory|workdepth [--param value ...] [--json]
//   rnn-lesson [<experiment>] --help
//
// Exit status: 0 on success, 2 on bad input (one line on stderr naming the parameter and
// its range), 1 if an experiment fails unexpectedly.
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/format.h"
#include "core/experiments/architectures.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"

namespace {

using namespace rnn_lesson;

constexpr int kBadInput = 2;

const char* kUsage =
    "rnn-lesson: why recurrence struggles at scale, measured on this machine.\n"
    "\n"
    "Usage:\n"
    "  rnn-lesson kata [--json]           reproduce the kata's tables (timing, gradient, retention)\n"
    "  rnn-lesson timing [options]        experiment 1: forward time vs sequence length\n"
    "  rnn-lesson gradient [options]      experiment 2: gradient norm vs distance\n"
    "  rnn-lesson retention [options]     experiment 3: what the hidden state keeps vs attention\n"
    "  rnn-lesson architectures [options] experiment 4: gradient vs distance for rnn, lstm, gru, attention\n"
    "  rnn-lesson memory [options]        experiment 5: memory capacity (MC <= N) vs attention's retrieval\n"
    "  rnn-lesson workdepth [options]     work and depth per architecture, projected to P parallel units\n"
    "  rnn-lesson <experiment> --help     list that experiment's parameters, ranges and defaults\n"
    "\n"
    "Options are --name value or --name=value; lists are comma-separated (--lengths 50,100,200).\n"
    "Numbers are decimal; spaces and tabs around them are ignored, other whitespace is refused.\n"
    "--json prints the full result as JSON instead of a table.\n"
    "Exit status: 0 ok, 2 bad input, 1 internal error.\n";

using cli::Args;

int bad_input(const std::string& message) {
  std::fprintf(stderr, "rnn-lesson: %s\n", message.c_str());
  return kBadInput;
}

template <class Params, class Run>
int run_experiment(const char* name, const std::vector<Field<Params>>& table, const Args& args, Run run) {
  if (args.help) {
    std::printf("rnn-lesson %s [options] [--json]\n\nOptions:\n%s", name, cli::param_help(specs_of(table)).c_str());
    return 0;
  }
  Params p;
  std::string error = parse_params(table, args.inputs, p);
  if (error.empty()) error = validate(p);
  if (!error.empty()) return bad_input(error);
  const auto result = run(p);
  if (!result.error.empty()) return bad_input(result.error);
  std::fputs(args.json ? (cli::to_json(name, table, p, result) + "\n").c_str() : cli::to_text(result).c_str(), stdout);
  return 0;
}

int run_kata(const Args& args) {
  if (args.help) {
    std::printf("rnn-lesson kata [--json]\n\nReproduces the kata's three tables with its own parameters and seeds.\n"
                "The gradient and retention columns match the kata run with numpy digit for digit;\n"
                "the timing column is measured on this machine.\n");
    return 0;
  }
  cli::KataRun k;
  k.timing = run_timing(default_timing_params());
  GradientParams g = default_gradient_params();
  g.mode = "kata";
  g.hidden_size = 16;
  g.weight_scale = 0.9;
  k.gradient = run_gradient(g);
  RetentionParams r = default_retention_params();
  r.seeds = 1;  // only the kata's single-network cosine is printed
  k.retention = run_retention(r);
  k.retention_steps = {0, 5, 10, 25, 50, 100, 200};
  for (const std::string* e : {&k.timing.error, &k.gradient.error, &k.retention.error})
    if (!e->empty()) {
      std::fprintf(stderr, "rnn-lesson: kata failed: %s\n", e->c_str());
      return 1;
    }
  std::fputs(args.json ? (cli::kata_json(k) + "\n").c_str() : cli::kata_text(k).c_str(), stdout);
  return 0;
}

int main_checked(int argc, char** argv) {
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return kBadInput;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  if (command == "--version") {
    std::printf("rnn-lesson %s\n", RNN_LESSON_VERSION);
    return 0;
  }
  // Everything untrusted is read and checked here (cli/args.h, also the fuzzer's entry);
  // --help lists the parameters even when other arguments would be refused.
  Args args;
  args.command = command;
  std::string error = cli::parse_args(argc, argv, args);
  if (error.empty() && !args.help) error = cli::check_args(args);
  if (!error.empty()) return bad_input(error);

  if (command == "kata") return run_kata(args);
  if (command == "timing")
    return run_experiment("timing", timing_fields(), args, [](const TimingParams& p) { return run_timing(p); });
  if (command == "gradient")
    return run_experiment("gradient", gradient_fields(), args, [](const GradientParams& p) { return run_gradient(p); });
  if (command == "retention")
    return run_experiment("retention", retention_fields(), args,
                          [](const RetentionParams& p) { return run_retention(p); });
  if (command == "architectures")
    return run_experiment("architectures", architectures_fields(), args,
                          [](const ArchitecturesParams& p) { return run_architectures(p); });
  if (command == "workdepth")
    return run_experiment("workdepth", work_depth_fields(), args,
                          [](const WorkDepthParams& p) { return run_work_depth(p); });
  if (command == "memory")
    return run_experiment("memory", memory_fields(), args, [](const MemoryParams& p) { return run_memory(p); });
  return bad_input(cli::check_args(args));  // the unknown command, named
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return main_checked(argc, argv);
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "rnn-lesson: out of memory\n");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rnn-lesson: internal error: %s\n", e.what());
  }
  return 1;
}
