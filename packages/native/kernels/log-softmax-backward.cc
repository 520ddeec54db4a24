// logSoftmaxBackward: out = (dy - exp(logp) sum(dy)) / T over the positions that take part
// (masked-out and logp = -Infinity positions get 0; backward.h).
#include "backward.h"

using namespace SKK_NS;

extern "C" {

void SKK_ENTRY(log_softmax_backward_f32)(const skk_backward_args *a, int64_t begin, int64_t end) {
  backward_entry<kLogSoftmaxBackward, float>(*a, begin, end);
}
void SKK_ENTRY(log_softmax_backward_f64)(const skk_backward_args *a, int64_t begin, int64_t end) {
  backward_entry<kLogSoftmaxBackward, double>(*a, begin, end);
}
void SKK_ENTRY(log_softmax_backward_row_sums_f32)(const skk_backward_args *a, int64_t row, int64_t b0, int64_t b1,
                                             double *sums) {
  backward_row_sums<kLogSoftmaxBackward, float>(*a, row, b0, b1, sums);
}
void SKK_ENTRY(log_softmax_backward_row_finish_f32)(const skk_backward_args *a, int64_t row, const double *sums, int64_t count,
                                               int64_t b0, int64_t b1) {
  backward_row_finish<kLogSoftmaxBackward, float>(*a, row, sums, count, b0, b1);
}
void SKK_ENTRY(log_softmax_backward_row_sums_f64)(const skk_backward_args *a, int64_t row, int64_t b0, int64_t b1,
                                             double *sums) {
  backward_row_sums<kLogSoftmaxBackward, double>(*a, row, b0, b1, sums);
}
void SKK_ENTRY(log_softmax_backward_row_finish_f64)(const skk_backward_args *a, int64_t row, const double *sums, int64_t count,
                                               int64_t b0, int64_t b1) {
  backward_row_finish<kLogSoftmaxBackward, double>(*a, row, sums, count, b0, b1);
}
}
