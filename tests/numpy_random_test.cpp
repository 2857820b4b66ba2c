// NumpyRandom against numpy's legacy np.random (numpy 1.24.2). Golden values printed by
// tests/golden/make_goldens.py with repr(), i.e. round-trip exact.
#include "core/blocks/numpy_random.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include <gtest/gtest.h>

namespace {

using rnn_lesson::NumpyRandom;

struct SeedGolden {
  std::uint32_t seed;
  std::vector<double> random_sample;  // np.random.random_sample(5)
  std::vector<double> randn;          // np.random.randn(5)
  std::vector<double> uniform;        // np.random.uniform(0.3, 1.0, 5)
};

const std::vector<SeedGolden>& goldens() {
  static const std::vector<SeedGolden> g = {
      {0u,
       {0.5488135039273248, 0.7151893663724195, 0.6027633760716439, 0.5448831829968969, 0.4236547993389047},
       {1.764052345967664, 0.4001572083672233, 0.9787379841057392, 2.240893199201458, 1.8675579901499675},
       {0.6841694527491273, 0.8006325564606935, 0.7219343632501507, 0.6814182280978278, 0.5965583595372332}},
      {1u,
       {0.417022004702574, 0.7203244934421581, 0.00011437481734488664, 0.30233257263183977, 0.14675589081711304},
       {1.6243453636632417, -0.6117564136500754, -0.5281717522634557, -1.0729686221561705, 0.8654076293246785},
       {0.5919154032918017, 0.8042271454095107, 0.3000800623721414, 0.5116328008422878, 0.4027291235719791}},
      {42u,
       {0.3745401188473625, 0.9507143064099162, 0.7319939418114051, 0.5986584841970366, 0.15601864044243652},
       {0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254, -0.23415337472333597},
       {0.5621780831931538, 0.9655000144869412, 0.8123957592679836, 0.7190609389379257, 0.40921304830970556}},
      {2147483647u,
       {0.3933911315501387, 0.6566618430544519, 0.08629079684294616, 0.9643837803447597, 0.6211251115394647},
       {1.628680950870893, -1.1083224214197442, 1.3931666912751481, 0.6885372651891304, -1.1734482800347712},
       {0.5753737920850971, 0.7596632901381162, 0.3604035577900623, 0.9750686462413318, 0.7347875780776252}},
      {4294967295u,
       {0.0976320289940138, 0.9123828453026218, 0.78903530185164, 0.7800035981134678, 0.01793967398674523},
       {0.6484086742306527, 0.6693235306338161, -1.0805437227474493, 0.2845010447986309, 0.11388773652167104},
       {0.36834242029580966, 0.9386679917118352, 0.8523247112961478, 0.8460025186794273, 0.31255777179072164}},
  };
  return g;
}

// Gaussians go through log and sqrt, so a different libm could move the last bit; 1e-15
// relative is about 5 ulp. (With glibc every golden below matches exactly.)
constexpr double kGaussRelTol = 1e-15;

void expect_gauss(double expected, double actual) {
  EXPECT_NEAR(actual, expected, kGaussRelTol * std::fabs(expected));
}

TEST(NumpyRandom, RandomSampleMatchesNumpyExactly) {
  for (const auto& g : goldens()) {
    NumpyRandom rng(g.seed);
    for (std::size_t i = 0; i < g.random_sample.size(); ++i)
      EXPECT_EQ(rng.random_sample(), g.random_sample[i]) << "seed " << g.seed << " draw " << i;
  }
}

TEST(NumpyRandom, UniformVectorMatchesNumpyExactly) {
  for (const auto& g : goldens()) {
    NumpyRandom rng(g.seed);
    const Eigen::VectorXd u = rng.uniform(0.3, 1.0, 5);
    for (int i = 0; i < 5; ++i) EXPECT_EQ(u(i), g.uniform[i]) << "seed " << g.seed << " draw " << i;
  }
}

TEST(NumpyRandom, UniformScalarMatchesNumpyExactly) {
  NumpyRandom rng(42);
  for (double expected : goldens()[2].uniform) EXPECT_EQ(rng.uniform(0.3, 1.0), expected);
}

TEST(NumpyRandom, RandnMatchesNumpy) {
  for (const auto& g : goldens()) {
    NumpyRandom rng(g.seed);
    const Eigen::VectorXd v = rng.randn(5);
    for (int i = 0; i < 5; ++i) {
      SCOPED_TRACE("seed " + std::to_string(g.seed) + " draw " + std::to_string(i));
      expect_gauss(g.randn[i], v(i));
    }
  }
}

TEST(NumpyRandom, RandnIsExactWithThisLibm) {
  // Stronger than needed by the lesson; documents that glibc's log/sqrt agree with numpy's.
  for (const auto& g : goldens()) {
    NumpyRandom rng(g.seed);
    for (double expected : g.randn) EXPECT_EQ(rng.standard_normal(), expected) << "seed " << g.seed;
  }
}

TEST(NumpyRandom, CachedSecondGaussianCarriesAcrossCalls) {
  // np.random.seed(7); randn(3); randn(2): the 4th value is the cached half of the 2nd pair.
  const double expected[5] = {1.690525703800356, -0.4659373705408328, 0.0328201636785844, 0.40751628299650783,
                              -0.7889230286257386};
  NumpyRandom rng(7);
  const Eigen::VectorXd a = rng.randn(3);
  const Eigen::VectorXd b = rng.randn(2);
  for (int i = 0; i < 3; ++i) expect_gauss(expected[i], a(i));
  for (int i = 0; i < 2; ++i) expect_gauss(expected[3 + i], b(i));
}

TEST(NumpyRandom, ReseedForgetsCachedGaussian) {
  NumpyRandom rng(7);
  rng.standard_normal();  // leaves the pair's second value cached
  rng.reseed(7);
  expect_gauss(1.690525703800356, rng.standard_normal());
  expect_gauss(-0.4659373705408328, rng.standard_normal());
}

TEST(NumpyRandom, UniformDrawDoesNotConsumeCachedGaussian) {
  // np.random.seed(3); randn(); random_sample(); randn()
  NumpyRandom rng(3);
  expect_gauss(1.7886284734303186, rng.standard_normal());
  EXPECT_EQ(rng.random_sample(), 0.2909047389129443);
  expect_gauss(0.43650985051198943, rng.standard_normal());
}

TEST(NumpyRandom, RandnMatrixIsFilledRowMajor) {
  // np.random.seed(5); randn(2, 3).ravel()
  const double expected[6] = {0.44122748688504143, -0.33087015189408764, 2.43077118700778,
                              -0.2520921296030769, 0.10960984157818278, 1.5824811170615634};
  NumpyRandom rng(5);
  const Eigen::MatrixXd m = rng.randn(2, 3);
  ASSERT_EQ(m.rows(), 2);
  ASSERT_EQ(m.cols(), 3);
  for (int r = 0; r < 2; ++r)
    for (int c = 0; c < 3; ++c) expect_gauss(expected[r * 3 + c], m(r, c));
}

TEST(NumpyRandom, ReseedRestartsTheStream) {
  NumpyRandom rng(1);
  for (int i = 0; i < 3; ++i) rng.random_sample();
  rng.reseed(0);
  EXPECT_EQ(rng.random_sample(), goldens()[0].random_sample[0]);
}

TEST(NumpyRandom, DefaultSeedIsZero) {
  NumpyRandom rng;
  EXPECT_EQ(rng.random_sample(), goldens()[0].random_sample[0]);
}

// np.random.seed(s); randint(0, 4, size=8); randint(0, 5, size=8); randint(0, 1, size=2);
// randint(0, 1000, size=4); random_sample() (tests/golden/make_goldens.py). The masks are 3, 7
// (with redraws above 4), none (high 1 draws nothing: the random_sample after agrees) and 1023.
TEST(NumpyRandom, RandintMatchesNumpyExactly) {
  struct Golden {
    std::uint32_t seed;
    std::vector<int> four, five, thousand;
    double after;
  };
  const std::vector<Golden> goldens = {
      {0u, {0, 3, 1, 0, 3, 3, 3, 3}, {1, 3, 2, 4, 0, 0, 4, 2}, {705, 486, 551, 87}, 0.4799771723750573},
      {42u, {2, 3, 0, 2, 2, 3, 0, 0}, {1, 2, 2, 2, 4, 3, 2, 4}, {769, 343, 491, 413}, 0.21233911067827616},
  };
  for (const auto& g : goldens) {
    NumpyRandom rng(g.seed);
    for (int x : g.four) EXPECT_EQ(rng.randint(4), x) << "seed " << g.seed;
    for (int x : g.five) EXPECT_EQ(rng.randint(5), x) << "seed " << g.seed;
    EXPECT_EQ(rng.randint(1), 0);
    EXPECT_EQ(rng.randint(1), 0);
    for (int x : g.thousand) EXPECT_EQ(rng.randint(1000), x) << "seed " << g.seed;
    EXPECT_EQ(rng.random_sample(), g.after) << "seed " << g.seed;
  }
}

}  // namespace
