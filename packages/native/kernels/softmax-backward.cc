// softmaxBackward: out = y (dy - sum(dy y)) / T over the positions that take part (backward.h).
#include "backward.h"

using namespace SKK_NS;

extern "C" {

void SKK_ENTRY(softmax_backward_f32)(const skk_backward_args *a, int64_t begin, int64_t end) {
  backward_entry<kSoftmaxBackward, float>(*a, begin, end);
}
void SKK_ENTRY(softmax_backward_f64)(const skk_backward_args *a, int64_t begin, int64_t end) {
  backward_entry<kSoftmaxBackward, double>(*a, begin, end);
}
SKK_BACKWARD_ROW_ENTRIES(softmax_backward, kSoftmaxBackward)
}
