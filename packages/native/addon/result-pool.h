// Memory for new results (core asks for it through Backend.newResult): blocks of pages handed
// to JS as external ArrayBuffers and, once the array is collected, kept for the next result of a
// similar size. A fresh 16 MB result costs about 4,000 page faults on first write (10 ms on a
// VM here, three times the softmax itself); a kept block is already mapped. Blocks of 2 MiB and
// more start on a 2 MiB boundary with transparent huge pages asked for (Linux), so even a fresh
// one faults a few times instead of thousands.
#pragma once

#include <napi.h>

#include <cstddef>

namespace skk {

// How much freed result memory is kept for reuse; past it, blocks are unmapped.
constexpr size_t kResultCacheBytes = size_t{256} << 20;

struct ResultPoolStats {
  size_t cached_blocks;
  size_t cached_bytes;
  size_t live_blocks;  // handed out and not yet returned by their array's finalizer
  size_t served;       // results served since load
  size_t reused;       // of which from a kept block
};

// An ArrayBuffer of exactly `bytes` bytes, not zeroed, from the pool; an empty value when this
// runtime refuses external buffers (then the caller allocates as usual). Throws on no memory.
Napi::Value NewResultBuffer(Napi::Env env, size_t bytes);

// Unmaps every kept block (live ones return and are kept again later).
void TrimResultPool();

ResultPoolStats ResultPoolSnapshot();

}  // namespace skk
