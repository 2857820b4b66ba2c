// "Remember the first token": the task of experiment 7, whose difficulty is the lag itself.
//
// A sequence of length T (the lag): position 0 holds one of K symbols, positions 1..T-1
// hold distractors drawn from a separate set of M, every token one-hot in K + M inputs
// (symbols are tokens 0..K-1, distractors K..K+M-1). At the last position the model must
// name the first symbol (K classes; chance is 1/K). Nothing but the lag separates the
// evidence from the answer.
//
// Draw order (so numpy reproduces a batch exactly), for a batch of B sequences:
//   first = np.random.randint(0, K, size=B)                  # targets, sequence by sequence
//   rest  = K + np.random.randint(0, M, size=(T - 1, B))     # position by position (row-major)
// i.e. B calls randint(K), then for t = 1..T-1, for b = 0..B-1, one call randint(M).
#pragma once

#include <vector>

#include <Eigen/Core>

#include "core/blocks/numpy_random.h"

namespace rnn_lesson {

struct FirstTokenBatch {
  int length = 0;           // T
  int batch = 0;            // B
  int input_size = 0;       // K + M
  std::vector<int> tokens;  // (T * B): token of sequence b at position t is tokens[t * B + b]
  std::vector<int> targets; // (B): the first symbol of each sequence, in 0..K-1

  // The one-hot inputs, float32: (K + M, T * B), column t * B + b is sequence b's x_t, so
  // the B columns of one position are contiguous (one GEMM per step).
  Eigen::MatrixXf one_hot() const;
};

// Draws one batch in the order documented above. symbols K >= 1, distractors M >= 1,
// length T >= 1, batch B >= 1.
FirstTokenBatch draw_first_token_batch(NumpyRandom& rng, int symbols, int distractors, int length, int batch);

}  // namespace rnn_lesson
