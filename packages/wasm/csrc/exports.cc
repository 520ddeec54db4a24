// The wasm module's export table: flat-argument wrappers around the shared kernels
// (packages/native/kernels, C ABI in include/softmax-kit-kernels.h). Every wrapper builds the
// kernel's argument struct on its own stack and runs all slices of the block it was given;
// the JS side (src/block-copy.ts) passes the arguments in this order:
//   (full inputs..., full outputs..., sample inputs..., sample outputs..., whole arrays...,
//    outer, n, inner, mask data, mask outer offsets, mask n stride, mask inner offsets, dense,
//    scalars...)
#include "include/softmax-kit-kernels.h"

#if SK_WASM_RELAXED
#define SKK(name) skk_wasmrelaxed_##name
#else
#define SKK(name) skk_wasm_##name
#endif
#define EXPORT(name) extern "C" __attribute__((export_name(#name))) void name

typedef const unsigned char *Bytes;
typedef const int32_t *Ints;

// Kernels the shared sources may not define yet are weak: sk_kernels() tells JS which exist.
#define SK_WEAK(type, name) extern "C" __attribute__((weak)) void SKK(name) type;
#define SK_FORWARD_SIG (const skk_forward_args *, int64_t, int64_t)
#define SK_BACKWARD_SIG (const skk_backward_args *, int64_t, int64_t)
#define SK_JACOBIAN_SIG (const skk_jacobian_args *, int64_t, int64_t)
#define SK_CE_SIG (const skk_cross_entropy_args *, int64_t, int64_t)
#define SK_PARTIALS_SIG (const skk_forward_args *, int64_t, int64_t, int64_t, skk_partial *)
#define SK_MERGE_SIG (const skk_partial *, int64_t, double, skk_merged *)
#define SK_FINISH_SIG (const skk_forward_args *, int64_t, const skk_merged *, int64_t, int64_t)
#define SK_ROW_SUMS_SIG (const skk_backward_args *, int64_t, int64_t, int64_t, double *)
#define SK_ROW_FINISH_SIG (const skk_backward_args *, int64_t, const double *, int64_t, int64_t, int64_t)
#define SK_EACH_DTYPE(X, f) X(f##_f32) X(f##_f64)

#define SK_DECLARE(f, sig) SK_WEAK(sig, f##_f32) SK_WEAK(sig, f##_f64)
SK_DECLARE(softmax, SK_FORWARD_SIG)
SK_DECLARE(log_softmax, SK_FORWARD_SIG)
SK_DECLARE(log_sum_exp, SK_FORWARD_SIG)
SK_DECLARE(softmax_backward, SK_BACKWARD_SIG)
SK_DECLARE(log_softmax_backward, SK_BACKWARD_SIG)
SK_DECLARE(softmax_jacobian, SK_JACOBIAN_SIG)
SK_DECLARE(softmax_cross_entropy, SK_CE_SIG)
SK_DECLARE(row_partials, SK_PARTIALS_SIG)
SK_DECLARE(merge_partials, SK_MERGE_SIG)
SK_DECLARE(softmax_row_finish, SK_FINISH_SIG)
SK_DECLARE(log_softmax_row_finish, SK_FINISH_SIG)
SK_DECLARE(log_sum_exp_row_finish, SK_FINISH_SIG)
SK_DECLARE(softmax_backward_row_sums, SK_ROW_SUMS_SIG)
SK_DECLARE(softmax_backward_row_finish, SK_ROW_FINISH_SIG)
SK_DECLARE(log_softmax_backward_row_sums, SK_ROW_SUMS_SIG)
SK_DECLARE(log_softmax_backward_row_finish, SK_ROW_FINISH_SIG)

static skk_mask make_mask(Bytes data, Ints outer_offsets, int32_t n_stride, Ints inner_offsets, int32_t dense) {
  skk_mask m;
  m.data = data;
  m.outer_offsets = outer_offsets;
  m.inner_offsets = inner_offsets;
  m.n_stride = n_stride;
  m.dense = dense;
  return m;
}

static skk_view make_view(int32_t outer, int32_t n, int32_t inner) {
  skk_view v;
  v.outer = outer;
  v.n = n;
  v.inner = inner;
  return v;
}

#define MASK_PARAMS Bytes md, Ints mo, int32_t ms, Ints mi, int32_t dense
#define VIEW_PARAMS int32_t outer, int32_t n, int32_t inner

static skk_forward_args forward_args(const void *x, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t) {
  skk_forward_args a;
  a.view = make_view(outer, n, inner);
  a.mask = make_mask(md, mo, ms, mi, dense);
  a.inv_temperature = inv_t;
  a.x = x;
  a.out = out;
  return a;
}

// softmax, log_softmax: (x, out, view, mask, invT); log_sum_exp: (x, out[outer * inner], ...).
#define SK_FORWARD(f)                                                                            \
  EXPORT(sk_##f)(const void *x, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t) {             \
    skk_forward_args a = forward_args(x, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);    \
    SKK(f)(&a, 0, (int64_t)outer * inner);                                                       \
  }
