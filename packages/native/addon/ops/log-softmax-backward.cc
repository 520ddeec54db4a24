// LogSoftmaxBackward: the binding method (arguments and splitting in backward-call.cc).
#include "backward-call.h"

namespace skk {

Napi::Value Backend::LogSoftmaxBackward(const Napi::CallbackInfo &info) { return backward_call(*this, info, true); }

}  // namespace skk
