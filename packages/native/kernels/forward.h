// softmax, logSoftmax and logSumExp: one algorithm, three ways to write the result.
//
// Rows (inner == 1) up to a chunk, and rows under SKK_SPLIT_MIN_CHUNKS chunks (never split
// across threads) whose exps need not be streamed: one pass sums exp((x - g) / T) around a shift
// g sampled from the row (softmax keeps the exps, in `out` or a stack buffer); a write pass
// scales them (softmax) or writes (x - g) / T - log sum. A shift near the max (within 32 for
// softmax, 8 for the logs: see NearMax) is as good as the max itself, so only an estimate further
// below it (told by the sum, or by a max pass where the sum is large; or none: masked samples,
// non-finite values) costs a second exp pass around the exact max.
// Longer rows are cut into fixed chunks: per chunk a max pass from memory and an exp-sum pass
// from cache give a (max, sum) partial, partials fold in chunk order, and a last pass writes
// exp((x - max) / T) / sum: two reads of x and one write, the same cut whatever the thread
// count. The exp passes prefetch the next row (or chunk) into L2, so memory streams while the
// core computes instead of in turns. Other axes (inner > 1): W neighbouring slices at once, one
// per lane. Slices that are not plain (NaN, +Infinity, nothing taking part) take an exact scalar
// path in double.
#ifndef SKK_FORWARD_H
#define SKK_FORWARD_H

#include "slice.h"

