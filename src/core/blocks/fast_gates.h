// Float gate functions (exp, logistic, tanh) on 4-float vectors for FastCell (fast_cell.cpp),
// written on simd.h's F4 and its helpers, called directly: SSE natively, SIMD128 in wasm, a
// plain 4-lane struct elsewhere (the same operations in the same order, so the same floats).
// Header-only and inline, so each kernel loop gets them inlined.
#pragma once

#include "core/blocks/simd.h"

namespace rnn_lesson {
namespace fast {

using V = simd::F4;
using simd::load;
using simd::pow2_from_magic;
using simd::select_lt;
using simd::splat;
using simd::store;
using simd::vmax;
using simd::vmin;

// exp(x) in float (Cephes expf: Cody-Waite reduction by ln 2, degree-5 polynomial; about 1
// ulp). The input is clamped to [-87, 88], so the result stays a normal float (exp(-87) =
// 1.6e-38, exp(88) = 1.7e38): callers only use it inside 1/(1 + e).
inline V exp_v(V x) {
  x = vmin(vmax(x, splat<V>(-87.0f)), splat<V>(88.0f));
  const V t = x * splat<V>(1.44269504088896341f) + splat<V>(12582912.0f);  // n + 1.5 * 2^23: rounds x/ln2
  const V n = t - splat<V>(12582912.0f);
  V r = x - n * splat<V>(0.693359375f);
  r = r - n * splat<V>(-2.12194440e-4f);
  V y = splat<V>(1.9875691500e-4f);
  y = y * r + splat<V>(1.3981999507e-3f);
  y = y * r + splat<V>(8.3334519073e-3f);
  y = y * r + splat<V>(4.1665795894e-2f);
  y = y * r + splat<V>(1.6666665459e-1f);
  y = y * r + splat<V>(5.0000001201e-1f);
  y = y * (r * r) + r + splat<V>(1.0f);
  return y * pow2_from_magic(t);
}

inline V sigmoid_v(V x) { return splat<V>(1.0f) / (splat<V>(1.0f) + exp_v(-x)); }

// tanh(x): Eigen 3.4's rational approximation for float (generic_fast_tanh_float, the
// coefficients for builds without FMA): x P(x^2) / Q(x^2), P of degree 6 and Q of degree 3,
// the input clamped to +-7.9053 (tanh there is 1 - 2.7e-7), and x itself below |x| = 4e-4.
// Relative error measured in tests/cells_test.cpp (about 1e-7 over [-20, 20]).
inline V tanh_v(V x_in) {
  const V x = vmin(vmax(x_in, splat<V>(-7.90531110763549805f)), splat<V>(7.90531110763549805f));
  const V x2 = x * x;
  V p = x2 * splat<V>(-2.76076847742355e-16f) + splat<V>(2.00018790482477e-13f);
  p = x2 * p + splat<V>(-8.60467152213735e-11f);
  p = x2 * p + splat<V>(5.12229709037114e-08f);
  p = x2 * p + splat<V>(1.48572235717979e-05f);
  p = x2 * p + splat<V>(6.37261928875436e-04f);
  p = x2 * p + splat<V>(4.89352455891786e-03f);
  p = x * p;
  V q = x2 * splat<V>(1.19825839466702e-06f) + splat<V>(1.18534705686654e-04f);
  q = x2 * q + splat<V>(2.26843463243900e-03f);
  q = x2 * q + splat<V>(4.89352518554385e-03f);
  return select_lt(vmax(x_in, -x_in), splat<V>(0.0004f), x_in, p / q);
}

}  // namespace fast
}  // namespace rnn_lesson
