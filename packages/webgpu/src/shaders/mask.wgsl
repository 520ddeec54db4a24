// The `where` mask, for shaders that take one: bytes packed four to a u32 word (WGSL has no
// 8-bit storage), and for a broadcast mask the per-outer then per-inner offsets of MaskView.
// Both buffers are always bound (a 4-byte placeholder when unused).

override MASK: u32 = 0u; // 0 none, 1 dense (the element's own index), 2 broadcast (offsets)

@group(0) @binding(8) var<storage, read> maskWords: array<u32>;
@group(0) @binding(9) var<storage, read> maskOffsets: array<u32>;

// Does element (o, j, i), at flat index idx, take part? innerBase: where the inner offsets start.
fn takesPart(idx: u32, o: u32, j: u32, i: u32, nStride: u32, innerBase: u32) -> bool {
  if (MASK == 0u) {
    return true;
  }
  var m = idx;
  if (MASK == 2u) {
    m = maskOffsets[o] + j * nStride + maskOffsets[innerBase + i];
  }
  return ((maskWords[m >> 2u] >> ((m & 3u) * 8u)) & 0xffu) != 0u;
}
