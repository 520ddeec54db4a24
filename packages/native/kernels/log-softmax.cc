// logSoftmax: (x - max) / T - log(sum), never log(softmax) (forward.h holds the algorithm).
#include "forward.h"

using namespace SKK_NS;

extern "C" {

void SKK_ENTRY(log_softmax_f32)(const skk_forward_args *a, int64_t begin, int64_t end) {
  forward_entry<float>(kLogSoftmax, *a, begin, end);
}
void SKK_ENTRY(log_softmax_f64)(const skk_forward_args *a, int64_t begin, int64_t end) {
  forward_entry<double>(kLogSoftmax, *a, begin, end);
}
void SKK_ENTRY(log_softmax_row_finish_f32)(const skk_forward_args *a, int64_t row, const skk_merged *m,
                                           int64_t c0, int64_t c1) {
  row_finish<float>(kLogSoftmax, *a, row, *m, c0, c1);
}
void SKK_ENTRY(log_softmax_row_finish_f64)(const skk_forward_args *a, int64_t row, const skk_merged *m,
                                           int64_t c0, int64_t c1) {
  row_finish<double>(kLogSoftmax, *a, row, *m, c0, c1);
}
}
