// The core's list of experiments (core/experiments/registry.h) and the slices whose bounds the
// core computes (slice_part() in core/experiments/parallel.h).
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cli/format.h"
#include "core/experiments/registry.h"

namespace {

using namespace rnn_lesson;

TEST(Registry, ListsEveryExperimentOnceInTheLessonsOrder) {
  EXPECT_EQ(experiment_names(true),
            (std::vector<std::string>{"timing", "gradient", "retention", "architectures", "memory", "workdepth", "train", "recall", "gpu"}));
  const std::vector<std::string> all = experiment_names(false);
  EXPECT_EQ(all.back(), "scaling");
  EXPECT_EQ(std::set<std::string>(all.begin(), all.end()).size(), all.size());
}

TEST(Registry, EveryDescriptorHasASummaryAndAValidDefault) {
  int descriptors = 0;
  for_each_descriptor([&](auto e) {
    ++descriptors;
    EXPECT_FALSE(std::string(e.summary).empty()) << e.name;
    EXPECT_EQ(validate(defaults_from(e.fields())), "") << e.name;
    for (const auto& f : e.fields()) {
      EXPECT_FALSE(f.spec.label.empty()) << e.name << "." << f.spec.name;
      EXPECT_TRUE(f.spec.choice_labels.empty() || f.spec.choice_labels.size() == f.spec.choices.size())
          << e.name << "." << f.spec.name;
    }
  });
  EXPECT_EQ(descriptors, 10);
}

TEST(Registry, VisitFindsExperimentsAndTablesByName) {
  std::string seen;
  EXPECT_TRUE(visit_experiment("memory", [&](auto e) { seen = e.name; }));
  EXPECT_EQ(seen, "memory");
  EXPECT_FALSE(visit_experiment("scaling", [&](auto) { seen = "?"; }));  // no run: not an experiment
  EXPECT_TRUE(visit_descriptor("scaling", [&](auto e) { seen = e.name; }));
  EXPECT_EQ(seen, "scaling");
  EXPECT_FALSE(visit_descriptor("kata", [&](auto) {}));
  EXPECT_EQ(unknown_experiment("'x'", true),
            "experiment must be one of timing, gradient, retention, architectures, memory, workdepth, train, recall, gpu (got 'x')");
}

ScalingParams small() {
  ScalingParams p = default_scaling_params();
  p.length = 37;
  p.batch = 5;
  p.hidden_size = 8;
  return p;
}

TEST(Slices, PartsCoverEveryRowSequenceAndStepExactlyOnce) {
  const ScalingParams p = small();
  for (int parts : {1, 2, 3, 7, 40}) {
    const std::vector<int> cuts = balanced_row_splits(p.length, parts);
    int attention = 0, batch = 0, relay = 0;
    std::vector<double> state;
    for (int part = 0; part < parts; ++part) {
      const SliceResult a = slice_part("attention", p, part, parts, {});
      ASSERT_EQ(a.error, "");
      EXPECT_EQ(a.begin, cuts[part]);
      EXPECT_EQ(a.end, cuts[part + 1]);
      EXPECT_EQ(a.begin, attention);
      attention = a.end;
      const SliceResult b = slice_part("rnn_batch", p, part, parts, {});
      ASSERT_EQ(b.error, "");
      EXPECT_EQ(b.begin, batch);
      EXPECT_EQ(b.end, (part + 1) * p.batch / parts);
      batch = b.end;
      const SliceResult r = slice_part("rnn_relay", p, part, parts, state);
      ASSERT_EQ(r.error, "");
      EXPECT_EQ(r.begin, relay);
      EXPECT_EQ(r.end, (part + 1) * p.length / parts);
      relay = r.end;
      state = r.state;
    }
    EXPECT_EQ(attention, p.length);
    EXPECT_EQ(batch, p.batch);
    EXPECT_EQ(relay, p.length);
    // The relay handed along equals one segment over every step.
    EXPECT_DOUBLE_EQ(rnn_relay_segment(p, 0, p.length, {}).checksum, slice_part("rnn_relay", p, 0, 1, {}).checksum);
  }
}

TEST(Slices, RefusedArgumentsAreNamedInOneSentence) {
  const ScalingParams p = small();
  EXPECT_EQ(slice_part("attention", p, 0, 0, {}).error, "parts must be an integer from 1 to 1024 (got 0)");
  EXPECT_EQ(slice_part("attention", p, 0, 1025, {}).error, "parts must be an integer from 1 to 1024 (got 1025)");
  EXPECT_EQ(slice_part("attention", p, 0, 1.5, {}).error, "parts must be an integer from 1 to 1024 (got 1.5)");
  EXPECT_EQ(slice_part("rnn_batch", p, 0.5, 2, {}).error, "part must be an integer from 0 to parts - 1 (1) (got 0.5)");
  // A relay part after the first needs the state the part before it ended with.
  EXPECT_NE(slice_part("rnn_relay", p, 1, 2, {}).error.find("state must be the hidden state that part 0 returned"),
            std::string::npos);
  EXPECT_EQ(slice_part("rnn_batch", p, 3, 3, {}).error, "part must be an integer from 0 to parts - 1 (2) (got 3)");
  EXPECT_EQ(slice_part("rnn_batch", p, -1, 3, {}).error, "part must be an integer from 0 to parts - 1 (2) (got -1)");
  EXPECT_EQ(slice_part("rows", p, 0, 1, {}).error, "kind must be one of attention, rnn_batch, rnn_relay, scan_sequential, scan_chunk, scan_finish (got 'rows')");
  EXPECT_NE(slice_part("rnn_relay", p, 0, 1, {1.0}).error.find("state must hold"), std::string::npos);
}

// A result the CLI has a table for prints that table; any other prints its fields.
TEST(CliText, AResultWithoutATableIsPrintedFromItsFields) {
  GradientResult g;
  g.mode = "kata";
  EXPECT_EQ(cli::text_of(g), cli::to_text(g));
  SliceResult r;
  r.checksum = 1.5;
  r.state = {0.25, -2};
  r.begin = 3;
  r.end = 9;
  EXPECT_EQ(cli::text_of(r), "  checksum: 1.5\n  operations: 0\n  state: 0.25, -2\n  begin: 3\n  end: 9\n");
  WorkDepthResult w;
  w.counts.resize(1);
  w.counts[0].architecture = "rnn";
  w.counts[0].work = {1e9};
  const std::string text = cli::fields_text([&](FieldVisitor& v) { visit_fields(w, v); });
  EXPECT_NE(text.find("  counts:\n    -\n      architecture: rnn\n      work: 1e+09\n"), std::string::npos) << text;
}

}  // namespace
