// The vector abstraction every kernel is written over, and the choice of target.
//
// Compile each kernel .cc once per target with exactly one of
//   SKK_ISA_AVX512 (-mavx512f -mavx2 -mfma), SKK_ISA_AVX2 (-mavx2 -mfma), SKK_ISA_SCALAR,
//   SKK_ISA_WASM (-msimd128), SKK_ISA_WASM_RELAXED (-msimd128 -mrelaxed-simd)
// defined. Everything lands in a namespace of its own (skk_<isa>), so the same inline
// function compiled with different -m flags never merges across targets at link time, and
// the C entry points are named skk_<isa>_<op>_<dtype> (SKK_ENTRY).
//
// A target provides, inside the namespace, four vector types with the same interface:
//   VF (float lanes), VD (double lanes), F1, D1 (one lane each, for tails and strided slices).
// F1 / D1 must round exactly like one lane of VF / VD (same fused or unfused fmadd), so that a
// slice gives the same bits whether it ran in a wide lane or a one-lane tail.
// The target also defines stream_fence() (sfence on x86, nothing where stream is a plain store).
// Interface of a vector type V (T = float or double, W lanes, Mask a lane predicate):
//   V::load(const T*), V::store(T*, V), V::stream(T*, V) (p aligned to W * sizeof(T); a
//   non-temporal store, or a plain one), V::set1(T),
//   V::mask_from_bytes(const uint8_t* b) (lane l on iff b[l] != 0; reads exactly W bytes),
//   V::pow2n(V t) (t = n + 127 + 1.5 * 2^23 for float, n + 1023 + 1.5 * 2^52 for double, n an
//   integer in [-127, 127] (float) / [-1023, 1023] (double): the biased exponent sits in the
//   low bits, so bits(t) << 23 (<< 52) is 2^n, one shift and no add, and exactly +0 for the
//   lowest n: vexp relies on that),
//   V::kLut16 and, where true (float), V::exp2_k16(V t): for bits(t) = bits(1.5 * 2^19) + m,
//   m = 16 n + k an integer with n in the normal range, returns 2^(m/16) as
//   kExp2KOver16[k] + (bits(t) << 19) (bits(1.5 * 2^19) << 19 wraps to 0),
//   a + b, a - b, a * b, fmadd(a, b, c) = a * b + c, vmax(a, b) / vmin(a, b) (x86 semantics:
//   b when either is NaN), lt(a, b), eq(a, b) -> Mask (false on NaN), mand, mnot, any(Mask),
//   select(m, a, b) = m ? a : b, reduce_max(V) -> T, reduce_sum_f64(V) -> double; and where
//   stream is non-temporal (kNonTemporalStores), V::splice(a, b, k): a's lanes [0, k), then b's
//   lanes from 0 on (0 <= k < W); and where kMaskedParts, V::load_n(p, count, fill) (lanes past
//   count are fill and never read) and V::store_n(p, V, count) (0 < count <= W).
#ifndef SKK_VEC_H
#define SKK_VEC_H

#include <stddef.h>
#include <stdint.h>

#include "include/softmax-kit-kernels.h"

#if defined(SKK_ISA_AVX512)
#include <immintrin.h>
#define SKK_ISA_NAME avx512
#define SKK_NS skk_avx512
#elif defined(SKK_ISA_AVX2)
#include <immintrin.h>
#define SKK_ISA_NAME avx2
#define SKK_NS skk_avx2
#elif defined(SKK_ISA_SCALAR)
#define SKK_ISA_NAME scalar
#define SKK_NS skk_scalar
#elif defined(SKK_ISA_WASM)
#include <wasm_simd128.h>
#define SKK_ISA_NAME wasm
#define SKK_NS skk_wasm
#elif defined(SKK_ISA_WASM_RELAXED)
#include <wasm_simd128.h>
#define SKK_ISA_NAME wasmrelaxed
#define SKK_NS skk_wasmrelaxed
#else
#error "define one SKK_ISA_* (see vec.h)"
#endif

// Per-row functions the entry loops call: inlined, so a row's mask slice never goes through
// memory (a wasm32 struct argument is passed through the stack, and its 16-byte copy after two
// narrower stores stalls store forwarding on x86, about 12% of a 131072x32 softmax).
#define SKK_ROW_FN inline __attribute__((always_inline))

#define SKK_PASTE3(a, b, c) a##b##c
#define SKK_EXPAND3(a, b, c) SKK_PASTE3(a, b, c)
#define SKK_ENTRY(name) SKK_EXPAND3(skk_, SKK_ISA_NAME, _##name)

#if defined(SKK_ISA_AVX512)
#define SKK_EXP_LUT16 1
#else
#define SKK_EXP_LUT16 0
#endif

namespace SKK_NS {

// bits(2^(k/16)) - (k << 19), k = 0..15: the table of the float exp on targets with a 16-lane
// permute (V::kLut16). Adding (m << 19), m = 16 n + k, gives bits(2^(m/16)) (see math.h).
alignas(64) constexpr uint32_t kExp2KOver16[16] = {
    0x3f800000, 0x3f7daac3, 0x3f7b95c2, 0x3f79c3d3, 0x3f7837f0, 0x3f76f532, 0x3f75fed7, 0x3f75583f,
    0x3f7504f3, 0x3f7508a4, 0x3f75672a, 0x3f76248c, 0x3f7744fd, 0x3f78ccdf, 0x3f7ac0c7, 0x3f7d257d};

#include "vec-array.h"

#if defined(SKK_ISA_AVX512)
#include "vec-avx512.h"
using F1 = Arr<float, 1, true>;
using D1 = Arr<double, 1, true>;
#elif defined(SKK_ISA_AVX2)
#include "vec-avx2.h"
using F1 = Arr<float, 1, true>;
using D1 = Arr<double, 1, true>;
#elif defined(SKK_ISA_SCALAR)
using VF = Arr<float, 4, false>;
using VD = Arr<double, 2, false>;
using F1 = Arr<float, 1, false>;
using D1 = Arr<double, 1, false>;
inline void stream_fence() {}
#elif defined(SKK_ISA_WASM)
#include "vec-wasm-simd128.h"
inline void stream_fence() {}
#elif defined(SKK_ISA_WASM_RELAXED)
#include "vec-wasm-relaxed.h"
inline void stream_fence() {}
#endif

// The wide and one-lane vector types of one element type.
template <class T>
struct Vecs;
template <>
struct Vecs<float> {
  using Wide = VF;
  using One = F1;
  static constexpr int64_t kChunk = SKK_CHUNK_F32;
};
template <>
struct Vecs<double> {
  using Wide = VD;
  using One = D1;
  static constexpr int64_t kChunk = SKK_CHUNK_F64;
};

}  // namespace SKK_NS

#endif
