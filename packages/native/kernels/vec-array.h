// Portable vectors as small arrays: the baseline target (W lanes of plain arithmetic that a
// compiler may auto-vectorise) and the one-lane types every target uses for scalar tails.
// kFma: fmadd is fused (must match the wide vectors of the same target lane for lane, so a
// slice's result never depends on whether it ran in a wide lane or a one-lane tail).

template <int WW>
struct ArrMask {
  bool m[WW];
};

template <class TT, int WW, bool Fused>
struct Arr {
  using T = TT;
  using Mask = ArrMask<WW>;
  static constexpr int W = WW;
  static constexpr bool kFma = Fused;
  static constexpr bool kLut16 = SKK_EXP_LUT16 && sizeof(TT) == 4;
  static constexpr bool kMaskedParts = false;
  T v[WW];
  static Arr load(const T *p) {
    Arr r;
    for (int l = 0; l < WW; l++) r.v[l] = p[l];
    return r;
  }
  static void store(T *p, Arr a) {
    for (int l = 0; l < WW; l++) p[l] = a.v[l];
  }
  static void stream(T *p, Arr a) { store(p, a); }
  static Arr set1(T x) {
    Arr r;
    for (int l = 0; l < WW; l++) r.v[l] = x;
    return r;
  }
  static Mask mask_from_bytes(const uint8_t *b) {
    Mask r;
    for (int l = 0; l < WW; l++) r.m[l] = b[l] != 0;
    return r;
  }
  static Arr exp2_k16(Arr t) {
    Arr r;
    for (int l = 0; l < WW; l++) {
      uint32_t bits;
      __builtin_memcpy(&bits, &t.v[l], 4);
      bits = kExp2KOver16[bits & 15] + (bits << 19);
      __builtin_memcpy(&r.v[l], &bits, 4);
    }
    return r;
  }
  // t = n + 127 + 1.5 * 2^23 (float) or n + 1023 + 1.5 * 2^52 (double): 2^n (see vec.h).
  static Arr pow2n(Arr t) {
    Arr r;
    for (int l = 0; l < WW; l++) {
      if (sizeof(T) == 4) {
        uint32_t bits;
        __builtin_memcpy(&bits, &t.v[l], 4);
        bits = bits << 23;
        __builtin_memcpy(&r.v[l], &bits, 4);
      } else {
        uint64_t bits;
        __builtin_memcpy(&bits, &t.v[l], 8);
        bits = bits << 52;
        __builtin_memcpy(&r.v[l], &bits, 8);
      }
    }
    return r;
  }
};

#define SKK_ARR_BINARY(name, expr)                                              \
  template <class T, int W, bool F>                                             \
  inline Arr<T, W, F> name(Arr<T, W, F> a, Arr<T, W, F> b) {                    \
    Arr<T, W, F> r;                                                             \
    for (int l = 0; l < W; l++) r.v[l] = expr;                                  \
    return r;                                                                   \
  }
SKK_ARR_BINARY(operator+, a.v[l] + b.v[l])
SKK_ARR_BINARY(operator-, a.v[l] - b.v[l])
SKK_ARR_BINARY(operator*, a.v[l] * b.v[l])
// x86 semantics: the second operand when either is NaN (so vmax(lo, x) keeps a NaN x).
SKK_ARR_BINARY(vmax, a.v[l] > b.v[l] ? a.v[l] : b.v[l])
SKK_ARR_BINARY(vmin, a.v[l] < b.v[l] ? a.v[l] : b.v[l])
#undef SKK_ARR_BINARY

template <class T, int W, bool F>
inline Arr<T, W, F> fmadd(Arr<T, W, F> a, Arr<T, W, F> b, Arr<T, W, F> c) {
  Arr<T, W, F> r;
  for (int l = 0; l < W; l++) {
    if (F) {
      r.v[l] = sizeof(T) == 4 ? __builtin_fmaf(a.v[l], b.v[l], c.v[l]) : __builtin_fma(a.v[l], b.v[l], c.v[l]);
    } else {
      r.v[l] = a.v[l] * b.v[l] + c.v[l];
    }
  }
  return r;
}
template <class T, int W, bool F>
inline ArrMask<W> lt(Arr<T, W, F> a, Arr<T, W, F> b) {
  ArrMask<W> r;
  for (int l = 0; l < W; l++) r.m[l] = a.v[l] < b.v[l];
  return r;
}
template <class T, int W, bool F>
inline ArrMask<W> eq(Arr<T, W, F> a, Arr<T, W, F> b) {
  ArrMask<W> r;
  for (int l = 0; l < W; l++) r.m[l] = a.v[l] == b.v[l];
  return r;
}
template <int W>
inline ArrMask<W> mand(ArrMask<W> a, ArrMask<W> b) {
  for (int l = 0; l < W; l++) a.m[l] = a.m[l] && b.m[l];
  return a;
}
template <int W>
inline ArrMask<W> mnot(ArrMask<W> a) {
  for (int l = 0; l < W; l++) a.m[l] = !a.m[l];
  return a;
}
template <int W>
inline bool any(ArrMask<W> a) {
  bool r = false;
  for (int l = 0; l < W; l++) r = r || a.m[l];
  return r;
}
template <class T, int W, bool F>
inline Arr<T, W, F> select(ArrMask<W> m, Arr<T, W, F> a, Arr<T, W, F> b) {
  Arr<T, W, F> r;
  for (int l = 0; l < W; l++) r.v[l] = m.m[l] ? a.v[l] : b.v[l];
  return r;
}
template <class T, int W, bool F>
inline T reduce_max(Arr<T, W, F> a) {
  T m = a.v[0];
  for (int l = 1; l < W; l++) m = m > a.v[l] ? m : a.v[l];
  return m;
}
template <class T, int W, bool F>
inline double reduce_sum_f64(Arr<T, W, F> a) {
  double s = a.v[0];
  for (int l = 1; l < W; l++) s += static_cast<double>(a.v[l]);
  return s;
}