namespace SKK_NS {

enum ForwardOp { kSoftmax, kLogSoftmax, kLogSumExp };

// The exact scalar path for one slice (elements at x[j * stride]); for kLogSumExp `out` is the
// one result, else the slice's outputs at out[j * stride].
template <class T>
void forward_special(ForwardOp op, const T *x, int64_t stride, int64_t n, MaskSlice ms, double inv_t,
                     T *out) {
  const double inf = kInfD;
  int64_t active = 0;
  int64_t at_inf = 0;
  bool nan = false;
  double m = kLowestD;
  for (int64_t j = 0; j < n; j++) {
    double v = x[j * stride];
    if (!ms.on(j) || v == -inf) continue;
    active++;
    if (v != v) nan = true;
    else if (v == inf) at_inf++;
    else if (v > m) m = v;
  }
  double s = 0;
  double lse;
  if (active == 0) lse = -inf;
  else if (nan) lse = __builtin_nan("");
  else if (at_inf > 0) lse = inf;
  else {
    for (int64_t j = 0; j < n; j++) {
      double v = x[j * stride];
      if (ms.on(j) && v != -inf) s += exp_d((v - m) * inv_t);
    }
    lse = m * inv_t + log_d(s);
  }
  if (op == kLogSumExp) {
    *out = static_cast<T>(lse);
    return;
  }
  const bool soft = op == kSoftmax;
  const double log_k = at_inf > 0 ? log_d(static_cast<double>(at_inf)) : 0;
  const double log_s = s > 0 ? log_d(s) : 0;
  for (int64_t j = 0; j < n; j++) {
    double v = x[j * stride];
    double r;
    if (!ms.on(j) || v == -inf) r = soft ? 0.0 : -inf;
    else if (nan) r = __builtin_nan("");
    else if (at_inf > 0) r = v == inf ? (soft ? 1.0 / static_cast<double>(at_inf) : -log_k) : (soft ? 0.0 : -inf);
    else r = soft ? exp_d((v - m) * inv_t) / s : (v - m) * inv_t - log_s;
    out[j * stride] = static_cast<T>(r);
  }
}

// Max of the taking-part elements in [j0, j1), starting from the lowest finite value.
template <class V, bool kM>
inline typename V::T row_max(const RowReader<V, kM> &r, int64_t j0, int64_t j1) {
  using T = typename V::T;
  const T ninf = -Limits<T>::inf();
  V m0 = V::set1(Limits<T>::lowest()), m1 = m0, m2 = m0, m3 = m0;
  int64_t j = j0;
  for (; j + 4 * V::W <= j1; j += 4 * V::W) {
    m0 = vmax(m0, r.full(j, ninf));
    m1 = vmax(m1, r.full(j + V::W, ninf));
    m2 = vmax(m2, r.full(j + 2 * V::W, ninf));
    m3 = vmax(m3, r.full(j + 3 * V::W, ninf));
  }
  for (; j + V::W <= j1; j += V::W) m0 = vmax(m0, r.full(j, ninf));
  if (j < j1) m1 = vmax(m1, r.part(j, j1 - j, ninf));
  return reduce_max(vmax(vmax(m0, m1), vmax(m2, m3)));
}

// exp arguments are clamped here when the shift may be below the max (kSaturate): a term is then
// at most exp(88), finite in float, so a sum past exp(kShiftLimit) tells that the shift missed.
constexpr float kArgHigh = 88.0f;

// sum of exp((x - m) * inv_t) over [j0, j1), float partials flushed to double every kFlush;
// with kStore the exps are also written to out[j]; with kSaturate the arguments are clamped at
// kArgHigh (m may be below the max). `next`, `next_out` (nullable): the next row's input and
// output to fetch (see fetch_ahead), as many bytes as this pass reads.
template <class V, bool kM, bool kStore, bool kUnit, bool kSaturate>
inline double row_sum_exp_t(const RowReader<V, kM> &r, int64_t j0, int64_t j1, typename V::T m,
                            typename V::T inv_t, typename V::T *out, const typename V::T *next,
                            const typename V::T *next_out) {
  using T = typename V::T;
  const T ninf = -Limits<T>::inf();
  const V vm = V::set1(m), vt = V::set1(inv_t), zero = V::set1(T(0)), high = V::set1(T(kArgHigh));
  auto arg = [&](V v) {
    const V a = kUnit ? v - vm : (v - vm) * vt;
    return kSaturate ? vmin(high, a) : a;  // keeps NaN (second operand)
  };
  double total = 0;
  int64_t j = j0;
  while (j < j1) {
    const int64_t stop = min64(j1, j + kFlush);
    V s0 = zero, s1 = zero;  // the vector steps, the partial tail
#if defined(__wasm__) && !SKK_WASM_FUSED
    // Eight vectors a step first in the plain SIMD build: V8's code for four left the FP ports
    // waiting on spilled constants. One thread, against four: softmax 32768x128 0.93-0.99x the
    // time, 4096x1024 0.93-0.97x; sixteen 1.06-1.09x. The relaxed build (fused multiply-adds,
    // fewer registers live) and native keep four: there eight measured 1.01-1.09x.
    // The k loops are unrolled by order: with a mask, clang kept them as loops with e[] on the
    // stack (masked softmax 1.15-1.35x the time it takes unrolled).
    for (; j + 8 * V::W <= stop; j += 8 * V::W) {
      fetch_ahead<8 * V::W * sizeof(T)>(next, next_out, j - j0);
      V e[8];
#pragma clang loop unroll(full)
      for (int k = 0; k < 8; k++) e[k] = vexp_fast(arg(r.full(j + k * V::W, ninf)));
      if (kStore) {
#pragma clang loop unroll(full)
        for (int k = 0; k < 8; k++) V::store(out + j + k * V::W, e[k]);
      }
      s0 = s0 + (((e[0] + e[1]) + (e[2] + e[3])) + ((e[4] + e[5]) + (e[6] + e[7])));
    }
#endif
    for (; j + 4 * V::W <= stop; j += 4 * V::W) {
      fetch_ahead<4 * V::W * sizeof(T)>(next, next_out, j - j0);
      const V x0 = r.full(j, ninf), x1 = r.full(j + V::W, ninf);
      const V x2 = r.full(j + 2 * V::W, ninf), x3 = r.full(j + 3 * V::W, ninf);
      V e0 = vexp_fast(arg(x0));
      V e1 = vexp_fast(arg(x1));
      V e2 = vexp_fast(arg(x2));
      V e3 = vexp_fast(arg(x3));
      if (kStore) {
        V::store(out + j, e0);
        V::store(out + j + V::W, e1);
        V::store(out + j + 2 * V::W, e2);
        V::store(out + j + 3 * V::W, e3);
      }
      s0 = s0 + ((e0 + e1) + (e2 + e3));
    }
    for (; j + V::W <= stop; j += V::W) {
      V e = vexp_fast(arg(r.full(j, ninf)));
      if (kStore) V::store(out + j, e);
      s0 = s0 + e;
    }
    if (j < stop) {
      V e = vexp_fast(arg(r.part(j, stop - j, ninf)));
      if (kStore) store_part(out + j, e, stop - j);
      s1 = s1 + e;
      j = stop;
    }
    total += reduce_sum_f64(s0 + s1);
  }
  return total;
}

template <class V, bool kM, bool kStore, bool kSaturate = false>
inline double row_sum_exp(const RowReader<V, kM> &r, int64_t j0, int64_t j1, typename V::T m,
                          typename V::T inv_t, typename V::T *out, const typename V::T *next,
                          const typename V::T *next_out) {
  if (inv_t == typename V::T(1)) {
    return row_sum_exp_t<V, kM, kStore, true, kSaturate>(r, j0, j1, m, inv_t, out, next, next_out);
  }
  return row_sum_exp_t<V, kM, kStore, false, kSaturate>(r, j0, j1, m, inv_t, out, next, next_out);
}

// The shift estimate of a row: the largest of nine samples that take part (first, last and
// every eighth of the row), or -Infinity when none does. Samples are plain loads: a NaN sample
// is passed over (the sum then catches it).
template <class T>
inline T sample_max(const T *x, int64_t n, MaskSlice ms) {
  T g = -Limits<T>::inf();
  const int64_t step = n >> 3 > 0 ? n >> 3 : 1;
  // a select, not a branch: which sample is largest is random, and a short row pays for every
  // mispredicted branch
  auto keep = [&](int64_t j) {
    const T v = ms.on(j) ? x[j] : g;
    g = v > g ? v : g;
  };
  for (int64_t j = 0; j < n; j += step) keep(j);
  keep(n - 1);
  return g;
}

// sample_max for an unmasked row of at least W elements, without a branch per sample: the max of
// five vectors, at the start, a quarter, half and three quarters of the way, and at the end. For
// wasm only (kVectorSamples): V8 turns sample_max's float select into a branch, which mispredicts
// (which sample is largest is random). Softmax, one thread, against sample_max: wasm 32768x128
// 0.92x the time, 4096x16 0.85x; AVX2, where the select is a maxss, 32768x128 1.11-1.13x.
#if defined(__wasm__)
constexpr bool kVectorSamples = true;
#else
constexpr bool kVectorSamples = false;
#endif
template <class V>
inline typename V::T sample_max_vec(const typename V::T *x, int64_t n) {
  const int64_t last = n - V::W;
  const int64_t q = (n >> 2) / V::W * V::W;  // steps of whole vectors: aligned like the row
  // vmax(sample, g) keeps g where the sample is NaN
  V g = vmax(V::load(x), V::set1(-Limits<typename V::T>::inf()));
  g = vmax(V::load(x + q), g);
  g = vmax(V::load(x + 2 * q), g);
  g = vmax(V::load(x + min64(3 * q, last)), g);
  g = vmax(V::load(x + last), g);
  return reduce_max(g);
}

// An estimate g may be used when (max - g) / T stays below this: every exp((x - g) / T) and
// every sum of them is then finite (exp(80) = 5.5e34, times kFlush terms, fits float) and
// vexp_fast's argument stays in its range.
constexpr double kShiftLimit = 80;
// A sum around g past exp(kShiftLimit) means some (x - g) / T may be past kShiftLimit (a term
// that large, clamped at kArgHigh, puts the sum there); it also catches sums of many large terms,
// which only costs the redo.
constexpr double kSumLimit = 5.5406223843935100e34;  // exp(80)
// How near the max an estimate g must be kept for accuracy: float rounds an exp argument
// x - g in [2^k, 2^(k+1)) by up to 2^(k-24) (3.8e-6 past 64), and that error passes whole into
// the exps (log-softmax was 6.2e-6 off at two unsampled spikes of 65.3 in a row of 1000, against
// its 2e-6 bound). Softmax's outputs keep their 4e-6 bound with (max - g) / T below 32 (each
// exp then 9.5e-7 off at most, twice that in a quotient); log-softmax, log-sum-exp and the
// losses, whose bound is 2e-6 absolute and which also round log sum, below 8. A sum around g of
// at most exp(limit) proves it (the max's own term is exp((max - g) / T)); a larger one, from a
// miss or from a long row's many terms, costs a max pass to tell which.
struct NearMax {
  double limit;  // in units of T
  double sum;    // exp(limit)
};
constexpr NearMax kSoftmaxNear{32, 78962960182680.69};  // exp(32)
constexpr NearMax kLogNear{8, 2980.9579870417283};      // exp(8)

// sum of exp((x - shift) / T) over a whole row (exps stored to `exps` unless it is null), and
// the shift in *shift_out: one pass around a sampled shift, kept when it is `near` the max (see
// NearMax); otherwise a second exp pass around the exact max (also when there was no
// estimate). No max is tracked on the way, which keeps the exp pass short (and, in wasm, free of
// register spills).
// The result is the caller's to check: !(sum >= 1) means NaN, +Infinity or nothing taking part.
template <class V, bool kM>
inline double shifted_sum_exp(const RowReader<V, kM> &r, int64_t n, typename V::T inv_t, typename V::T *exps,
                              const typename V::T *next, const typename V::T *next_out, NearMax near,
                              typename V::T *shift_out) {
  using T = typename V::T;
  T m;
  if constexpr (kVectorSamples && !kM) m = n >= V::W ? sample_max_vec<V>(r.x, n) : sample_max<T>(r.x, n, r.ms);
  else m = sample_max<T>(r.x, n, r.ms);
  if (m > -Limits<T>::inf() && m < Limits<T>::inf()) {
    const double s = exps != nullptr ? row_sum_exp<V, kM, true, true>(r, 0, n, m, inv_t, exps, next, next_out)
                                     : row_sum_exp<V, kM, false, true>(r, 0, n, m, inv_t, nullptr, next, next_out);
    if (!(s >= 1.0) || s <= near.sum) {
      *shift_out = m;
      return s;
    }
    const T max = row_max(r, 0, n);
    if (s <= kSumLimit && (static_cast<double>(max) - static_cast<double>(m)) * static_cast<double>(inv_t) <= near.limit) {
      *shift_out = m;
      return s;
    }
    m = max;
  } else {
    m = row_max(r, 0, n);
  }
  *shift_out = m;
  return exps != nullptr ? row_sum_exp<V, kM, true>(r, 0, n, m, inv_t, exps, next, next_out)
                         : row_sum_exp<V, kM, false>(r, 0, n, m, inv_t, nullptr, next, next_out);
}

// out[j] *= f over [0, n).
template <class V>
inline void scale_row(typename V::T *out, int64_t n, typename V::T f) {
  const V vf = V::set1(f);
  int64_t j = 0;
  for (; j + V::W <= n; j += V::W) V::store(out + j, V::load(out + j) * vf);
  for (; j < n; j++) out[j] = out[j] * f;
}

// A softmax row's scale pass, left until the next row's exp pass has been issued: the row's sum
// reduction and division then overlap that pass instead of stalling between rows (softmax,
// one thread, wasm: rows of 64-256 elements in cache 0.95-1.00x the time). Rows are disjoint, so
// a pending scale may run after any other row's writes; flush() before the call returns.
template <class V>
struct PendingScale {
  typename V::T *out = nullptr;
  int64_t n = 0;
  typename V::T f = 0;
  void flush() {
    if (out != nullptr) scale_row<V>(out, n, f);
    out = nullptr;
  }
};

// Output pass over [j0, j1): softmax exp((x - m) * inv_t) * f, log-softmax (x - m) * inv_t - f.
template <class V, bool kM>
inline void write_row(ForwardOp op, const RowReader<V, kM> &r, typename V::T *out, int64_t j0, int64_t j1,
                      typename V::T m, typename V::T inv_t, typename V::T f, bool stream,
                      StreamCarry<V> *carry = nullptr) {
  using T = typename V::T;
  const T ninf = -Limits<T>::inf();
  const V vm = V::set1(m), vt = V::set1(inv_t), vf = V::set1(f);
  if (op == kSoftmax && inv_t == T(1)) {
    emit<V>(
        out, j0, j1, stream, [&](int64_t j) { return vexp_fast(r.full(j, ninf) - vm) * vf; },
        [&](int64_t j, int64_t c) { return vexp_fast(r.part(j, c, ninf) - vm) * vf; }, carry);
  } else if (op == kSoftmax) {
    emit<V>(
        out, j0, j1, stream, [&](int64_t j) { return vexp_fast((r.full(j, ninf) - vm) * vt) * vf; },
        [&](int64_t j, int64_t c) { return vexp_fast((r.part(j, c, ninf) - vm) * vt) * vf; }, carry);
  } else if (inv_t == T(1)) {
    emit<V>(
        out, j0, j1, stream, [&](int64_t j) { return (r.full(j, ninf) - vm) - vf; },
        [&](int64_t j, int64_t c) { return (r.part(j, c, ninf) - vm) - vf; }, carry);
  } else {
    emit<V>(
        out, j0, j1, stream, [&](int64_t j) { return (r.full(j, ninf) - vm) * vt - vf; },
        [&](int64_t j, int64_t c) { return (r.part(j, c, ninf) - vm) * vt - vf; }, carry);
  }
}

// Rows up to this many bytes keep their exps in a stack buffer when the output is streamed
// (a target with a small stack may define SKK_SCRATCH_BYTES lower, at least 64).
#ifndef SKK_SCRATCH_BYTES
#define SKK_SCRATCH_BYTES 16384
#endif
constexpr int64_t kScratchBytes = SKK_SCRATCH_BYTES;

// Whether a call's row outputs are streamed (see streams_rows).
template <class T>
inline bool streams(ForwardOp op, const skk_view &v) {
  return op != kLogSumExp && streams_rows<T>(v);
}

// Folds one chunk's (max, sum) into a row's running pair, in chunk order.
inline void fold_partial(skk_merged &st, double pm, double ps, double inv_t) {
  if (pm > st.max) {
    st.sum = st.sum * exp_d((st.max - pm) * inv_t) + ps;
    st.max = pm;
  } else {
    st.sum = st.sum + ps * exp_d((pm - st.max) * inv_t);
  }
}

template <class T>
inline skk_merged merged_start() {
  return {static_cast<double>(Limits<T>::lowest()), 0.0, 0};
}

inline void merged_done(skk_merged &st) { st.special = !(st.sum >= 1.0); }

template <class T, bool kM>
inline skk_partial chunk_partial(const RowReader<typename Vecs<T>::Wide, kM> &r, int64_t n, int64_t c, T inv_t) {
  const int64_t chunk = Vecs<T>::kChunk;
  const int64_t j0 = c * chunk, j1 = min64(n, j0 + chunk);
  T m = row_max(r, j0, j1);
  // the next chunk, read while this one computes (not on wasm, where fetching is by loads: the
  // max pass reads the chunk from memory right after anyway)
  const T *next = j1 < n && !kFetchByLoad ? r.x + j1 : nullptr;
  double s = row_sum_exp<typename Vecs<T>::Wide, kM, false>(r, j0, j1, m, inv_t, nullptr, next, nullptr);
  return {static_cast<double>(m), s};
}

template <class T>
inline int64_t chunk_count(int64_t n) {
  return (n + Vecs<T>::kChunk - 1) / Vecs<T>::kChunk;
}

// tiny_row (below) where one vector holds the row (AVX-512): the general form measured 1.1-1.24x
// slower there.
template <class T, bool kM>
SKK_ROW_FN void one_vector_row(ForwardOp op, const skk_forward_args &a, const RowReader<typename Vecs<T>::Wide, kM> &r,
                               int64_t n, T *out, bool stream, StreamCarry<typename Vecs<T>::Wide> *carry) {
  using V = typename Vecs<T>::Wide;
  const T inv_t = static_cast<T>(a.inv_temperature);
  const V v = r.part(0, n, -Limits<T>::inf());
  const T m = reduce_max(v);
  const V vm = V::set1(m);
  const V arg = inv_t == T(1) ? v - vm : (v - vm) * V::set1(inv_t);
  const V e = vexp_fast(arg);
  const double s = reduce_sum_f64(e);
  if (!(s >= 1.0)) return forward_special<T>(op, r.x, 1, n, r.ms, a.inv_temperature, out);
  if (op == kLogSumExp) {
    *out = static_cast<T>(static_cast<double>(m) * static_cast<double>(inv_t) + log_d(s));
    return;
  }
  const V y = op == kSoftmax ? e * V::set1(static_cast<T>(1.0 / s)) : arg - V::set1(static_cast<T>(log_d(s)));
  if (!stream) return n == V::W ? V::store(out, y) : store_part(out, y, n);
  // streamed: emit may ask for the lanes from any element on (after completing a carried vector)
  T lanes[V::W];
  V::store(lanes, y);
  emit<V>(
      out, 0, n, stream, [&](int64_t) { return y; }, [&](int64_t j, int64_t c) { return load_part<V>(lanes + j, c, T(0)); },
      carry);
}

// Rows of at most kTinyElements: their exact max costs a reduction or two (fewer steps than
// sampling up to eleven elements one by one), then one exp per element, summed in the short rows'
// order (whole vectors one after another, then the partial one). Where the short rows' samples
// cover rows under 16 elements whole (x86), the shift, and every output bit, are the same as
// there; wasm's five vector samples miss some elements of such rows, so its last bits differ.
constexpr int64_t kTinyElements = 16;
// Not on wasm: there the path made V8's code for longer rows slower (softmax 32768x128
// 1.04-1.06x the time), which costs more than the 0.64x it gave rows of 10.
#if defined(__wasm__)
constexpr bool kTinyRows = false;
#else
constexpr bool kTinyRows = true;
#endif

template <class T, bool kM>
SKK_ROW_FN void tiny_row(ForwardOp op, const skk_forward_args &a, const RowReader<typename Vecs<T>::Wide, kM> &r,
                         int64_t n, T *out, bool stream, StreamCarry<typename Vecs<T>::Wide> *carry) {
  using V = typename Vecs<T>::Wide;
  constexpr int kVectors = static_cast<int>((kTinyElements + V::W - 1) / V::W);
  if constexpr (kVectors == 1) {
    return one_vector_row<T, kM>(op, a, r, n, out, stream, carry);
  } else {
    const T ninf = -Limits<T>::inf();
    const T inv_t = static_cast<T>(a.inv_temperature);
    const int64_t whole = n / V::W, rest = n % V::W;
    V v[kVectors];  // lanes past the row read as -Infinity: exp 0, which adds nothing to the sum
    for (int k = 0; k < kVectors; k++) {
      v[k] = k < whole ? r.full(k * V::W, ninf) : k == whole && rest > 0 ? r.part(k * V::W, rest, ninf) : V::set1(ninf);
    }
    V vmx = v[0];
    for (int k = 1; k < kVectors; k++) vmx = vmax(vmx, v[k]);
    const T m = reduce_max(vmx);
    const V vm = V::set1(m), vt = V::set1(inv_t);
    V arg[kVectors], e[kVectors];
    for (int k = 0; k < kVectors; k++) {
      arg[k] = inv_t == T(1) ? v[k] - vm : (v[k] - vm) * vt;
      e[k] = vexp_fast(arg[k]);
    }
    V acc = e[0];
    for (int k = 1; k < kVectors; k++) acc = acc + e[k];
    const double s = reduce_sum_f64(acc);
    // NaN, +Infinity or nothing taking part (a plain row's max term alone makes s >= 1)
    if (!(s >= 1.0)) return forward_special<T>(op, r.x, 1, n, r.ms, a.inv_temperature, out);
    if (op == kLogSumExp) {
      *out = static_cast<T>(static_cast<double>(m) * static_cast<double>(inv_t) + log_d(s));
      return;
    }
    const V f = V::set1(op == kSoftmax ? static_cast<T>(1.0 / s) : static_cast<T>(log_d(s)));
    T lanes[kVectors * V::W];
    for (int k = 0; k < kVectors; k++) {
      const V y = op == kSoftmax ? e[k] * f : arg[k] - f;
      if (stream) {
        V::store(lanes + k * V::W, y);
      } else if (k < whole) {
        V::store(out + k * V::W, y);
      } else if (k == whole && rest > 0) {
        store_part(out + k * V::W, y, rest);
      }
    }
    if (!stream) return;
    emit<V>(
        out, 0, n, stream, [&](int64_t j) { return V::load(lanes + j); },
        [&](int64_t j, int64_t c) { return load_part<V>(lanes + j, c, T(0)); }, carry);
  }
}

template <class T, bool kM>
SKK_ROW_FN void row_forward(ForwardOp op, const skk_forward_args &a, int64_t row, MaskSlice ms, bool stream, bool has_next,
                            StreamCarry<typename Vecs<T>::Wide> *carry, PendingScale<typename Vecs<T>::Wide> &pending) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = a.view.n;
  const T *x = static_cast<const T *>(a.x) + row * n;
  T *out = static_cast<T *>(a.out) + (op == kLogSumExp ? row : row * n);
  const RowReader<V, kM> r{x, ms};
  const T inv_t = static_cast<T>(a.inv_temperature);
  // Rows no caller splits (under SKK_SPLIT_MIN_CHUNKS chunks) take the short rows' path while
  // their exps can stay in `out` (an output that is not streamed) or are not kept at all.
  const bool unsplit = n < SKK_SPLIT_MIN_CHUNKS * Vecs<T>::kChunk && (op != kSoftmax || !stream);
  if (n > Vecs<T>::kChunk && !unsplit) {
    skk_merged st = merged_start<T>();
    const int64_t chunks = chunk_count<T>(n);
    for (int64_t c = 0; c < chunks; c++) {
      skk_partial p = chunk_partial<T, kM>(r, n, c, inv_t);
      fold_partial(st, p.max, p.sum, inv_t);
    }
    merged_done(st);
    if (st.special) return forward_special<T>(op, x, 1, n, ms, a.inv_temperature, out);
    if (op == kLogSumExp) {
      *out = static_cast<T>(st.max * static_cast<double>(inv_t) + log_d(st.sum));
      return;
    }
    const T f = op == kSoftmax ? static_cast<T>(1.0 / st.sum) : static_cast<T>(log_d(st.sum));
    write_row(op, r, out, 0, n, static_cast<T>(st.max), inv_t, f, stream, carry);
    return;
  }
  if (kTinyRows && n <= kTinyElements) return tiny_row<T, kM>(op, a, r, n, out, stream, carry);
  const Ahead<T> next = ahead_of(x, out, n, has_next, op != kLogSumExp);  // read while this row computes
  // Softmax keeps its exps: in a stack buffer when the row is streamed out, else in `out` (where
  // the scale can wait for the next row, see PendingScale).
  const bool scratch = op == kSoftmax && stream && n * static_cast<int64_t>(sizeof(T)) <= kScratchBytes;
  T buffer[kScratchBytes / sizeof(T)];
  T *exps = op != kSoftmax ? nullptr : scratch ? buffer : out;
  T m;
  const double s = shifted_sum_exp(r, n, inv_t, exps, next.x, next.out, op == kSoftmax ? kSoftmaxNear : kLogNear, &m);
  pending.flush();
  if (!(s >= 1.0)) return forward_special<T>(op, x, 1, n, ms, a.inv_temperature, out);
  if (op == kLogSumExp) {
    *out = static_cast<T>(static_cast<double>(m) * static_cast<double>(inv_t) + log_d(s));
    return;
  }
  if (op == kLogSoftmax) return write_row(op, r, out, 0, n, m, inv_t, static_cast<T>(log_d(s)), stream, carry);
  const T f = static_cast<T>(1.0 / s);
  if (!scratch) {
    pending = {out, n, f};
    return;
  }
  const V vf = V::set1(f);
  // one streamed write of the row
  emit<V>(
      out, 0, n, true, [&](int64_t j) { return V::load(buffer + j) * vf; },
      [&](int64_t j, int64_t c) { return load_part<V>(buffer + j, c, T(0)) * vf; }, carry);
}

