// The trainable models' classes (internal to the core: everything else sees TrainableModel
// through make_trainable in trainable.h, where the equations, parameter layout and
// initialisation are documented).
#pragma once

#include <string>

#include <Eigen/Core>

#include "core/blocks/trainable.h"

namespace rnn_lesson {

// A recurrence whose input enters through U = Wx X + b, computed for all T*B columns in
// one GEMM before the steps (and whose Wx, b gradients are one GEMM after them). The
// subclasses run the steps forward and backward.
class RecurrentModel : public TrainableModel {
 protected:
  RecurrentModel(const std::string& architecture, int hidden_size, int classes)
      : TrainableModel(architecture, hidden_size, classes) {}
  int wx_ = -1, b_ = -1;  // indices of Wx (G*H, D) and b (G*H, 1)
  Eigen::MatrixXf U_;     // (G*H, T*B): Wx x_t + b, column t*B + b
  Eigen::MatrixXf dU_;    // (G*H, T*B): d loss / d U, zero before the window
  Eigen::MatrixXf H_;     // (H, (T+1)*B): h_{-1} = 0 then h_0..h_{T-1}
  Eigen::MatrixXf last_;  // (H, B): h_{T-1}

  // H_ from U_. T steps of B sequences.
  virtual void run_steps(int T, int B) = 0;
  // From d h_{T-1} (H, B), carried back through steps T-1 down to `first`: writes
  // dU_ columns of those steps and the gradients of the recurrent parameters.
  virtual void back_steps(int T, int B, int first, Eigen::MatrixXf dh) = 0;

  // h_{t-1} and h_t of the stored trajectory: (H, B) views.
  auto h_before(int t, int B) { return H_.middleCols(static_cast<Eigen::Index>(t) * B, B); }
  auto h_at(int t, int B) { return H_.middleCols(static_cast<Eigen::Index>(t + 1) * B, B); }

 private:
  const Eigen::MatrixXf& encode(const Eigen::MatrixXf& x, int T, int B) final;
  void encode_backward(const Eigen::MatrixXf& x, int T, int B, const Eigen::MatrixXf& d_summary, int window,
                       Eigen::MatrixXf* d_inputs) final;
};

// rnn, lstm or gru, drawn by cells.h's draw_cell.
class GatedRecurrence final : public RecurrentModel {
 public:
  GatedRecurrence(const std::string& architecture, NumpyRandom& rng, int hidden_size, int input_size, int classes,
                  const TrainableInit& init);

 private:
  enum class Kind { Rnn, Lstm, Gru } kind_;
  int wh_ = -1;             // Wh (G*H, H)
  Eigen::MatrixXf gates_;   // lstm: (4H, T*B) i, f, g, o after their nonlinearities;
                            // gru: (4H, T*B) z, r, n and a_n = (Wh h_{t-1}) block n
  Eigen::MatrixXf cells_;   // lstm: (H, (T+1)*B) c_{-1} = 0, then c_0..c_{T-1}
  Eigen::MatrixXf tanh_c_;  // lstm: (H, T*B)
  Eigen::MatrixXf z_;       // (G*H, B) scratch: one step's pre-activations / their gradients

  void run_steps(int T, int B) override;
  void back_steps(int T, int B, int first, Eigen::MatrixXf dh) override;
};

// minGRU: gates from the input only.
class LinearRecurrence final : public RecurrentModel {
 public:
  LinearRecurrence(NumpyRandom& rng, int hidden_size, int input_size, int classes, const TrainableInit& init);

 private:
  Eigen::MatrixXf z_;  // (H, T*B): the update gate z_t

  void run_steps(int T, int B) override;
  void back_steps(int T, int B, int first, Eigen::MatrixXf dh) override;
};

// One causal single-head self-attention layer read at the last position.
class AttentionModel final : public TrainableModel {
 public:
  AttentionModel(NumpyRandom& rng, int hidden_size, int input_size, int classes, int length);

 private:
  Eigen::MatrixXf e_, k_, v_;  // (H, T*B): e_t = E x_t + P_t, k_t = Wk e_t, v_t = Wv e_t
  Eigen::MatrixXf q_;          // (H, B): Wq e_{T-1}
  Eigen::MatrixXf a_;          // (T, B): softmax weights of the last position
  Eigen::MatrixXf y_;          // (H, B): sum_t a_t v_t

  const Eigen::MatrixXf& encode(const Eigen::MatrixXf& x, int T, int B) override;
  void encode_backward(const Eigen::MatrixXf& x, int T, int B, const Eigen::MatrixXf& d_summary, int window,
                       Eigen::MatrixXf* d_inputs) override;
};

}  // namespace rnn_lesson
