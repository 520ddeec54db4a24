// Long slices, pass 3 of 3: workgroup (slice, chunk) writes its chunk's softmax or log-softmax
// from the slice's merged statistics.

override OP: u32 = 0u;

@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(3) var<storage, read_write> partials: array<vec4<u32>>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let inner = params.inner;
  let group = workgroupIndex(wid, params.gridX);
  if (group >= params.count * params.chunks) {
    return;
  }
  let slice = group / params.chunks;
  let chunk = group % params.chunks;
  let o = slice / inner;
  let i = slice % inner;
  let base = o * n * inner + i;
  let p = partials[params.count * params.chunks + slice];
  let st = Stats(bitcast<f32>(p.x), bitcast<f32>(p.y), p.z);
  let start = chunk * params.chunkLen;
  let end = min(n, start + params.chunkLen);
  for (var j = start + lid; j < end; j += WG) {
    let idx = base + j * inner;
    let part = takesPart(idx, o, j, i, params.nStride, params.innerBase);
    out[idx] = forwardBits(OP, part, x[idx], st, params.invT);
  }
}
