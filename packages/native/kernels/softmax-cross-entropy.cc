// softmaxCrossEntropy, fused: loss = -sum_c a_c log p_c with log p = x - max - log(sum), never
// log(softmax); grad = scale (p sum(a) - a). Rows (inner == 1) of a plain sample run vectorised
// (max pass, exp-sum pass, one grad + loss pass); samples with NaN or infinite logits and
// samples along other axes take the exact scalar path in double.
#include "forward.h"

using namespace SKK_NS;

namespace SKK_NS {

template <class T>
struct CeCall {
  const skk_cross_entropy_args &a;
  const T *logits;
  const T *weights;
  const T *probs;
  T *grad;
  T *loss;
  double e;
  double weight_sum;  // sum of the weights (n without weights)
  bool stream;        // grads written with non-temporal stores (see streams_rows)
};

template <class T>
inline double weight_of(const CeCall<T> &c, int64_t j) {
  return c.weights == nullptr ? 1.0 : static_cast<double>(c.weights[j]);
}

// The exact path for sample (o, i), in double (normalises like SEMANTICS.md says).
template <class T>
void ce_sample_exact(const CeCall<T> &c, int64_t o, int64_t i) {
  const int64_t n = c.a.view.n, inner = c.a.view.inner;
  const int64_t s = o * inner + i;
  auto at = [&](int64_t j) { return (o * n + j) * inner + i; };
  const double inf = kInfD;
  int32_t label = -1;
  if (c.a.labels != nullptr) {
    label = c.a.labels[s];
    if (label == c.a.ignore_index) {
      c.loss[s] = T(0);
      for (int64_t j = 0; j < n; j++) c.grad[at(j)] = T(0);
      return;
    }
  }
  int64_t active = 0, at_inf = 0;
  bool nan = false;
  double m = kLowestD;
  for (int64_t j = 0; j < n; j++) {
    double v = c.logits[at(j)];
    if (v == -inf) continue;
    active++;
    if (v != v) nan = true;
    else if (v == inf) at_inf++;
    else if (v > m) m = v;
  }
  double sum = 0;
  if (active > 0 && !nan && at_inf == 0) {
    for (int64_t j = 0; j < n; j++) {
      double v = c.logits[at(j)];
      if (v != -inf) sum += exp_d(v - m);
    }
  }
  const double log_s = sum > 0 ? log_d(sum) : 0;
  const double log_k = at_inf > 0 ? log_d(static_cast<double>(at_inf)) : 0;
  auto log_p = [&](double v) {
    if (v == -inf) return -inf;
    if (nan) return __builtin_nan("");
    if (at_inf > 0) return v == inf ? -log_k : -inf;
    return (v - m) - log_s;
  };
  auto p_of = [&](double v) {
    if (v == -inf) return 0.0;
    if (nan) return static_cast<double>(__builtin_nan(""));
    if (at_inf > 0) return v == inf ? 1.0 / static_cast<double>(at_inf) : 0.0;
    return exp_d(v - m) / sum;
  };
  const double en = c.e / static_cast<double>(n);
  auto a_of = [&](int64_t j) {
    if (c.probs != nullptr) return weight_of(c, j) * ((1 - c.e) * static_cast<double>(c.probs[at(j)]) + en);
    return (j == label ? (1 - c.e) * weight_of(c, label) : 0.0) + en * weight_of(c, j);
  };
  double loss = 0, total_a = 0;
  for (int64_t j = 0; j < n; j++) {
    const double aj = a_of(j);
    total_a += aj;
    if (aj != 0) loss -= aj * log_p(c.logits[at(j)]);
  }
  c.loss[s] = static_cast<T>(c.a.loss_scale * loss);
  const double scale = c.a.grad_scale;
  for (int64_t j = 0; j < n; j++) {
    c.grad[at(j)] = static_cast<T>(scale * (p_of(c.logits[at(j)]) * total_a - a_of(j)));
  }
}

// The grad and loss passes of a plain row, one instantiation per kind of target so the loops
// have no branches: a_j = (e / n) w_j (labels; the label's own share is added afterwards) or
// w_j ((1 - e) q_j + e / n); grad_j = scale (p_j A - a_j), p_j from the exps the sum pass left
// in `e` (a stack buffer, or the grad row itself).
template <class V>
struct CePass {
  using T = typename V::T;
  const T *x, *q, *w, *e;
  T *g;
  V vm, vr, vls, va, vs, ven, v1e;
  int64_t label;  // the label's grad element is `label_grad` (computed apart); -1: none
  T label_grad;
};

template <class V, bool kQ, bool kW>
inline V ce_a(const CePass<V> &c, int64_t j, int64_t count) {
  using T = typename V::T;
  // Lanes past the row get a = 0, so their -inf logits add nothing to the loss.
  V wv = kW ? (count == V::W ? V::load(c.w + j) : load_part<V>(c.w + j, count, T(0))) : V::set1(T(1));
  if (!kW && count < V::W) {
    T ones[V::W];
    for (int l = 0; l < V::W; l++) ones[l] = l < count ? T(1) : T(0);
    wv = V::load(ones);
  }
  if (!kQ) return c.ven * wv;
  V qv = count == V::W ? V::load(c.q + j) : load_part<V>(c.q + j, count, T(0));
  return wv * (c.v1e * qv + c.ven);
}

template <class V, bool kQ, bool kW>
void ce_grad(const CePass<V> &c, int64_t n, bool stream, StreamCarry<V> *carry) {
  using T = typename V::T;
  // Puts the label's own grad element into the one vector that holds it.
  auto with_label = [&](V gv, int64_t j, int64_t count) {
    if (c.label < j || c.label >= j + count) return gv;
    T lanes[V::W];
    V::store(lanes, gv);
    lanes[c.label - j] = c.label_grad;
    return V::load(lanes);
  };
  emit<V>(
      c.g, 0, n, stream,
      [&](int64_t j) {
        return with_label(c.vs * (V::load(c.e + j) * c.vr * c.va - ce_a<V, kQ, kW>(c, j, V::W)), j, V::W);
      },
      [&](int64_t j, int64_t k) {
        return with_label(c.vs * (load_part<V>(c.e + j, k, T(0)) * c.vr * c.va - ce_a<V, kQ, kW>(c, j, k)), j, k);
      },
      carry);
}

// sum_j a_j (log s - d_j) over the a_j != 0, float partials flushed to double every kFlush.
template <class V, bool kQ, bool kW>
double ce_loss(const CePass<V> &c, int64_t n) {
  using T = typename V::T;
  const V zero = V::set1(T(0));
  const T ninf = -Limits<T>::inf();
  double loss = 0;
  auto term = [&](int64_t j, int64_t count) {
    V xv = count == V::W ? V::load(c.x + j) : load_part<V>(c.x + j, count, ninf);
    V av = ce_a<V, kQ, kW>(c, j, count);
    return select(eq(av, zero), zero, av * (c.vls - (xv - c.vm)));
  };
  for (int64_t j = 0; j < n;) {
    const int64_t stop = min64(n, j + kFlush);
    V l0 = zero;
    for (; j + V::W <= stop; j += V::W) l0 = l0 + term(j, V::W);
    if (j < stop) {
      l0 = l0 + term(j, stop - j);
      j = stop;
    }
    loss += reduce_sum_f64(l0);
  }
  return loss;
}

template <class V, bool kQ, bool kW>
double ce_passes(const CePass<V> &c, int64_t n, bool loss_terms, bool stream, StreamCarry<V> *carry) {
  // The loss reads x and the exps first: the grad pass may overwrite the exps (same row).
  const double loss = loss_terms ? ce_loss<V, kQ, kW>(c, n) : 0.0;
  ce_grad<V, kQ, kW>(c, n, stream, carry);
  return loss;
}

// A plain row (finite max, no NaN): vectorised.
template <class T>
void ce_row(const CeCall<T> &c, int64_t row, bool has_next, StreamCarry<typename Vecs<T>::Wide> *carry) {
  using V = typename Vecs<T>::Wide;
  const int64_t n = c.a.view.n;
  const T *x = c.logits + row * n;
  T *g = c.grad + row * n;
  int32_t label = -1;
  if (c.a.labels != nullptr) {
    label = c.a.labels[row];
    if (label == c.a.ignore_index) {
      c.loss[row] = T(0);
      for (int64_t j = 0; j < n; j++) g[j] = T(0);
      return;
    }
  }
  const RowReader<V, false> r{x, MaskSlice{nullptr, 0}};
  // The exps go to a stack buffer when the grads are streamed, else to the grad row (in cache),
  // and the grad pass reads them back instead of computing exp again. They are taken around a
  // sampled shift m (near the max, as the loss needs: see NearMax in forward.h), prefetching the
  // next row.
  const bool scratch = c.stream && n * static_cast<int64_t>(sizeof(T)) <= kScratchBytes;
  T buffer[kScratchBytes / sizeof(T)];
  T *ex = scratch ? buffer : g;
  T m;
  const Ahead<T> next = ahead_of(x, g, n, has_next, true);
  const double sum = shifted_sum_exp(r, n, T(1), ex, next.x, next.out, kLogNear, &m);
  if (!(sum >= 1.0)) return ce_sample_exact<T>(c, row, 0);
  const double log_s = log_d(sum);
  const double e = c.e, en = e / static_cast<double>(n);
  const T *q = c.probs == nullptr ? nullptr : c.probs + row * n;
  const T *w = c.weights;
  // sum_c a_c: known for labels, one pass over q (and w) for probabilities.
  double total_a;
  if (q == nullptr) {
    total_a = (1 - e) * weight_of(c, label) + en * c.weight_sum;
  } else {
    total_a = 0;
    for (int64_t j = 0; j < n; j++) {
      total_a += weight_of(c, j) * ((1 - e) * static_cast<double>(q[j]) + en);
    }
  }
  const V vm = V::set1(m), vr = V::set1(static_cast<T>(1.0 / sum)), vls = V::set1(static_cast<T>(log_s));
  const V va = V::set1(static_cast<T>(total_a)), vs = V::set1(static_cast<T>(c.a.grad_scale));
  const V ven = V::set1(static_cast<T>(en)), v1e = V::set1(static_cast<T>(1 - e));
  T label_grad = T(0);
  if (q == nullptr) {
    // The label's grad element, in double: its a_y also holds the label's share (1 - e) w_y.
    // Its exp is the pass's own (a few 1e-8 off at most, against a 4e-6 bound): a scalar exp per
    // row would cost as much as the row's vector work on short rows.
    const double wy = (1 - e) * weight_of(c, label);
    const double p_label = static_cast<double>(ex[label]) / sum;
    label_grad = static_cast<T>(c.a.grad_scale * (p_label * total_a - (wy + en * weight_of(c, label))));
  }
  const CePass<V> pass{x, q, w, ex, g, vm, vr, vls, va, vs, ven, v1e, q == nullptr ? label : -1, label_grad};
  const bool loss_terms = q != nullptr || e != 0;
  const bool st = c.stream;
  double loss;
  if (q != nullptr) {
    loss = w != nullptr ? ce_passes<V, true, true>(pass, n, true, st, carry) : ce_passes<V, true, false>(pass, n, true, st, carry);
  } else {
    loss = w != nullptr ? ce_passes<V, false, true>(pass, n, loss_terms, st, carry)
                        : ce_passes<V, false, false>(pass, n, loss_terms, st, carry);
  }
  if (q == nullptr) {
    // The label's share (1 - e) w_y of the loss, in double.
    const double wy = (1 - e) * weight_of(c, label);
    const double d = static_cast<double>(x[label]) - static_cast<double>(m);
    if (wy != 0) loss += wy * (log_s - d);
  }
  c.loss[row] = static_cast<T>(c.a.loss_scale * loss);
}

template <class T>
void ce_entry(const skk_cross_entropy_args &a, int64_t begin, int64_t end) {
  CeCall<T> c{a,
              static_cast<const T *>(a.logits),
              static_cast<const T *>(a.weights),
              static_cast<const T *>(a.probabilities),
              static_cast<T *>(a.grad_out),
              static_cast<T *>(a.loss_out),
              a.label_smoothing,
              0.0,
              streams_rows<T>(a.view)};
  const int64_t n = a.view.n, inner = a.view.inner;
  if (c.weights == nullptr) {
    c.weight_sum = static_cast<double>(n);
  } else {
    for (int64_t j = 0; j < n; j++) c.weight_sum += static_cast<double>(c.weights[j]);
  }
  StreamCarry<typename Vecs<T>::Wide> carry;
  StreamCarry<typename Vecs<T>::Wide> *const carried = c.stream ? &carry : nullptr;
  for (int64_t s = begin; s < end; s++) {
    if (inner == 1) ce_row<T>(c, s, s + 1 < end, carried);
    else ce_sample_exact<T>(c, s / inner, s % inner);
  }
  carry.flush();
  if (c.stream) stream_fence();
}

}  // namespace SKK_NS

extern "C" {

void SKK_ENTRY(softmax_cross_entropy_f32)(const skk_cross_entropy_args *a, int64_t begin, int64_t end) {
  ce_entry<float>(*a, begin, end);
}
void SKK_ENTRY(softmax_cross_entropy_f64)(const skk_cross_entropy_args *a, int64_t begin, int64_t end) {
  ce_entry<double>(*a, begin, end);
}
}
