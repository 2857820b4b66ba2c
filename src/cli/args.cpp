// Reading and checking rnn-lesson's arguments; see args.h.
#include "cli/args.h"

#include "core/experiments/registry.h"

namespace rnn_lesson::cli {

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
  std::string error;
  const bool known = visit_experiment(c, [&](auto e) {
    typename decltype(e)::Params p;
    error = parse_params(e.fields(), args.inputs, p);
    if (error.empty()) error = validate(p);
  });
  if (known) return error;
  std::string commands = "kata";
  for (const std::string& name : experiment_names(true)) commands += ", " + name;
  return "unknown command '" + shown_text(c) + "' (" + commands + "; see --help)";
}

std::string check_command_line(int argc, const char* const* argv, Args& args) {
  if (argc < 2) return "no command given (see --help)";
  args.command = argv[1];
  const std::string error = parse_args(argc, argv, args);
  return error.empty() ? check_args(args) : error;
}

}  // namespace rnn_lesson::cli
