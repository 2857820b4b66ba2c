// FastRnnForward (rnn.h): the float32 forward pass experiment 1 times. Only experiment 1 runs
// this; the gradient and retention experiments use the double TanhRnn::step and step_batch
// (rnn.cpp), whose numbers this file does not touch.
//
// The recurrence is written with GCC/Clang generic vectors (simd.h's `vector_size` types), not
// intrinsics, so the same source compiles for any target: 128-bit vectors map to SSE2 on x86-64
// and to SIMD128 under Emscripten with -msimd128 (scalar code without it). On x86-64 built with
// GCC or Clang, two more copies of the same template are compiled with function-level target
// attributes, AVX2+FMA and AVX2+FMA with AVX-512VL's registers, and chosen at run time only if
// the CPU has them (compile with -DRNN_LESSON_NO_AVX2_DISPATCH to leave both out).
//
// Measured at H=32, D=8, L=1000 on 2026-11-25 (an "AMD EPYC" machine, the kernels of then;
// bench/README.md, bench/run.sh): the earlier Eigen kernel 116 ns/step, the portable 128-bit
// kernel 120 (SSE2 without FMA is bound by multiply+add throughput either way), AVX2+FMA 52;
// at H=512: 23.0, 21.2, 11.9 us.
#include "core/blocks/rnn.h"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <utility>

#include "core/blocks/simd.h"
#include "core/blocks/tanh_approx.h"

namespace rnn_lesson {

namespace {

#ifdef RNN_SIMD_VECTORS  // GCC and Clang, including em++
#define RNN_FAST_VECTORS 1
#if (defined(__x86_64__) || defined(__i386__)) && !defined(__EMSCRIPTEN__) && !defined(RNN_LESSON_NO_AVX2_DISPATCH)
#define RNN_FAST_AVX2 1
#endif
#endif

struct Kernel {
  virtual ~Kernel() = default;
  virtual float run(const Eigen::MatrixXf& inputs, int length) = 0;
  virtual const char* name() const = 0;
  virtual Eigen::VectorXf state() const = 0;  // h after the last run: (H)
};

// The previous kernel, kept as the reference and for compilers without generic vectors:
// Eigen, compile-time sizes for the kata's shapes.
template <int H, int D>
struct EigenKernel : Kernel {
  using Vec = Eigen::Matrix<float, H, 1>;
  Eigen::Matrix<float, H, H> WhT;                  // (H, H): z = WhT h
  Eigen::Matrix<float, H, D> WxT;                  // (H, D)
  Eigen::Matrix<float, H, Eigen::Dynamic> inputs_projected;  // (H, L)
  Eigen::VectorXf last;                                       // (H): h after the last run

  EigenKernel(const TanhRnn& rnn)
      : WhT(rnn.Wh.transpose().cast<float>()), WxT(rnn.Wx.transpose().cast<float>()),
        last(Eigen::VectorXf::Zero(rnn.hidden_size())) {}

