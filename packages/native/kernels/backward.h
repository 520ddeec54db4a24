// softmaxBackward and logSoftmaxBackward: one reduction pass and one write pass per slice.
//   softmaxBackward:    taking part = mask;                 r = sum(y dy);  out = y (dy - r) / T
//   logSoftmaxBackward: taking part = mask && logp != -inf; r = sum(dy);    out = (dy - exp(logp) r) / T
// Positions not taking part get 0 and their inputs are never used. Rows (inner == 1) run W
// elements at a time; other axes run W neighbouring slices, one per lane.
#ifndef SKK_BACKWARD_H
#define SKK_BACKWARD_H

#include "slice.h"

namespace SKK_NS {

enum BackwardOp { kSoftmaxBackward, kLogSoftmaxBackward };

template <BackwardOp op, class V>
inline V backward_term(V a, V dy) {
  return op == kSoftmaxBackward ? a * dy : dy;
}

template <BackwardOp op, class V>
inline typename V::Mask backward_active(V a, typename V::Mask on) {
  if (op == kSoftmaxBackward) return on;
  return mand(on, mnot(eq(a, V::set1(-Limits<typename V::T>::inf()))));
}

template <BackwardOp op, class V>
inline V backward_value(V a, V dy, V r, V vt) {
  return op == kSoftmaxBackward ? a * (dy - r) * vt : (dy - vexp(a) * r) * vt;
}

// A vector's lanes all on.
template <class V>
inline typename V::Mask all_on() {
  const V z = V::set1(typename V::T(0));
  return eq(z, z);
}

// The reduction over block [j, stop) of a row (a kFlush block): float lanes, summed into one
// double. A row's sum is these blocks' sums added in order, split across threads or not.
template <BackwardOp op, class V, bool kM>
SKK_ROW_FN double block_backward_sum(const typename V::T *a, const typename V::T *dy, MaskSlice ms, int64_t j,
                                     int64_t stop) {
  using T = typename V::T;
  const V zero = V::set1(T(0));
  const typename V::Mask full = all_on<V>();
  auto on_at = [&](int64_t k, int64_t count) { return kM ? mask_part<V>(ms, k, count) : full; };
  // Tail lanes past the row read as 0 (softmaxBackward) or -inf (logSoftmaxBackward: inactive).
  const T pad = op == kSoftmaxBackward ? T(0) : -Limits<T>::inf();
  V s0 = zero, s1 = zero;
  for (; j + 2 * V::W <= stop; j += 2 * V::W) {
    V a0 = V::load(a + j), a1 = V::load(a + j + V::W);
    V t0 = backward_term<op>(a0, V::load(dy + j)), t1 = backward_term<op>(a1, V::load(dy + j + V::W));
    s0 = s0 + select(backward_active<op>(a0, on_at(j, V::W)), t0, zero);
    s1 = s1 + select(backward_active<op>(a1, on_at(j + V::W, V::W)), t1, zero);
  }
  for (; j + V::W <= stop; j += V::W) {
    V a0 = V::load(a + j);
    s0 = s0 + select(backward_active<op>(a0, on_at(j, V::W)), backward_term<op>(a0, V::load(dy + j)), zero);
  }
  if (j < stop) {
    V a0 = load_part<V>(a + j, stop - j, pad), d0 = load_part<V>(dy + j, stop - j, T(0));
    typename V::Mask on = kM ? on_at(j, stop - j) : full;
    s1 = s1 + select(backward_active<op>(a0, on), backward_term<op>(a0, d0), zero);
  }
  return reduce_sum_f64(s0 + s1);
}

// Writes out[j0 .. j1) of a row whose sum is `total`.
template <BackwardOp op, class V, bool kM>
SKK_ROW_FN void write_backward(const skk_backward_args &args, const typename V::T *a, const typename V::T *dy,
                               typename V::T *out, MaskSlice ms, double total, int64_t j0, int64_t j1, bool stream,
                               const typename V::T *next_a, const typename V::T *next_dy, StreamCarry<V> *carry) {
  using T = typename V::T;
  const V zero = V::set1(T(0));
  const typename V::Mask full = all_on<V>();
  auto on_at = [&](int64_t j, int64_t count) { return kM ? mask_part<V>(ms, j, count) : full; };
  const T pad = op == kSoftmaxBackward ? T(0) : -Limits<T>::inf();
  const V r = V::set1(static_cast<T>(total)), vt = V::set1(static_cast<T>(args.inv_temperature));
  emit<V>(
      out, j0, j1, stream,
      [&](int64_t j) {
        if (next_a != nullptr) {
          prefetch_block<V::W * sizeof(T)>(next_a + j);
          prefetch_block<V::W * sizeof(T)>(next_dy + j);
        }
        V a0 = V::load(a + j);
        V o = backward_value<op>(a0, V::load(dy + j), r, vt);
        return select(backward_active<op>(a0, on_at(j, V::W)), o, zero);
      },
      [&](int64_t j, int64_t c) {
        V a0 = load_part<V>(a + j, c, pad), d0 = load_part<V>(dy + j, c, T(0));
        typename V::Mask on = kM ? on_at(j, c) : full;
        return select(backward_active<op>(a0, on), backward_value<op>(a0, d0, r, vt), zero);
      },
      carry);
}

template <BackwardOp op, class V, bool kM>
SKK_ROW_FN void row_backward(const skk_backward_args &args, int64_t row, MaskSlice ms, bool stream, bool has_next,
                             StreamCarry<V> *carry) {
  using T = typename V::T;
  const int64_t n = args.view.n;
  const T *a = static_cast<const T *>(args.a) + row * n;
  const T *dy = static_cast<const T *>(args.dy) + row * n;
  T *out = static_cast<T *>(args.out) + row * n;
  double total = 0;
  for (int64_t j = 0; j < n; j += kFlush) total += block_backward_sum<op, V, kM>(a, dy, ms, j, min64(n, j + kFlush));
  // The write pass runs from cache: it prefetches the next row's inputs so memory keeps streaming.
  write_backward<op, V, kM>(args, a, dy, out, ms, total, 0, n, stream, has_next ? a + n : nullptr,
                            has_next ? dy + n : nullptr, carry);
}

template <BackwardOp op, class V, bool kM>
void lanes_backward(const skk_backward_args &args, int64_t o, int64_t i0) {
  using T = typename V::T;
  constexpr int W = V::W;
  const int64_t n = args.view.n, inner = args.view.inner;
  const int64_t base = o * n * inner + i0;
  const T *a = static_cast<const T *>(args.a) + base;
  const T *dy = static_cast<const T *>(args.dy) + base;
  T *out = static_cast<T *>(args.out) + base;
  LaneMask<V> lm{nullptr, 0, nullptr};
  if (kM) lm = lane_mask<V>(args.mask, o, i0);
  const V zero = V::set1(T(0));
  const typename V::Mask full = all_on<V>();
  double acc[W];
  T tmp[W];
  for (int l = 0; l < W; l++) acc[l] = 0;
  for (int64_t j0 = 0; j0 < n; j0 += kFlush) {
    const int64_t j1 = min64(n, j0 + kFlush);
    V s = zero;
    for (int64_t j = j0; j < j1; j++) {
      V av = V::load(a + j * inner);
      typename V::Mask act = backward_active<op>(av, kM ? lm.at(j) : full);
      s = s + select(act, backward_term<op>(av, V::load(dy + j * inner)), zero);
    }
    V::store(tmp, s);
    for (int l = 0; l < W; l++) acc[l] += tmp[l];
  }
  for (int l = 0; l < W; l++) tmp[l] = static_cast<T>(acc[l]);
  const V r = V::load(tmp), vt = V::set1(static_cast<T>(args.inv_temperature));
  for (int64_t j = 0; j < n; j++) {
    V av = V::load(a + j * inner);
    typename V::Mask act = backward_active<op>(av, kM ? lm.at(j) : full);
    V::store(out + j * inner, select(act, backward_value<op>(av, V::load(dy + j * inner), r, vt), zero));
  }
}

template <BackwardOp op, class T>
void backward_entry(const skk_backward_args &a, int64_t begin, int64_t end) {
  using V = typename Vecs<T>::Wide;
  using V1 = typename Vecs<T>::One;
  const int64_t inner = a.view.inner;
  const bool masked = a.mask.data != nullptr;
  if (inner == 1) {
    const bool stream = streams_rows<T>(a.view);
    StreamCarry<V> carry;
    StreamCarry<V> *const carried = stream ? &carry : nullptr;
    for (int64_t row = begin; row < end; row++) {
      const bool has_next = row + 1 < end;
      MaskSlice ms = mask_slice(a.mask, row, 0);
      if (ms.base == nullptr) {
        row_backward<op, V, false>(a, row, ms, stream, has_next, carried);
      } else if (ms.stride == 0) {
        if (*ms.base != 0) {
          row_backward<op, V, false>(a, row, MaskSlice{nullptr, 0}, stream, has_next, carried);
        } else {
          T *out = static_cast<T *>(a.out) + row * a.view.n;
          for (int64_t j = 0; j < a.view.n; j++) out[j] = T(0);
        }
      } else {
        row_backward<op, V, true>(a, row, ms, stream, has_next, carried);
      }
    }
    carry.flush();
    if (stream) stream_fence();
    return;
  }
  for (int64_t s = begin; s < end;) {
    const int64_t o = s / inner, i = s % inner;
    if (min64(inner - i, end - s) >= V::W) {
      if (masked) lanes_backward<op, V, true>(a, o, i);
      else lanes_backward<op, V, false>(a, o, i);
      s += V::W;
    } else {
      if (masked) lanes_backward<op, V1, true>(a, o, i);
      else lanes_backward<op, V1, false>(a, o, i);
      s += 1;
    }
  }
}

// One long row (inner == 1) spread over threads (softmax-kit-kernels.h): the sums of its
// SKK_FLUSH blocks [b0, b1), then, once all of the row's block sums are in, the write of those
// blocks. The row's sum is the block sums added in order, as row_backward adds them.
template <BackwardOp op, class T>
void backward_row_sums(const skk_backward_args &args, int64_t row, int64_t b0, int64_t b1, double *sums) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = args.view.n;
  const T *a = static_cast<const T *>(args.a) + row * n;
  const T *dy = static_cast<const T *>(args.dy) + row * n;
  MaskSlice ms = mask_slice(args.mask, row, 0);
  if (!slice_switched_on(ms)) {
    for (int64_t b = b0; b < b1; b++) sums[b - b0] = 0;
    return;
  }
  for (int64_t b = b0; b < b1; b++) {
    const int64_t j = b * kFlush, stop = min64(n, j + kFlush);
    sums[b - b0] = ms.base == nullptr ? block_backward_sum<op, V, false>(a, dy, ms, j, stop)
                                      : block_backward_sum<op, V, true>(a, dy, ms, j, stop);
  }
}

