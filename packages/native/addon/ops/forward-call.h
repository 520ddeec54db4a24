// The three forward ops share their arguments and their long-row split.
#pragma once

#include "../backend.h"

namespace skk {

enum class ForwardKind { kSoftmax, kLogSoftmax, kLogSumExp };

// (x, out, mask, maskOuterOffsets, maskInnerOffsets); params [outer, n, inner,
//  invTemperature, maskNStride, async]
Napi::Value forward_call(Backend &backend, const Napi::CallbackInfo &info, ForwardKind kind);

}  // namespace skk