// W neighbouring slices (o, ., i0 .. i0 + W - 1), one per lane.
template <class V, bool kM>
void lanes_forward(ForwardOp op, const skk_forward_args &a, int64_t o, int64_t i0) {
  using T = typename V::T;
  constexpr int W = V::W;
  const int64_t n = a.view.n, inner = a.view.inner;
  const T *x = static_cast<const T *>(a.x) + o * n * inner + i0;
  T *out = static_cast<T *>(a.out) + (op == kLogSumExp ? o * inner + i0 : o * n * inner + i0);
  LaneMask<V> lm{nullptr, 0, nullptr};
  if (kM) lm = lane_mask<V>(a.mask, o, i0);
  const V ninf = V::set1(-Limits<T>::inf());
  auto load = [&](int64_t j) {
    V v = V::load(x + j * inner);
    if (kM) v = select(lm.at(j), v, ninf);
    return v;
  };
  V m = V::set1(Limits<T>::lowest());
  for (int64_t j = 0; j < n; j++) m = vmax(m, load(j));
  const T inv_t = static_cast<T>(a.inv_temperature);
  const V vt = V::set1(inv_t), zero = V::set1(T(0));
  double acc[W];
  T tmp[W];
  for (int l = 0; l < W; l++) acc[l] = 0;
  V s = zero;
  for (int64_t j0 = 0; j0 < n; j0 += kFlush) {
    const int64_t j1 = min64(n, j0 + kFlush);
    for (int64_t j = j0; j < j1; j++) {
      V e = vexp_fast((load(j) - m) * vt);
      if (op == kSoftmax) V::store(out + j * inner, e);
      s = s + e;
    }
    V::store(tmp, s);
    for (int l = 0; l < W; l++) acc[l] += tmp[l];
    s = zero;
  }
  T mv[W], f[W];
  V::store(mv, m);
  bool special[W];
  for (int l = 0; l < W; l++) {
    special[l] = !(acc[l] >= 1.0);
    if (op == kLogSumExp) {
      out[l] = static_cast<T>(static_cast<double>(mv[l]) * static_cast<double>(inv_t) + log_d(acc[l]));
    } else {
      f[l] = op == kSoftmax ? static_cast<T>(1.0 / acc[l]) : static_cast<T>(log_d(acc[l]));
    }
  }
  if (op == kSoftmax) {
    const V vf = V::load(f);
    for (int64_t j = 0; j < n; j++) V::store(out + j * inner, V::load(out + j * inner) * vf);
  } else if (op == kLogSoftmax) {
    const V vf = V::load(f);
    for (int64_t j = 0; j < n; j++) V::store(out + j * inner, (load(j) - m) * vt - vf);
  }
  for (int l = 0; l < W; l++) {
    if (!special[l]) continue;
    MaskSlice ms = kM ? mask_slice(a.mask, o, i0 + l) : MaskSlice{nullptr, 0};
    forward_special<T>(op, x + l, inner, n, ms, a.inv_temperature, out + l);
  }
}

