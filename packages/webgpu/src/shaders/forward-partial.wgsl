// Long slices, pass 1 of 3: workgroup (slice, chunk) folds elements [chunk * chunkLen,
// (chunk + 1) * chunkLen) of its slice into (max, sum, +Infinity count, NaN flag) and stores them.

@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let inner = params.inner;
  let group = workgroupIndex(wid, params.gridX);
  let live = group < params.count * params.chunks;
  let slice = group / params.chunks;
  let chunk = group % params.chunks;
  let o = slice / inner;
  let i = slice % inner;
  let base = o * n * inner + i;
  let start = chunk * params.chunkLen;
  let end = select(0u, min(n, start + params.chunkLen), live);

  var run = emptyRunning();
  for (var j = start + lid; j < end; j += WG) {
    let idx = base + j * inner;
    if (takesPart(idx, o, j, i, params.nStride, params.innerBase)) {
      run = addBitsRunning(run, x[idx], params.invT);
    }
  }
  let st = reduceStats(settle(run), lid, WG);
  if (live && lid == 0u) {
    partials[group] = vec4<u32>(bitcast<u32>(st.m), bitcast<u32>(st.s), st.flags, 0u);
  }
}
