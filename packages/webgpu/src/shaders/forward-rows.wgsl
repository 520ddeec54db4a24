// softmax and log-softmax over rows (inner = 1) of a length divisible by 4, with no mask or a
// dense one: vec4 loads, LANES consecutive invocations per row, two reads of the data (max and
// a sum around a shift estimate, see scanStats; then the outputs) and one write.

override LANES: u32 = 1u;
override OP: u32 = 0u; // 0 softmax, 1 log-softmax

@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>;
@group(0) @binding(2) var<storage, read_write> out: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n4 = params.n / 4u;
  let row = workgroupIndex(wid, params.gridX) * (WG / LANES) + lid / LANES;
  let lane = lid % LANES;
  let base = row * n4;
  let end = select(base, base + n4, row < params.count);
  let st = reduceRowStats(scanStats(base + lane, end, LANES, params.invT), lid);
  writeOutputs(OP, base + lane, end, LANES, st, params.invT);
}
