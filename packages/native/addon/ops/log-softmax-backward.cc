// LogSoftmaxBackward: the binding methods, arrays as arguments or staged (checks and splitting in backward-call.cc).
#include "backward-call.h"

namespace skk {

Napi::Value Backend::LogSoftmaxBackward(const Napi::CallbackInfo &info) {
  return backward_call(*this, info, true, Arrays::kArguments);
}

Napi::Value Backend::LogSoftmaxBackwardStaged(const Napi::CallbackInfo &info) {
  return backward_call(*this, info, true, Arrays::kStage);
}

}  // namespace skk
