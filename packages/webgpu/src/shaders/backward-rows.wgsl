// softmaxBackward (OP 0) and logSoftmaxBackward (OP 1) over rows (inner = 1) of a length
// divisible by 4 with no mask or a dense one: vec4 loads, LANES consecutive invocations per row,
// the sum compensated per component. Rows with a non-finite value take backwardBits per element.

override LANES: u32 = 1u;
override OP: u32 = 0u;

@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>; // y or logp (vec4.wgsl calls it x)
@group(0) @binding(2) var<storage, read_write> out: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read> dy: array<vec4<f32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n4 = params.n / 4u;
  let row = workgroupIndex(wid, params.gridX) * (WG / LANES) + lid / LANES;
  let lane = lid % LANES;
  let base = row * n4;
  let end = select(base, base + n4, row < params.count);
  let invT = params.invT;

  let own = backwardScan(OP, base + lane, end, LANES);
  let r = reduceRowSum(own.total, own.flags, lid);
  backwardWrite(OP, base + lane, end, LANES, bitcast<f32>(r.x), r.y, invT);
}
