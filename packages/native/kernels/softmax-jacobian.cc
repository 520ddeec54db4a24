// softmaxJacobian: J[j, k] = (y_j [j == k] - y_j y_k) / T per slice, 0 in the rows and columns
// of positions that do not take part (whose y is never read). Meant for small n: plain loops.
#include "slice.h"

using namespace SKK_NS;

namespace SKK_NS {

template <class T>
void jacobian_entry(const skk_jacobian_args &a, int64_t begin, int64_t end) {
  const int64_t n = a.view.n, inner = a.view.inner;
  const T *y = static_cast<const T *>(a.y);
  T *out = static_cast<T *>(a.out);
  const T inv_t = static_cast<T>(a.inv_temperature);
  for (int64_t s = begin; s < end; s++) {
    const int64_t o = s / inner, i = s % inner;
    const MaskSlice ms = mask_slice(a.mask, o, i);
    for (int64_t j = 0; j < n; j++) {
      const int64_t at = (o * n + j) * inner + i;
      T *row = out + at * n;
      if (!ms.on(j)) {
        for (int64_t k = 0; k < n; k++) row[k] = T(0);
        continue;
      }
      const T yj = y[at];
      for (int64_t k = 0; k < n; k++) {
        if (!ms.on(k)) {
          row[k] = T(0);
          continue;
        }
        const T yk = y[(o * n + k) * inner + i];
        row[k] = ((j == k ? yj : T(0)) - yj * yk) * inv_t;
      }
    }
  }
}

}  // namespace SKK_NS

extern "C" {

void SKK_ENTRY(softmax_jacobian_f32)(const skk_jacobian_args *a, int64_t begin, int64_t end) {
  jacobian_entry<float>(*a, begin, end);
}
void SKK_ENTRY(softmax_jacobian_f64)(const skk_jacobian_args *a, int64_t begin, int64_t end) {
  jacobian_entry<double>(*a, begin, end);
}
}
