// Experiment 9's text report for `rnn-lesson gpu` (its own file, like train_text.cpp). The
// result is mostly arrays for the page's GPU kernels (`--json` prints them whole); the table
// shows, per kernel, the reference's shape, its largest |value| and its sum, then the work
// each timed run does. Formatting only; every number comes from run_gpu.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "cli/format.h"

namespace rnn_lesson::cli {

std::string to_text(const GpuResult& r) {
  const std::size_t H = r.rnn_final.size();
  const std::size_t Lc = H ? r.scan_out.size() / H : 0;
  const std::size_t B = H ? r.batch_final.size() / H : 0;
  const std::size_t K = Lc ? r.attention_out.size() / Lc : 0;
  char buf[160];
  std::ostringstream o;
  o << "  References in double, from the float32 inputs the page hands the GPU (--json prints every array)\n\n";
  std::snprintf(buf, sizeof buf, "  %-14s | %-11s | %-12s | %s\n", "kernel", "shape", "max |value|", "sum");
  o << buf;
  const auto row = [&](const char* name, const std::vector<double>& x, std::size_t rows, std::size_t cols) {
    double largest = 0, sum = 0;
    for (double v : x) {
      largest = std::fmax(largest, std::fabs(v));
      sum += v;
    }
    const std::string shape = rows ? std::to_string(rows) + " x " + std::to_string(cols) : std::to_string(cols);
    std::snprintf(buf, sizeof buf, "  %-14s | %-11s | %-12.6g | %.6g\n", name, shape.c_str(), largest, sum);
    o << buf;
  };
  row("rnn_final", r.rnn_final, 0, H);
  row("batch_final", r.batch_final, B, H);
  row("attention_out", r.attention_out, Lc, K);
  row("scan_out", r.scan_out, Lc, H);
  o << "\n  Multiply-adds per timed run\n\n";
  std::snprintf(buf, sizeof buf, "  %-8s | %-12s | %-12s | %-12s | %s\n", "length", "rnn", "batch", "attention", "scan");
  o << buf;
  for (std::size_t i = 0; i < r.lengths.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %-8d | %-12.4g | %-12.4g | %-12.4g | %.4g\n", r.lengths[i],
                  r.rnn_multiply_adds[i], r.batch_multiply_adds[i], r.attention_multiply_adds[i], r.scan_multiply_adds[i]);
    o << buf;
  }
  return o.str();
}

}  // namespace rnn_lesson::cli
