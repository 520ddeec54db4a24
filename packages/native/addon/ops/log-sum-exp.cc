// LogSumExp: the binding methods, arrays as arguments or staged (checks and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::LogSumExp(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSumExp, Arrays::kArguments);
}

Napi::Value Backend::LogSumExpStaged(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSumExp, Arrays::kStage);
}

}  // namespace skk
