// Experiment 7, training across a gap; see train.h.
#include "core/experiments/train.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/blocks/first_token_task.h"
#include "core/blocks/numpy_random.h"
#include "core/blocks/stats.h"
#include "core/blocks/trainable.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxTrainMacs = 4e11;                 // the whole sweep's multiply-adds
constexpr double kMaxActivationBytes = 256.0 * 1024 * 1024;
constexpr std::uint32_t kDataStreamOffset = 0x80000000u;  // data seed = weight seed + 2^31

// Multiply-adds per position of one sequence for one forward and backward pass: three
// products per weight matrix use (forward, d input, d weight), G*H*(H + D) weights for a
// gated recurrence with G gate blocks, 2H*D for minGRU, 3H*H + H*D for attention.
double macs_per_position(const std::string& a, double H, double D) {
  if (a == "linear") return 3 * 2 * H * D;
  if (a == "attention") return 3 * (3 * H * H + H * D);
  const double G = a == "lstm" ? 4 : a == "gru" ? 3 : 1;
  return 3 * G * H * (H + D);
}

int evaluations(const TrainParams& p) { return (p.steps + p.eval_every - 1) / p.eval_every + 1; }

// Multiply-adds of one run at lag T (training steps plus held-out evaluations).
double run_macs(const TrainParams& p, const std::string& a, int T) {
  const double sequences = double(p.steps) * p.batch + double(evaluations(p)) * kHeldOutBatch;
  return sequences * T * macs_per_position(a, p.hidden_size, p.symbols + p.distractors);
}

double sweep_macs(const TrainParams& p) {
  double total = 0;
  for (const std::string& a : p.architectures)
    for (int T : p.lags) total += p.seeds * run_macs(p, a, T);
  return total;
}

double activation_bytes(const TrainParams& p) {
  const double T = p.lags.empty() ? 0 : *std::max_element(p.lags.begin(), p.lags.end());
  const double D = p.symbols + p.distractors;
  return 4.0 * (16.0 * p.hidden_size + 2 * D) * T * std::max(p.batch, kHeldOutBatch);
}

std::string count_text(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x);
  return buf;
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<TrainParams>>& train_fields() {
  using P = TrainParams;
  static const std::vector<Field<P>> table = {
      {{"architectures", ParamType::ChoiceList, 0, 0, 5, "rnn,lstm,gru,linear,attention",
        {"rnn", "lstm", "gru", "linear", "attention"}, "the networks to train, each on every lag",
        "Networks", Tier::Basic, Slider::Auto, {"tanh RNN", "LSTM", "GRU", "linear recurrence (minGRU)", "attention"}},
       &P::architectures},
      {{"lags", ParamType::IntegerList, 2, 1000, 12, "5,10,20,40,80,160", {},
        "sequence lengths T: the first token is T - 1 steps before the answer", "Lags (sequence lengths)"},
       &P::lags},
      {{"steps", ParamType::Integer, 1, 20000, 1, "200", {}, "Adam steps per run (the training budget)", "Training steps"},
       &P::steps},
      {{"batch", ParamType::Integer, 1, 256, 1, "32", {}, "sequences per training step", "Batch size", Tier::Advanced},
       &P::batch},
      {{"hidden_size", ParamType::Integer, 1, 256, 1, "32", {}, "hidden units H (attention's width)", "Hidden size H"},
       &P::hidden_size},
      {{"learning_rate", ParamType::Real, 1e-5, 1, 1, "0.003", {}, "Adam's learning rate",
        "Learning rate", Tier::Advanced, Slider::Off},
       &P::learning_rate},
      {{"symbols", ParamType::Integer, 2, 16, 1, "4", {}, "K first-token symbols to tell apart (chance is 1/K)",
        "Symbols K", Tier::Advanced},
       &P::symbols},
      {{"distractors", ParamType::Integer, 1, 16, 1, "4", {}, "distractor tokens filling the gap",
        "Distractor tokens", Tier::Advanced},
       &P::distractors},
      {{"seeds", ParamType::Integer, 1, 16, 1, "1", {}, "runs per network and lag (different weights and data)",
        "Runs (seeds)", Tier::Advanced},
       &P::seeds},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each run adds 1 to it)",
        "Random seed", Tier::Advanced, Slider::Off},
       &P::seed},
      {{"tbptt", ParamType::Integer, 0, 1000, 1, "0", {},
        "truncated BPTT: the gradient reaches only the last W positions, so none reaches the first token once the lag exceeds W (0 = full; attention is not truncated)",
        "BPTT window W (0 = full)", Tier::Advanced},
       &P::tbptt},
      {{"forget_bias", ParamType::Real, -5, 10, 1, "1", {}, "LSTM forget-gate bias at the start (higher keeps more)",
        "LSTM forget-gate bias", Tier::Advanced},
       &P::forget_bias},
      {{"linear_gate_bias", ParamType::Real, -10, 10, 1, "-3", {},
        "linear recurrence's gate bias at the start: its decay per step starts at 1 - sigmoid(bias)",
        "Linear recurrence gate bias", Tier::Advanced},
       &P::linear_gate_bias},
      {{"eval_every", ParamType::Integer, 1, 20000, 1, "20", {}, "steps between held-out evaluations",
        "Evaluate every", Tier::Advanced},
       &P::eval_every},
  };
  return table;
}

