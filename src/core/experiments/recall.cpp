// Experiment 8, associative recall: a fixed d x d state against the attention cache; see recall.h.
#include "core/experiments/recall.h"

#include <algorithm>
#include <cmath>

#include "core/blocks/attention.h"
#include "core/blocks/numpy_random.h"
#include "core/for_size.h"

namespace rnn_lesson {
namespace {

constexpr double kMaxMacs = 2e9;
// Queries are scored in blocks of this many, so no (n, n) matrix is ever held: the largest
// temporary is (n, kBlock) doubles (8 MB at n = 4096).
constexpr int kBlock = 256;

// Multiply-adds of a run: per seed, d and n, the fixed state (S and its n readouts, 2 n d^2),
// attention's scores and weighted sums (2 n^2 d) and both decodings (2 n^2 d).
double macs(const RecallParams& p) {
  double per_seed = 0;
  for (int d : p.dims)
    for (int n : p.pairs) per_seed += 2.0 * n * double(d) * d + 4.0 * double(n) * n * d;
  return p.seeds * per_seed;
}

int largest(const std::vector<int>& v) { return *std::max_element(v.begin(), v.end()); }

// The largest n (in the order given) up to which every median accuracy is >= threshold.
int capacity(const std::vector<int>& pairs, const std::vector<double>& accuracy, double threshold) {
  std::vector<int> order(pairs.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
  std::sort(order.begin(), order.end(), [&](int a, int b) { return pairs[a] < pairs[b]; });
  int held = 0;
  for (int i : order) {
    if (!(accuracy[i] >= threshold)) break;
    held = pairs[i];
  }
  return held;
}

}  // namespace

RNN_LESSON_FOR_SIZE const std::vector<Field<RecallParams>>& recall_fields() {
  static const std::vector<Field<RecallParams>> table = {
      {{"dims", ParamType::IntegerList, 1, 256, 8, "16,32,64", {},
        "key and value sizes d to compare: the fixed state holds d x d numbers", "Key sizes d"},
       &RecallParams::dims},
      {{"pairs", ParamType::IntegerList, 1, 4096, 16, "4,8,16,32,64,128,256", {},
        "numbers of key-value pairs n stored, then each queried by its key", "Pairs stored n"},
       &RecallParams::pairs},
      {{"sharpness", ParamType::Real, 0, 64, 1, "4", {},
        "attention's inverse temperature over sqrt(d): 1 is the usual q.k/sqrt(d), higher is closer to an exact lookup",
        "Attention sharpness (× √d)"},
       &RecallParams::sharpness},
      {{"threshold", ParamType::Real, 0, 1, 1, "0.9", {},
        "accuracy that counts as recalled when the capacities are read off (0 counts every n)", "Recall threshold",
        Tier::Advanced},
       &RecallParams::threshold},
      {{"seeds", ParamType::Integer, 1, 64, 1, "3", {}, "independent draws of the pairs, summarised by the median and the middle half",
        "Draws (seeds)", Tier::Advanced},
       &RecallParams::seeds},
      {{"seed", ParamType::Integer, 0, 2147483647, 1, "42", {}, "random seed (each draw adds 1 to it)", "Random seed",
        Tier::Advanced, Slider::Off},
       &RecallParams::seed},
  };
  return table;
}

RecallParams default_recall_params() { return defaults_from(recall_fields()); }

RNN_LESSON_FOR_SIZE std::string validate(const RecallParams& p) {
  std::string error = check_fields(recall_fields(), p);
  if (!error.empty()) return error;
  if (macs(p) > kMaxMacs)
    return "seeds * sum over dims and pairs of (4 n^2 d + 2 n d^2) is too large: the work must be at most 2e9 "
           "multiply-adds (got " + std::to_string(static_cast<long long>(macs(p))) + ")";
  return "";
}

Eigen::MatrixXd fixed_state_readouts(const Eigen::Ref<const Eigen::MatrixXd>& keys,
                                     const Eigen::Ref<const Eigen::MatrixXd>& values) {
  const Eigen::MatrixXd S = values * keys.transpose();  // (d, d) = sum_i v_i k_i^T
  return S * keys;
}

Eigen::MatrixXd attention_readouts(const Eigen::Ref<const Eigen::MatrixXd>& keys,
                                   const Eigen::Ref<const Eigen::MatrixXd>& values, double beta) {
  const Eigen::Index n = keys.cols();
  Eigen::MatrixXd out(values.rows(), n);
  for (Eigen::Index start = 0; start < n; start += kBlock) {
    const Eigen::Index m = std::min<Eigen::Index>(kBlock, n - start);
    Eigen::MatrixXd weights = beta * (keys.transpose() * keys.middleCols(start, m));  // (n, m): scores
    for (Eigen::Index q = 0; q < m; ++q) softmax_in_place(weights.col(q));
    out.middleCols(start, m).noalias() = values * weights;
  }
  return out;
}

std::vector<int> decode_nearest(const Eigen::Ref<const Eigen::MatrixXd>& readouts,
                                const Eigen::Ref<const Eigen::MatrixXd>& values) {
  // Unit values: the readout's own length does not change which value is nearest.
  const Eigen::RowVectorXd norms = values.colwise().norm();
  const Eigen::MatrixXd unit = values.array().rowwise() / norms.array().max(1e-300);
  const Eigen::Index m = readouts.cols();
  std::vector<int> decoded(m);
  for (Eigen::Index start = 0; start < m; start += kBlock) {
    const Eigen::Index b = std::min<Eigen::Index>(kBlock, m - start);
    const Eigen::MatrixXd sims = unit.transpose() * readouts.middleCols(start, b);  // (n, b)
    for (Eigen::Index q = 0; q < b; ++q) {
      Eigen::Index best = 0;
      sims.col(q).maxCoeff(&best);
      decoded[start + q] = static_cast<int>(best);
    }
  }
  return decoded;
}

double recall_accuracy(const std::vector<int>& decoded) {
  if (decoded.empty()) return 0.0;
  int right = 0;
  for (std::size_t i = 0; i < decoded.size(); ++i) right += decoded[i] == static_cast<int>(i);
  return double(right) / decoded.size();
}

RNN_LESSON_FOR_SIZE RecallResult run_recall(const RecallParams& p, const Progress& progress) {
  RecallResult r;
  r.error = validate(p);
  if (!r.error.empty()) return r;
  const std::size_t D = p.dims.size();
  const int N = largest(p.pairs);
  r.dims = p.dims;
  r.pairs = p.pairs;
  for (int n : p.pairs) r.chance.push_back(1.0 / n);

  // [d][seed][n] accuracies
  std::vector<std::vector<std::vector<double>>> fixed(D, std::vector<std::vector<double>>(p.seeds)),
      cache(D, std::vector<std::vector<double>>(p.seeds));
  for (int s = 0; s < p.seeds; ++s) {
    NumpyRandom rng(static_cast<std::uint32_t>(p.seed) + static_cast<std::uint32_t>(s));
    for (std::size_t di = 0; di < D; ++di) {
      const int d = p.dims[di];
      Eigen::MatrixXd keys = rng.randn(N, d).transpose();            // (d, N)
      const Eigen::MatrixXd values = rng.randn(N, d).transpose();    // (d, N)
      keys.array().rowwise() /= keys.colwise().norm().array().max(1e-300);
      const double beta = p.sharpness * std::sqrt(double(d));
      for (int n : p.pairs) {
        const auto k = keys.leftCols(n);
        const auto v = values.leftCols(n);
        fixed[di][s].push_back(recall_accuracy(decode_nearest(fixed_state_readouts(k, v), v)));
        cache[di][s].push_back(recall_accuracy(decode_nearest(attention_readouts(k, v, beta), v)));
      }
      if (progress && !progress(double(s * D + di + 1) / (p.seeds * D))) {
        RecallResult cancelled;
        cancelled.error = "cancelled";
        return cancelled;
      }
    }
  }

  for (std::size_t di = 0; di < D; ++di) {
    const int d = p.dims[di];
    r.fixed_state_spread.push_back(band_across(fixed[di]));
    r.attention_spread.push_back(band_across(cache[di]));
    r.fixed_state.push_back(r.fixed_state_spread.back().median);
    r.attention.push_back(r.attention_spread.back().median);
    r.fixed_state_capacity.push_back(capacity(p.pairs, r.fixed_state.back(), p.threshold));
    r.attention_capacity.push_back(capacity(p.pairs, r.attention.back(), p.threshold));
    r.state_numbers.push_back(double(d) * d);
    std::vector<double> sizes;
    for (int n : p.pairs) sizes.push_back(2.0 * n * d);
    r.cache_numbers.push_back(std::move(sizes));
    r.inverse_temperature.push_back(p.sharpness * std::sqrt(double(d)));
  }
  return r;
}

}  // namespace rnn_lesson
