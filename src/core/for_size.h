// RNN_LESSON_FOR_SIZE marks a function that runs once per call of an experiment (a parameter
// table, a validate(), a driver whose time is spent in the out-of-line kernels it calls). In
// the WebAssembly module it is compiled for size (clang's minsize, on that function alone):
// Eigen's expressions are not inlined, unrolled and vectorised into it, while the kernels it
// calls keep their -O3 code. Natively it is empty. Caveat: a helper called only from a marked
// function is inlined into it and so compiled for size too (marking run_memory made memory 1.7x
// slower that way): give a hot helper of a marked function `noinline`, or do not mark it. Why not -Os on whole files: see the
// EMSCRIPTEN block of CMakeLists.txt (measured, issue 15).
#pragma once

#if defined(__wasm__) && defined(__clang__)
#define RNN_LESSON_FOR_SIZE __attribute__((minsize))
#else
#define RNN_LESSON_FOR_SIZE
#endif
