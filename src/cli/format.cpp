// Rendering of results as text tables and JSON; see format.h.
#include "cli/format.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

namespace rnn_lesson::cli {
namespace {

// ---- JSON ------------------------------------------------------------------------------

std::string num(double x) {
  if (!std::isfinite(x)) return "null";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", x);
  return buf;
}

std::string str(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else out += c;
  }
  return out + "\"";
}

// The one JSON writer: walks a field table (core/fields.h) into compact JSON.
class JsonWriter final : public FieldVisitor {
 public:
  std::string out;

  void number(const char* key, double x) override { open(key); out += num(x); }
  void integer(const char* key, int x) override { open(key); out += num(x); }
  void boolean(const char* key, bool x) override { open(key); out += x ? "true" : "false"; }
  void text(const char* key, const std::string& s) override { open(key); out += str(s); }
  void numbers(const char* key, const std::vector<double>& x) override { list(key, x); }
  void integers(const char* key, const std::vector<int>& x) override { list(key, x); }
  void null_value(const char* key) override { open(key); out += "null"; }
  void begin_object(const char* key) override { open(key); out += '{'; empty_.push_back(true); }
  void end_object() override { out += '}'; empty_.pop_back(); }
  void begin_array(const char* key) override { open(key); out += '['; empty_.push_back(true); }
  void end_array() override { out += ']'; empty_.pop_back(); }

 private:
  std::vector<bool> empty_;  // per open object or array: nothing written in it yet

  // Starts a value: a comma after its earlier sibling, then its key inside an object.
  void open(const char* key) {
    if (!empty_.empty() && !empty_.back()) out += ',';
    if (!empty_.empty()) empty_.back() = false;
    if (key) out += str(key) + ":";
  }
  template <class T>
  void list(const char* key, const std::vector<T>& x) {
    open(key);
    out += '[';
    for (std::size_t i = 0; i < x.size(); ++i) out += (i ? "," : "") + num(static_cast<double>(x[i]));
    out += ']';
  }
};

// The fallback text report: "  key: value" lines, nested objects indented under their key,
// arrays of numbers on one line, other arrays one element per line; 6 significant digits.
class TextWriter final : public FieldVisitor {
 public:
  std::string out;

  void number(const char* key, double x) override { line(key, short_num(x)); }
  void integer(const char* key, int x) override { line(key, std::to_string(x)); }
  void boolean(const char* key, bool x) override { line(key, x ? "true" : "false"); }
  void text(const char* key, const std::string& s) override { line(key, s); }
  void numbers(const char* key, const std::vector<double>& x) override { list(key, x); }
  void integers(const char* key, const std::vector<int>& x) override { list(key, x); }
  void null_value(const char* key) override { line(key, "none"); }
  void begin_object(const char* key) override { line(key, ""); depth_ += 1; }
  void end_object() override { depth_ -= 1; }
  void begin_array(const char* key) override { begin_object(key); }
  void end_array() override { end_object(); }

 private:
  int depth_ = 1;
  static std::string short_num(double x) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", x);
    return buf;
  }
  void line(const char* key, const std::string& value) {
    out += std::string(2 * depth_, ' ') + (key ? std::string(key) + ":" : "-") + (value.empty() ? "" : " " + value) + "\n";
  }
  template <class T>
  void list(const char* key, const std::vector<T>& x) {
    std::string s;
    for (std::size_t i = 0; i < x.size(); ++i) s += (i ? ", " : "") + short_num(static_cast<double>(x[i]));
    line(key, s);
  }
};

std::string fixed(double x, int width, int decimals, bool plus = false) {
  char buf[64];
  std::snprintf(buf, sizeof buf, plus ? "%+*.*f" : "%*.*f", width, decimals, x);
  return buf;
}

std::string bar(int count) { return std::string(static_cast<std::size_t>(std::max(0, count)), '#'); }

std::string pad_right(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

}  // namespace

std::string to_text(const TimingResult& r) {
  std::ostringstream o;
  o << "  Length | median ms |    min ms |    max ms | spread | passes per interval\n";
  o << "  -------+-----------+-----------+-----------+--------+--------------------\n";
  for (std::size_t i = 0; i < r.lengths.size(); ++i)
    o << "  " << fixed(r.lengths[i], 6, 0) << " | " << fixed(r.median_ms[i], 9, 4) << " | "
      << fixed(r.min_ms[i], 9, 4) << " | " << fixed(r.max_ms[i], 9, 4) << " | " << fixed(r.spread[i], 6, 3)
      << " | " << r.repeats[i] << "\n";
  o << "\n  Fit: time = " << fixed(r.intercept_ms, 0, 4) << " ms + " << fixed(r.ns_per_step, 0, 1)
    << " ns x length   (R^2 = " << fixed(r.r_squared, 0, 5) << ")\n";
  o << "  Lengths timed in interleaved rounds; spread = 80th / 20th percentile of a length's trials.\n";
  if (r.clock_too_coarse)
    o << "  DISTURBED: some intervals measured 0 ms (the clock ticks more coarsely than "
      << "--min_interval_ms): raise it and run again.\n";
  else if (r.disturbed)
    o << "  DISTURBED: R^2 below " << fixed(r.r_squared_threshold, 0, 2) << " or a spread above "
      << fixed(r.spread_threshold, 0, 2) << ": something else used this machine; run it again.\n";
  else
    o << "  Undisturbed: R^2 at least " << fixed(r.r_squared_threshold, 0, 2) << ", every spread at most "
      << fixed(r.spread_threshold, 0, 2) << ".\n";
  return o.str();
}

