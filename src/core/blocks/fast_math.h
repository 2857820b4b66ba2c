// Vectorised double-precision tanh for the batched recurrences (the retention read-out runs
// hundreds of networks side by side). std::tanh is a scalar library call, and in WebAssembly
// it was a third of the retention experiment's time; this one works two doubles at a time
// (SSE2 natively, SIMD128 in wasm) with the same accuracy class as a libm.
#pragma once

#include <cstddef>

// Keeps a hot step function out of line. WebAssembly engines run new code first from a quick
// baseline compile and switch a function to optimised code only between its calls (V8 has no
// on-stack replacement for wasm), so a loop inlined into a long experiment runs its whole
// first call at baseline speed; a step function called thousands of times is switched after
// its first few calls. (Measured: the first retention run in wasm 130 -> 70 ms.)
#if defined(__GNUC__)
#define RNN_LESSON_STEP_FUNCTION __attribute__((noinline))
#else
#define RNN_LESSON_STEP_FUNCTION
#endif

namespace rnn_lesson {

// x[i] = tanh(x[i]) for i < n. Cephes' tanh: x + x^3 P(x^2)/Q(x^2) for |x| < 0.625, else
// 1 - 2/(exp(2|x|) + 1) with exp by Cody-Waite reduction and a Pade form; +-1 beyond |x| = 22,
// NaN stays NaN, -0 stays -0. Relative error against std::tanh at most 5e-16 (tests/fast_math_test.cpp).
// The same operations in the same order on every compiler, so native and wasm agree bit for bit.
void tanh_in_place(double* x, std::ptrdiff_t n);

}  // namespace rnn_lesson
