// Memory ceilings for scripts/kernel-bench.mjs (not part of the package): every invocation owns
// a segment of SEGMENT vec4s, like forward-segments, and copies it (READS 1: one read, one write)
// or reads it twice and writes it once (READS 2: the reads a two-pass softmax cannot avoid).

override WG: u32 = 16u;
override READS: u32 = 1u;

struct Sizes {
  n4: u32,
  segment: u32,
  segments: u32,
  // always 0
  pad: u32,
}

@group(0) @binding(0) var<uniform> sizes: Sizes;
@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> y: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = wid.x * WG + lid;
  if (g >= sizes.segments) {
    return;
  }
  let start = g * sizes.segment;
  let end = min(sizes.n4, start + sizes.segment);
  var acc = vec4<u32>(0u);
  if (READS == 2u) {
    for (var k = start; k < end; k++) {
      acc = max(acc, x[k]);
    }
    // zero at run time (sizes.pad is 0), which the compiler cannot know: the reads stay
    acc = acc & vec4<u32>(sizes.pad);
  }
  for (var k = start; k < end; k++) {
    y[k] = x[k] | acc;
  }
}
