// rnn-lesson: the lesson's experiments from the command line.
//
//   rnn-lesson kata [--json]                              the kata's three sections, reproduced
//   rnn-lesson <experiment> [--param value ...] [--json]  each experiment of the core's list
//   rnn-lesson [<experiment>] --help                      (core/experiments/registry.h)
//
// Commands, usage lines, --help, parsing and running all walk that list; nothing here names
// an experiment.
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
#include "core/experiments/registry.h"

namespace {

using namespace rnn_lesson;

constexpr int kBadInput = 2;
constexpr std::size_t kUsageColumn = 37;  // where a usage line's description starts

// The usage text: one line per experiment of the list, its summary in the column, numbered by
// its place in the list (the lesson's order, as on the page).
std::string usage() {
  const auto line = [](const std::string& command, const std::string& what) {
    const std::string left = "  rnn-lesson " + command;
    return left + std::string(left.size() < kUsageColumn ? kUsageColumn - left.size() : 1, ' ') + what + "\n";
  };
  std::string text =
      "rnn-lesson: why recurrence struggles at scale, measured on this machine.\n"
      "\n"
      "Usage:\n" +
      line("kata [--json]", "reproduce the kata's tables (timing, gradient, retention)");
  int number = 0;
  for_each_experiment([&](auto e) {
    text += line(std::string(e.name) + " [options]", "experiment " + std::to_string(++number) + ": " + e.summary);
  });
  return text + line("<experiment> --help", "list that experiment's parameters, ranges and defaults") +
         "\n"
         "Options are --name value or --name=value; lists are comma-separated (--lengths 50,100,200).\n"
         "Numbers are decimal; spaces and tabs around them are ignored, other whitespace is refused.\n"
         "--json prints the full result as JSON instead of a table.\n"
         "Exit status: 0 ok, 2 bad input, 1 internal error.\n";
}

using cli::Args;

int bad_input(const std::string& message) {
  std::fprintf(stderr, "rnn-lesson: %s\n", message.c_str());
  return kBadInput;
}

// One experiment of the list: --help, or parse, validate, run and print (its table, or the
// result's fields where the CLI has no table for it; cli/format.h).
template <class E>
int run_experiment(E, const Args& args) {
  if (args.help) {
    std::printf("rnn-lesson %s [options] [--json]\n\nOptions:\n%s", E::name, cli::param_help(specs_of(E::fields())).c_str());
    return 0;
  }
  typename E::Params p;
  std::string error = parse_params(E::fields(), args.inputs, p);
  if (error.empty()) error = validate(p);
  if (!error.empty()) return bad_input(error);
  const auto result = E::run(p, nullptr);
  if (!result.error.empty()) return bad_input(result.error);
  std::fputs(args.json ? (cli::to_json(E::name, E::fields(), p, result) + "\n").c_str() : cli::text_of(result).c_str(),
             stdout);
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
    std::fputs(usage().c_str(), stderr);
    return kBadInput;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::fputs(usage().c_str(), stdout);
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
  int status = 0;
  if (visit_experiment(command, [&](auto e) { status = run_experiment(e, args); })) return status;
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
