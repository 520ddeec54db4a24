// AVX2 + FMA vectors: 8 floats / 4 doubles. See vec.h for the contract every target provides.

struct VF {
  using T = float;
  struct Mask {
    __m256 m;
  };
  static constexpr int W = 8;
  static constexpr bool kFma = true;
  static constexpr bool kLut16 = false;
  static constexpr bool kMaskedParts = true;
  __m256 v;
  static VF load(const float *p) { return {_mm256_loadu_ps(p)}; }
  static void store(float *p, VF a) { _mm256_storeu_ps(p, a.v); }
  // The first `count` lanes (0 < count <= W) from p, the rest `fill`; masked lanes never fault.
  static __m256i first_lanes(int64_t count) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(count)), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  static VF load_n(const float *p, int64_t count, float fill) {
    const __m256i m = first_lanes(count);
    return {_mm256_blendv_ps(_mm256_set1_ps(fill), _mm256_maskload_ps(p, m), _mm256_castsi256_ps(m))};
  }
  static void store_n(float *p, VF a, int64_t count) { _mm256_maskstore_ps(p, first_lanes(count), a.v); }
  // p aligned to the vector's size: a non-temporal store (bypasses the cache).
  static void stream(float *p, VF a) { _mm256_stream_ps(p, a.v); }
  // a's lanes [0, k), then b's from lane 0 on (0 <= k < W): StreamCarry joins two rows' lanes.
  static VF splice(VF a, VF b, int64_t k) {
    const __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), kk = _mm256_set1_epi32(static_cast<int>(k));
    const __m256 shifted = _mm256_permutevar8x32_ps(b.v, _mm256_sub_epi32(lane, kk));  // uses the low 3 bits
    return {_mm256_blendv_ps(shifted, a.v, _mm256_castsi256_ps(_mm256_cmpgt_epi32(kk, lane)))};
  }
  static VF set1(float x) { return {_mm256_set1_ps(x)}; }
  static Mask mask_from_bytes(const uint8_t *b) {
    __m128i bytes = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(b));
    __m256i lanes = _mm256_cvtepu8_epi32(bytes);
    __m256i off = _mm256_cmpeq_epi32(lanes, _mm256_setzero_si256());
    return {_mm256_castsi256_ps(_mm256_xor_si256(off, _mm256_set1_epi32(-1)))};
  }
  // t = n + 127 + 1.5 * 2^23 with integer n in [-127, 127]: returns 2^n (see vec.h).
  static VF pow2n(VF t) { return {_mm256_castsi256_ps(_mm256_slli_epi32(_mm256_castps_si256(t.v), 23))}; }
};
inline VF operator+(VF a, VF b) { return {_mm256_add_ps(a.v, b.v)}; }
inline VF operator-(VF a, VF b) { return {_mm256_sub_ps(a.v, b.v)}; }
inline VF operator*(VF a, VF b) { return {_mm256_mul_ps(a.v, b.v)}; }
inline VF fmadd(VF a, VF b, VF c) { return {_mm256_fmadd_ps(a.v, b.v, c.v)}; }
inline VF vmax(VF a, VF b) { return {_mm256_max_ps(a.v, b.v)}; }
inline VF vmin(VF a, VF b) { return {_mm256_min_ps(a.v, b.v)}; }
inline VF::Mask lt(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_LT_OQ)}; }
inline VF::Mask eq(VF a, VF b) { return {_mm256_cmp_ps(a.v, b.v, _CMP_EQ_OQ)}; }
inline VF::Mask mand(VF::Mask a, VF::Mask b) { return {_mm256_and_ps(a.m, b.m)}; }
inline VF::Mask mnot(VF::Mask a) { return {_mm256_xor_ps(a.m, _mm256_castsi256_ps(_mm256_set1_epi32(-1)))}; }
inline bool any(VF::Mask a) { return _mm256_movemask_ps(a.m) != 0; }
inline VF select(VF::Mask m, VF a, VF b) { return {_mm256_blendv_ps(b.v, a.v, m.m)}; }
inline float reduce_max(VF a) {
  __m128 h = _mm_max_ps(_mm256_castps256_ps128(a.v), _mm256_extractf128_ps(a.v, 1));
  h = _mm_max_ps(h, _mm_movehl_ps(h, h));
  h = _mm_max_ss(h, _mm_shuffle_ps(h, h, 1));
  return _mm_cvtss_f32(h);
}
inline double reduce_sum_f64(VF a) {
  __m256d lo = _mm256_cvtps_pd(_mm256_castps256_ps128(a.v));
  __m256d hi = _mm256_cvtps_pd(_mm256_extractf128_ps(a.v, 1));
  __m256d s = _mm256_add_pd(lo, hi);
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(s), _mm256_extractf128_pd(s, 1));
  return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