  float run(const Eigen::MatrixXf& inputs, int length) override {
    inputs_projected.noalias() = WxT * inputs.leftCols(length);  // parallel part: one GEMM
    Vec h = Vec::Zero(WhT.rows());
    Vec z(WhT.rows());
    for (int t = 0; t < length; ++t) {  // sequential part: each step needs the last
      z.noalias() = WhT * h;
      z += inputs_projected.col(t);
      h = z.array().tanh().matrix();
    }
    last = h;  // a copy of H floats per run, outside the timed loop's steps
    return h.sum();
  }
  const char* name() const override { return "eigen"; }
  Eigen::VectorXf state() const override { return last; }
};

std::unique_ptr<Kernel> make_eigen_kernel(const TanhRnn& rnn) {
  const int H = rnn.hidden_size(), D = rnn.input_size();
  if (H == 32 && D == 8) return std::make_unique<EigenKernel<32, 8>>(rnn);
  if (H == 16 && D == 4) return std::make_unique<EigenKernel<16, 4>>(rnn);
  return std::make_unique<EigenKernel<Eigen::Dynamic, Eigen::Dynamic>>(rnn);
}

#ifdef RNN_FAST_VECTORS

// The helpers are simd.h's (the -Wpsabi note for F8 is there too).
#define RNN_INLINE RNN_SIMD_INLINE
using simd::load;
using simd::splat;
using simd::store;
using Float4 = simd::F4;
#ifdef RNN_FAST_AVX2
using Float8 = simd::F8;
#endif

// tanh_approx: core/blocks/tanh_approx.h.

// One forward pass over padded, column-major float buffers (Hp is a multiple of the vector
// width N; padded rows are 0):
//   W     (Hp, Hp)  Wh^T, so z = W h
//   Wx    (Hp, D)   Wx^T
//   x     (D, >= length), column t at x + t * x_stride
//   panels the wide loop's copy of Wx^T and W (see pack_panels; else unused)
//   h, h_next: Hp floats each.
// Both loops go through rows in blocks of `Block` vectors (then single vectors, or a narrower
// last panel); each block runs over all columns j, its products split into `Sets` accumulator
// sets (by j mod Sets) so the add chains are shorter and keep the FP units busy. Every z starts from Wx^T x_t,
// summed over d from 0, then adds Wh^T h column by column. (The 128-bit kernel's floats are the
// same in either loop; the 256-bit kernels' wide loop splits even the last, narrower panel into
// sets where the narrow loop's single vectors use one, so its sums may differ in the last bits.)
constexpr int kPanelAbove = 64;  // Hp above this: the wide loop of forward()
constexpr int kPanelRows = 32;   // rows per panel of the wide loop: Block vectors of either width

struct Pass {
  const float* W;
  const float* Wx;
  const float* panels;
  const float* x;
  std::ptrdiff_t x_stride;
  int D, Hp, length;
  float* h;
  float* h_next;
};

// The wide loop's layout: rows r0 .. r0 + w of [Wx^T | W] (w = min(kPanelRows, Hp - r0)) as one
// contiguous stream, column after column, so a panel reads its weights in order. Wx, W: as in
// Pass; out: (Hp + D) * Hp floats.
void pack_panels(const Eigen::MatrixXf& W, const Eigen::MatrixXf& Wx, float* out) {
  const int Hp = static_cast<int>(W.rows()), D = static_cast<int>(Wx.cols());
  for (int r0 = 0; r0 < Hp; r0 += kPanelRows) {
    const int w = std::min(kPanelRows, Hp - r0);
    for (int d = 0; d < D; ++d, out += w) std::memcpy(out, Wx.col(d).data() + r0, sizeof(float) * w);
    for (int j = 0; j < Hp; ++j, out += w) std::memcpy(out, W.col(j).data() + r0, sizeof(float) * w);
  }
}

// The `Sets` partial sums of accumulator k, added pairwise: (a0 + a1) + (a2 + a3).
template <class V, int Sets, int Block>
RNN_INLINE V sum_sets(const V (&a)[Sets][Block], int k) {
  if constexpr (Sets == 1) return a[0][k];
  else if constexpr (Sets == 2) return a[0][k] + a[1][k];
  else return (a[0][k] + a[1][k]) + (a[2][k] + a[3][k]);
}

// One panel of the wide loop for one step: `Block` vectors of z from the panel's stream `w`
// (width Block * N), inputs x_t (D) then h (Hp); tanh(z) -> out.
template <class V, int Block, int Sets>
RNN_INLINE void panel_step(const float* w, const float* x_t, int D, const float* h, int Hp, float* out) {
  constexpr int N = sizeof(V) / sizeof(float), width = Block * N;
  V a[Sets][Block];
  for (int s = 0; s < Sets; ++s)
    for (int k = 0; k < Block; ++k) a[s][k] = V{};
  for (int d = 0; d < D; ++d, w += width) {
    const V xd = splat<V>(x_t[d]);
    for (int k = 0; k < Block; ++k) a[0][k] += load<V>(w + k * N) * xd;
  }
  for (int j = 0; j < Hp; j += Sets, w += Sets * width)
    for (int s = 0; s < Sets; ++s) {
      const V hj = splat<V>(h[j + s]);
      for (int k = 0; k < Block; ++k) a[s][k] += load<V>(w + s * width + k * N) * hj;
    }
  for (int k = 0; k < Block; ++k) store<V>(out + k * N, tanh_approx<V>(sum_sets<V, Sets>(a, k)));
}

// The last panel, `vectors` (< Block) wide.
template <class V, int Sets, int B = 1>
void tail_panel(int vectors, const float* w, const float* x_t, int D, const float* h, int Hp, float* out) {
  if constexpr (B * static_cast<int>(sizeof(V) / sizeof(float)) < kPanelRows) {
    if (vectors == B) panel_step<V, B, Sets>(w, x_t, D, h, Hp, out);
    else tail_panel<V, Sets, B + 1>(vectors, w, x_t, D, h, Hp, out);
  }
}

template <class V, int Block, int Sets>
RNN_INLINE float forward(const Pass& p) {
  constexpr int N = sizeof(V) / sizeof(float);
  static_assert(Sets == 1 || Sets == 2 || Sets == 4, "one, two or four accumulator sets");
  const int Hp = p.Hp, D = p.D;
  const float* W = p.W;

  float* h = p.h;
  float* h_next = p.h_next;
  for (int i = 0; i < Hp; ++i) h[i] = 0.0f;
  if (Hp > kPanelAbove) {
    // Wide (H > 64): panels of 32 rows, each one contiguous stream (pack_panels), its 32 sums
    // in registers over all D + Hp columns, then tanh and one store. Issue 15, H = 512, against
    // streaming W column by column through z in L1 (a load and a store of z per 4 columns, the
    // projection of all steps up front): bench/tfjs_step.js, 7 rounds, load 3.0-3.7, wasm in a
    // Chromium worker 27.7 -> 20.2 us/step (per-round ratio 0.70 [0.51-0.82]); native 128-bit
    // (clang -mavx) 21.8-22.5 -> 19.5-19.8. Panels of 48 rows (12 accumulators): in the same
    // Chromium run 1.27x slower than 32, natively 128-bit slower too (AVX2+FMA ~4% faster).
    static_assert(Block * N == kPanelRows, "a panel is one block");
    const int full = Hp / kPanelRows * kPanelRows;
    const std::ptrdiff_t stream = static_cast<std::ptrdiff_t>(D + Hp) * kPanelRows;
    for (int t = 0; t < p.length; ++t) {
      const float* x_t = p.x + t * p.x_stride;
      const float* w = p.panels;
      for (int r = 0; r < full; r += kPanelRows, w += stream) panel_step<V, Block, Sets>(w, x_t, D, h, Hp, h_next + r);
      if (full < Hp) tail_panel<V, Sets>((Hp - full) / N, w, x_t, D, h, Hp, h_next + full);
      std::swap(h, h_next);
    }
  } else {
    // Each step's input projection is computed in that step, into the block's registers: it
    // does not depend on h, so the CPU overlaps it with the previous step's chain, and no proj
    // is stored and read back. Issue 15, H = 32, against a projection pass first: the loop
    // alone in a Chromium worker 155 -> 133 ns/step (per-round ratio 0.86), natively with
    // 128-bit AVX encoding 116 -> 107; the whole kernel with simd.h's wasm vmin/vmax, one run of
    // bench/step_floor.js (9 rounds, load 2.5-3.1): wasm in a Chromium worker 216 -> 175 ns/step
    // (ratio 0.72), native 128-bit 222 -> 160 (0.76), AVX2+FMA 98 -> 75 (0.78).
    for (int t = 0; t < p.length; ++t) {
      const float* x_t = p.x + t * p.x_stride;
      int r = 0;
      for (; r + Block * N <= Hp; r += Block * N) {
        V a[Sets][Block];
        for (int s = 0; s < Sets; ++s)
          for (int k = 0; k < Block; ++k) a[s][k] = V{};
        for (int d = 0; d < D; ++d) {
          const float* wx = p.Wx + static_cast<std::ptrdiff_t>(d) * Hp + r;
          const V xd = splat<V>(x_t[d]);
          for (int k = 0; k < Block; ++k) a[0][k] += load<V>(wx + k * N) * xd;
        }
        for (int j = 0; j < Hp; j += Sets)
          for (int s = 0; s < Sets; ++s) {
            const float* w = W + static_cast<std::ptrdiff_t>(j + s) * Hp + r;
            const V hj = splat<V>(h[j + s]);
            for (int k = 0; k < Block; ++k) a[s][k] += load<V>(w + k * N) * hj;
          }
        for (int k = 0; k < Block; ++k) store<V>(h_next + r + k * N, tanh_approx<V>(sum_sets<V, Sets>(a, k)));
      }
      for (; r < Hp; r += N) {
        V a = V{};
        for (int d = 0; d < D; ++d) a += load<V>(p.Wx + static_cast<std::ptrdiff_t>(d) * Hp + r) * splat<V>(x_t[d]);
        for (int j = 0; j < Hp; ++j) a += load<V>(W + static_cast<std::ptrdiff_t>(j) * Hp + r) * splat<V>(h[j]);
        store<V>(h_next + r, tanh_approx<V>(a));
      }
      std::swap(h, h_next);
    }
  }
  float sum = 0.0f;
  for (int i = 0; i < Hp; ++i) sum += h[i];
  return sum;
}

// 128-bit vectors: 8 of them (32 rows) per block leave room in 16 registers.
float forward_portable(const Pass& p) { return forward<Float4, 8, 1>(p); }

#ifdef RNN_FAST_AVX2
// 256-bit vectors with FMA: 4 per block (32 rows), two accumulator sets.
__attribute__((target("avx2,fma"))) float forward_avx2(const Pass& p) { return forward<Float8, 4, 2>(p); }
// The same 256-bit kernel with four accumulator sets, for CPUs with AVX-512VL: its 32 vector
// registers (AVX2 has 16) hold the 16 accumulators, so each add chain is half as long without
// spilling. bench/run.sh three times in a row on 2026-12-04 (an "Intel Xeon" with AVX-512, load
// average under 1; bench/README.md, fourth look): H = 32 50-52 ns/step against 55-58 for
// AVX2+FMA, H = 128 748-1,024 ns against 1,128-1,135, H = 512 15.7 us against 17.5-17.7. In a
// quicker comparison under load, four sets on AVX2's 16 registers spilled (59 ns at H = 32) and
// 512-bit vectors were slower at every size (H = 512: 16-19 us against 11; 53-56 ns at H = 32).
__attribute__((target("avx2,fma,avx512f,avx512vl"))) float forward_avx512vl(const Pass& p) {
  return forward<Float8, 4, 4>(p);
}

bool cpu_has_avx2_fma() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}
bool cpu_has_avx512vl() {
  __builtin_cpu_init();
  return cpu_has_avx2_fma() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl");
}
#endif

// H is padded with zeros up to a multiple of 8 (the widest vector): padded rows of Wh^T and
// Wx^T are 0, so the padded units stay tanh(0) = 0 and change nothing.
struct VectorKernel : Kernel {
  int H, D, Hp;
  float (*forward_fn)(const Pass&);
  const char* kernel_name;
  Eigen::MatrixXf W;         // (Hp, Hp) = Wh^T, zero-padded
  Eigen::MatrixXf Wx;        // (Hp, D) = Wx^T, zero-padded
  Eigen::VectorXf panels;    // (Hp + D) * Hp: the wide loop's copy of Wx and W (H > 64)
  Eigen::VectorXf h_buffer;  // 2 Hp
  int last_offset = 0;       // where in h_buffer the last run's final h is (0 or Hp)

