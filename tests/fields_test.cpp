// Field tables (core/fields.h): the kind each member type gets, the order of a run's output,
// and no key twice in one object. The formats themselves are checked end to end: the CLI's
// JSON by tests/cli_test.cpp, the JS objects against that JSON by tests/node/equality.test.js.
#include "core/fields.h"

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/experiments/architectures.h"
#include "core/experiments/gradient.h"
#include "core/experiments/memory_capacity.h"
#include "core/experiments/parallel.h"
#include "core/params.h"
#include "core/experiments/retention.h"
#include "core/experiments/timing.h"

namespace {

using namespace rnn_lesson;

// Writes what it is shown as "key:kind" words (an array element's key is "-"), and fails
// the test on a key seen twice in one object.
class Trace final : public FieldVisitor {
 public:
  std::string out;

  void number(const char* k, double) override { word(k, "n"); }
  void integer(const char* k, int) override { word(k, "i"); }
  void boolean(const char* k, bool x) override { word(k, x ? "true" : "false"); }
  void text(const char* k, const std::string& s) override { word(k, "'" + s + "'"); }
  void numbers(const char* k, const std::vector<double>& x) override { word(k, "n[" + std::to_string(x.size()) + "]"); }
  void integers(const char* k, const std::vector<int>& x) override { word(k, "i[" + std::to_string(x.size()) + "]"); }
  void null_value(const char* k) override { word(k, "null"); }
  void begin_object(const char* k) override { word(k, "{"); keys_.emplace_back(); }
  void end_object() override { out += " }"; keys_.pop_back(); }
  void begin_array(const char* k) override { word(k, "["); keys_.emplace_back(); }
  void end_array() override { out += " ]"; keys_.pop_back(); }

