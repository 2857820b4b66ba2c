// The one set of vector helpers every fast kernel is written on: the timed forward pass
// (fast_forward.cpp), the float32 cells and their gate functions (fast_cell.cpp, fast_gates.h) and the
// double tanh (fast_math.cpp). Kernels call these directly (`splat<V>(a)`, `load<V>(p)`,
// `store(p, v)`); none wraps them again.
//
// With GCC or Clang (em++ included) the types are generic vectors: 128-bit F4 (4 floats) and
// D2 (2 doubles) compile to SSE natively and to SIMD128 in wasm (-msimd128); F8 (8 floats) is
// only used inside functions compiled for AVX2. Elsewhere F4 is a plain 4-lane struct and D2 a
// single double: the same operations in the same order, so the same numbers, only slower.
// Everything is inline and header-only, so each kernel (and each target-specific copy of a
// kernel) gets its own compiled helpers.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

#if defined(__GNUC__)
#define RNN_SIMD_VECTORS 1
#define RNN_SIMD_INLINE inline __attribute__((always_inline))
#else
#define RNN_SIMD_INLINE inline
#endif

namespace rnn_lesson::simd {

#ifdef RNN_SIMD_VECTORS
// GCC warns that 32-byte vectors change the calling convention without AVX; F8 never crosses
// a call (every helper is always inlined into the AVX2 function). GCC reports it where the
// helper is written and at the end of the file, so it stays off for the files that include this.
#if !defined(__clang__)
#pragma GCC diagnostic ignored "-Wpsabi"
#endif
typedef float F4 __attribute__((vector_size(16)));
typedef float F8 __attribute__((vector_size(32)));
typedef double D2 __attribute__((vector_size(16)));

// Per vector type: its scalar, the integer vector of the same shape, and the constants that
// build 2^n from the bits of t = n + 1.5 * 2^mantissa (pow2_from_magic below).
template <class V>
struct Traits;
template <>
struct Traits<F4> {
  using Scalar = float;
  typedef std::int32_t Bits __attribute__((vector_size(16)));
  static constexpr std::int32_t kMagicBits = 0x4B400000, kBias = 127, kMantissa = 23;
};
template <>
struct Traits<D2> {
  using Scalar = double;
  typedef std::int64_t Bits __attribute__((vector_size(16)));
  static constexpr std::int64_t kMagicBits = 0x4338000000000000, kBias = 1023, kMantissa = 52;
  static constexpr std::int64_t kSignBit = static_cast<std::int64_t>(0x8000000000000000ull);
};
template <>
struct Traits<F8> {
  using Scalar = float;
};

// Every lane = a. Clang (em++) folds a - 0 (exact for every a) to a bare splat, where
// `V{} + a` costs an add and a shuffle (adding +0 turns -0 into +0, so it may not be dropped):
// measured in a Chromium worker at H = 32, 135 -> 117 ns/step. GCC does the opposite: `V{} + a`
// is its bare splat, and `a - V{}` measured 57 -> 77 ns/step natively.
template <class V>
RNN_SIMD_INLINE V splat(typename Traits<V>::Scalar a) {
#if defined(__clang__)
  return a - V{};
#else
  return V{} + a;
#endif
}
template <class V>
RNN_SIMD_INLINE V select_lt(V a, V b, V x, V y) { return a < b ? x : y; }  // per lane, a < b ? x : y
template <class V>
RNN_SIMD_INLINE V vmin(V a, V b) { return a < b ? a : b; }
template <class V>
RNN_SIMD_INLINE V vmax(V a, V b) { return a > b ? a : b; }
#if defined(__wasm_simd128__)
// The same selects spelled as SIMD128's pseudo-min/max (pmin(x, y) = y < x ? y : x, pmax(x, y)
// = x < y ? y : x: one minps/maxps in V8). Clang 14 finds pmin in `a < b ? a : b` but turns
// `a > b ? a : b` into a compare and a bitselect (four instructions in V8). Measured on the
// forward pass's loop (fast_forward.cpp, H = 32) alone in a Chromium worker, interleaved rounds: tanh's
// clamp through these, per-round ratio 0.96-0.97 (155 -> 150 ns/step).
template <>
RNN_SIMD_INLINE F4 vmin<F4>(F4 a, F4 b) { return __builtin_wasm_pmin_f32x4(b, a); }  // a < b ? a : b
template <>
RNN_SIMD_INLINE F4 vmax<F4>(F4 a, F4 b) { return __builtin_wasm_pmax_f32x4(b, a); }  // b < a ? a : b
#endif

template <class V>
RNN_SIMD_INLINE typename Traits<V>::Bits bits_of(V x) {
  typename Traits<V>::Bits b;
  std::memcpy(&b, &x, sizeof b);
  return b;
}
template <class V>
RNN_SIMD_INLINE V from_bits(typename Traits<V>::Bits b) {
  V x;
  std::memcpy(&x, &b, sizeof x);
  return x;
}
// 2^n for t = n + 1.5 * 2^mantissa (n an integer within the exponent's range), from t's bits.
template <class V>
RNN_SIMD_INLINE V pow2_from_magic(V t) {
  using T = Traits<V>;
  return from_bits<V>((bits_of(t) - T::kMagicBits + T::kBias) << T::kMantissa);
}
// |x|, and `magnitude` with x's sign bit, by bits (so -0 and NaN keep theirs). Doubles only.
RNN_SIMD_INLINE D2 vabs(D2 x) { return from_bits<D2>(bits_of(x) & ~Traits<D2>::kSignBit); }
RNN_SIMD_INLINE D2 with_sign_of(D2 magnitude, D2 x) {
  return from_bits<D2>(bits_of(magnitude) | (bits_of(x) & Traits<D2>::kSignBit));
}

#else  // no vector extensions: F4 a 4-lane struct, D2 one double

struct F4 {
  float l[4];
};
using D2 = double;
template <class V>
struct Traits;
template <>
struct Traits<F4> {
  using Scalar = float;
};
template <>
struct Traits<D2> {
  using Scalar = double;
};

#define RNN_SIMD_LANEWISE(op)                                                                                   \
  inline F4 operator op(F4 a, F4 b) { return F4{{a.l[0] op b.l[0], a.l[1] op b.l[1], a.l[2] op b.l[2], a.l[3] op b.l[3]}}; } \
  inline F4 operator op(F4 a, float b) { return a op F4{{b, b, b, b}}; }
RNN_SIMD_LANEWISE(+)
RNN_SIMD_LANEWISE(-)
RNN_SIMD_LANEWISE(*)
RNN_SIMD_LANEWISE(/)
#undef RNN_SIMD_LANEWISE
inline F4 operator-(F4 a) { return F4{{-a.l[0], -a.l[1], -a.l[2], -a.l[3]}}; }
inline F4& operator+=(F4& a, F4 b) { return a = a + b; }

template <class V>
V splat(typename Traits<V>::Scalar a);
template <>
inline F4 splat<F4>(float a) { return F4{{a, a, a, a}}; }
template <>
inline D2 splat<D2>(double a) { return a; }

inline F4 select_lt(F4 a, F4 b, F4 x, F4 y) {
  F4 out;
  for (int i = 0; i < 4; ++i) out.l[i] = a.l[i] < b.l[i] ? x.l[i] : y.l[i];
  return out;
}
inline D2 select_lt(D2 a, D2 b, D2 x, D2 y) { return a < b ? x : y; }
inline F4 vmin(F4 a, F4 b) { return select_lt(a, b, a, b); }
inline F4 vmax(F4 a, F4 b) { return select_lt(b, a, a, b); }

template <class V>
V pow2_from_magic(V t);
template <>
inline F4 pow2_from_magic<F4>(F4 t) {
  F4 out;
  for (int i = 0; i < 4; ++i) {
    std::int32_t bits;
    std::memcpy(&bits, &t.l[i], sizeof bits);
    bits = static_cast<std::int32_t>(static_cast<std::uint32_t>(bits - 0x4B400000 + 127) << 23);
    std::memcpy(&out.l[i], &bits, sizeof bits);
  }
  return out;
}
template <>
inline D2 pow2_from_magic<D2>(D2 t) {
  std::int64_t bits;
  std::memcpy(&bits, &t, sizeof bits);
  bits = static_cast<std::int64_t>(static_cast<std::uint64_t>(bits - 0x4338000000000000 + 1023) << 52);
  D2 out;
  std::memcpy(&out, &bits, sizeof out);
  return out;
}
inline D2 vabs(D2 x) { return std::fabs(x); }
inline D2 with_sign_of(D2 magnitude, D2 x) { return std::copysign(magnitude, x); }

#endif  // RNN_SIMD_VECTORS

// Loads and stores through memcpy: no alignment needed, and compilers make them one move.
template <class V, class S>
RNN_SIMD_INLINE V load(const S* p) {
  V v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
template <class V, class S>
RNN_SIMD_INLINE void store(S* p, V v) { std::memcpy(p, &v, sizeof v); }

template <class V>
constexpr int lanes() { return sizeof(V) / sizeof(typename Traits<V>::Scalar); }

// Copies n scalars (n a multiple of lanes<V>()) by vectors: small std::memcpy calls are
// out-of-line calls in wasm.
template <class V, class S>
RNN_SIMD_INLINE void copy(S* dst, const S* src, int n) {
  for (int i = 0; i < n; i += lanes<V>()) store(dst + i, load<V>(src + i));
}

// p[i] = f(p[i]) vector by vector, for n scalars (n a multiple of lanes<V>()).
template <class V, class S, class F>
RNN_SIMD_INLINE void apply(S* p, int n, F f) {
  for (int i = 0; i < n; i += lanes<V>()) store(p + i, f(load<V>(p + i)));
}

}  // namespace rnn_lesson::simd
