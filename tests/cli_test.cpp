// The rnn-lesson program: exit status 2 with a message naming the parameter on bad input,
// 0 and well-formed output otherwise.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/registry.h"

namespace {

struct CliRun {
  int status = -1;
  std::string out;  // stdout, or stdout and stderr together
};

CliRun run(const std::string& args, bool with_stderr = true) {
  const std::string command =
      std::string("'") + RNN_LESSON_CLI + "' " + args + (with_stderr ? " 2>&1" : " 2>/dev/null");
  CliRun r;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.out.append(buf, n);
  const int raw = pclose(pipe);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// Keys of the outermost JSON object (a small scanner: strings, nesting, nothing else).
std::set<std::string> top_level_keys(const std::string& json) {
  std::set<std::string> keys;
  int depth = 0;
  for (std::size_t i = 0; i < json.size(); ++i) {
    const char c = json[i];
    if (c == '"') {
      std::size_t j = i + 1;
      std::string s;
      while (j < json.size() && json[j] != '"') {
        if (json[j] == '\\') ++j;
        if (j < json.size()) s += json[j];
        ++j;
      }
      std::size_t k = j + 1;
      while (k < json.size() && json[k] == ' ') ++k;
      if (depth == 1 && k < json.size() && json[k] == ':') keys.insert(s);
      i = j;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return keys;
}

void expect_bad_input(const std::string& args, const std::string& must_mention) {
  const CliRun r = run(args);
  EXPECT_EQ(r.status, 2) << args << "\n" << r.out;
  EXPECT_NE(r.out.find(must_mention), std::string::npos) << args << "\n" << r.out;
}

TEST(Cli, HiddenSizeZeroIsRefused) {
  const CliRun r = run("timing --hidden_size 0");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.out.find("hidden_size"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("an integer from 1 to 1024"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
}

TEST(Cli, BadValuesAreRefused) {
  expect_bad_input("timing --hidden_size nan", "hidden_size");
  expect_bad_input("timing --min_interval_ms inf", "min_interval_ms");
  expect_bad_input("timing --lengths ''", "lengths");
  expect_bad_input("timing --lengths 50,100,", "lengths");
  expect_bad_input("timing --hidden_size 1e300", "hidden_size");
  expect_bad_input("timing --seed 99999999999999999999", "seed");
  expect_bad_input("timing --trials 2.5", "trials");
  expect_bad_input("gradient --mode fast", "mode");
  expect_bad_input("retention --noise_scale -1", "noise_scale");
  expect_bad_input("retention --readout_trials 8", "readout_trials");
  expect_bad_input("timing --lengths 100,100", "lengths");
}

TEST(Cli, BadFlagsAndCommandsAreRefused) {
  expect_bad_input("timing --no_such_flag 3", "no_such_flag");
  expect_bad_input("timing --hidden_size", "needs a value");
  expect_bad_input("timing stray", "unexpected argument");
  expect_bad_input("timing --hidden_size 8 --hidden-size 9", "twice");
  expect_bad_input("frobnicate", "unknown command");
  expect_bad_input("kata --seed 1", "kata takes no parameters");
  EXPECT_EQ(run("").status, 2);
}

// Runs the program with exactly these arguments (no shell, so they may hold any byte).
CliRun run_argv(const std::vector<std::string>& args) {
  int fds[2];
  CliRun r;
  if (pipe(fds) != 0) return r;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    dup2(fds[1], 2);
    close(fds[0]);
    std::vector<char*> argv{const_cast<char*>(RNN_LESSON_CLI)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(RNN_LESSON_CLI, argv.data());
    _exit(127);
  }
  close(fds[1]);
  char buf[4096];
  ssize_t n;
  while ((n = read(fds[0], buf, sizeof buf)) > 0) r.out.append(buf, static_cast<std::size_t>(n));
  close(fds[0]);
  int raw = 0;
  waitpid(pid, &raw, 0);
  r.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
  return r;
}

// Names and values with control characters are echoed escaped: the message stays one line.
TEST(Cli, ControlCharactersAreEscapedInOneLine) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"gradient", "--a\nb", "1"}, "unknown parameter 'a\\nb'"},
      {{"gradient", "--a\rb"}, "--a\\rb needs a value"},
      {{"x\ty"}, "unknown command 'x\\ty'"},
      {{"timing", "\x1b[31m"}, "unexpected argument '\\x1b[31m'"},
      {{"timing", "--hidden_size", "8\n"}, "(got '8\\n', not a number)"},
      {{"timing", "--hidden_size", "\n8"}, "(got '\\n8', not a number)"},
      {{"timing", "--e\xe2\x80\xa8\xff=1"}, "unknown parameter 'e\\u2028\\xff'"},
  };
  for (const auto& [args, expected] : cases) {
    const CliRun r = run_argv(args);
    EXPECT_EQ(r.status, 2) << expected << "\n" << r.out;
    EXPECT_NE(r.out.find(expected), std::string::npos) << expected << "\n" << r.out;
    EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
  }
}

// Spaces and tabs around a number are ignored; a non-zero literal that would become 0 is
// refused, not silently changed; an exact zero written with an exponent is just 0.
TEST(Cli, NumbersParseTheSameWayEverywhere) {
  expect_bad_input("retention --noise_scale 1e-400",
                   "noise_scale must be a number from 0 to 10 (got '1e-400', too small to represent: it would become 0)");
  expect_bad_input("timing --hidden_size 0e-400", "(got 0)");
  EXPECT_EQ(run_argv({"timing", "--lengths", " 10,\t20 ", "--trials", "1", "--min_interval_ms", "1"}).status, 0);
}

TEST(Cli, HelpExitsZero) {
  const CliRun top = run("--help");
  EXPECT_EQ(top.status, 0);
  EXPECT_NE(top.out.find("Usage"), std::string::npos) << top.out;
  const CliRun timing = run("timing --help");
  EXPECT_EQ(timing.status, 0);
  EXPECT_NE(timing.out.find("--hidden_size"), std::string::npos) << timing.out;
  EXPECT_NE(timing.out.find("an integer from 1 to 1024; default 32"), std::string::npos) << timing.out;
}

// Every experiment of the core's list is a command, with a usage line and its own --help.
TEST(Cli, EveryListedExperimentIsACommand) {
  const std::string usage = run("--help").out;
  int number = 0;  // the usage numbers experiments by their place in the list
  rnn_lesson::for_each_experiment([&](auto e) {
    EXPECT_NE(usage.find(std::string("rnn-lesson ") + e.name + " [options]"), std::string::npos) << e.name;
    EXPECT_NE(usage.find("experiment " + std::to_string(++number) + ": " + e.summary), std::string::npos) << e.name;
    const CliRun help = run(std::string(e.name) + " --help");
    EXPECT_EQ(help.status, 0) << e.name;
    for (const auto& f : e.fields()) EXPECT_NE(help.out.find("--" + f.spec.name + " "), std::string::npos) << f.spec.name;
  });
  EXPECT_EQ(run("scaling").status, 2);  // a parameter table, not a command
}

TEST(Cli, TimingJson) {
  const CliRun r = run("timing --json --lengths 50,100 --trials 1", /*with_stderr=*/false);
  ASSERT_EQ(r.status, 0) << r.out;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.front(), '{');
  const auto keys = top_level_keys(r.out);
  EXPECT_TRUE(keys.count("ns_per_step")) << r.out;
  EXPECT_TRUE(keys.count("r_squared")) << r.out;
  EXPECT_TRUE(keys.count("median_ms")) << r.out;
  for (const char* key : {"spread", "disturbed", "r_squared_threshold", "spread_threshold"})
    EXPECT_TRUE(keys.count(key)) << key << " in " << r.out;
  EXPECT_TRUE(r.out.find("\"disturbed\":true") != std::string::npos ||
              r.out.find("\"disturbed\":false") != std::string::npos)
      << "a JSON boolean: " << r.out;
  EXPECT_FALSE(keys.count("hidden_size")) << "parameters are nested under params";
}

TEST(Cli, MemoryJsonCarriesTheChanceFloorAndGains) {
  const CliRun r = run("memory --json --hidden_sizes 4 --max_delay 10 --washout 10 --train_steps 40 --test_steps 21 "
                       "--seeds 1 --attention_contexts 1 --attention_trials 1",
                       /*with_stderr=*/false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto keys = top_level_keys(r.out);
  EXPECT_TRUE(keys.count("chance_r2")) << r.out;
  EXPECT_TRUE(keys.count("chance_capacity")) << r.out;
  EXPECT_NE(r.out.find("\"chance_capacity\":0.5,"), std::string::npos) << "10 / (21 - 1): " << r.out;
  EXPECT_NE(r.out.find("\"effective_gain\":"), std::string::npos) << r.out;
  expect_bad_input("memory --max_delay 50 --washout 50 --test_steps 99", "test_steps");
  expect_bad_input("memory --gated_scale bigger", "gated_scale");
}

// Experiment 8's JSON: per d an array over n, for both memories (issue 12's keys).
TEST(Cli, RecallJsonHasAnArrayPerDim) {
  const CliRun r = run("recall --json --dims 4,8 --pairs 2,4,16 --seeds 1", /*with_stderr=*/false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto keys = top_level_keys(r.out);
  for (const char* key : {"dims", "pairs", "fixed_state", "attention", "fixed_state_capacity", "attention_spread"})
    EXPECT_TRUE(keys.count(key)) << key << " in " << r.out;
  EXPECT_NE(r.out.find("\"dims\":[4,8]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"fixed_state\":[[1,"), std::string::npos) << "two pairs in 4 dims are recalled: " << r.out;
  EXPECT_NE(r.out.find("\"state_numbers\":[16,64]"), std::string::npos) << r.out;
  expect_bad_input("recall --dims 0", "dims");
  expect_bad_input("recall --dims 256 --pairs 4096 --seeds 64", "seeds");
}

// Experiment 9: the text report is a small table (shapes, max |value|, sums), not the arrays,
// which --json prints whole.
TEST(Cli, GpuTextIsASummaryAndJsonHasEveryArray) {
  const CliRun text = run("gpu --hidden 3 --key_size 2 --batch 5 --check_length 4 --lengths 8,16", false);
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("batch_final    | 5 x 3 "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("attention_out  | 4 x 2 "), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("16       | 144 "), std::string::npos) << "16 * 3^2 multiply-adds: " << text.out;
  EXPECT_EQ(text.out.find("rnn_wh"), std::string::npos) << text.out;
  const CliRun json = run("gpu --json --hidden 3 --key_size 2 --batch 5 --check_length 4 --lengths 8,16", false);
  ASSERT_EQ(json.status, 0) << json.out;
  const auto keys = top_level_keys(json.out);
  for (const char* key : {"rnn_wh", "rnn_drive", "attention_q", "attention_k", "attention_v", "scan_a", "scan_b",
                          "rnn_final", "batch_final", "attention_out", "scan_out", "lengths"})
    EXPECT_TRUE(keys.count(key)) << key << " in " << json.out;
  expect_bad_input("gpu --check_length 2049", "check_length");
  expect_bad_input("gpu --batch 1024", "batch");
}

TEST(Cli, EqualsFormAndDashesInNames) {
  const CliRun r = run("gradient --mode=kata --hidden-size=16 --weight_scale 0.9 --json", false);
  ASSERT_EQ(r.status, 0) << r.out;
  EXPECT_NE(r.out.find("\"mode\":\"kata\""), std::string::npos) << r.out;
}

TEST(Cli, TrainJsonAndRefusals) {
  // A tiny sweep: the JSON has runs with null for "not learned" and ms_per_step per network.
  const CliRun r = run("train --json --architectures rnn,attention --lags 3 --steps 2 --eval_every 1 --batch 4", false);
  ASSERT_EQ(r.status, 0) << r.out;
  const auto keys = top_level_keys(r.out);
  EXPECT_TRUE(keys.count("runs") && keys.count("ms_per_step") && keys.count("chance")) << r.out;
  EXPECT_NE(r.out.find("\"steps_to_learn\":"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"architectures\":\"rnn,attention\""), std::string::npos) << r.out;
  const CliRun text = run("train --architectures rnn --lags 3,4 --steps 2 --batch 4", false);
  ASSERT_EQ(text.status, 0) << text.out;
  EXPECT_NE(text.out.find("Steps to reach 90% held-out accuracy ('-': not within 2 steps)"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("| lag 3"), std::string::npos) << text.out;
  expect_bad_input("train --architectures rnn,transformer", "architectures");
  expect_bad_input("train --architectures rnn,rnn", "architectures");
  expect_bad_input("train --lags 1", "lags");
  expect_bad_input("train --lags 5,10,5", "lags must be different from each other (got 5 twice)");
  expect_bad_input("train --tbptt -1", "tbptt");
  expect_bad_input("train --lags 1000 --batch 256 --hidden_size 256", "hidden_size");
  expect_bad_input("train --steps 20000 --lags 1000", "steps");
}

}  // namespace
