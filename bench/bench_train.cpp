// Experiment 7's training step (issue 11): forward, BPTT and Adam for one mini-batch of the
// first-token task, H = 32, batch 32, lag 80, K = 4 symbols + 4 distractors (D = 8), as
// run_train does it (the batch drawn and one-hot encoded outside the timed loop).
//   BM_TrainStep/rnn, BM_TrainStep/lstm (and gru, linear, attention for reference)
// bench/torch_train.py times the same models in PyTorch on one CPU thread; figures side by
// side in bench/README.md. Prefer the CPU column on a shared machine:
//   build/bench/bench_train --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <string>

#include "core/blocks/first_token_task.h"
#include "core/blocks/trainable.h"

namespace {

using namespace rnn_lesson;

void train_step(benchmark::State& state, const std::string& architecture) {
  constexpr int H = 32, B = 32, T = 80, K = 4, M = 4;
  NumpyRandom weights(1), data(2);
  auto model = make_trainable(architecture, weights, H, K + M, K, T, TrainableInit{});
  const FirstTokenBatch batch = draw_first_token_batch(data, K, M, T, B);
  const Eigen::MatrixXf x = batch.one_hot();
  Adam adam(3e-3);
  double sink = 0;
  for (auto _ : state) {
    sink += model->gradients(batch, x, 0).loss;
    adam.step(model->params, model->grads);
    benchmark::DoNotOptimize(sink);
  }
}

}  // namespace

BENCHMARK_CAPTURE(train_step, rnn, std::string("rnn"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(train_step, lstm, std::string("lstm"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(train_step, gru, std::string("gru"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(train_step, linear, std::string("linear"))->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(train_step, attention, std::string("attention"))->Unit(benchmark::kMillisecond);
BENCHMARK_MAIN();
