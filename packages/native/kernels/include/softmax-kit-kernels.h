/*
 * softmax-kit kernels: the C ABI shared by the native addon and the wasm build.
 *
 * Every op works on the canonical view [outer, n, inner] of a row-major array: element
 * (o, j, i) sits at (o * n + j) * inner + i, and a slice is the n elements (o, 0..n-1, i).
 * Slices are numbered s = o * inner + i, s in [0, outer * inner). An entry point processes
 * the slices [begin, end) and nothing else, so a caller may split one call across threads at
 * any slice boundary; the result of a slice does not depend on how the range was split.
 *
 * Entry points are named skk_<isa>_<op>_<dtype>, <isa> being the vector target the file was
 * compiled for (avx512, avx2, scalar, wasm, wasmrelaxed), <dtype> f32 or f64. Pointers typed
 * `const void *` / `void *` point to float (f32) or double (f64) data of the view's length.
 *
 * Kernels never allocate, never throw, never start threads and never read the FP environment
 * beyond what plain arithmetic does (they never change MXCSR / rounding modes).
 * The caller (binding) has checked every length and offset; kernels trust them.
 */
#ifndef SOFTMAX_KIT_KERNELS_H
#define SOFTMAX_KIT_KERNELS_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct skk_view {
  int64_t outer;
  int64_t n;
  int64_t inner;
} skk_view;

/*
 * A mask broadcast onto the view (core's MaskView). Element (o, j, i) takes part iff
 * data[outer_offsets[o] + j * n_stride + inner_offsets[i]] != 0. data == NULL: no mask,
 * everything takes part. dense != 0 promises that index equals the element's own index.
 */
typedef struct skk_mask {
  const uint8_t *data;
  const int32_t *outer_offsets; /* length outer */
  const int32_t *inner_offsets; /* length inner */
  int64_t n_stride;
  int32_t dense;
} skk_mask;

/* softmax / logSoftmax: out has x's length. */
typedef struct skk_forward_args {
  skk_view view;
  skk_mask mask;
  double inv_temperature; /* 1 / T, finite and > 0 */
  const void *x;
  void *out;
} skk_forward_args;

/* logSumExp: same as forward, but out has length outer * inner (out[s]). */
typedef skk_forward_args skk_lse_args;

/* softmaxBackward (a = y) and logSoftmaxBackward (a = logp): out = gradient, a's length. */
typedef struct skk_backward_args {
  skk_view view;
  skk_mask mask;
  double inv_temperature;
  const void *a;
  const void *dy;
  void *out;
} skk_backward_args;

/* softmaxJacobian: out has length outer * n * inner * n. */
typedef struct skk_jacobian_args {
  skk_view view;
  skk_mask mask;
  double inv_temperature;
  const void *y;
  void *out;
} skk_jacobian_args;

/*
 * softmaxCrossEntropy (no mask, no temperature). Per sample s = (o, i), p = softmax(logits):
 *   labels y != ignore_index: a_c = (1 - e) w_y [c == y] + (e / n) w_c; ignored: a_c = 0
 *   probabilities q:          a_c = w_c ((1 - e) q_c + e / n)
 *   loss_out[s] = loss_scale * (-sum_c a_c log p_c) (a_c == 0 terms add 0; scaled in double
 *                 before rounding, so a float32 mean stays finite where one sample overflows)
 *   grad_out[o, j, i] = grad_scale * (p_j sum_c a_c - a_j)
 * Exactly one of labels / probabilities is non-NULL. weights == NULL means all ones.
 */
typedef struct skk_cross_entropy_args {
  skk_view view;
  const void *logits;
  const int32_t *labels;       /* length outer * inner, or NULL */
  int32_t ignore_index;
  const void *probabilities;   /* the logits' length, or NULL */
  const void *weights;         /* length n, or NULL */
  double label_smoothing;
  double grad_scale;
  double loss_scale;
  void *loss_out;              /* length outer * inner */
  void *grad_out;              /* the logits' length */
} skk_cross_entropy_args;

/*
 * Long rows (inner == 1 and n > SKK_CHUNK_F32 / SKK_CHUNK_F64): the forward kernels cut each
 * row into fixed chunks of SKK_CHUNK_* elements (the last one shorter) whatever the thread
 * count, so one row can also be spread over threads with these steps, with identical results:
 *   1. skk_<isa>_row_partials_<dt>(args, row, c0, c1, partials): for the chunks c in [c0, c1)
 *      of row `row`, partials[c - c0] = (max of x, sum of exp((x - max) * invT)) over the
 *      chunk's taking-part elements (lowest finite value and 0 when none takes part).
 *   2. skk_<isa>_merge_partials_<dt>(partials, count, invT, &merged): folds all of the row's
 *      partials in chunk order into the row's (max, sum). merged.special != 0 when the row
 *      needs the exact slow path (NaN, +Infinity, nothing taking part): then run the op's
 *      ordinary kernel on that one row instead (slices [row, row + 1)).
 *   3. skk_<isa>_<op>_row_finish_<dt>(args, row, &merged, c0, c1): writes softmax or
 *      logSoftmax outputs for the chunks [c0, c1); skk_<isa>_log_sum_exp_row_finish_<dt>
 *      writes out[row] (c0, c1 ignored).
 * Rows shorter than SKK_SPLIT_MIN_CHUNKS chunks are never split that way (a caller must not):
 * the ordinary kernels may give them the short rows' cheaper algorithm (one exp per element
 * around a sampled shift), whose rounding differs from the chunked one.
 */
#define SKK_CHUNK_F32 16384
#define SKK_CHUNK_F64 8192
#define SKK_SPLIT_MIN_CHUNKS 4

