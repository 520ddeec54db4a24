// LogSumExp: the binding method (arguments and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::LogSumExp(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSumExp);
}

}  // namespace skk
