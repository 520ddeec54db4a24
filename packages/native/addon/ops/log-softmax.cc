// LogSoftmax: the binding method (arguments and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::LogSoftmax(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kLogSoftmax);
}

}  // namespace skk