  VectorKernel(const TanhRnn& rnn, float (*forward)(const Pass&), const char* name)
      : H(rnn.hidden_size()), D(rnn.input_size()), Hp((rnn.hidden_size() + 7) / 8 * 8), forward_fn(forward),
        kernel_name(name) {
    W = Eigen::MatrixXf::Zero(Hp, Hp);
    W.topLeftCorner(H, H) = rnn.Wh.transpose().cast<float>();
    Wx = Eigen::MatrixXf::Zero(Hp, D);
    Wx.topRows(H) = rnn.Wx.transpose().cast<float>();
    h_buffer = Eigen::VectorXf::Zero(2 * Hp);
    if (Hp > kPanelAbove) {
      panels.resize(static_cast<Eigen::Index>(Hp + D) * Hp);
      pack_panels(W, Wx, panels.data());
    }
  }

  float run(const Eigen::MatrixXf& inputs, int length) override {
    const Pass pass{W.data(), Wx.data(), panels.data(), inputs.data(), inputs.outerStride(), D, Hp, length,
                    h_buffer.data(), h_buffer.data() + Hp};
    // forward() swaps h and h_next once per step (both loops), so after an odd number of
    // steps the final state is in the second half of h_buffer.
    last_offset = length % 2 == 0 ? 0 : Hp;
    return forward_fn(pass);
  }
  const char* name() const override { return kernel_name; }
  Eigen::VectorXf state() const override { return h_buffer.segment(last_offset, H); }
};

#endif  // RNN_FAST_VECTORS

}  // namespace

