// Issue 4's experiments at their defaults, as the page runs them (one call each):
//   BM_Architectures            run_architectures at defaults (H=32, D=8, distances 1..1000,
//                               16 seeds): rnn, lstm, gru by reverse mode, attention
//   BM_MemoryN128               run_memory at defaults with hidden_sizes = 128 only
//   BM_MemoryDefaultSweep       run_memory at defaults (hidden_sizes 8,16,32,64,128)
// Timed per call in ms; Google Benchmark reports wall ("Time") and this thread's CPU time
// ("CPU"). On a shared machine prefer CPU, and run with repetitions for medians:
//   build/bench/bench_architectures --benchmark_repetitions=9 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include "core/experiments/architectures.h"
#include "core/experiments/memory_capacity.h"

namespace {

using namespace rnn_lesson;

void BM_Architectures(benchmark::State& state) {
  const ArchitecturesParams p = default_architectures_params();
  double sink = 0;
  for (auto _ : state) {
    const ArchitecturesResult r = run_architectures(p);
    if (!r.error.empty()) state.SkipWithError(r.error.c_str());
    sink += r.curves[1].decay_per_step;
    benchmark::DoNotOptimize(sink);
  }
}

void run_memory_bench(benchmark::State& state, const MemoryParams& p) {
  double sink = 0;
  for (auto _ : state) {
    const MemoryResult r = run_memory(p);
    if (!r.error.empty()) state.SkipWithError(r.error.c_str());
    sink += r.networks[0].capacity.median.back();
    benchmark::DoNotOptimize(sink);
  }
}

void BM_MemoryN128(benchmark::State& state) {
  MemoryParams p = default_memory_params();
  p.hidden_sizes = {128};
  run_memory_bench(state, p);
}

void BM_MemoryDefaultSweep(benchmark::State& state) { run_memory_bench(state, default_memory_params()); }

BENCHMARK(BM_Architectures)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryN128)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MemoryDefaultSweep)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
