// WebAssembly SIMD128 vectors: 4 floats / 2 doubles in a v128, and one-lane types that run
// the same instructions on lane 0 (so a tail lane rounds exactly like a wide lane, which
// matters when fmadd is the relaxed, possibly fused, madd). See vec.h for the contract.
// Included inside the target's namespace by vec.h (which includes <wasm_simd128.h>).
//
// SKK_WASM_FUSED 1 (vec-wasm-relaxed.h): fmadd is f32x4/f64x2.relaxed_madd, fused where the
// CPU has FMA. Never relaxed min/max (their NaN and -0 results are implementation-defined).
// vmax / vmin are pmax / pmin with swapped operands, which is exactly the x86 rule the kernels
// rely on (the second operand when either is NaN) and costs one instruction in V8, where
// f32x4.max costs about eight.

#ifndef SKK_WASM_FUSED
#define SKK_WASM_FUSED 0
#endif

template <class TT, int WW, bool Fused>
struct WVec {
  using T = TT;
  static constexpr int W = WW;
  static constexpr bool kFma = Fused;
  static constexpr bool kLut16 = false;
  static constexpr bool kMaskedParts = false;
  static constexpr bool kF32 = sizeof(TT) == 4;
  struct Mask {
    v128_t m;
  };
  // `v[l]` reads lane l (math.h reads one-lane results as `.v[0]`).
  struct Lanes {
    v128_t r;
    T operator[](int l) const {
      T buf[16 / sizeof(T)];
      wasm_v128_store(buf, r);
      return buf[l];
    }
  };
  Lanes v;

  static WVec of(v128_t r) { return WVec{Lanes{r}}; }
  static WVec load(const T *p) {
    if (W * sizeof(T) == 16) return of(wasm_v128_load(p));
    if (kF32) return of(wasm_v128_load32_zero(p));
    return of(wasm_v128_load64_zero(p));
  }
  static void store(T *p, WVec a) {
    if (W * sizeof(T) == 16) wasm_v128_store(p, a.v.r);
    else if (kF32) wasm_v128_store32_lane(p, a.v.r, 0);
    else wasm_v128_store64_lane(p, a.v.r, 0);
  }
  static void stream(T *p, WVec a) { store(p, a); }
  // The empty asm hides a constant's value from the optimiser, so it becomes a splat that
  // loop-invariant code motion hoists out of the loop, rather than a v128.const rebuilt on every
  // iteration (V8 materialises each v128.const with several instructions).
  static WVec set1(T x) {
    __asm__("" : "+r"(x));
    if (kF32) return of(wasm_f32x4_splat(static_cast<float>(x)));
    return of(wasm_f64x2_splat(static_cast<double>(x)));
  }
  static Mask mask_from_bytes(const uint8_t *b) {
    if (W == 1) return {wasm_i32x4_splat(b[0] != 0 ? -1 : 0)};
    if (kF32) {
      v128_t bytes = wasm_v128_load32_zero(b);
      v128_t lanes = wasm_u32x4_extend_low_u16x8(wasm_u16x8_extend_low_u8x16(bytes));
      return {wasm_i32x4_ne(lanes, wasm_i32x4_splat(0))};
    }
    return {wasm_i64x2_make(b[0] != 0 ? -1 : 0, b[1] != 0 ? -1 : 0)};
  }
  // t = n + 127 + 1.5 * 2^23 (float) or n + 1023 + 1.5 * 2^52 (double): 2^n (see vec.h).
  static WVec pow2n(WVec t) { return of(kF32 ? wasm_i32x4_shl(t.v.r, 23) : wasm_i64x2_shl(t.v.r, 52)); }
};

template <class T, int W, bool F>
inline WVec<T, W, F> operator+(WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_add(a.v.r, b.v.r) : wasm_f64x2_add(a.v.r, b.v.r));
}
template <class T, int W, bool F>
inline WVec<T, W, F> operator-(WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_sub(a.v.r, b.v.r) : wasm_f64x2_sub(a.v.r, b.v.r));
}
template <class T, int W, bool F>
inline WVec<T, W, F> operator*(WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_mul(a.v.r, b.v.r) : wasm_f64x2_mul(a.v.r, b.v.r));
}
template <class T, int W, bool F>
inline WVec<T, W, F> fmadd(WVec<T, W, F> a, WVec<T, W, F> b, WVec<T, W, F> c) {
#if SKK_WASM_FUSED
  if (F) {
    return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_relaxed_madd(a.v.r, b.v.r, c.v.r)
                                            : wasm_f64x2_relaxed_madd(a.v.r, b.v.r, c.v.r));
  }