std::string to_text(const GradientResult& r) {
  std::ostringstream o;
  o << "  Mode: " << r.mode << "   spectral radius of Wh: " << fixed(r.spectral_radius, 0, 4)
    << "   largest singular value: " << fixed(r.largest_singular_value, 0, 4) << "\n\n";
  o << "  Distance |  median norm |     quartile 1 |     quartile 3\n";
  o << "  ---------+--------------+----------------+---------------\n";
  char buf[128];
  for (std::size_t i = 0; i < r.distances.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %8d | %12.4e | %14.4e | %14.4e\n", r.distances[i], r.norm.median[i],
                  r.norm.q1[i], r.norm.q3[i]);
    o << buf;
  }
  o << "\n  Fitted decay per step: " << fixed(r.decay_per_step, 0, 4) << "   (R^2 of log-linear fit "
    << fixed(r.decay_r_squared, 0, 4) << ")\n";
  return o.str();
}

std::string to_text(const RetentionResult& r) {
  std::ostringstream o;
  o << "  Steps | kata cosine | influence (med) | read-out R^2 | attention cosine | attention weight\n";
  o << "  ------+-------------+-----------------+--------------+------------------+-----------------\n";
  std::size_t ri = 0;
  for (std::size_t i = 0; i < r.steps.size(); ++i) {
    const bool has_readout = ri < r.readout_steps.size() && r.readout_steps[ri] == r.steps[i];
    const bool show = has_readout || r.steps.size() <= 60;
    if (show) {
      o << "  " << fixed(r.steps[i], 5, 0) << " | " << fixed(r.kata_cosine[i], 11, 4, true) << " | "
        << fixed(r.influence.median[i], 15, 6) << " | "
        << (has_readout ? fixed(r.readout_r2.median[ri], 12, 4) : std::string(12, ' ')) << " | "
        << fixed(r.attention_cosine.median[i], 16, 4) << " | " << fixed(r.attention_weight.median[i], 16, 4)
        << "\n";
    }
    if (has_readout) ++ri;
  }
  return o.str();
}

std::string to_text(const ArchitecturesResult& r) {
  std::ostringstream o;
  char buf[160];
  o << "  Median ||d(output at T) / d(input at T-k)|| across seeds (sequence length " << r.sequence_length << ")\n\n";
  o << "  Distance";
  for (const auto& c : r.curves) o << " | " << pad_right(c.architecture, 10);
  o << "\n  --------";
  for (std::size_t i = 0; i < r.curves.size(); ++i) o << "-+-----------";
  o << "\n";
  for (std::size_t i = 0; i < r.distances.size(); ++i) {
    const int k = r.distances[i];
    const bool show = r.distances.size() <= 30 || k <= 3 || k == 5 || k == 10 || k == 20 || k == 50 || k % 100 == 0 ||
                      i + 1 == r.distances.size();
    if (!show) continue;
    std::snprintf(buf, sizeof buf, "  %8d", k);
    o << buf;
    for (const auto& c : r.curves) {
      std::snprintf(buf, sizeof buf, " | %10.3e", c.norm.median[i]);
      o << buf;
    }
    o << "\n";
  }
  o << "\n  Fitted decay per step:";
  for (const auto& c : r.curves)
    o << "  " << c.architecture << " " << fixed(c.decay_per_step, 0, 4) << " (R^2 " << fixed(c.decay_r_squared, 0, 3)
      << ")";
  o << "\n\n  Attention, distance 1, as the context grows (slope of ln norm vs ln n: "
    << fixed(r.attention_context_slope, 0, 3) << ")\n";
  o << "   Context n | median norm\n  -----------+------------\n";
  for (std::size_t i = 0; i < r.attention_context_lengths.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %10d | %11.3e\n", r.attention_context_lengths[i], r.attention_context_norm.median[i]);
    o << buf;
  }
  return o.str();
}

