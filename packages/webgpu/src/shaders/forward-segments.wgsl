// softmax and log-softmax of long vec4 rows on software adapters (CPU SIMD lanes, where
// workgroup barriers are costly): each invocation owns one segment of a row, no barriers. The
// invocations of a workgroup interleave over one block of WG segments, so neighbouring SIMD lanes
// read neighbouring vec4s.
// PHASE 1: the segment's (max, sum), flags and shift (scan) go to partials[row * chunks + c], and
// for softmax its exps to `out`; forward-merge.wgsl combines each row's segments at
// partials[rows * chunks + row];
// PHASE 3: the segment's outputs from the row's statistics (softmax: the kept exps, scaled).

override PHASE: u32 = 1u;
override OP: u32 = 0u; // 0 softmax, 1 log-softmax

@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = workgroupIndex(wid, params.gridX) * WG + lid;
  let chunks = params.chunks;
  if (g >= params.count * chunks) {
    return;
  }
  let row = g / chunks;
  let c = g % chunks;
  let n4 = params.n / 4u;
  // the WG invocations of a workgroup interleave over one block of WG * chunkLen vec4s
  let span = WG * params.chunkLen;
  let block = c / WG;
  let start = row * n4 + block * span + lid;
  let end = row * n4 + min(n4, (block + 1u) * span);
  if (PHASE == 1u) {
    // softmax keeps its exps in `out` (and their shift in the partial) for PHASE 3 to scale
    let r = scan(start, end, WG, params.invT, OP == 0u);
    partials[g] = vec4<u32>(bitcast<u32>(r.st.m), bitcast<u32>(r.st.s), r.st.flags, bitcast<u32>(r.shift));
  } else {
    let p = partials[params.count * chunks + row];
    let st = Stats(bitcast<f32>(p.x), bitcast<f32>(p.y), p.z);
    if (OP == 0u && st.flags == 0u && st.s > 0.0) {
      scaleOutputs(start, end, WG, st, bitcast<f32>(partials[g].w));
    } else {
      writeOutputs(OP, start, end, WG, st, params.invT);
    }
  }
}
