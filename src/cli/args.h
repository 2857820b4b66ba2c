// The command line read and checked, without running anything and without exiting: the part
// of rnn-lesson that untrusted input reaches first, shared by main.cpp and the fuzzer
// (tests/fuzz/). Every refusal is one line naming the flag or parameter and what is allowed.
#pragma once

#include <string>

#include "core/params.h"

namespace rnn_lesson::cli {

struct Args {
  std::string command;  // argv[1]: kata, timing, gradient, ...
  ParamInputs inputs;   // --name value pairs, names with '-' read as '_'
  bool json = false;
  bool help = false;
};

// Reads argv[2..] as --name value / --name=value pairs plus --json and --help. Returns "" or
// why the arguments are refused.
std::string parse_args(int argc, const char* const* argv, Args& args);

// For an experiment command: its table's parse_params and validate(), as a run would do them
// (kata: only --json). Returns "" when the run may start, or why it is refused.
std::string check_args(const Args& args);

// Both of the above: the whole path from argv to a run that may start.
std::string check_command_line(int argc, const char* const* argv, Args& args);

}  // namespace rnn_lesson::cli