std::string to_text(const WorkDepthResult& r) {
  std::ostringstream o;
  char buf[200];
  o << "  Work W and depth D (operations) of one forward pass over n tokens\n\n";
  o << "        n |";
  for (const auto& c : r.counts) {
    std::snprintf(buf, sizeof buf, " %11s W %11s D |", c.architecture.c_str(), c.architecture.c_str());
    o << buf;
  }
  o << "\n";
  for (std::size_t i = 0; i < r.lengths.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %7d |", r.lengths[i]);
    o << buf;
    for (const auto& c : r.counts) {
      std::snprintf(buf, sizeof buf, " %13.4g %13.4g |", c.work[i], c.depth[i]);
      o << buf;
    }
    o << "\n";
  }
  std::snprintf(buf, sizeof buf, "\n  Measured t_op%s: RNN %.3g ns, attention %.3g ns, linear %.3g ns per operation\n",
                r.measured_here ? " (on this machine, now)" : " (given)", r.rnn_ns_per_op, r.attention_ns_per_op,
                r.linear_ns_per_op);
  o << buf;
  o << "  Projected time T_P = t_op (W/P + D), ms  [a projection, not a measurement]\n\n";
  for (std::size_t k = 0; k < r.processors.size(); ++k) {
    std::snprintf(buf, sizeof buf, "  P = %d\n        n |      RNN ms | attention ms |   linear ms | faster (RNN or attention)\n",
                  r.processors[k]);
    o << buf;
    for (std::size_t i = 0; i < r.lengths.size(); ++i) {
      std::snprintf(buf, sizeof buf, "  %7d | %11.4g | %12.4g | %11.4g | %s\n", r.lengths[i], r.rnn_projected_ms[k][i],
                    r.attention_projected_ms[k][i], r.linear_projected_ms[k][i],
                    r.attention_faster[k][i] ? "attention" : "RNN");
      o << buf;
    }
  }
  return o.str();
}

std::string to_text(const MemoryResult& r) {
  std::ostringstream o;
  char buf[160];
  o << "  Memory capacity MC = sum_k r^2_k (median across seeds); the bound is MC <= N, plus "
    << fixed(r.chance_capacity, 0, 3) << " that chance adds (max_delay / (test_steps - 1))\n";
  o << "  Gate keep / recurrent scale / linearised gain:";
  for (const auto& n : r.networks)
    o << "  " << n.architecture << " " << fixed(n.keep, 0, 3) << " / " << fixed(n.recurrent_scale, 0, 3) << " / "
      << fixed(n.effective_gain, 0, 3);
  o << "\n\n";
  o << "       N";
  for (const auto& n : r.networks) o << " | " << pad_right(n.architecture, 7);
  o << "\n  ------";
  for (std::size_t i = 0; i < r.networks.size(); ++i) o << "-+--------";
  o << "\n";
  for (std::size_t i = 0; i < r.hidden_sizes.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %6d", r.hidden_sizes[i]);
    o << buf;
    for (const auto& n : r.networks) o << " | " << fixed(n.capacity.median[i], 7, 2);
    o << "\n";
  }
  if (!r.hidden_sizes.empty()) {
    const std::size_t last = r.hidden_sizes.size() - 1;
    o << "\n  r^2_k at N = " << r.hidden_sizes[last] << "\n  Delay k";
    for (const auto& n : r.networks) o << " | " << pad_right(n.architecture, 7);
    o << "\n  -------";
    for (std::size_t i = 0; i < r.networks.size(); ++i) o << "-+--------";
    o << "\n";
    for (std::size_t i = 0; i < r.delays.size(); ++i) {
      const int k = r.delays[i];
      if (!(r.delays.size() <= 30 || k <= 5 || k % 10 == 0)) continue;
      std::snprintf(buf, sizeof buf, "  %7d", k);
      o << buf;
      for (const auto& n : r.networks) o << " | " << fixed(n.r2[last].median[i], 7, 4);
      o << "\n";
    }
  }
  o << "\n  Attention: stored pair retrieved among n context tokens (median accuracy across seeds)\n";
  o << "   Context n | accuracy\n  -----------+---------\n";
  for (std::size_t i = 0; i < r.attention_context_lengths.size(); ++i) {
    std::snprintf(buf, sizeof buf, "  %10d | %8.3f\n", r.attention_context_lengths[i], r.attention_accuracy.median[i]);
    o << buf;
  }
  return o.str();
}

