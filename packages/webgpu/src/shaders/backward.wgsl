// softmaxBackward (OP 0): out = y * (dy - sum(dy * y)) * invT;
// logSoftmaxBackward (OP 1): out = (dy - exp(logp) * sum(dy)) * invT.
// The sums run over the positions that take part (log-softmax: also logp != -Infinity); the
// others get +0. LANES consecutive invocations own one slice, as in forward.wgsl.

override LANES: u32 = 1u;
override OP: u32 = 0u;

@group(0) @binding(1) var<storage, read> a: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;
@group(0) @binding(4) var<storage, read> dy: array<f32>;

fn counts(part: bool, aBits: u32) -> bool {
  return part && !(OP == 1u && aBits == NEG_INF_BITS);
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let inner = params.inner;
  let slice = workgroupIndex(wid, params.gridX) * (WG / LANES) + lid / LANES;
  let lane = lid % LANES;
  let live = slice < params.count;
  let o = slice / inner;
  let i = slice % inner;
  let base = o * n * inner + i;
  let count = select(0u, n, live);

  var sum = vec2<f32>(0.0);
  var flags = 0u;
  for (var j = lane; j < count; j += LANES) {
    let idx = base + j * inner;
    let aBits = a[idx];
    if (counts(takesPart(idx, o, j, i, params.nStride, params.innerBase), aBits)) {
      let g = dy[idx];
      let f = termFlags(OP, aBits, g);
      flags |= f;
      if (f == 0u) {
        sum = addCompensated(sum, select(g, g * bitcast<f32>(aBits), OP == 0u));
      }
    }
  }
  let r = reduceSum(sum.x + sum.y, flags, lid, LANES);
  let total = bitcast<f32>(r.x);
  let finite = r.y == 0u;

  for (var j = lane; j < count; j += LANES) {
    let idx = base + j * inner;
    let aBits = a[idx];
    if (counts(takesPart(idx, o, j, i, params.nStride, params.innerBase), aBits)) {
      out[idx] = backwardBits(OP, aBits, dy[idx], total, finite, params.invT);
    } else {
      out[idx] = 0u;
    }
  }
}
