// softmaxBackward and logSoftmaxBackward share their arguments.
#pragma once

#include "../backend.h"

namespace skk {

// (a, dy, out, mask, maskOuterOffsets, maskInnerOffsets); params [outer, n, inner,
//  invTemperature, maskNStride, async]; a is y (softmaxBackward) or logp (logSoftmaxBackward).
Napi::Value backward_call(Backend &backend, const Napi::CallbackInfo &info, bool log_softmax);

}  // namespace skk
