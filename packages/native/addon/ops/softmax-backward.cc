// SoftmaxBackward: the binding method (arguments and splitting in backward-call.cc).
#include "backward-call.h"

namespace skk {

Napi::Value Backend::SoftmaxBackward(const Napi::CallbackInfo &info) { return backward_call(*this, info, false); }

}  // namespace skk
