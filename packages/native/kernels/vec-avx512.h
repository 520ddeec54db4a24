// AVX-512F vectors: 16 floats / 8 doubles. See vec.h for the contract every target provides.

struct VF {
  using T = float;
  struct Mask {
    __mmask16 m;
  };
  static constexpr int W = 16;
  static constexpr bool kFma = true;
  static constexpr bool kLut16 = true;
  static constexpr bool kMaskedParts = true;
  __m512 v;
  static VF load(const float *p) { return {_mm512_loadu_ps(p)}; }
  static void store(float *p, VF a) { _mm512_storeu_ps(p, a.v); }
  // The first `count` lanes (0 < count <= W) from p, the rest `fill`; masked lanes never fault.
  static VF load_n(const float *p, int64_t count, float fill) {
    return {_mm512_mask_loadu_ps(_mm512_set1_ps(fill), static_cast<__mmask16>((1u << count) - 1), p)};
  }
  static void store_n(float *p, VF a, int64_t count) {
    _mm512_mask_storeu_ps(p, static_cast<__mmask16>((1u << count) - 1), a.v);
  }
  // p aligned to the vector's size: a non-temporal store (bypasses the cache).
  static void stream(float *p, VF a) { _mm512_stream_ps(p, a.v); }
  // a's lanes [0, k), then b's from lane 0 on (0 <= k < W): StreamCarry joins two rows' lanes.
  static VF splice(VF a, VF b, int64_t k) {
    const __m512i from = _mm512_sub_epi32(_mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                          _mm512_set1_epi32(static_cast<int>(k)));
    const __mmask16 low = static_cast<__mmask16>((1u << k) - 1);
    return {_mm512_mask_blend_ps(low, _mm512_permutexvar_ps(from, b.v), a.v)};
  }
  static VF set1(float x) { return {_mm512_set1_ps(x)}; }
  static Mask mask_from_bytes(const uint8_t *b) {
    __m512i lanes = _mm512_cvtepu8_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i *>(b)));
    return {_mm512_test_epi32_mask(lanes, lanes)};
  }
  static VF exp2_k16(VF t) {
    const __m512i bits = _mm512_castps_si512(t.v);
    const __m512i table = _mm512_load_si512(kExp2KOver16);
    return {_mm512_castsi512_ps(_mm512_add_epi32(_mm512_permutexvar_epi32(bits, table), _mm512_slli_epi32(bits, 19)))};
  }
  // t = n + 127 + 1.5 * 2^23 with integer n in [-127, 127]: returns 2^n (see vec.h).
  static VF pow2n(VF t) { return {_mm512_castsi512_ps(_mm512_slli_epi32(_mm512_castps_si512(t.v), 23))}; }
};
inline VF operator+(VF a, VF b) { return {_mm512_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm512_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm512_mul_ps(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {_mm512_fmadd_ps(a.v, b.v, c.v)}; }
inline VF vmax(VF a, VF b) { return {_mm512_max_ps(a.v, b.v)}; }
inline VF vmin(VF a, VF b) { return {_mm512_min_ps(a.v, b.v)}; }
inline VF::Mask lt(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline VF::Mask eq(VF a, VF b) { return {_mm512_cmp_ps_mask(a.v, b.v, _CMP_EQ_OQ)}; }
inline VF::Mask mand(VF::Mask a, VF::Mask b) { return {static_cast<__mmask16>(a.m & b.m)}; }
inline VF::Mask mnot(VF::Mask a) { return {static_cast<__mmask16>(~a.m)}; }
inline bool any(VF::Mask a) { return a.m != 0; }
inline VF select(VF::Mask m, VF a, VF b) { return {_mm512_mask_blend_ps(m.m, b.v, a.v)}; }
inline float reduce_max(VF a) {
  __m256 h = _mm256_max_ps(_mm512_castps512_ps256(a.v),
                           _mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a.v), 1)));
  __m128 q = _mm_max_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
  q = _mm_max_ps(q, _mm_movehl_ps(q, q));
  q = _mm_max_ss(q, _mm_shuffle_ps(q, q, 1));
  return _mm_cvtss_f32(q);
}
inline double reduce_sum_f64(VF a) {
  __m512d lo = _mm512_cvtps_pd(_mm512_castps512_ps256(a.v));
  __m512d hi = _mm512_cvtps_pd(_mm256_castpd_ps(_mm512_extractf64x4_pd(_mm512_castps_pd(a.v), 1)));
  __m512d s = _mm512_add_pd(lo, hi);
  __m256d q = _mm256_add_pd(_mm512_castpd512_pd256(s), _mm512_extractf64x4_pd(s, 1));
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(q), _mm256_extractf128_pd(q, 1));
  return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

