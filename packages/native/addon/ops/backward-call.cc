#include "backward-call.h"

#include <memory>

namespace skk {

Napi::Value backward_call(Backend &backend, const Napi::CallbackInfo &info, bool log_softmax) {
  Args args(info, backend.params(info.Env()));
  backend.check_alive(args);
  ArrayArg a = args.floats(0, log_softmax ? "logp" : "y", -1);
  const int dt = a.f64 ? 1 : 0;
  ArrayArg dy = args.floats(1, "dy", dt);
  ArrayArg out = args.floats(2, "out", dt);
  int64_t elements = 0;
  skk_view v = args.view(P{0}, &elements);
  double inv_t = args.finite(P{3}, "invTemperature", true);
  skk_mask mask = args.mask(3, v, P{4});
  bool async = args.boolean(P{5}, "async");
  require_length(args, a, elements, log_softmax ? "logp" : "y");
  require_length(args, dy, elements, "dy");
  require_length(args, out, elements, "out");
  args.input(a);
  args.input(dy);
  args.output(out);
  args.check_overlaps();
  const skk_backward_args k{v, mask, inv_t, a.data, dy.data, out.data};
  BackwardFn fn = log_softmax ? backend.table().log_softmax_backward[dt] : backend.table().softmax_backward[dt];
  return backend.run_slices(args, Work{v.outer * v.inner, v.n}, async, k, fn);
}

}  // namespace skk
