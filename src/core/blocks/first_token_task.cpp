// The first-token task's batches; see first_token_task.h for the draw order.
#include "core/blocks/first_token_task.h"

namespace rnn_lesson {

Eigen::MatrixXf FirstTokenBatch::one_hot() const {
  Eigen::MatrixXf x = Eigen::MatrixXf::Zero(input_size, static_cast<Eigen::Index>(tokens.size()));
  for (std::size_t i = 0; i < tokens.size(); ++i) x(tokens[i], static_cast<Eigen::Index>(i)) = 1.0f;
  return x;
}

FirstTokenBatch draw_first_token_batch(NumpyRandom& rng, int symbols, int distractors, int length, int batch) {
  FirstTokenBatch b;
  b.length = length;
  b.batch = batch;
  b.input_size = symbols + distractors;
  b.tokens.resize(static_cast<std::size_t>(length) * batch);
  b.targets.resize(batch);
  for (int i = 0; i < batch; ++i) {
    b.targets[i] = rng.randint(symbols);
    b.tokens[i] = b.targets[i];
  }
  for (int t = 1; t < length; ++t)
    for (int i = 0; i < batch; ++i) b.tokens[static_cast<std::size_t>(t) * batch + i] = symbols + rng.randint(distractors);
  return b;
}

}  // namespace rnn_lesson
