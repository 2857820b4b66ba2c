// Trainable sequence models for experiment 7: float32, a whole mini-batch at a time, with
// backpropagation through time and Adam.
//
// Every model reads one-hot inputs x_0..x_{T-1} (D = K + M each, columns of a (D, T*B)
// matrix, see first_token_task.h), produces a summary (H, B) of each sequence at its last
// position, and a linear read-out turns it into K logits: logits = Wo s + bo. The loss is
// the mean cross-entropy over the batch. Hidden states are (H, B): one GEMM per step.
//
// The models (equations in trainable_recurrent.cpp and trainable_attention.cpp):
//   rnn        h_t = tanh(Wh h_{t-1} + Wx x_t + b)                       (cells.h's, plus b)
//   lstm       the forget-gate LSTM of cells.h                           (gate blocks i, f, g, o)
//   gru        the GRU of cells.h (reset gate after the product)         (gate blocks z, r, n)
//   linear     minGRU (Feng et al. 2024): z_t = sigma(Wz x_t + bz), h~_t = Wh x_t + bh,
//              h_t = (1 - z_t) * h_{t-1} + z_t * h~_t: the gates see only the input, so the
//              recurrence is linear in h and 1 - z_t is the decay per step
//   attention  one causal single-head self-attention layer over e_t = E x_t + P_t (learned
//              position embeddings P), of which only the last position's output is needed
//
// Parameters (params[i], grads[i] of the same shape; names[i] says which):
//   all:       0 readout.W (K, H), 1 readout.b (K, 1)
//   rnn, lstm, gru: 2 Wh (G*H, H), 3 Wx (G*H, D), 4 b (G*H, 1), G = 1, 4, 3
//   linear:    2 Wx (2H, D) (blocks z, h~), 3 b (2H, 1)
//   attention: 2 Wq, 3 Wk, 4 Wv (H, H), 5 E (H, D), 6 P (H, T)
// The recurrent blocks are the transposes of cells.h's (Wh there is (H, G*H)), so that a
// step is Wh * h_prev on (H, B) states.
//
// Initialisation, all from one NumpyRandom stream, model first, then the read-out:
//   rnn, lstm, gru: draw_cell(...) of cells.h with recurrent_scale 1 and input_scale 1
//                   (Wh blocks randn(H, H) / sqrt(H), Wx blocks randn(D, H) / sqrt(D)),
//                   LSTM forget-gate bias = forget_bias, other biases 0
//   linear:         Wx = randn(D, 2H)^T / sqrt(D), bz = linear_gate_bias, bh = 0
//   attention:      AttentionLayer::draw(rng, H, H) (Wq, Wk, Wv = randn(H, H) / sqrt(H)),
//                   then E = randn(H, D), then P = randn(H, T)
//   read-out:       Wo = randn(K, H) / sqrt(H), bo = 0
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <Eigen/Core>

#include "core/blocks/first_token_task.h"
#include "core/blocks/numpy_random.h"

namespace rnn_lesson {

// The trainable architectures, in the order experiment 7 reports them.
const std::vector<std::string>& trainable_architectures();  // rnn, lstm, gru, linear, attention

struct TrainableInit {
  double forget_bias = 1.0;       // LSTM forget-gate bias
  double linear_gate_bias = 0.0;  // minGRU's bz: the decay 1 - z starts at 1 - sigma(bz)
};

// A batch's mean cross-entropy and the fraction of sequences whose largest logit is the
// target (ties go to the lower class).
struct BatchLoss {
  double loss = 0;
  double accuracy = 0;
};

class TrainableModel {
 public:
  virtual ~TrainableModel() = default;

  std::vector<Eigen::MatrixXf> params;  // layout in the file comment
  std::vector<Eigen::MatrixXf> grads;   // d(mean loss) / d params[i], after gradients()
  std::vector<std::string> names;       // "readout.W", "Wh", ...

  const std::string& architecture() const { return architecture_; }

  // The read-out's input for every sequence, (H, B): h_{T-1} for a recurrence, the last
  // position's attention output y for attention. x: (D, T*B).
  const Eigen::MatrixXf& summarise(const Eigen::MatrixXf& x, int T, int B) { return encode(x, T, B); }

  // Forward only. x: batch.one_hot(), (D, T*B).
  BatchLoss evaluate(const FirstTokenBatch& batch, const Eigen::MatrixXf& x);

  // Forward, then backward through the last `window` steps (0 or >= T: all of them; the
  // attention layer has no steps to truncate and ignores it), writing every grads[i]. If
  // d_inputs is given it receives d(mean loss) / d x: (D, T*B), column t*B + b.
  BatchLoss gradients(const FirstTokenBatch& batch, const Eigen::MatrixXf& x, int window,
                      Eigen::MatrixXf* d_inputs = nullptr);

 protected:
  TrainableModel(std::string architecture, int hidden_size, int classes);
  // Appends a parameter (and its zero gradient); returns its index.
  int add(const std::string& name, Eigen::MatrixXf value);
  // Draws the read-out (after the model's own weights, as documented).
  void draw_readout(NumpyRandom& rng);

  // The summary s of every sequence: (H, B), keeping what encode_backward needs.
  virtual const Eigen::MatrixXf& encode(const Eigen::MatrixXf& x, int T, int B) = 0;
  // From d_summary (H, B), writes the gradients of params 2.. and, if asked, d_inputs
  // (D, T*B). Called right after encode on the same x.
  virtual void encode_backward(const Eigen::MatrixXf& x, int T, int B, const Eigen::MatrixXf& d_summary,
                               int window, Eigen::MatrixXf* d_inputs) = 0;

 private:
  std::string architecture_;
  Eigen::MatrixXf logits_;  // (K, B)
  BatchLoss readout(const FirstTokenBatch& batch, const Eigen::MatrixXf& summary, Eigen::MatrixXf* d_logits);
};

// A model of the named architecture (one of trainable_architectures(), else nullptr) for
// inputs of size D = input_size, K = classes, sequences of length T = length (attention's
// position table).
std::unique_ptr<TrainableModel> make_trainable(const std::string& architecture, NumpyRandom& rng, int hidden_size,
                                               int input_size, int classes, int length, const TrainableInit& init);

// Adam (Kingma & Ba 2015) with bias correction: for each parameter p with gradient g, at step
// k = 1, 2, ...
//   m = beta1 m + (1 - beta1) g,  v = beta2 v + (1 - beta2) g^2,
//   p -= lr * (m / (1 - beta1^k)) / (sqrt(v / (1 - beta2^k)) + eps)
class Adam {
 public:
  explicit Adam(double learning_rate, double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
      : lr_(learning_rate), beta1_(beta1), beta2_(beta2), eps_(eps) {}
  void step(std::vector<Eigen::MatrixXf>& params, const std::vector<Eigen::MatrixXf>& grads);

 private:
  double lr_, beta1_, beta2_, eps_;
  int steps_ = 0;
  std::vector<Eigen::MatrixXf> m_, v_;
};

}  // namespace rnn_lesson
