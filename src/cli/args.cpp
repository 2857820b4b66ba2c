// Reading and checking rnn-lesson's arguments; see args.h.
#include "cli/args.h"

#include "core/experiments/architectures.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"

namespace rnn_lesson::cli {
namespace {

template <class Params>
std::string parse_and_validate(const std::vector<Field<Params>>& table, const ParamInputs& inputs) {
  Params p;
  std::string error = parse_params(table, inputs, p);
  return error.empty() ? validate(p) : error;
}

}  // namespace

std::string parse_args(int argc, const char* const* argv, Args& args) {
  for (int i = 2; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--json") { args.json = true; continue; }
    if (a == "--help" || a == "-h") { args.help = true; continue; }
    if (a.rfind("--", 0) != 0 || a.size() == 2)
      return "unexpected argument '" + shown_text(a) + "' (options look like --name value)";
    std::string name = a.substr(2), value;
    const std::size_t eq = name.find('=');
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else {
      if (i + 1 >= argc) return "--" + shown_text(name) + " needs a value";
      value = argv[++i];
    }
    for (char& c : name) if (c == '-') c = '_';
    if (args.inputs.count(name)) return "--" + shown_text(name) + " is given twice";
    args.inputs[name] = ParamInput::from_text(value);
  }
  return "";
}

std::string check_args(const Args& args) {
  const std::string& c = args.command;
  if (c == "kata") return args.inputs.empty() ? "" : "kata takes no parameters (only --json); it uses the kata's own";
  if (c == "timing") return parse_and_validate(timing_fields(), args.inputs);
  if (c == "gradient") return parse_and_validate(gradient_fields(), args.inputs);
  if (c == "retention") return parse_and_validate(retention_fields(), args.inputs);
  if (c == "architectures") return parse_and_validate(architectures_fields(), args.inputs);
  if (c == "memory") return parse_and_validate(memory_fields(), args.inputs);
  if (c == "workdepth") return parse_and_validate(work_depth_fields(), args.inputs);
  return "unknown command '" + shown_text(c) +
         "' (kata, timing, gradient, retention, architectures, memory, workdepth; see --help)";
}

std::string check_command_line(int argc, const char* const* argv, Args& args) {
  if (argc < 2) return "no command given (see --help)";
  args.command = argv[1];
  const std::string error = parse_args(argc, argv, args);
  return error.empty() ? check_args(args) : error;
}

}  // namespace rnn_lesson::cli
