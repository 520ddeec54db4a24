// Softmax: the binding method (arguments and splitting in forward-call.cc).
#include "forward-call.h"

namespace skk {

Napi::Value Backend::Softmax(const Napi::CallbackInfo &info) {
  return forward_call(*this, info, ForwardKind::kSoftmax);
}

}  // namespace skk
