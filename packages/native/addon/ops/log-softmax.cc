// LogSoftmax: the binding methods, arrays as arguments or staged (checks and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::LogSoftmax(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSoftmax, Arrays::kArguments);
}

Napi::Value Backend::LogSoftmaxStaged(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSoftmax, Arrays::kStage);
}

}  // namespace skk
