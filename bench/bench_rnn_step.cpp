// ns per RNN step of FastRnnForward::run (the forward pass experiment 1 times), for the
// kata's size H=32 and wider hidden states, always with D=8 inputs and L=1000 steps.
// Weights and inputs are drawn like the kata (seed 42, Wh then Wx, then randn(D)*0.1 per
// step), as `rnn-lesson timing` does.
//
// Each size runs with the four variants FastRnnForward offers (see rnn.h):
//   BM_RnnStep/<H>/0  Best      what the lesson's timing experiment uses on this machine
//   BM_RnnStep/<H>/1  Portable  128-bit generic vectors (SSE2 here, SIMD128 in wasm)
//   BM_RnnStep/<H>/2  Eigen     the earlier Eigen kernel (the "before" figure)
//   BM_RnnStep/<H>/3  Avx2      AVX2+FMA with 16 registers, even where Best uses AVX-512VL's 32
// The label says which kernel each resolved to. Built with clang++ and
// -DCMAKE_CXX_FLAGS=-mavx, "Portable" is the 128-bit kernel in AVX encoding without FMA, the
// native floor under wasm SIMD128 (bench/step_floor.js runs it beside the wasm step).
//
// Counter "ns_per_step": wall time of one run() divided by its length, including the input
// projection (about D / (H + D) of the multiply-adds: inside each step for the vector kernels,
// one small GEMM up front for the Eigen kernel).
#include <benchmark/benchmark.h>

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"
#include "core/blocks/rnn.h"

namespace {

constexpr int kInputSize = 8;
constexpr int kLength = 1000;

void BM_RnnStep(benchmark::State& state) {
  const int H = static_cast<int>(state.range(0));
  const auto variant = static_cast<rnn_lesson::FastRnnForward::Variant>(state.range(1));
  const int D = kInputSize, L = kLength;
  rnn_lesson::NumpyRandom rng(42);
  const rnn_lesson::TanhRnn rnn = rnn_lesson::TanhRnn::draw(rng, H, D, 0.5);
  Eigen::MatrixXf inputs(D, L);
  for (int t = 0; t < L; ++t)
    for (int d = 0; d < D; ++d) inputs(d, t) = static_cast<float>(rng.standard_normal() * 0.1);
  rnn_lesson::FastRnnForward forward(rnn, variant);

  float checksum = 0;
  for (auto _ : state) {
    checksum += forward.run(inputs, L);
    benchmark::DoNotOptimize(checksum);
  }
  state.SetLabel(forward.kernel_name());
  // A rate counter, inverted: seconds per step (shown as ns; JSON holds seconds).
  state.counters["ns_per_step"] =
      benchmark::Counter(static_cast<double>(L), benchmark::Counter::kIsIterationInvariantRate |
                                                     benchmark::Counter::kInvert);
}

BENCHMARK(BM_RnnStep)
    ->ArgNames({"H", "variant"})
    ->ArgsProduct({{32, 128, 512}, {0, 1, 2, 3}})
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