struct VD {
  using T = double;
  struct Mask {
    __m256d m;
  };
  static constexpr int W = 4;
  static constexpr bool kFma = true;
  static constexpr bool kLut16 = false;
  static constexpr bool kMaskedParts = true;
  __m256d v;
  static VD load(const double *p) { return {_mm256_loadu_pd(p)}; }
  static void store(double *p, VD a) { _mm256_storeu_pd(p, a.v); }
  static __m256i first_lanes(int64_t count) {
    return _mm256_cmpgt_epi64(_mm256_set1_epi64x(count), _mm256_setr_epi64x(0, 1, 2, 3));
  }
  static VD load_n(const double *p, int64_t count, double fill) {
    const __m256i m = first_lanes(count);
    return {_mm256_blendv_pd(_mm256_set1_pd(fill), _mm256_maskload_pd(p, m), _mm256_castsi256_pd(m))};
  }
  static void store_n(double *p, VD a, int64_t count) { _mm256_maskstore_pd(p, first_lanes(count), a.v); }
  static void stream(double *p, VD a) { _mm256_stream_pd(p, a.v); }
  static VD splice(VD a, VD b, int64_t k) {
    // as float pairs: double lane l comes from lane (l - k) & 3
    const __m256i half = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7), kk = _mm256_set1_epi32(static_cast<int>(2 * k));
    const __m256 pairs = _mm256_permutevar8x32_ps(_mm256_castpd_ps(b.v), _mm256_sub_epi32(half, kk));
    return {_mm256_blendv_pd(_mm256_castps_pd(pairs), a.v, _mm256_castsi256_pd(_mm256_cmpgt_epi32(kk, half)))};
  }
  static VD set1(double x) { return {_mm256_set1_pd(x)}; }
  static Mask mask_from_bytes(const uint8_t *b) {
    int32_t word;
    __builtin_memcpy(&word, b, 4);
    __m256i lanes = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128(word));
    __m256i off = _mm256_cmpeq_epi64(lanes, _mm256_setzero_si256());
    return {_mm256_castsi256_pd(_mm256_xor_si256(off, _mm256_set1_epi64x(-1)))};
  }
  // t = n + 1023 + 1.5 * 2^52 with integer n in [-1023, 1023]: returns 2^n (see vec.h).
  static VD pow2n(VD t) { return {_mm256_castsi256_pd(_mm256_slli_epi64(_mm256_castpd_si256(t.v), 52))}; }
};
inline VD operator+(VD a, VD b) { return {_mm256_add_pd(a.v, b.v)}; }
inline VD operator-(VD a, VD b) { return {_mm256_sub_pd(a.v, b.v)}; }
inline VD operator*(VD a, VD b) { return {_mm256_mul_pd(a.v, b.v)}; }
inline VD fmadd(VD a, VD b, VD c) { return {_mm256_fmadd_pd(a.v, b.v, c.v)}; }
inline VD vmax(VD a, VD b) { return {_mm256_max_pd(a.v, b.v)}; }
inline VD vmin(VD a, VD b) { return {_mm256_min_pd(a.v, b.v)}; }
inline VD::Mask lt(VD a, VD b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_LT_OQ)}; }
inline VD::Mask eq(VD a, VD b) { return {_mm256_cmp_pd(a.v, b.v, _CMP_EQ_OQ)}; }
inline VD::Mask mand(VD::Mask a, VD::Mask b) { return {_mm256_and_pd(a.m, b.m)}; }
inline VD::Mask mnot(VD::Mask a) { return {_mm256_xor_pd(a.m, _mm256_castsi256_pd(_mm256_set1_epi64x(-1)))}; }
inline bool any(VD::Mask a) { return _mm256_movemask_pd(a.m) != 0; }
inline VD select(VD::Mask m, VD a, VD b) { return {_mm256_blendv_pd(b.v, a.v, m.m)}; }
inline double reduce_max(VD a) {
  __m128d h = _mm_max_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
  return _mm_cvtsd_f64(_mm_max_sd(h, _mm_unpackhi_pd(h, h)));
}
inline double reduce_sum_f64(VD a) {
  __m128d h = _mm_add_pd(_mm256_castpd256_pd128(a.v), _mm256_extractf128_pd(a.v, 1));
  return _mm_cvtsd_f64(_mm_add_sd(h, _mm_unpackhi_pd(h, h)));
}

// Orders this thread's non-temporal stores before anything it does next (another thread
// reading the output after the pool hands the result back).
inline void stream_fence() { _mm_sfence(); }