struct FastRnnForward::Impl {
  std::unique_ptr<Kernel> kernel;
};

FastRnnForward::FastRnnForward(const TanhRnn& rnn, Variant variant) : impl_(new Impl) {
#ifdef RNN_FAST_VECTORS
  if (variant != Variant::Eigen) {
    float (*forward)(const Pass&) = forward_portable;
    const char* name = "vector128";
#ifdef RNN_FAST_AVX2
    if (variant == Variant::Best && cpu_has_avx512vl()) {
      forward = forward_avx512vl;
      name = "avx512vl-fma";
    } else if ((variant == Variant::Best || variant == Variant::Avx2) && cpu_has_avx2_fma()) {
      forward = forward_avx2;
      name = "avx2-fma";
    }
#endif
    impl_->kernel = std::make_unique<VectorKernel>(rnn, forward, name);
    return;
  }
#else
  (void)variant;
#endif
  impl_->kernel = make_eigen_kernel(rnn);
}

FastRnnForward::~FastRnnForward() { delete impl_; }

float FastRnnForward::run(const Eigen::MatrixXf& inputs, int length) { return impl_->kernel->run(inputs, length); }

const char* FastRnnForward::kernel_name() const { return impl_->kernel->name(); }

Eigen::VectorXf FastRnnForward::state() const { return impl_->kernel->state(); }

}  // namespace rnn_lesson