SK_EACH_DTYPE(SK_FORWARD, softmax)
SK_EACH_DTYPE(SK_FORWARD, log_softmax)
SK_EACH_DTYPE(SK_FORWARD, log_sum_exp)

static skk_backward_args backward_args(const void *a_in, const void *dy, void *out, VIEW_PARAMS, MASK_PARAMS,
                                       double inv_t) {
  skk_backward_args a;
  a.view = make_view(outer, n, inner);
  a.mask = make_mask(md, mo, ms, mi, dense);
  a.inv_temperature = inv_t;
  a.a = a_in;
  a.dy = dy;
  a.out = out;
  return a;
}

// softmax_backward (a = y), log_softmax_backward (a = logp): (a, dy, out, view, mask, invT).
#define SK_BACKWARD(f)                                                                                   \
  EXPORT(sk_##f)(const void *a_in, const void *dy, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t) { \
    skk_backward_args a = backward_args(a_in, dy, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);   \
    SKK(f)(&a, 0, (int64_t)outer * inner);                                                               \
  }
SK_EACH_DTYPE(SK_BACKWARD, softmax_backward)
SK_EACH_DTYPE(SK_BACKWARD, log_softmax_backward)

// softmax_jacobian: (y, out[outer * n * inner * n], view, mask, invT).
#define SK_JACOBIAN(f)                                                                  \
  EXPORT(sk_##f)(const void *y, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t) {    \
    skk_jacobian_args a;                                                                \
    a.view = make_view(outer, n, inner);                                                \
    a.mask = make_mask(md, mo, ms, mi, dense);                                          \
    a.inv_temperature = inv_t;                                                          \
    a.y = y;                                                                            \
    a.out = out;                                                                        \
    SKK(f)(&a, 0, (int64_t)outer * inner);                                              \
  }
SK_EACH_DTYPE(SK_JACOBIAN, softmax_jacobian)

static skk_cross_entropy_args ce_args(const void *logits, const void *probs, void *grad, const int32_t *labels,
                                      void *loss, const void *weights, VIEW_PARAMS, int32_t ignore_index,
                                      double smoothing, double grad_scale, double loss_scale) {
  skk_cross_entropy_args a;
  a.view = make_view(outer, n, inner);
  a.logits = logits;
  a.labels = labels;
  a.ignore_index = ignore_index;
  a.probabilities = probs;
  a.weights = weights;
  a.label_smoothing = smoothing;
  a.grad_scale = grad_scale;
  a.loss_scale = loss_scale;
  a.loss_out = loss;
  a.grad_out = grad;
  return a;
}