template <class T>
void forward_entry(ForwardOp op, const skk_forward_args &a, int64_t begin, int64_t end) {
  const int64_t inner = a.view.inner;
  const bool masked = a.mask.data != nullptr;
  if (inner == 1) {
    const bool stream = streams<T>(op, a.view);
    StreamCarry<typename Vecs<T>::Wide> carry;
    StreamCarry<typename Vecs<T>::Wide> *const carried = stream ? &carry : nullptr;
    PendingScale<typename Vecs<T>::Wide> pending;
    for (int64_t row = begin; row < end; row++) {
      const bool has_next = row + 1 < end;
      MaskSlice ms = mask_slice(a.mask, row, 0);
      if (ms.base == nullptr) {
        row_forward<T, false>(op, a, row, ms, stream, has_next, carried, pending);
      } else if (ms.stride == 0) {
        if (*ms.base != 0) {
          row_forward<T, false>(op, a, row, MaskSlice{nullptr, 0}, stream, has_next, carried, pending);
        } else {
          const int64_t n = a.view.n;
          T *out = static_cast<T *>(a.out) + (op == kLogSumExp ? row : row * n);
          forward_special<T>(op, static_cast<const T *>(a.x) + row * n, 1, n, ms, a.inv_temperature, out);
        }
      } else {
        row_forward<T, true>(op, a, row, ms, stream, has_next, carried, pending);
      }
    }
    pending.flush();
    carry.flush();
    if (stream) stream_fence();
    return;
  }
  using V = typename Vecs<T>::Wide;
  using V1 = typename Vecs<T>::One;
  for (int64_t s = begin; s < end;) {
    const int64_t o = s / inner, i = s % inner;
    if (min64(inner - i, end - s) >= V::W) {
      if (masked) lanes_forward<V, true>(op, a, o, i);
      else lanes_forward<V, false>(op, a, o, i);
      s += V::W;
    } else {
      if (masked) lanes_forward<V1, true>(op, a, o, i);
      else lanes_forward<V1, false>(op, a, o, i);
      s += 1;
    }
  }
}