TrainParams default_train_params() { return defaults_from(train_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const TrainParams& p) {
  std::string error = check_fields(train_fields(), p);
  if (!error.empty()) return error;
  for (std::size_t i = 0; i < p.lags.size(); ++i)
    if (std::count(p.lags.begin(), p.lags.begin() + i, p.lags[i]))
      return "lags must be different from each other (got " + std::to_string(p.lags[i]) + " twice)";
  if (activation_bytes(p) > kMaxActivationBytes)
    return "hidden_size * largest lag * max(batch, 64) is too large: the activations kept for backpropagation, "
           "(16 hidden_size + 2 (symbols + distractors)) floats per position, must fit in 256 MiB (got " +
           count_text(activation_bytes(p) / (1024.0 * 1024.0)) + " MiB)";
  if (sweep_macs(p) > kMaxTrainMacs)
    return "steps * batch * lags * networks * seeds is too large: the training must be at most 4e11 multiply-adds "
           "(got " + count_text(sweep_macs(p)) + ")";
  return "";
}

TrainResult run_train(const TrainParams& p, const Progress& progress, const Clock& clock) {
  TrainResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  r.chance = 1.0 / p.symbols;
  const int D = p.symbols + p.distractors;
  const int largest = *std::max_element(p.lags.begin(), p.lags.end());
  const double total = sweep_macs(p);
  double done = 0;
  TrainableInit init;
  init.forget_bias = p.forget_bias;
  init.linear_gate_bias = p.linear_gate_bias;

  for (const std::string& a : p.architectures) {
    std::vector<double> step_ms;  // at the largest lag
    for (int T : p.lags) {
      for (int s = 0; s < p.seeds; ++s) {
        const std::uint32_t seed = static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s);
        NumpyRandom weights(seed), data(seed + kDataStreamOffset);
        std::unique_ptr<TrainableModel> model = make_trainable(a, weights, p.hidden_size, D, p.symbols, T, init);
        const FirstTokenBatch held_out = draw_first_token_batch(data, p.symbols, p.distractors, T, kHeldOutBatch);
        const Eigen::MatrixXf held_out_x = held_out.one_hot();
        Adam adam(p.learning_rate);
        TrainRun run;
        run.architecture = a;
        run.lag = T;
        run.seed = static_cast<double>(p.seed) + s;
        Eigen::MatrixXf d_inputs;
        const double macs_per_step = run_macs(p, a, T) / (double(p.steps) + 1);  // for progress only
        for (int step = 0;; ++step) {
          if (step % p.eval_every == 0 || step == p.steps) {
            const BatchLoss held = model->gradients(held_out, held_out_x, p.tbptt, &d_inputs);
            run.eval_steps.push_back(step);
            run.accuracy.push_back(held.accuracy);
            run.loss.push_back(held.loss);
            run.first_token_gradient.push_back(d_inputs.leftCols(kHeldOutBatch).norm());
            if (!run.steps_to_learn && held.accuracy >= kLearnedAccuracy) run.steps_to_learn = step;
            if (step > 0 && progress && !progress(std::min(done / total, 1.0 - 1e-9))) {
              TrainResult cancelled;
              cancelled.error = "cancelled";
              return cancelled;
            }
          }
          if (step == p.steps) break;
          const FirstTokenBatch batch = draw_first_token_batch(data, p.symbols, p.distractors, T, p.batch);
          const double start = clock();
          model->gradients(batch, batch.one_hot(), p.tbptt);
          adam.step(model->params, model->grads);
          if (T == largest) step_ms.push_back(1e3 * (clock() - start));
          done += macs_per_step;
        }
        run.final_accuracy = run.accuracy.back();
        r.runs.push_back(std::move(run));
      }
    }
    r.ms_per_step.push_back({a, largest, median(step_ms)});
  }
  if (progress) progress(1.0);
  return r;
}

}  // namespace rnn_lesson