 private:
  std::vector<std::set<std::string>> keys_;
  void word(const char* k, const std::string& kind) {
    if (k && !keys_.empty()) {
      EXPECT_TRUE(keys_.back().insert(k).second) << "key '" << k << "' twice in one object";
    }
    out += std::string(out.empty() ? "" : " ") + (k ? k : "-") + ":" + kind;
  }
};

template <class T>
std::string trace(const T& value) {
  Trace t;
  t.field(nullptr, value);
  return t.out;
}

TEST(Fields, KindsFollowTheMemberTypes) {
  ArchitecturesResult r;
  r.sequence_length = 51;
  r.distances = {1, 2};
  r.curves.resize(1);
  r.curves[0].architecture = "rnn";
  r.curves[0].norm.median = {0.5, 0.25};
  EXPECT_EQ(trace(r),
            "-:{ sequence_length:i distances:i[2] curves:[ -:{ architecture:'rnn' decay:null norm:{ median:n[2] q1:n[0] q3:n[0] }"
            " decay_per_step:n decay_r_squared:n } ] attention_context_lengths:i[0]"
            " attention_context_norm:{ median:n[0] q1:n[0] q3:n[0] } attention_context_slope:n }");
}

TEST(Fields, MatricesAreArraysOfVectorsAndBoolsStayBools) {
  WorkDepthResult r;
  r.measured_here = true;
  r.rnn_projected_ms = {{1, 2}, {3, 4}};
  r.attention_faster = {{0, 1}};
  const std::string t = trace(r);
  EXPECT_NE(t.find("measured_here:true"), std::string::npos) << t;
  EXPECT_NE(t.find("rnn_projected_ms:[ -:n[2] -:n[2] ]"), std::string::npos) << t;
  EXPECT_NE(t.find("attention_faster:[ -:i[2] ]"), std::string::npos) << t;
}

TEST(Fields, AnOptionalIsItsValueOrNull) {
  Trace t;
  t.field("learned_at", std::optional<int>(40));
  t.field("never", std::optional<int>());
  t.field("ratio", std::optional<double>(0.5));
  EXPECT_EQ(t.out, "learned_at:i never:null ratio:n");
}

TEST(Fields, ALiteralIsText) {
  Trace t;
  t.field("error", "");
  EXPECT_EQ(t.out, "error:''");
}

TEST(Fields, ARunIsExperimentThenParamsThenTheResult) {
  GradientParams p = default_gradient_params();
  p.distances = {3, 1};
  GradientResult r;
  r.mode = p.mode;
  Trace t;
  visit_run("gradient", gradient_fields(), p, r, t);
  // Every parameter in its table's order: numbers, a list as an array of numbers, a choice as text.
  std::string params;
  for (const auto& f : gradient_fields())
    params += " " + f.spec.name + ":" +
              (f.spec.name == "mode" ? "'bptt'" : f.spec.name == "distances" ? "[ -:n -:n ]" : "n");
  EXPECT_EQ(t.out, "experiment:'gradient' params:{" + params +
                       " } mode:'bptt' distances:i[0] norm:{ median:n[0] q1:n[0] q3:n[0] } decay_per_step:n"
                       " decay_r_squared:n spectral_radius:n largest_singular_value:n");
}

TEST(Fields, NoResultSpellsAKeyTwice) {
  MemoryResult m;
  m.networks.resize(1);
  m.networks[0].r2.resize(2);
  WorkDepthResult w;
  w.counts.resize(1);
  // Trace fails the test on a repeated key; the traces only need to be walked.
  for (const std::string& t : {trace(TimingResult{}), trace(GradientResult{}), trace(RetentionResult{}),
                               trace(ArchitecturesResult{}), trace(m), trace(w), trace(SliceResult{})})
    EXPECT_FALSE(t.empty());
}

// The page shows a slider where the core says so: a narrow numeric range the table allows one
// for (an integer span up to 2100, a real span up to 10), never for a list, a choice or a seed.
TEST(Fields, TheCoreDecidesWhereASliderShows) {
  ParamSpec s;
  s.type = ParamType::Integer;
  s.min = 1, s.max = 2101;
  EXPECT_TRUE(shows_slider(s));
  s.max = 2102;
  EXPECT_FALSE(shows_slider(s));
  s.type = ParamType::Real;
  s.min = 0, s.max = 10;
  EXPECT_TRUE(shows_slider(s));
  s.max = 10.5;
  EXPECT_FALSE(shows_slider(s));
  s.max = 1;
  s.slider = Slider::Off;
  EXPECT_FALSE(shows_slider(s));
  s.slider = Slider::Auto;
  s.type = ParamType::IntegerList;
  EXPECT_FALSE(shows_slider(s));
  for (const auto& f : gradient_fields()) {
    if (f.spec.name == "seed") {
      EXPECT_FALSE(shows_slider(f.spec));
    }
  }
}

TEST(Fields, ASpecAsThePageReadsIt) {
  const ParamSpec* mode = nullptr;
  for (const auto& f : gradient_fields())
    if (f.spec.name == "mode") mode = &f.spec;
  ASSERT_NE(mode, nullptr);
  EXPECT_EQ(trace(*mode), "-:{ name:'mode' type:'choice' min:n max:n maxCount:i defaultValue:'bptt' choices:[ -:'bptt'"
                          " -:'kata' ] help:'" + mode->help + "' range:'" + describe_range(*mode) +
                          "' label:'Gradient computed by' advanced:false slider:false choiceLabels:[ -:'real backprop (bptt)'"
                          " -:'the kata\u2019s simulation (kata)' ] }");
  // A choice without labels of its own is labelled by its text; a seed has no slider.
  ParamSpec plain = *mode;
  plain.choice_labels.clear();
  EXPECT_NE(trace(plain).find("choiceLabels:[ -:'bptt' -:'kata' ]"), std::string::npos);
  for (const auto& f : gradient_fields()) {
    if (f.spec.name == "seed") {
      EXPECT_EQ(f.spec.slider, Slider::Off);
    }
  }
}

}  // namespace
