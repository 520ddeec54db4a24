// Both backwards over long vec4 rows on software adapters (few rows: one invocation per row
// would leave CPU cores idle): each invocation owns one segment of a row, no barriers.
// PHASE 1: the segment's compensated sum and flags go to partials[row * chunks + c];
// PHASE 2: one invocation per row adds its segments into partials[rows * chunks + row];
// PHASE 3: the segment's outputs from the row's sum.

override PHASE: u32 = 1u;
override OP: u32 = 0u;

@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>; // y or logp
@group(0) @binding(2) var<storage, read_write> out: array<vec4<u32>>;
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read> dy: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let g = workgroupIndex(wid, params.gridX) * WG + lid;
  let chunks = params.chunks;
  if (PHASE == 2u) {
    if (g >= params.count) {
      return;
    }
    var acc = vec2<f32>(0.0);
    var flags = 0u;
    for (var c = 0u; c < chunks; c++) {
      let p = partials[g * chunks + c];
      acc = addCompensated(acc, bitcast<f32>(p.x));
      acc = addCompensated(acc, bitcast<f32>(p.y));
      flags |= p.z;
    }
    partials[params.count * chunks + g] = vec4<u32>(bitcast<u32>(acc.x + acc.y), 0u, flags, 0u);
    return;
  }
  if (g >= params.count * chunks) {
    return;
  }
  let row = g / chunks;
  let c = g % chunks;
  let n4 = params.n / 4u;
  let start = row * n4 + c * params.chunkLen;
  let end = row * n4 + min(n4, (c + 1u) * params.chunkLen);
  if (PHASE == 1u) {
    let s = backwardScan(OP, start, end, 1u);
    partials[g] = vec4<u32>(bitcast<u32>(s.total), 0u, s.flags, 0u);
  } else {
    let p = partials[params.count * chunks + row];
    backwardWrite(OP, start, end, 1u, bitcast<f32>(p.x), p.z, params.invT);
  }
}
