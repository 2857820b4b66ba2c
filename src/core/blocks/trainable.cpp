// What every trainable model shares: the read-out and its loss, the parameter lists, Adam,
// and the factory; see trainable.h. The models themselves are in trainable_recurrent.cpp
// and trainable_attention.cpp.
#include "core/blocks/trainable.h"

#include <cmath>

#include "core/blocks/trainable_models.h"

namespace rnn_lesson {

const std::vector<std::string>& trainable_architectures() {
  static const std::vector<std::string> names = {"rnn", "lstm", "gru", "linear", "attention"};
  return names;
}

TrainableModel::TrainableModel(std::string architecture, int hidden_size, int classes)
    : architecture_(std::move(architecture)) {
  add("readout.W", Eigen::MatrixXf::Zero(classes, hidden_size));
  add("readout.b", Eigen::MatrixXf::Zero(classes, 1));
}

int TrainableModel::add(const std::string& name, Eigen::MatrixXf value) {
  grads.push_back(Eigen::MatrixXf::Zero(value.rows(), value.cols()));
  params.push_back(std::move(value));
  names.push_back(name);
  return static_cast<int>(params.size()) - 1;
}

void TrainableModel::draw_readout(NumpyRandom& rng) {
  const Eigen::Index K = params[0].rows(), H = params[0].cols();
  params[0] = (rng.randn(static_cast<int>(K), static_cast<int>(H)) / std::sqrt(double(H))).cast<float>();
}

// logits = Wo s + bo: (K, B). The loss per sequence is log-sum-exp(logits) - logits[target],
// computed in double after subtracting the largest logit (no overflow). d_logits, if given,
// gets (softmax - onehot(target)) / B: the gradient of the mean.
BatchLoss TrainableModel::readout(const FirstTokenBatch& batch, const Eigen::MatrixXf& summary,
                                  Eigen::MatrixXf* d_logits) {
  const int K = static_cast<int>(params[0].rows()), B = batch.batch;
  logits_.noalias() = params[0] * summary;
  logits_.colwise() += params[1].col(0);
  if (d_logits) d_logits->resize(K, B);
  BatchLoss out;
  for (int b = 0; b < B; ++b) {
    const auto column = logits_.col(b);
    Eigen::Index best = 0;
    const double top = column.maxCoeff(&best);
    double sum = 0;
    for (int k = 0; k < K; ++k) sum += std::exp(double(column(k)) - top);
    out.loss += std::log(sum) + top - column(batch.targets[b]);
    out.accuracy += best == batch.targets[b] ? 1 : 0;
    if (d_logits)
      for (int k = 0; k < K; ++k)
        (*d_logits)(k, b) = static_cast<float>((std::exp(double(column(k)) - top) / sum - (k == batch.targets[b])) / B);
  }
  out.loss /= B;
  out.accuracy /= B;
  return out;
}

BatchLoss TrainableModel::evaluate(const FirstTokenBatch& batch, const Eigen::MatrixXf& x) {
  return readout(batch, encode(x, batch.length, batch.batch), nullptr);
}

BatchLoss TrainableModel::gradients(const FirstTokenBatch& batch, const Eigen::MatrixXf& x, int window,
                                    Eigen::MatrixXf* d_inputs) {
  const int T = batch.length, B = batch.batch;
  const Eigen::MatrixXf& summary = encode(x, T, B);
  Eigen::MatrixXf d_logits;
  const BatchLoss loss = readout(batch, summary, &d_logits);
  grads[0].noalias() = d_logits * summary.transpose();
  grads[1] = d_logits.rowwise().sum();
  const Eigen::MatrixXf d_summary = params[0].transpose() * d_logits;  // (H, B)
  encode_backward(x, T, B, d_summary, window >= T ? 0 : window, d_inputs);
  return loss;
}

std::unique_ptr<TrainableModel> make_trainable(const std::string& architecture, NumpyRandom& rng, int hidden_size,
                                               int input_size, int classes, int length, const TrainableInit& init) {
  std::unique_ptr<TrainableModel> model;
  if (architecture == "attention") model = std::make_unique<AttentionModel>(rng, hidden_size, input_size, classes, length);
  else if (architecture == "linear") model = std::make_unique<LinearRecurrence>(rng, hidden_size, input_size, classes, init);
  else if (architecture == "rnn" || architecture == "lstm" || architecture == "gru")
    model = std::make_unique<GatedRecurrence>(architecture, rng, hidden_size, input_size, classes, init);
  return model;
}

void Adam::step(std::vector<Eigen::MatrixXf>& params, const std::vector<Eigen::MatrixXf>& grads) {
  if (m_.empty())
    for (const Eigen::MatrixXf& p : params) {
      m_.push_back(Eigen::MatrixXf::Zero(p.rows(), p.cols()));
      v_.push_back(Eigen::MatrixXf::Zero(p.rows(), p.cols()));
    }
  ++steps_;
  // The bias corrections in double (beta2^k for k in the thousands is still exact enough),
  // folded into the step size and eps: lr * m_hat / (sqrt(v_hat) + eps)
  //   = (lr / c1) * m / (sqrt(v) / sqrt(c2) + eps).
  const double c1 = 1 - std::pow(beta1_, steps_), c2 = 1 - std::pow(beta2_, steps_);
  const float rate = static_cast<float>(lr_ / c1), root_c2 = static_cast<float>(std::sqrt(c2));
  // 1 - beta in double: in float, 1 - 0.999f is 0.00099998713 (1.3e-5 off, 6e-7 in a step).
  const float b1 = static_cast<float>(beta1_), b2 = static_cast<float>(beta2_), eps = static_cast<float>(eps_);
  const float rest1 = static_cast<float>(1 - beta1_), rest2 = static_cast<float>(1 - beta2_);
  for (std::size_t i = 0; i < params.size(); ++i) {
    m_[i] = b1 * m_[i] + rest1 * grads[i];
    v_[i] = b2 * v_[i] + rest2 * grads[i].cwiseAbs2();
    params[i].array() -= rate * m_[i].array() / (v_[i].array().sqrt() / root_c2 + eps);
  }
}

}  // namespace rnn_lesson
