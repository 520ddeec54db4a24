// The uniform block every slice shader (forward*, backward*, jacobian) reads at binding 0, as
// params.ts's sliceParams writes it: 12 words.

struct Params {
  n: u32,
  inner: u32,
  // slices in the dispatch (for the Jacobian: output elements)
  count: u32,
  gridX: u32,
  invT: f32,
  nStride: u32,
  innerBase: u32,
  // long slices: chunks per slice and elements per chunk (vec4s for the segment kernels)
  chunks: u32,
  chunkLen: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
