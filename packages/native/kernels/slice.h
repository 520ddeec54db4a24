// Reading one slice or a block of slices: partial loads for row tails, mask lanes in every
// broadcast form, and the sizes that fix how a row is cut (never the thread count).
#ifndef SKK_SLICE_H
#define SKK_SLICE_H

#include "math.h"

namespace SKK_NS {

// Float partial sums are flushed to double every kFlush elements of a slice, so long rows
// keep float32's sums inside the accuracy bounds.
constexpr int64_t kFlush = SKK_FLUSH;

inline int64_t min64(int64_t a, int64_t b) { return a < b ? a : b; }

// Asks for the cache lines of [p, p + kBytes) into L2 ahead of use (a hint: never faults; wasm
// has no prefetch instruction, so there it does nothing).
template <size_t kBytes>
inline void prefetch_block(const void *p) {
  for (size_t b = 0; b < kBytes; b += 64) __builtin_prefetch(static_cast<const char *>(p) + b, 0, 2);
}

// What a row's exp pass brings in for the next row while it computes (each pointer nullable):
// its input `x`, and where the target fetches by loading, its output `out`. Functions take the
// two pointers, not this struct: a wasm32 struct argument goes through memory, written as two
// 4-byte stores and read as one 8-byte load, which stalls store forwarding (a 4096x16 softmax
// ran 1.08x slower); and g++ 12 dropped the prefetches when the struct came by reference
// (AVX2 softmax 4096x1024 1.7-1.9x slower; by const reference at 32768x128 still 1.3-1.8x).
template <class T>
struct Ahead {
  const T *x;
  const T *out;
};

// Wasm has no prefetch: there the next row is fetched by plain loads, one per cache line (in
// bounds, so only pointers inside the arrays), and only for rows of kTouchMinBytes to
// kTouchMaxBytes. Softmax in V8 on Zen 3, one thread, loads against none: rows of 1 KB 8%
// faster, 2-16 KB 14-19% (a new page every row or so, where the hardware prefetcher stops),
// 512 bytes and shorter 4-5% slower, 32 KB and longer 3-8% slower.
#if defined(__wasm__)
constexpr bool kFetchByLoad = true;
#else
constexpr bool kFetchByLoad = false;
#endif
constexpr int64_t kTouchMinBytes = 1024;
constexpr int64_t kTouchMaxBytes = 16384;

template <size_t kBytes>
inline void touch_block(const void *p) {
  for (size_t b = 0; b < kBytes; b += 64) (void)*(static_cast<const volatile char *>(p) + b);
}

// Fetches the kBytes at offset j (elements) of the next row's input x and output out (each
// nullable; out only where fetching is by loads): prefetched or, on wasm, loaded.
template <size_t kBytes, class T>
inline void fetch_ahead(const T *x, const T *out, int64_t j) {
  if (x == nullptr) return;
  if (!kFetchByLoad) return prefetch_block<kBytes>(x + j);
  touch_block<kBytes>(x + j);
  if (out != nullptr) touch_block<kBytes>(out + j);
}

// The next row's fetch for a row of n elements that has one after it (has_next): its input,
// plus its output where fetching is by loads (not for logSumExp, whose output is one number a
// row: with_out false).
template <class T>
inline Ahead<T> ahead_of(const T *x, T *out, int64_t n, bool has_next, bool with_out) {
  if (!has_next) return {nullptr, nullptr};
  if (!kFetchByLoad) return {x + n, nullptr};
  const int64_t bytes = n * static_cast<int64_t>(sizeof(T));
  if (bytes < kTouchMinBytes || bytes > kTouchMaxBytes) return {nullptr, nullptr};
  return {x + n, with_out ? out + n : nullptr};
}

// The mask bytes of one slice (o, ., i): base[j * stride]. base == nullptr: no mask.
struct MaskSlice {
  const uint8_t *base;
  int64_t stride;
  bool on(int64_t j) const { return base == nullptr || base[j * stride] != 0; }
};

inline MaskSlice mask_slice(const skk_mask &m, int64_t o, int64_t i) {
  if (m.data == nullptr) return {nullptr, 0};
  return {m.data + m.outer_offsets[o] + m.inner_offsets[i], m.n_stride};
}

// A mask broadcast along the slice (n stride 0) switches the whole slice on or off: false when
// it is off; when it is on, `ms` becomes no mask, so the slice runs unmasked.
inline bool slice_switched_on(MaskSlice &ms) {
  if (ms.base == nullptr || ms.stride != 0) return true;
  if (*ms.base == 0) return false;
  ms.base = nullptr;
  return true;
}

// The first `count` lanes (0 < count <= W) of a vector from p, the rest `fill`: a masked load
// where the target has one (kMaskedParts); else through a buffer, whose whole-vector load after
// narrower stores stalls store forwarding (every row tail and streamed head pays it).
template <class V>
inline V load_part(const typename V::T *p, int64_t count, typename V::T fill) {
  if constexpr (V::kMaskedParts) {
    return V::load_n(p, count, fill);
  } else {
    typename V::T buf[V::W];
    for (int l = 0; l < V::W; l++) buf[l] = l < count ? p[l] : fill;
    return V::load(buf);
  }
}

template <class V>
inline void store_part(typename V::T *p, V v, int64_t count) {
  if constexpr (V::kMaskedParts) {
    V::store_n(p, v, count);
  } else {
    typename V::T buf[V::W];
    V::store(buf, v);
    for (int l = 0; l < count; l++) p[l] = buf[l];
  }
}

// Outputs at least this large are written with non-temporal stores: they leave the cache
// anyway, and skipping the read-for-ownership saves a third of the traffic. Smaller ones stay
// in cache for whoever reads them next (streaming them would be several times slower).
constexpr int64_t kStreamBytes = int64_t(8) << 20;

// Where stream() is a non-temporal store (x86); elsewhere it is a plain store, and a StreamCarry
// would only add work.
#if defined(SKK_ISA_AVX512) || defined(SKK_ISA_AVX2)
constexpr bool kNonTemporalStores = true;
#else
constexpr bool kNonTemporalStores = false;
#endif

// Whether a call's rows (inner == 1) write their outputs with non-temporal stores: outputs of
// kStreamBytes and more, where the target has such stores. Elsewhere nothing streams: a plain
// store gains nothing from it, and in wasm a call covers one worker's share of the rows, so a
// size test would make the path, and the last bits, depend on the thread count.
template <class T>
inline bool streams_rows(const skk_view &v) {
  return kNonTemporalStores && v.inner == 1 && v.outer * v.n * static_cast<int64_t>(sizeof(T)) >= kStreamBytes;
}

// A streamed output's last partial vector, held until the next row (contiguous in memory)
// completes it, so the vector shared by two rows is streamed too. Without it, that vector takes
// plain stores, each of which first fetches its line (read for ownership) while every store
// behind it waits: a large Float32Array in Node starts 16 bytes past a 64-byte boundary, so every
// row has such a vector, and an AVX-512 softmax at 32768x128 took 1.7x its time on an aligned
// output. The lanes are joined in registers (V::splice): joined through memory, the load of the
// whole vector after two narrower stores stalls store forwarding. The row loop that owns the
// carry flushes it (plain stores) before its fence.
template <class V>
struct StreamCarry {
  using T = typename V::T;
  T *at = nullptr;    // the pending vector's address (aligned)
  int64_t count = 0;  // its lanes written so far
  V lanes;
  void flush() {
    if (kNonTemporalStores && count > 0) store_part(at, lanes, count);
    count = 0;
  }
};

// Writes out[j0 .. j1) W at a time: full(j) gives a whole vector, part(j, count) the first
// `count` lanes. With `stream`, an unaligned head is stored normally, the rest streamed; with a
// carry as well (targets with non-temporal stores), the head completes the carried vector when
// that ends where the head starts, and an unaligned tail is carried instead of stored.
template <class V, class Full, class Part>
inline void emit(typename V::T *out, int64_t j0, int64_t j1, bool stream, Full full, Part part,
                 StreamCarry<V> *carry = nullptr) {
  using T = typename V::T;
  int64_t j = j0;
  if (stream) {
    if constexpr (kNonTemporalStores) {
      if (carry != nullptr && carry->count > 0) {
        if (carry->at + carry->count != out + j) {
          carry->flush();
        } else {
          const int64_t k = min64(j1 - j, V::W - carry->count);
          carry->lanes = V::splice(carry->lanes, part(j, k), carry->count);
          carry->count += k;
          j += k;
          if (carry->count < V::W) return;  // a row shorter than the gap: still pending
          V::stream(carry->at, carry->lanes);
          carry->count = 0;
        }
      }
    }
    const int64_t align = static_cast<int64_t>(V::W * sizeof(T));
    const int64_t mis = static_cast<int64_t>(reinterpret_cast<uintptr_t>(out + j) % align);
    if (mis != 0) {
      const int64_t head = min64(j1 - j, (align - mis) / static_cast<int64_t>(sizeof(T)));
      if (head > 0) store_part(out + j, part(j, head), head);
      j += head;
    }
    for (; j + V::W <= j1; j += V::W) V::stream(out + j, full(j));
    if constexpr (kNonTemporalStores) {
      if (j < j1 && carry != nullptr) {
        *carry = {out + j, j1 - j, part(j, j1 - j)};
        return;
      }
    }
  } else {
    for (; j + V::W <= j1; j += V::W) V::store(out + j, full(j));
  }
  if (j < j1) store_part(out + j, part(j, j1 - j), j1 - j);
}

// Mask lanes for elements j .. j + count - 1 of a slice; lanes past count are off.
template <class V>
inline typename V::Mask mask_part(MaskSlice ms, int64_t j, int64_t count) {
  if (ms.stride == 1 && count == V::W) return V::mask_from_bytes(ms.base + j);
  uint8_t buf[V::W];
  for (int l = 0; l < V::W; l++) buf[l] = l < count ? ms.base[(j + l) * ms.stride] : 0;
  return V::mask_from_bytes(buf);
}

// A row (inner == 1) read W elements at a time; masked-out elements read as `fill`.
template <class V, bool kMasked>
struct RowReader {
  using T = typename V::T;
  const T *x;
  MaskSlice ms;
  V full(int64_t j, T fill) const {
    V v = V::load(x + j);
    if (kMasked) v = select(mask_part<V>(ms, j, V::W), v, V::set1(fill));
    return v;
  }
  V part(int64_t j, int64_t count, T fill) const {
    V v = load_part<V>(x + j, count, fill);
    if (kMasked) v = select(mask_part<V>(ms, j, count), v, V::set1(fill));
    return v;
  }
  typename V::Mask on_full(int64_t j) const { return mask_part<V>(ms, j, V::W); }
  typename V::Mask on_part(int64_t j, int64_t count) const { return mask_part<V>(ms, j, count); }
};

// The mask lanes of a block of slices (o, ., i0 .. i0 + W - 1) at position j.
template <class V>
struct LaneMask {
  const uint8_t *base;  // data + outer_offsets[o] (+ inner_offsets[i0] when contiguous)
  int64_t stride;
  const int32_t *inner;  // inner_offsets + i0, or nullptr when the block's bytes are contiguous
  typename V::Mask at(int64_t j) const {
    if (inner == nullptr) return V::mask_from_bytes(base + j * stride);
    uint8_t buf[V::W];
    for (int l = 0; l < V::W; l++) buf[l] = base[j * stride + inner[l]];
    return V::mask_from_bytes(buf);
  }
};

template <class V>
inline LaneMask<V> lane_mask(const skk_mask &m, int64_t o, int64_t i0) {
  const int32_t *inner = m.inner_offsets + i0;
  bool contiguous = true;
  for (int l = 1; l < V::W; l++) contiguous = contiguous && inner[l] == inner[0] + l;
  const uint8_t *base = m.data + m.outer_offsets[o];
  if (contiguous) return {base + inner[0], m.n_stride, nullptr};
  return {base, m.n_stride, inner};
}

}  // namespace SKK_NS

#endif
