// libFuzzer target: rnn-lesson's whole path from argv to "this run may start" (cli/args.h:
// argument reading, parse_params and each experiment's validate()), built with ASan and
// UBSan (tests/fuzz/run.sh). Besides memory errors and undefined behaviour it checks the
// promises a refusal makes: one line (no control character, no Unicode line break), of
// bounded length, and the same answer twice.
//
// Input: the arguments after the program name, separated by NUL bytes when the input has
// any, else by newlines, so the seed corpus is plain text with one argument a line.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/args.h"

namespace {

constexpr std::size_t kMaxArgs = 64;
constexpr std::size_t kMaxMessage = 1000;

[[noreturn]] void fail(const char* why, const std::string& message) {
  std::fprintf(stderr, "cli_fuzz: %s: %s\n", why, message.c_str());
  std::abort();
}

// A byte below 0x20, DEL, a C1 control (U+0080..U+009F) or U+2028/U+2029, in UTF-8.
bool breaks_the_line(const std::string& s) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return true;
    const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0;
    if (c == 0xc2 && next >= 0x80 && next <= 0x9f) return true;
    if (c == 0xe2 && next == 0x80 && i + 2 < s.size() && (s[i + 2] == '\xa8' || s[i + 2] == '\xa9')) return true;
  }
  return false;
}

std::string check(const std::vector<std::string>& words) {
  std::vector<const char*> argv{"rnn-lesson"};
  for (const auto& w : words) argv.push_back(w.c_str());
  rnn_lesson::cli::Args args;
  return rnn_lesson::cli::check_command_line(static_cast<int>(argv.size()), argv.data(), args);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  const char separator = input.find('\0') != std::string::npos ? '\0' : '\n';
  std::vector<std::string> words;
  std::size_t start = 0;
  while (start <= input.size() && words.size() < kMaxArgs) {
    std::size_t end = input.find(separator, start);
    if (end == std::string::npos) end = input.size();
    words.push_back(input.substr(start, end - start));
    start = end + 1;
  }
  const std::string message = check(words);
  if (breaks_the_line(message)) fail("a refusal that is not one line", message);
  if (message.size() > kMaxMessage) fail("a refusal longer than 1000 bytes", message.substr(0, 200));
  if (check(words) != message) fail("a different answer the second time", message);
  return 0;
}