// The long-row steps of the ABI (see softmax-kit-kernels.h).
template <class T>
void row_partials(const skk_forward_args &a, int64_t row, int64_t c0, int64_t c1, skk_partial *partials) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = a.view.n;
  const T *x = static_cast<const T *>(a.x) + row * n;
  const T inv_t = static_cast<T>(a.inv_temperature);
  MaskSlice ms = mask_slice(a.mask, row, 0);
  if (!slice_switched_on(ms)) {
    for (int64_t c = c0; c < c1; c++) partials[c - c0] = {static_cast<double>(Limits<T>::lowest()), 0.0};
    return;
  }
  if (ms.base == nullptr) {
    const RowReader<V, false> r{x, ms};
    for (int64_t c = c0; c < c1; c++) partials[c - c0] = chunk_partial<T, false>(r, n, c, inv_t);
  } else {
    const RowReader<V, true> r{x, ms};
    for (int64_t c = c0; c < c1; c++) partials[c - c0] = chunk_partial<T, true>(r, n, c, inv_t);
  }
}

template <class T>
void row_finish(ForwardOp op, const skk_forward_args &a, int64_t row, const skk_merged &st, int64_t c0,
                int64_t c1) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = a.view.n;
  const T *x = static_cast<const T *>(a.x) + row * n;
  T *out = static_cast<T *>(a.out) + row * n;
  const T inv_t = static_cast<T>(a.inv_temperature);
  const T f = op == kSoftmax ? static_cast<T>(1.0 / st.sum) : static_cast<T>(log_d(st.sum));
  const int64_t j0 = c0 * Vecs<T>::kChunk, j1 = min64(n, c1 * Vecs<T>::kChunk);
  MaskSlice ms = mask_slice(a.mask, row, 0);
  if (ms.base != nullptr && ms.stride == 0) ms.base = nullptr;  // fully masked rows are special
  const bool stream = streams<T>(op, a.view);
  if (ms.base == nullptr) write_row(op, RowReader<V, false>{x, ms}, out, j0, j1, static_cast<T>(st.max), inv_t, f, stream);
  else write_row(op, RowReader<V, true>{x, ms}, out, j0, j1, static_cast<T>(st.max), inv_t, f, stream);
  if (stream) stream_fence();
}

inline void merge_partials(const skk_partial *partials, int64_t count, double inv_t, bool is_f32,
                           skk_merged *merged) {
  skk_merged st = is_f32 ? merged_start<float>() : merged_start<double>();
  // Fold in the kernels' own precision of inv_t so a split row equals an unsplit one.
  const double t = is_f32 ? static_cast<double>(static_cast<float>(inv_t)) : inv_t;
  for (int64_t c = 0; c < count; c++) fold_partial(st, partials[c].max, partials[c].sum, t);
  merged_done(st);
  *merged = st;
}

}  // namespace SKK_NS

#endif