std::string kata_text(const KataRun& k) {
  std::ostringstream o;
  o << "=== 1. Processing Time vs Sequence Length ===\n\n";
  const TimingResult& t = k.timing;
  for (std::size_t i = 0; i < t.lengths.size(); ++i) {
    const double ms = t.median_ms[i];
    o << "  Length " << fixed(t.lengths[i], 5, 0) << ": " << fixed(ms, 7, 2) << " ms "
      << bar(static_cast<int>(ms * 3.0)) << "\n";
  }
  if (t.lengths.size() >= 2 && t.median_ms.front() > 0) {
    o << "\n  Length grew " << fixed(double(t.lengths.back()) / t.lengths.front(), 0, 0) << "x, time grew "
      << fixed(t.median_ms.back() / t.median_ms.front(), 0, 1) << "x\n";
    o << "  Fitted: " << fixed(t.ns_per_step, 0, 1) << " ns per step, R^2 = " << fixed(t.r_squared, 0, 4)
      << " -- time is linear in length\n";
  }

  o << "\n=== 2. Gradient Magnitude vs Distance ===\n\n";
  o << "  Distance | Gradient Norm | Visualization\n";
  o << "  ---------+---------------+---------------------------\n";
  const GradientResult& g = k.gradient;
  for (std::size_t i = 0; i < g.distances.size(); ++i) {
    const double norm = g.norm.median[i];
    const int marks = norm > 0 ? std::max(1, std::min(static_cast<int>(std::log10(norm + 1e-30) + 10), 30))
                               : std::min(static_cast<int>(std::log10(norm + 1e-30) + 15), 30);
    o << "  " << fixed(g.distances[i], 7, 0) << "  | " << fixed(norm, 13, 6) << " | " << bar(marks) << "\n";
  }
  o << "\n  Fitted decay per step: " << fixed(g.decay_per_step, 0, 4) << " (spectral radius of Wh "
    << fixed(g.spectral_radius, 0, 4) << ")\n";

  o << "\n=== 3. Hidden State Information Bottleneck ===\n\n";
  o << "  Stored signal: [ 1.  -1.   0.5 -0.5]\n";
  o << "  Hidden dim: 16 | Measuring retention after N noise steps\n\n";
  o << "  Steps | h dot target | Retention | RNN vs Direct Access\n";
  o << "  ------+--------------+-----------+---------------------\n";
  for (int n : k.retention_steps) {
    if (n < 0 || n >= static_cast<int>(k.retention.kata_cosine.size())) continue;
    const double c = k.retention.kata_cosine[n];
    o << "  " << fixed(n, 5, 0) << " | " << fixed(c, 11, 4, true) << "  | "
      << pad_right(bar(static_cast<int>(std::fabs(c) * 20)), 20) << " | " << bar(20) << "\n";
  }

  o << "\n=== Why Transformers Won (measured above) ===\n";
  o << "  +-------------------+--------+-------------+\n";
  o << "  | Property          |  RNN   | Transformer |\n";
  o << "  +-------------------+--------+-------------+\n";
  o << "  | Parallelizable    |   No   |     Yes     |\n";
  o << "  | Gradient path     |  O(n)  |     O(1)    |\n";
  o << "  | Memory access     | Bottl. |    Direct   |\n";
  o << "  | Time complexity   |  O(n)  |   O(n^2)*   |\n";
  o << "  +-------------------+--------+-------------+\n";
  o << "  * attention does O(n^2) work, but all of it in parallel.\n";
  return o.str();
}

std::string fields_text(const std::function<void(FieldVisitor&)>& fill) {
  TextWriter w;
  fill(w);
  return w.out;
}

std::string json_object(const std::function<void(FieldVisitor&)>& fill) {
  JsonWriter w;
  w.begin_object(nullptr);
  fill(w);
  w.end_object();
  return w.out;
}

// The kata's own JSON: the columns its tables print, under its own keys.
std::string kata_json(const KataRun& k) {
  std::vector<double> cos;
  for (int n : k.retention_steps)
    if (n >= 0 && n < static_cast<int>(k.retention.kata_cosine.size())) cos.push_back(k.retention.kata_cosine[n]);
  return json_object([&](FieldVisitor& v) {
    v.begin_object("timing");
    v.field("lengths", k.timing.lengths);
    v.field("median_ms", k.timing.median_ms);
    v.field("ns_per_step", k.timing.ns_per_step);
    v.field("r_squared", k.timing.r_squared);
    v.end_object();
    v.begin_object("gradient");
    v.field("distances", k.gradient.distances);
    v.field("norm", k.gradient.norm.median);
    v.field("decay_per_step", k.gradient.decay_per_step);
    v.end_object();
    v.begin_object("retention");
    v.field("steps", k.retention_steps);
    v.field("cosine", cos);
    v.end_object();
  });
}

std::string param_help(const std::vector<ParamSpec>& specs) {
  std::ostringstream o;
  for (const auto& s : specs) {
    o << "  --" << pad_right(s.name, std::max<std::size_t>(17, s.name.size() + 2)) << s.help << "\n";
    o << "    " << pad_right("", 17) << describe_range(s) << "; default " << s.default_value << "\n";
  }
  return o.str();
}

}  // namespace rnn_lesson::cli