#endif
  return a * b + c;
}
// x86 max(a, b) = a > b ? a : b = pmax(b, a); x86 min(a, b) = a < b ? a : b = pmin(b, a).
template <class T, int W, bool F>
inline WVec<T, W, F> vmax(WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_pmax(b.v.r, a.v.r) : wasm_f64x2_pmax(b.v.r, a.v.r));
}
template <class T, int W, bool F>
inline WVec<T, W, F> vmin(WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(sizeof(T) == 4 ? wasm_f32x4_pmin(b.v.r, a.v.r) : wasm_f64x2_pmin(b.v.r, a.v.r));
}
template <class T, int W, bool F>
inline typename WVec<T, W, F>::Mask lt(WVec<T, W, F> a, WVec<T, W, F> b) {
  return {sizeof(T) == 4 ? wasm_f32x4_lt(a.v.r, b.v.r) : wasm_f64x2_lt(a.v.r, b.v.r)};
}
template <class T, int W, bool F>
inline typename WVec<T, W, F>::Mask eq(WVec<T, W, F> a, WVec<T, W, F> b) {
  return {sizeof(T) == 4 ? wasm_f32x4_eq(a.v.r, b.v.r) : wasm_f64x2_eq(a.v.r, b.v.r)};
}
template <class M>
inline M mand(M a, M b) {
  return {wasm_v128_and(a.m, b.m)};
}
template <class M>
inline M mnot(M a) {
  return {wasm_v128_not(a.m)};
}
// Only the type's own lanes count (a one-lane type ignores lanes 1..).
template <class T, int W, bool F>
inline bool any_lane(typename WVec<T, W, F>::Mask a) {
  if (W * sizeof(T) == 16) return wasm_v128_any_true(a.m);
  return sizeof(T) == 4 ? wasm_i32x4_extract_lane(a.m, 0) != 0 : wasm_i64x2_extract_lane(a.m, 0) != 0;
}
template <class T, int W, bool F>
inline WVec<T, W, F> select(typename WVec<T, W, F>::Mask m, WVec<T, W, F> a, WVec<T, W, F> b) {
  return WVec<T, W, F>::of(wasm_v128_bitselect(a.v.r, b.v.r, m.m));
}
template <class T, int W, bool F>
inline T reduce_max(WVec<T, W, F> a) {
  using V = WVec<T, W, F>;
  if (sizeof(T) == 4 && W == 4) {
    V h = vmax(a, V::of(wasm_i32x4_shuffle(a.v.r, a.v.r, 2, 3, 0, 1)));
    h = vmax(h, V::of(wasm_i32x4_shuffle(h.v.r, h.v.r, 1, 0, 3, 2)));
    return wasm_f32x4_extract_lane(h.v.r, 0);
  }
  if (sizeof(T) == 8 && W == 2) {
    V h = vmax(a, V::of(wasm_i64x2_shuffle(a.v.r, a.v.r, 1, 0)));
    return static_cast<T>(wasm_f64x2_extract_lane(h.v.r, 0));
  }
  return a.v[0];
}
template <class T, int W, bool F>
inline double reduce_sum_f64(WVec<T, W, F> a) {
  if (sizeof(T) == 4 && W == 4) {
    v128_t lo = wasm_f64x2_promote_low_f32x4(a.v.r);
    v128_t hi = wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(a.v.r, a.v.r, 2, 3, 0, 1));
    v128_t s = wasm_f64x2_add(lo, hi);
    return wasm_f64x2_extract_lane(s, 0) + wasm_f64x2_extract_lane(s, 1);
  }
  if (sizeof(T) == 8 && W == 2) return wasm_f64x2_extract_lane(a.v.r, 0) + wasm_f64x2_extract_lane(a.v.r, 1);
  return static_cast<double>(a.v[0]);
}

using VF = WVec<float, 4, SKK_WASM_FUSED>;
using VD = WVec<double, 2, SKK_WASM_FUSED>;
using F1 = WVec<float, 1, SKK_WASM_FUSED>;
using D1 = WVec<double, 1, SKK_WASM_FUSED>;

inline bool any(VF::Mask a) { return any_lane<float, 4, SKK_WASM_FUSED>(a); }
inline bool any(VD::Mask a) { return any_lane<double, 2, SKK_WASM_FUSED>(a); }
inline bool any(F1::Mask a) { return any_lane<float, 1, SKK_WASM_FUSED>(a); }
inline bool any(D1::Mask a) { return any_lane<double, 1, SKK_WASM_FUSED>(a); }

// exp for float lanes, one instruction shorter than math.h's generic one where V8 pays for
// every instruction: the same reduction and degree-5 polynomial (XNNPACK's rr2-p5 constants),
// with only the lower clamp. At -127 ln2 the exponent field of 2^n is all zeros, so clamped
// lanes (and -Infinity) give exactly 0; vmax keeps a NaN x; math.h only promises x <= 88, so
// no upper clamp. Chosen over math.h's template by partial ordering.
template <int W, bool F>
inline WVec<float, W, F> vexp(WVec<float, W, F> x, float) {
  using V = WVec<float, W, F>;
  const V xc = vmax(V::set1(-88.0296919311f), x);
  const V magic = V::set1(12583039.0f);  // 1.5 * 2^23 + 127: rounds to n + 127 in the low bits
  V t = fmadd(xc, V::set1(1.44269504088896341f), magic);
  V n = t - magic;
  V r = fmadd(n, V::set1(-0.693359375f), xc);
  r = fmadd(n, V::set1(2.12194440e-4f), r);
  V p = fmadd(V::set1(0x1.0F9F9Cp-7f), r, V::set1(0x1.573A1Ap-5f));
  p = fmadd(p, r, V::set1(0x1.555A80p-3f));
  p = fmadd(p, r, V::set1(0x1.FFFDC6p-2f));
  p = fmadd(p, r, V::set1(0x1.FFFFF6p-1f));
  const V s = V::pow2n(t);
  return fmadd(r * s, p, s);
}
