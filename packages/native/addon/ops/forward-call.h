// The three forward ops share their arguments and their long-row split.
#pragma once

#include "../backend.h"

namespace skk {

enum class ForwardKind { kSoftmax, kLogSoftmax, kLogSumExp };

// (x, out, mask, maskOuterOffsets, maskInnerOffsets); params [outer, n, inner,
//  invTemperature, maskNStride, async]. Staged: no arguments, x in stage slot 0 and out in
//  slot 1, unmasked and sync; params [outer, n, inner, invTemperature, unused, 0, f64].
Napi::Value forward_call(Backend &backend, const Napi::CallbackInfo &info, ForwardKind kind, Arrays from);

}  // namespace skk
