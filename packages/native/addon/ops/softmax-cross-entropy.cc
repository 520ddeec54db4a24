// softmaxCrossEntropy: (logits, labels | null, probabilities | null, weights | null, lossOut,
// gradOut); params [outer, n, inner, ignoreIndex, labelSmoothing, gradScale, lossScale, async].
// Exactly one of labels / probabilities; every label is in [0, n) or equals ignoreIndex.
#include <memory>
#include <string>

#include "../backend.h"

namespace skk {

Napi::Value Backend::SoftmaxCrossEntropy(const Napi::CallbackInfo &info) {
  Args args(info, params(info.Env()));
  check_alive(args);
  ArrayArg logits = args.floats(0, "logits", -1);
  const int dt = logits.f64 ? 1 : 0;
  ArrayArg labels = args.ints_or_null(1, "labels");
  ArrayArg probs = args.floats_or_null(2, "probabilities", dt);
  ArrayArg weights = args.floats_or_null(3, "weights", dt);
  ArrayArg loss = args.floats(4, "lossOut", dt);
  ArrayArg grad = args.floats(5, "gradOut", dt);
  int64_t elements = 0;
  skk_view v = args.view(P{0}, &elements);
  const int64_t ignore = args.integer(P{3}, "ignoreIndex", -2147483648LL, 2147483647LL);
  const double smoothing = args.finite(P{4}, "labelSmoothing", false);
  if (smoothing < 0 || smoothing >= 1) args.range_error("labelSmoothing must be in [0, 1)");
  const double grad_scale = args.finite(P{5}, "gradScale", false);
  const double loss_scale = args.finite(P{6}, "lossScale", false);
  bool async = args.boolean(P{7}, "async");
  if ((labels.value == nullptr) == (probs.value == nullptr)) {
    args.type_error("give exactly one of labels and probabilities");
  }
  const int64_t samples = v.outer * v.inner;
  require_length(args, logits, elements, "logits");
  require_length(args, grad, elements, "gradOut");
  require_length(args, loss, samples, "lossOut");
  if (labels.value != nullptr) {
    require_length(args, labels, samples, "labels");
    const int32_t *l = static_cast<const int32_t *>(labels.data);
    for (int64_t s = 0; s < samples; s++) {
      if (l[s] != ignore && (l[s] < 0 || l[s] >= v.n)) {
        args.range_error("labels[" + std::to_string(s) + "] = " + std::to_string(l[s]) + " is outside [0, " +
                         std::to_string(v.n) + ") and is not ignoreIndex");
      }
    }
    args.input(labels);
  } else {
    require_length(args, probs, elements, "probabilities");
    args.input(probs);
  }
  if (weights.value != nullptr) {
    require_length(args, weights, v.n, "weights");
    args.input(weights);
  }
  args.input(logits);
  args.output(loss);
  args.output(grad);
  args.check_overlaps();
  const skk_cross_entropy_args k{
      v, logits.data, static_cast<const int32_t *>(labels.value == nullptr ? nullptr : labels.data),
      static_cast<int32_t>(ignore), probs.value == nullptr ? nullptr : probs.data,
      weights.value == nullptr ? nullptr : weights.data, smoothing, grad_scale, loss_scale, loss.data, grad.data};
  CrossEntropyFn fn = table().softmax_cross_entropy[dt];
  return run_slices(args, Work{samples, v.n}, async, k, fn);
}

}  // namespace skk
