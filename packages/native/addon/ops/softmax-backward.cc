// SoftmaxBackward: the binding methods, arrays as arguments or staged (checks and splitting in backward-call.cc).
#include "backward-call.h"

namespace skk {

Napi::Value Backend::SoftmaxBackward(const Napi::CallbackInfo &info) {
  return backward_call(*this, info, false, Arrays::kArguments);
}

Napi::Value Backend::SoftmaxBackwardStaged(const Napi::CallbackInfo &info) {
  return backward_call(*this, info, false, Arrays::kStage);
}

}  // namespace skk
