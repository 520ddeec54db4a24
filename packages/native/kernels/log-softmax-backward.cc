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
SKK_BACKWARD_ROW_ENTRIES(log_softmax_backward, kLogSoftmaxBackward)
}
