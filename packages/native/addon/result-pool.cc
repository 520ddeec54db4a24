#include "result-pool.h"

#include <cstdint>
#include <mutex>
#include <new>
#include <vector>

#if defined(__unix__) || defined(__APPLE__)
#include <sys/mman.h>
#define SKK_HAS_MMAP 1
#endif

namespace skk {
namespace {

constexpr size_t kPage = 4096;
constexpr size_t kHuge = size_t{2} << 20;

struct Block {
  void *data;
  size_t capacity;
};

// Shared by every Node environment (worker threads load the addon once per process): blocks
// are taken on one JS thread and may come back on another's.
std::mutex mutex;
std::vector<Block> kept;  // most recently returned last
size_t kept_bytes = 0;
size_t live = 0;
size_t served = 0;
size_t reused = 0;

size_t round_up(size_t bytes, size_t to) { return (bytes + to - 1) / to * to; }

#ifdef SKK_HAS_MMAP
void *map_block(size_t capacity) {
  if (capacity < kHuge) {
    void *p = mmap(nullptr, capacity, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? nullptr : p;
  }
  // over-map by 2 MiB and cut to a 2 MiB boundary, so huge pages can back the whole block
  size_t span = capacity + kHuge;
  void *p = mmap(nullptr, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) return nullptr;
  uintptr_t start = reinterpret_cast<uintptr_t>(p);
  uintptr_t aligned = round_up(start, kHuge);
  if (aligned > start) munmap(p, aligned - start);
  size_t tail = start + span - (aligned + capacity);
  if (tail > 0) munmap(reinterpret_cast<void *>(aligned + capacity), tail);
#ifdef MADV_HUGEPAGE
  madvise(reinterpret_cast<void *>(aligned), capacity, MADV_HUGEPAGE);
#endif
  return reinterpret_cast<void *>(aligned);
}
void unmap_block(const Block &b) { munmap(b.data, b.capacity); }
#else
void *map_block(size_t capacity) { return ::operator new(capacity, std::align_val_t(64), std::nothrow); }
void unmap_block(const Block &b) { ::operator delete(b.data, std::align_val_t(64)); }
#endif

size_t capacity_for(size_t bytes) { return round_up(bytes, kPage); }

// A kept block of at least `bytes` wasting at most a quarter of itself, the smallest such.
bool take_kept(size_t bytes, Block *out) {
  size_t best = kept.size();
  for (size_t k = 0; k < kept.size(); k++) {
    size_t c = kept[k].capacity;
    if (c >= bytes && c - bytes <= c / 4 && (best == kept.size() || c < kept[best].capacity)) best = k;
  }
  if (best == kept.size()) return false;
  *out = kept[best];
  kept_bytes -= out->capacity;
  kept.erase(kept.begin() + static_cast<std::ptrdiff_t>(best));
  return true;
}

// Keeps a block, unmapping the oldest kept ones (or this one) past the cache limit.
void keep(Block block) {
  std::vector<Block> drop;
  {
    std::lock_guard<std::mutex> lock(mutex);
    if (block.capacity > kResultCacheBytes) {
      drop.push_back(block);
    } else {
      while (kept_bytes + block.capacity > kResultCacheBytes) {
        drop.push_back(kept.front());
        kept_bytes -= kept.front().capacity;
        kept.erase(kept.begin());
      }
      kept.push_back(block);
      kept_bytes += block.capacity;
    }
  }
  for (const Block &b : drop) unmap_block(b);
}

// A result's array was collected: its block is no longer live, and is kept for the next one.
void finalize(napi_env, void *data, void *hint) {
  {
    std::lock_guard<std::mutex> lock(mutex);
    live--;
  }
  keep(Block{data, reinterpret_cast<size_t>(hint)});
}

}  // namespace

Napi::Value NewResultBuffer(Napi::Env env, size_t bytes) {
  Block block{nullptr, 0};
  bool from_kept;
  {
    std::lock_guard<std::mutex> lock(mutex);
    from_kept = take_kept(bytes, &block);
  }
  if (!from_kept) {
    block.capacity = capacity_for(bytes);
    block.data = map_block(block.capacity);
    if (block.data == nullptr) {
      throw Napi::Error::New(env, "@softmax-kit/native: out of memory for a result of " + std::to_string(bytes) + " bytes");
    }
  }
  napi_value buffer;
  napi_status status = napi_create_external_arraybuffer(env, block.data, bytes, finalize,
                                                        reinterpret_cast<void *>(block.capacity), &buffer);
  if (status != napi_ok) {
    // e.g. napi_no_external_buffers_allowed (a V8 memory cage): the caller allocates instead
    keep(block);
    return Napi::Value();
  }
  // counted once the block is handed out, so a refused buffer counts nothing
  std::lock_guard<std::mutex> lock(mutex);
  live++;
  served++;
  if (from_kept) reused++;
  return Napi::Value(env, buffer);
}

void TrimResultPool() {
  std::vector<Block> drop;
  {
    std::lock_guard<std::mutex> lock(mutex);
    drop.swap(kept);
    kept_bytes = 0;
  }
  for (const Block &b : drop) unmap_block(b);
}

ResultPoolStats ResultPoolSnapshot() {
  std::lock_guard<std::mutex> lock(mutex);
  return ResultPoolStats{kept.size(), kept_bytes, live, served, reused};
}

}  // namespace skk
