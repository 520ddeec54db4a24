// logSumExp: max / T + log(sum) per slice, and the long-row steps shared by the forward ops
// (chunk partials and their merge; see softmax-kit-kernels.h).
#include "forward.h"

using namespace SKK_NS;

extern "C" {

void SKK_ENTRY(log_sum_exp_f32)(const skk_lse_args *a, int64_t begin, int64_t end) {
  forward_entry<float>(kLogSumExp, *a, begin, end);
}
void SKK_ENTRY(log_sum_exp_f64)(const skk_lse_args *a, int64_t begin, int64_t end) {
  forward_entry<double>(kLogSumExp, *a, begin, end);
}
void SKK_ENTRY(row_partials_f32)(const skk_forward_args *a, int64_t row, int64_t c0, int64_t c1,
                                 skk_partial *partials) {
  row_partials<float>(*a, row, c0, c1, partials);
}
void SKK_ENTRY(row_partials_f64)(const skk_forward_args *a, int64_t row, int64_t c0, int64_t c1,
                                 skk_partial *partials) {
  row_partials<double>(*a, row, c0, c1, partials);
}
void SKK_ENTRY(merge_partials_f32)(const skk_partial *partials, int64_t count, double inv_t, skk_merged *merged) {
  merge_partials(partials, count, inv_t, true, merged);
}
void SKK_ENTRY(merge_partials_f64)(const skk_partial *partials, int64_t count, double inv_t, skk_merged *merged) {
  merge_partials(partials, count, inv_t, false, merged);
}
void SKK_ENTRY(log_sum_exp_row_finish_f32)(const skk_forward_args *a, int64_t row, const skk_merged *m, int64_t,
                                           int64_t) {
  const float inv_t = static_cast<float>(a->inv_temperature);
  static_cast<float *>(a->out)[row] = static_cast<float>(m->max * static_cast<double>(inv_t) + log_d(m->sum));
}
void SKK_ENTRY(log_sum_exp_row_finish_f64)(const skk_forward_args *a, int64_t row, const skk_merged *m, int64_t,
                                           int64_t) {
  static_cast<double *>(a->out)[row] = m->max * a->inv_temperature + log_d(m->sum);
}
}
