// Long slices, pass 2 of 3: one workgroup per slice combines the slice's chunk statistics into
// one (the write pass reads it), or for log-sum-exp (OP 2) writes the result.

override OP: u32 = 0u;

@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let slice = workgroupIndex(wid, params.gridX);
  let live = slice < params.count;
  let count = select(0u, params.chunks, live);
  var st = emptyStats();
  for (var c = lid; c < count; c += WG) {
    let p = partials[slice * params.chunks + c];
    st = combine(st, Stats(bitcast<f32>(p.x), bitcast<f32>(p.y), p.z));
  }
  st = reduceStats(st, lid, WG);
  workgroupBarrier();
  if (live && lid == 0u) {
    if (OP == 2u) {
      out[slice] = logSumExpBits(st);
    } else {
      partials[params.count * params.chunks + slice] = vec4<u32>(bitcast<u32>(st.m), bitcast<u32>(st.s), st.flags, 0u);
    }
  }
}
