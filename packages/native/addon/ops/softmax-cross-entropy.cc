// softmaxCrossEntropy: (logits, labels | null, probabilities | null, weights | null, lossOut,
// gradOut); params [outer, n, inner, ignoreIndex, labelSmoothing, gradScale, lossScale, async].
// Exactly one of labels / probabilities; every label is in [0, n) or equals ignoreIndex.
// softmaxCrossEntropyStaged: no arguments; logits, target, weights, lossOut and gradOut in stage
// slots 0-4, and params 8-10 say the dtype, the kind of target and whether there are weights.
#include <memory>
#include <string>

#include "../backend.h"

namespace skk {

namespace {

struct CeArrays {
  ArrayArg logits, labels, probs, weights, loss, grad;
  bool has_labels = false, has_probs = false, has_weights = false;
  int dt = 0;
};

// The arrays as arguments, each of the right type (lengths are checked once the view is known).
CeArrays argument_arrays(Args &args) {
  CeArrays a;
  a.logits = args.floats(0, "logits", -1);
  a.dt = a.logits.f64 ? 1 : 0;
  a.labels = args.ints_or_null(1, "labels");
  a.probs = args.floats_or_null(2, "probabilities", a.dt);
  a.weights = args.floats_or_null(3, "weights", a.dt);
  a.loss = args.floats(4, "lossOut", a.dt);
  a.grad = args.floats(5, "gradOut", a.dt);
  a.has_labels = a.labels.value != nullptr;
  a.has_probs = a.probs.value != nullptr;
  a.has_weights = a.weights.value != nullptr;
  if (a.has_labels == a.has_probs) args.type_error("give exactly one of labels and probabilities");
  return a;
}

// Argument arrays against the view: their lengths, and no output sharing memory with anything.
void check_arguments(Args &args, const CeArrays &a, const skk_view &v, int64_t elements) {
  const int64_t samples = v.outer * v.inner;
  require_length(args, a.logits, elements, "logits");
  require_length(args, a.grad, elements, "gradOut");
  require_length(args, a.loss, samples, "lossOut");
  if (a.has_labels) {
    require_length(args, a.labels, samples, "labels");
    args.input(a.labels);
  } else {
    require_length(args, a.probs, elements, "probabilities");
    args.input(a.probs);
  }
  if (a.has_weights) {
    require_length(args, a.weights, v.n, "weights");
    args.input(a.weights);
  }
  args.input(a.logits);
  args.output(a.loss);
  args.output(a.grad);
  args.check_overlaps();
}

// The arrays in the stage: each slot holds its array at the view's length (distinct slots never
// overlap); labels are int32, as wide as float32.
CeArrays staged_arrays(const Backend &backend, Args &args, const skk_view &v, int64_t elements) {
  CeArrays a;
  a.dt = args.boolean(P{kStagedCeF64Slot}, "f64") ? 1 : 0;
  a.has_probs = args.boolean(P{kStagedCeProbsSlot}, "probabilities");
  a.has_labels = !a.has_probs;
  a.has_weights = args.boolean(P{kStagedCeWeightsSlot}, "weights");
  const int64_t samples = v.outer * v.inner;
  a.logits = backend.stage(args, 0, elements, a.dt, "logits");
  if (a.has_probs) a.probs = backend.stage(args, 1, elements, a.dt, "probabilities");
  else a.labels = backend.stage(args, 1, samples, false, "labels");
  if (a.has_weights) a.weights = backend.stage(args, 2, v.n, a.dt, "weights");
  a.loss = backend.stage(args, 3, samples, a.dt, "lossOut");
  a.grad = backend.stage(args, 4, elements, a.dt, "gradOut");
  return a;
}

Napi::Value cross_entropy_call(Backend &backend, const Napi::CallbackInfo &info, Arrays from) {
  Args args(info, backend.params(info.Env()));
  backend.check_alive(args);
  int64_t elements = 0;
  CeArrays a;
  skk_view v;
  if (from == Arrays::kStage) {
    v = args.view(P{0}, &elements);
    a = staged_arrays(backend, args, v, elements);
  } else {
    a = argument_arrays(args);
    v = args.view(P{0}, &elements);
    check_arguments(args, a, v, elements);
  }
  const int64_t ignore = args.integer(P{3}, "ignoreIndex", -2147483648LL, 2147483647LL);
  const double smoothing = args.finite(P{4}, "labelSmoothing", false);
  if (smoothing < 0 || smoothing >= 1) args.range_error("labelSmoothing must be in [0, 1)");
  const double grad_scale = args.finite(P{5}, "gradScale", false);
  const double loss_scale = args.finite(P{6}, "lossScale", false);
  const bool async = args.boolean(P{7}, "async");
  if (async && from == Arrays::kStage) args.range_error("a staged call is synchronous (async must be 0)");
  const int64_t samples = v.outer * v.inner;
  if (a.has_labels) {
    const int32_t *l = static_cast<const int32_t *>(a.labels.data);
    for (int64_t s = 0; s < samples; s++) {
      if (l[s] != ignore && (l[s] < 0 || l[s] >= v.n)) {
        args.range_error("labels[" + std::to_string(s) + "] = " + std::to_string(l[s]) + " is outside [0, " +
                         std::to_string(v.n) + ") and is not ignoreIndex");
      }
    }
  }
  const skk_cross_entropy_args k{v,
                                 a.logits.data,
                                 static_cast<const int32_t *>(a.has_labels ? a.labels.data : nullptr),
                                 static_cast<int32_t>(ignore),
                                 a.has_probs ? a.probs.data : nullptr,
                                 a.has_weights ? a.weights.data : nullptr,
                                 smoothing,
                                 grad_scale,
                                 loss_scale,
                                 a.loss.data,
                                 a.grad.data};
  CrossEntropyFn fn = backend.table().softmax_cross_entropy[a.dt];
  return backend.run_slices(args, Work{samples, v.n}, async, k, fn);
}

}  // namespace

Napi::Value Backend::SoftmaxCrossEntropy(const Napi::CallbackInfo &info) {
  return cross_entropy_call(*this, info, Arrays::kArguments);
}

Napi::Value Backend::SoftmaxCrossEntropyStaged(const Napi::CallbackInfo &info) {
  return cross_entropy_call(*this, info, Arrays::kStage);
}

}  // namespace skk
