// softmaxJacobian: (y, out, mask, maskOuterOffsets, maskInnerOffsets); params [outer, n,
// inner, invTemperature, maskNStride, async]; out has outer * n * inner * n elements.
#include <memory>

#include "../backend.h"

namespace skk {

Napi::Value Backend::SoftmaxJacobian(const Napi::CallbackInfo &info) {
  Args args(info, params(info.Env()));
  check_alive(args);
  ArrayArg y = args.floats(0, "y", -1);
  const int dt = y.f64 ? 1 : 0;
  ArrayArg out = args.floats(1, "out", dt);
  int64_t elements = 0;
  skk_view v = args.view(P{0}, &elements);
  double inv_t = args.finite(P{3}, "invTemperature", true);
  skk_mask mask = args.mask(2, v, P{4});
  bool async = args.boolean(P{5}, "async");
  require_length(args, y, elements, "y");
  int64_t out_elements = 0;
  if (__builtin_mul_overflow(elements, v.n, &out_elements)) args.range_error("the Jacobian's size overflows");
  require_length(args, out, out_elements, "out");
  args.input(y);
  args.output(out);
  args.check_overlaps();
  const skk_jacobian_args k{v, mask, inv_t, y.data, out.data};
  JacobianFn fn = table().softmax_jacobian[dt];
  return run_slices(args, Work{v.outer * v.inner, v.n * v.n}, async, k, fn);
}

}  // namespace skk
