// Vectorised double tanh; see fast_math.h.
#include "core/blocks/fast_math.h"

#include <cmath>
#include <cstdint>
#include <cstring>

#include "core/blocks/simd.h"

namespace rnn_lesson {
namespace {

// Cephes tanh.c (|x| < 0.625): tanh x = x + x * z * P(z) / Q(z), z = x^2.
constexpr double kP0 = -9.64399179425052238628E-1, kP1 = -9.92877231001918586564E1,
                 kP2 = -1.61468768441708447952E3;
constexpr double kQ1 = 1.12811678491632931402E2, kQ2 = 2.23548839060100448583E3,
                 kQ3 = 4.84406305325125486048E3;
// Cephes exp.c: exp r = 1 + 2 r P(r^2) / (Q(r^2) - r P(r^2)) for |r| <= ln(2)/2.
constexpr double kEP0 = 1.26177193074810590878E-4, kEP1 = 3.02994407707441961300E-2,
                 kEP2 = 9.99999999999999999910E-1;
constexpr double kEQ0 = 3.00198505138664455042E-6, kEQ1 = 2.52448340349684104192E-3,
                 kEQ2 = 2.27265548208155028766E-1, kEQ3 = 2.00000000000000000009E0;
constexpr double kLog2e = 1.4426950408889634073599;
constexpr double kLn2Hi = 6.93145751953125E-1, kLn2Lo = 1.42860682030941723212E-6;
constexpr double kMagic = 6755399441055744.0;  // 1.5 * 2^52: adding it rounds to an integer
constexpr double kSmall = 0.625, kLarge = 22.0;  // tanh(22) = 1 - 1.6e-19: 1 in double

using V = simd::D2;
using simd::load;
using simd::pow2_from_magic;
using simd::select_lt;
using simd::splat;
using simd::store;
using simd::vabs;
using simd::with_sign_of;
constexpr int kLanes = simd::lanes<V>();

// exp(y) for 0 <= y <= 2 * kLarge (all the large branch needs).
inline V exp_v(V y) {
  const V t = y * splat<V>(kLog2e) + splat<V>(kMagic);
  const V k = t - splat<V>(kMagic);  // round(y / ln 2)
  V r = y - k * splat<V>(kLn2Hi);
  r = r - k * splat<V>(kLn2Lo);
  const V rr = r * r;
  const V px = r * ((splat<V>(kEP0) * rr + splat<V>(kEP1)) * rr + splat<V>(kEP2));
  const V qx = ((splat<V>(kEQ0) * rr + splat<V>(kEQ1)) * rr + splat<V>(kEQ2)) * rr + splat<V>(kEQ3);
  const V e = splat<V>(1.0) + splat<V>(2.0) * (px / (qx - px));
  return e * pow2_from_magic(t);
}

// tanh is odd: both branches work on |x|, and x's sign bit is put back at the end.
inline V tanh_v(V x) {
  const V a = vabs(x);
  // Large branch, on |x| clamped so exp stays finite (NaN passes through the clamp's compare).
  const V ac = select_lt(splat<V>(kLarge), a, splat<V>(kLarge), a);
  const V big = splat<V>(1.0) - splat<V>(2.0) / (exp_v(ac + ac) + splat<V>(1.0));
  // Small branch.
  const V z = a * a;
  const V p = (splat<V>(kP0) * z + splat<V>(kP1)) * z + splat<V>(kP2);
  const V q = ((z + splat<V>(kQ1)) * z + splat<V>(kQ2)) * z + splat<V>(kQ3);
  const V small = a + a * (z * (p / q));
  return with_sign_of(select_lt(a, splat<V>(kSmall), small, big), x);
}

}  // namespace

void tanh_in_place(double* x, std::ptrdiff_t n) {
  std::ptrdiff_t i = 0;
  for (; i + kLanes <= n; i += kLanes) store(x + i, tanh_v(load<V>(x + i)));
  if (i < n) {  // the last element(s), through a padded vector
    double tail[kLanes] = {};
    for (std::ptrdiff_t j = i; j < n; ++j) tail[j - i] = x[j];
    store(tail, tanh_v(load<V>(tail)));
    for (std::ptrdiff_t j = i; j < n; ++j) x[j] = tail[j - i];
  }
}

}  // namespace rnn_lesson