template <BackwardOp op, class T>
void backward_row_finish(const skk_backward_args &args, int64_t row, const double *sums, int64_t count, int64_t b0,
                         int64_t b1) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = args.view.n;
  const T *a = static_cast<const T *>(args.a) + row * n;
  const T *dy = static_cast<const T *>(args.dy) + row * n;
  T *out = static_cast<T *>(args.out) + row * n;
  const int64_t j0 = b0 * kFlush, j1 = min64(n, b1 * kFlush);
  MaskSlice ms = mask_slice(args.mask, row, 0);
  if (!slice_switched_on(ms)) {
    for (int64_t j = j0; j < j1; j++) out[j] = T(0);
    return;
  }
  double total = 0;
  for (int64_t b = 0; b < count; b++) total += sums[b];
  const bool stream = streams_rows<T>(args.view);
  if (ms.base == nullptr) {
    write_backward<op, V, false>(args, a, dy, out, ms, total, j0, j1, stream, nullptr, nullptr, nullptr);
  } else {
    write_backward<op, V, true>(args, a, dy, out, ms, total, j0, j1, stream, nullptr, nullptr, nullptr);
  }
  if (stream) stream_fence();
}

}  // namespace SKK_NS

// The C entries of one backward op's long-row steps, for float32 and float64.
#define SKK_BACKWARD_ROW_ENTRY(name, op, dt, T)                                                             \
  void SKK_ENTRY(name##_row_sums_##dt)(const skk_backward_args *a, int64_t row, int64_t b0, int64_t b1,       \
                                       double *sums) {                                                       \
    backward_row_sums<op, T>(*a, row, b0, b1, sums);                                                          \
  }                                                                                                           \
  void SKK_ENTRY(name##_row_finish_##dt)(const skk_backward_args *a, int64_t row, const double *sums,         \
                                         int64_t count, int64_t b0, int64_t b1) {                             \
    backward_row_finish<op, T>(*a, row, sums, count, b0, b1);                                                 \
  }
#define SKK_BACKWARD_ROW_ENTRIES(name, op) \
  SKK_BACKWARD_ROW_ENTRY(name, op, f32, float) SKK_BACKWARD_ROW_ENTRY(name, op, f64, double)

#endif
