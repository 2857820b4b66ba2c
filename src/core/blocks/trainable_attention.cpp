// The trainable attention layer: one causal single-head self-attention layer with learned
// position embeddings, read at the last position (the only output the task scores, so only
// its query is formed). For each sequence, with e_t = E x_t + P_t:
//
//     q = Wq e_{T-1},  k_t = Wk e_t,  v_t = Wv e_t,
//     a_t = softmax_t(q . k_t / sqrt(H)) over t = 0..T-1,   summary y = sum_t a_t v_t
//
// (attention.h's layer, whose Wq, Wk, Wv this draws, applied to the embeddings e_t.) Every
// input is one hop from the output, whatever the lag; there are no steps, so truncated BPTT
// does not apply.
#include <cmath>

#include "core/blocks/attention.h"
#include "core/blocks/trainable_models.h"

namespace rnn_lesson {

using Eigen::MatrixXf;

AttentionModel::AttentionModel(NumpyRandom& rng, int hidden_size, int input_size, int classes, int length)
    : TrainableModel("attention", hidden_size, classes) {
  const AttentionLayer layer = AttentionLayer::draw(rng, hidden_size, hidden_size);
  add("Wq", layer.Wq.cast<float>());
  add("Wk", layer.Wk.cast<float>());
  add("Wv", layer.Wv.cast<float>());
  add("E", rng.randn(hidden_size, input_size).cast<float>());
  add("P", rng.randn(hidden_size, length).cast<float>());
  draw_readout(rng);
}

const MatrixXf& AttentionModel::encode(const MatrixXf& x, int T, int B) {
  const MatrixXf &Wq = params[2], &Wk = params[3], &Wv = params[4], &E = params[5], &P = params[6];
  const float scale = 1.0f / std::sqrt(static_cast<float>(Wq.rows()));
  e_.noalias() = E * x;  // (H, T*B)
  for (int t = 0; t < T; ++t) e_.middleCols(static_cast<Eigen::Index>(t) * B, B).colwise() += P.col(t);
  k_.noalias() = Wk * e_;
  v_.noalias() = Wv * e_;
  q_.noalias() = Wq * e_.rightCols(B);
  a_.resize(T, B);
  for (int t = 0; t < T; ++t)
    a_.row(t) = k_.middleCols(static_cast<Eigen::Index>(t) * B, B).cwiseProduct(q_).colwise().sum() * scale;
  // Softmax down each column, from its largest score.
  const Eigen::RowVectorXf top = a_.colwise().maxCoeff();
  a_ = (a_.rowwise() - top).array().exp().matrix();
  a_.array().rowwise() /= a_.colwise().sum().array();
  y_.setZero(Wq.rows(), B);
  for (int t = 0; t < T; ++t)
    y_.array() += v_.middleCols(static_cast<Eigen::Index>(t) * B, B).array().rowwise() * a_.row(t).array();
  return y_;
}

void AttentionModel::encode_backward(const MatrixXf& x, int T, int B, const MatrixXf& d_summary, int,
                                     MatrixXf* d_inputs) {
  const MatrixXf &Wq = params[2], &Wk = params[3], &Wv = params[4], &E = params[5];
  const float scale = 1.0f / std::sqrt(static_cast<float>(Wq.rows()));
  const Eigen::Index TB = static_cast<Eigen::Index>(T) * B;
  // d loss / d a_t = dy . v_t, then through the softmax: ds_t = a_t (da_t - sum_j a_j da_j).
  MatrixXf ds(T, B);
  for (int t = 0; t < T; ++t)
    ds.row(t) = v_.middleCols(static_cast<Eigen::Index>(t) * B, B).cwiseProduct(d_summary).colwise().sum();
  const Eigen::RowVectorXf mean = a_.cwiseProduct(ds).colwise().sum();
  ds = a_.cwiseProduct(ds.rowwise() - mean) * scale;  // d loss / d (q . k_t), times 1/sqrt(H)
  MatrixXf dv(Wq.rows(), TB), dk(Wq.rows(), TB);      // (H, T*B)
  MatrixXf dq = MatrixXf::Zero(Wq.rows(), B);         // (H, B)
  for (int t = 0; t < T; ++t) {
    const Eigen::Index col = static_cast<Eigen::Index>(t) * B;
    dv.middleCols(col, B) = (d_summary.array().rowwise() * a_.row(t).array()).matrix();
    dk.middleCols(col, B) = (q_.array().rowwise() * ds.row(t).array()).matrix();
    dq.array() += k_.middleCols(col, B).array().rowwise() * ds.row(t).array();
  }
  grads[2].noalias() = dq * e_.rightCols(B).transpose();
  grads[3].noalias() = dk * e_.transpose();
  grads[4].noalias() = dv * e_.transpose();
  MatrixXf de(Wq.rows(), TB);  // d loss / d e_t
  de.noalias() = Wv.transpose() * dv;
  de.noalias() += Wk.transpose() * dk;
  de.rightCols(B).noalias() += Wq.transpose() * dq;
  grads[5].noalias() = de * x.transpose();
  for (int t = 0; t < T; ++t) grads[6].col(t) = de.middleCols(static_cast<Eigen::Index>(t) * B, B).rowwise().sum();
  if (d_inputs) d_inputs->noalias() = E.transpose() * de;
}

}  // namespace rnn_lesson