// Labels: (logits, grad, labels, loss, weights, view, mask (unused), ignoreIndex, smoothing, gradScale, lossScale).
#define SK_CE_LABELS(dt)                                                                                    \
  EXPORT(sk_ce_labels_##dt)(const void *logits, void *grad, const int32_t *labels, void *loss,            \
                            const void *weights, VIEW_PARAMS, MASK_PARAMS, double ignore_index,           \
                            double smoothing, double grad_scale, double loss_scale) {                     \
    (void)md, (void)mo, (void)ms, (void)mi, (void)dense;                                                   \
    skk_cross_entropy_args a = ce_args(logits, nullptr, grad, labels, loss, weights, outer, n, inner,      \
                                       (int32_t)ignore_index, smoothing, grad_scale, loss_scale);          \
    SKK(softmax_cross_entropy_##dt)(&a, 0, (int64_t)outer * inner);                                        \
  }
// Probabilities: (logits, probs, grad, loss, weights, view, mask (unused), smoothing, gradScale, lossScale).
#define SK_CE_PROBS(dt)                                                                                     \
  EXPORT(sk_ce_probs_##dt)(const void *logits, const void *probs, void *grad, void *loss,                 \
                           const void *weights, VIEW_PARAMS, MASK_PARAMS, double smoothing,               \
                           double grad_scale, double loss_scale) {                                        \
    (void)md, (void)mo, (void)ms, (void)mi, (void)dense;                                                   \
    skk_cross_entropy_args a = ce_args(logits, probs, grad, nullptr, loss, weights, outer, n, inner, 0,    \
                                       smoothing, grad_scale, loss_scale);                                \
    SKK(softmax_cross_entropy_##dt)(&a, 0, (int64_t)outer * inner);                                        \
  }
SK_CE_LABELS(f32)
SK_CE_LABELS(f64)
SK_CE_PROBS(f32)
SK_CE_PROBS(f64)

// Long rows split across workers (inner == 1): see include/softmax-kit-kernels.h.
#define SK_LONG_ROW(dt)                                                                                     \
  EXPORT(sk_row_partials_##dt)(const void *x, VIEW_PARAMS, MASK_PARAMS, double inv_t, int32_t row,          \
                               int32_t c0, int32_t c1, skk_partial *partials) {                            \
    skk_forward_args a = forward_args(x, nullptr, outer, n, inner, md, mo, ms, mi, dense, inv_t);          \
    SKK(row_partials_##dt)(&a, row, c0, c1, partials);                                                     \
  }                                                                                                         \
  EXPORT(sk_merge_partials_##dt)(const skk_partial *partials, int32_t count, double inv_t, skk_merged *m) { \
    SKK(merge_partials_##dt)(partials, count, inv_t, m);                                                   \
  }                                                                                                         \
  EXPORT(sk_softmax_row_finish_##dt)(const void *x, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t,      \
                                     int32_t row, const skk_merged *m, int32_t c0, int32_t c1) {           \
    skk_forward_args a = forward_args(x, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);              \
    SKK(softmax_row_finish_##dt)(&a, row, m, c0, c1);                                                      \
  }                                                                                                         \
  EXPORT(sk_log_softmax_row_finish_##dt)(const void *x, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t,  \
                                         int32_t row, const skk_merged *m, int32_t c0, int32_t c1) {       \
    skk_forward_args a = forward_args(x, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);              \
    SKK(log_softmax_row_finish_##dt)(&a, row, m, c0, c1);                                                  \
  }                                                                                                         \
  EXPORT(sk_log_sum_exp_row_finish_##dt)(const void *x, void *out, VIEW_PARAMS, MASK_PARAMS, double inv_t,  \
                                         int32_t row, const skk_merged *m) {                               \
    skk_forward_args a = forward_args(x, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);              \
    SKK(log_sum_exp_row_finish_##dt)(&a, row, m, 0, 0);                                                    \
  }
SK_LONG_ROW(f32)
SK_LONG_ROW(f64)

// One long backward row split across workers (inner == 1): see include/softmax-kit-kernels.h.
#define SK_BACKWARD_LONG_ROW(op, dt)                                                                       \
  EXPORT(sk_##op##_row_sums_##dt)(const void *a_in, const void *dy, VIEW_PARAMS, MASK_PARAMS, double inv_t, \
                                  int32_t row, int32_t b0, int32_t b1, double *sums) {                     \
    skk_backward_args a = backward_args(a_in, dy, nullptr, outer, n, inner, md, mo, ms, mi, dense, inv_t);  \
    SKK(op##_row_sums_##dt)(&a, row, b0, b1, sums);                                                         \
  }                                                                                                         \
  EXPORT(sk_##op##_row_finish_##dt)(const void *a_in, const void *dy, void *out, VIEW_PARAMS, MASK_PARAMS,  \
                                    double inv_t, int32_t row, const double *sums, int32_t count,           \
                                    int32_t b0, int32_t b1) {                                               \
    skk_backward_args a = backward_args(a_in, dy, out, outer, n, inner, md, mo, ms, mi, dense, inv_t);      \
    SKK(op##_row_finish_##dt)(&a, row, sums, count, b0, b1);                                                \
  }
SK_BACKWARD_LONG_ROW(softmax_backward, f32)
SK_BACKWARD_LONG_ROW(softmax_backward, f64)
SK_BACKWARD_LONG_ROW(log_softmax_backward, f32)
SK_BACKWARD_LONG_ROW(log_softmax_backward, f64)

// Which kernels this build has, one bit each in the order of KERNEL_BITS (src/kernel-set.ts).
#define SK_BIT(f) (SKK(f) != nullptr)
extern "C" __attribute__((export_name("sk_kernels"))) int32_t sk_kernels(void) {
  const bool have[] = {
      SK_BIT(softmax_f32),         SK_BIT(log_softmax_f32),        SK_BIT(log_sum_exp_f32),
      SK_BIT(softmax_backward_f32), SK_BIT(log_softmax_backward_f32), SK_BIT(softmax_jacobian_f32),
      SK_BIT(softmax_cross_entropy_f32),
      SK_BIT(row_partials_f32) && SK_BIT(merge_partials_f32) && SK_BIT(softmax_row_finish_f32) &&
          SK_BIT(log_softmax_row_finish_f32) && SK_BIT(log_sum_exp_row_finish_f32) &&
          SK_BIT(softmax_backward_row_sums_f32) && SK_BIT(softmax_backward_row_finish_f32) &&
          SK_BIT(log_softmax_backward_row_sums_f32) && SK_BIT(log_softmax_backward_row_finish_f32),
      SK_BIT(softmax_f64),         SK_BIT(log_softmax_f64),        SK_BIT(log_sum_exp_f64),
      SK_BIT(softmax_backward_f64), SK_BIT(log_softmax_backward_f64), SK_BIT(softmax_jacobian_f64),
      SK_BIT(softmax_cross_entropy_f64),
      SK_BIT(row_partials_f64) && SK_BIT(merge_partials_f64) && SK_BIT(softmax_row_finish_f64) &&
          SK_BIT(log_softmax_row_finish_f64) && SK_BIT(log_sum_exp_row_finish_f64) &&
          SK_BIT(softmax_backward_row_sums_f64) && SK_BIT(softmax_backward_row_finish_f64) &&
          SK_BIT(log_softmax_backward_row_sums_f64) && SK_BIT(log_softmax_backward_row_finish_f64),
  };
  int32_t bits = 0;
  for (int k = 0; k < (int)(sizeof(have) / sizeof(have[0])); k++) bits |= have[k] ? 1 << k : 0;
  return bits;
}