/*
 * softmaxBackward and logSoftmaxBackward sum each row (inner == 1) in blocks of SKK_FLUSH
 * elements (the last one shorter), adding each block's sum to a double in order, so one row can
 * be spread over threads with identical results, at any length:
 *   1. skk_<isa>_<op>_row_sums_<dt>(args, row, b0, b1, sums): sums[b - b0] = block b's sum,
 *      for the blocks b in [b0, b1) of row `row`.
 *   2. skk_<isa>_<op>_row_finish_<dt>(args, row, sums, count, b0, b1): with all `count` of the
 *      row's block sums in `sums`, writes out for the blocks [b0, b1).
 */
#define SKK_FLUSH 1024

typedef struct skk_partial {
  double max; /* the chunk's max of x (not scaled by invT) */
  double sum; /* sum of exp((x - max) * invT) over the chunk */
} skk_partial;

typedef struct skk_merged {
  double max;
  double sum;
  int32_t special;
} skk_merged;

/* The long-row steps of one backward op and dtype (see SKK_FLUSH above). */
#define SKK_DECLARE_BACKWARD_ROW(isa, op, dt)                                                   \
  void skk_##isa##_##op##_row_sums_##dt(const skk_backward_args *a, int64_t row, int64_t b0,   \
                                        int64_t b1, double *sums);                            \
  void skk_##isa##_##op##_row_finish_##dt(const skk_backward_args *a, int64_t row,              \
                                          const double *sums, int64_t count, int64_t b0,        \
                                          int64_t b1);

#define SKK_DECLARE_ISA(isa)                                                                    \
  void skk_##isa##_softmax_f32(const skk_forward_args *a, int64_t begin, int64_t end);          \
  void skk_##isa##_softmax_f64(const skk_forward_args *a, int64_t begin, int64_t end);          \
  void skk_##isa##_log_softmax_f32(const skk_forward_args *a, int64_t begin, int64_t end);      \
  void skk_##isa##_log_softmax_f64(const skk_forward_args *a, int64_t begin, int64_t end);      \
  void skk_##isa##_log_sum_exp_f32(const skk_lse_args *a, int64_t begin, int64_t end);          \
  void skk_##isa##_log_sum_exp_f64(const skk_lse_args *a, int64_t begin, int64_t end);          \
  void skk_##isa##_softmax_backward_f32(const skk_backward_args *a, int64_t begin, int64_t end); \
  void skk_##isa##_softmax_backward_f64(const skk_backward_args *a, int64_t begin, int64_t end); \
  void skk_##isa##_log_softmax_backward_f32(const skk_backward_args *a, int64_t begin,          \
                                            int64_t end);                                       \
  void skk_##isa##_log_softmax_backward_f64(const skk_backward_args *a, int64_t begin,          \
                                            int64_t end);                                       \
  SKK_DECLARE_BACKWARD_ROW(isa, softmax_backward, f32)                                          \
  SKK_DECLARE_BACKWARD_ROW(isa, softmax_backward, f64)                                          \
  SKK_DECLARE_BACKWARD_ROW(isa, log_softmax_backward, f32)                                      \
  SKK_DECLARE_BACKWARD_ROW(isa, log_softmax_backward, f64)                                      \
  void skk_##isa##_softmax_jacobian_f32(const skk_jacobian_args *a, int64_t begin, int64_t end); \
  void skk_##isa##_softmax_jacobian_f64(const skk_jacobian_args *a, int64_t begin, int64_t end); \
  void skk_##isa##_softmax_cross_entropy_f32(const skk_cross_entropy_args *a, int64_t begin,    \
                                             int64_t end);                                      \
  void skk_##isa##_softmax_cross_entropy_f64(const skk_cross_entropy_args *a, int64_t begin,    \
                                             int64_t end);                                      \
  void skk_##isa##_row_partials_f32(const skk_forward_args *a, int64_t row, int64_t c0,          \
                                    int64_t c1, skk_partial *partials);                          \
  void skk_##isa##_row_partials_f64(const skk_forward_args *a, int64_t row, int64_t c0,          \
                                    int64_t c1, skk_partial *partials);                          \
  void skk_##isa##_merge_partials_f32(const skk_partial *partials, int64_t count, double inv_t,    \
                                      skk_merged *merged);                                        \
  void skk_##isa##_merge_partials_f64(const skk_partial *partials, int64_t count, double inv_t,    \
                                      skk_merged *merged);                                        \
  void skk_##isa##_log_sum_exp_row_finish_f32(const skk_forward_args *a, int64_t row,             \
                                              const skk_merged *m, int64_t c0, int64_t c1);      \
  void skk_##isa##_log_sum_exp_row_finish_f64(const skk_forward_args *a, int64_t row,             \
                                              const skk_merged *m, int64_t c0, int64_t c1);      \
  void skk_##isa##_softmax_row_finish_f32(const skk_forward_args *a, int64_t row,               \
                                          const skk_merged *m, int64_t c0, int64_t c1);          \
  void skk_##isa##_softmax_row_finish_f64(const skk_forward_args *a, int64_t row,               \
                                          const skk_merged *m, int64_t c0, int64_t c1);          \
  void skk_##isa##_log_softmax_row_finish_f32(const skk_forward_args *a, int64_t row,           \
                                              const skk_merged *m, int64_t c0, int64_t c1);      \
  void skk_##isa##_log_softmax_row_finish_f64(const skk_forward_args *a, int64_t row,           \
                                              const skk_merged *m, int64_t c0, int64_t c1);

SKK_DECLARE_ISA(avx512)
SKK_DECLARE_ISA(avx2)
SKK_DECLARE_ISA(scalar)
SKK_DECLARE_ISA(wasm)
SKK_DECLARE_ISA(wasmrelaxed)

#ifdef __cplusplus
}
#endif

#endif
