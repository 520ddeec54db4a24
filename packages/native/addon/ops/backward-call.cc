#include "backward-call.h"

#include <memory>

namespace skk {

Napi::Value backward_call(Backend &backend, const Napi::CallbackInfo &info, bool log_softmax, Arrays from) {
  Args args(info, backend.params(info.Env()));
  backend.check_alive(args);
  const char *a_name = log_softmax ? "logp" : "y";
  ArrayArg a, dy, out;
  CallNumbers c;
  if (from == Arrays::kStage) {
    c = staged_numbers(args);
    a = backend.stage(args, 0, c.elements, c.dt, a_name);
    dy = backend.stage(args, 1, c.elements, c.dt, "dy");
    out = backend.stage(args, 2, c.elements, c.dt, "out");
  } else {
    a = args.floats(0, a_name, -1);
    c.dt = a.f64 ? 1 : 0;
    dy = args.floats(1, "dy", c.dt);
    out = args.floats(2, "out", c.dt);
    c.v = args.view(P{0}, &c.elements);
    c.inv_t = args.finite(P{3}, "invTemperature", true);
    c.mask = args.mask(3, c.v, P{4});
    c.async = args.boolean(P{5}, "async");
    require_length(args, a, c.elements, a_name);
    require_length(args, dy, c.elements, "dy");
    require_length(args, out, c.elements, "out");
    args.input(a);
    args.input(dy);
    args.output(out);
    args.check_overlaps();
  }
  const skk_backward_args k{c.v, c.mask, c.inv_t, a.data, dy.data, out.data};
  BackwardFn fn = log_softmax ? backend.table().log_softmax_backward[c.dt] : backend.table().softmax_backward[c.dt];
  return backend.run_slices(args, Work{c.v.outer * c.v.inner, c.v.n}, c.async, k, fn);
}

}  // namespace skk