struct VD {
  using T = double;
  struct Mask {
    __mmask8 m;
  };
  static constexpr int W = 8;
  static constexpr bool kFma = true;
  static constexpr bool kLut16 = false;
  static constexpr bool kMaskedParts = true;
  __m512d v;
  static VD load(const double *p) { return {_mm512_loadu_pd(p)}; }
  static void store(double *p, VD a) { _mm512_storeu_pd(p, a.v); }
  static VD load_n(const double *p, int64_t count, double fill) {
    return {_mm512_mask_loadu_pd(_mm512_set1_pd(fill), static_cast<__mmask8>((1u << count) - 1), p)};
  }
  static void store_n(double *p, VD a, int64_t count) {
    _mm512_mask_storeu_pd(p, static_cast<__mmask8>((1u << count) - 1), a.v);
  }
  static void stream(double *p, VD a) { _mm512_stream_pd(p, a.v); }
  static VD splice(VD a, VD b, int64_t k) {
    const __m512i from = _mm512_sub_epi64(_mm512_setr_epi64(0, 1, 2, 3, 4, 5, 6, 7), _mm512_set1_epi64(k));
    const __mmask8 low = static_cast<__mmask8>((1u << k) - 1);
    return {_mm512_mask_blend_pd(low, _mm512_permutexvar_pd(from, b.v), a.v)};
  }
  static VD set1(double x) { return {_mm512_set1_pd(x)}; }
  static Mask mask_from_bytes(const uint8_t *b) {
    __m512i lanes = _mm512_cvtepu8_epi64(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(b)));
    return {_mm512_test_epi64_mask(lanes, lanes)};
  }
  // t = n + 1023 + 1.5 * 2^52 with integer n in [-1023, 1023]: returns 2^n (see vec.h).
  static VD pow2n(VD t) { return {_mm512_castsi512_pd(_mm512_slli_epi64(_mm512_castpd_si512(t.v), 52))}; }
};
inline VD operator+(VD a, VD b) { return {_mm512_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm512_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm512_mul_pd(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {_mm512_fmadd_pd(a.v, b.v, c.v)}; }
inline VD vmax(VD a, VD b) { return {_mm512_max_pd(a.v, b.v)}; }
inline VD vmin(VD a, VD b) { return {_mm512_min_pd(a.v, b.v)}; }
inline VD::Mask lt(VD a, VD b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_LT_OQ)}; }
inline VD::Mask eq(VD a, VD b) { return {_mm512_cmp_pd_mask(a.v, b.v, _CMP_EQ_OQ)}; }
inline VD::Mask mand(VD::Mask a, VD::Mask b) { return {static_cast<__mmask8>(a.m & b.m)}; }
inline VD::Mask mnot(VD::Mask a) { return {static_cast<__mmask8>(~a.m)}; }
inline bool any(VD::Mask a) { return a.m != 0; }
inline VD select(VD::Mask m, VD a, VD b) { return {_mm512_mask_blend_pd(m.m, b.v, a.v)}; }
inline double reduce_max(VD a) {
  __m256d q = _mm256_max_pd(_mm512_castpd512_pd256(a.v), _mm512_extractf64x4_pd(a.v, 1));
  __m128d h = _mm_max_pd(_mm256_castpd256_pd128(q), _mm256_extractf128_pd(q, 1));
  return _mm_cvtsd_f64(_mm_max_sd(h, _mm_unpackhi_pd(h, h)));
}
inline double reduce_sum_f64(VD a) {
  __m256d q = _mm256_add_pd(_mm512_castpd512_pd256(a.v), _mm512_extractf64x4_pd(a.v, 1));
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(q), _mm256_extractf128_pd(q, 1));
  return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

// Orders this thread's non-temporal stores before anything it does next (another thread
// reading the output after the pool hands the result back).
inline void stream_fence() { _mm_sfence(); }
