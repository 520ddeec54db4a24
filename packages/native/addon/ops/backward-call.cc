#include "backward-call.h"

#include <memory>

namespace skk {

Napi::Value backward_call(Backend &backend, const Napi::CallbackInfo &info, bool log_softmax, Arrays from) {
  Args args(info, backend.params(info.Env()));
  backend.check_alive(args);
  const char *a_name = log_softmax ? "logp" : "y";
  ArrayArg a, dy, out;
  int dt = 0;
  int64_t elements = 0;
  skk_view v;
  double inv_t = 0;
  skk_mask mask{};
  bool async = false;
  if (from == Arrays::kStage) {
    dt = args.boolean(P{kStagedF64Slot}, "f64") ? 1 : 0;
    v = args.view(P{0}, &elements);
    inv_t = args.finite(P{3}, "invTemperature", true);
    if (args.boolean(P{5}, "async")) args.range_error("a staged call is synchronous (async must be 0)");
    a = backend.stage(args, 0, elements, dt, a_name);
    dy = backend.stage(args, 1, elements, dt, "dy");
    out = backend.stage(args, 2, elements, dt, "out");
  } else {
    a = args.floats(0, a_name, -1);
    dt = a.f64 ? 1 : 0;
    dy = args.floats(1, "dy", dt);
    out = args.floats(2, "out", dt);
    v = args.view(P{0}, &elements);
    inv_t = args.finite(P{3}, "invTemperature", true);
    mask = args.mask(3, v, P{4});
    async = args.boolean(P{5}, "async");
    require_length(args, a, elements, a_name);
    require_length(args, dy, elements, "dy");
    require_length(args, out, elements, "out");
    args.input(a);
    args.input(dy);
    args.output(out);
    args.check_overlaps();
  }
  const skk_backward_args k{v, mask, inv_t, a.data, dy.data, out.data};
  BackwardFn fn = log_softmax ? backend.table().log_softmax_backward[dt] : backend.table().softmax_backward[dt];
  return backend.run_slices(args, Work{v.outer * v.inner, v.n}, async, k, fn);
}

}  // namespace skk
