// softmaxBackward and logSoftmaxBackward share their arguments.
#pragma once

#include "../backend.h"

namespace skk {

// (a, dy, out, mask, maskOuterOffsets, maskInnerOffsets); params [outer, n, inner,
//  invTemperature, maskNStride, async]; a is y (softmaxBackward) or logp (logSoftmaxBackward).
// Staged: no arguments, a, dy and out in stage slots 0, 1 and 2, unmasked and sync; params
// [outer, n, inner, invTemperature, unused, 0, f64].
Napi::Value backward_call(Backend &backend, const Napi::CallbackInfo &info, bool log_softmax, Arrays from);

}  // namespace skk
