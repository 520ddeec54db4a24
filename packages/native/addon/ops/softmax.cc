// Softmax: the binding methods, arrays as arguments or staged (checks and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::Softmax(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kSoftmax, Arrays::kArguments);
}

Napi::Value Backend::SoftmaxStaged(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kSoftmax, Arrays::kStage);
}

}  // namespace skk
