// softmaxBackward (OP 0) and logSoftmaxBackward (OP 1) over rows (inner = 1) of a length
// divisible by 4 with no mask or a dense one: vec4 loads, LANES consecutive invocations per row,
// the sum compensated per component. Rows with a non-finite value take backwardBits per element.

override LANES: u32 = 1u;
override OP: u32 = 0u;

struct Params {
  n: u32,
  inner: u32,
  slices: u32,
  gridX: u32,
  invT: f32,
  nStride: u32,
  innerBase: u32,
  pad: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> x: array<vec4<u32>>; // y or logp (vec4.wgsl calls it x)
@group(0) @binding(2) var<storage, read_write> out: array<vec4<u32>>;
@group(0) @binding(4) var<storage, read> dy: array<vec4<f32>>;

// Positions whose dy counts: taking part, and for log-softmax logp != -Infinity.
fn counted4(a: vec4<u32>, k: u32) -> vec4<bool> {
  let part = parts(k);
  if (OP == 1u) {
    return part & (a != vec4<u32>(NEG_INF_BITS));
  }
  return part;
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n4 = params.n / 4u;
  let row = workgroupIndex(wid, params.gridX) * (WG / LANES) + lid / LANES;
  let lane = lid % LANES;
  let base = row * n4;
  let end = select(base, base + n4, row < params.slices);
  let invT = params.invT;

  // flags: the exact special-value flags of termFlags (bits 0-2), and bit 3 when a component
  // needs the per-element rules (a non-finite y, logp, dy or term).
  var sum = vec4<f32>(0.0);
  var lost = vec4<f32>(0.0);
  var flags = 0u;
  for (var k = base + lane; k < end; k += LANES) {
    let a = x[k];
    let g = dy[k];
    let c = counted4(a, k);
    var term = g;
    if (OP == 0u) {
      term = g * bitcast<vec4<f32>>(a);
    }
    let infinite = vec4<u32>(POS_INF_BITS);
    // A finite term is summed (exactly termFlags' rule); any non-finite value sends the row
    // to the per-element rules.
    let addable = c & ((bitcast<vec4<u32>>(term) & infinite) != infinite);
    let bad = c &
      (((a & infinite) == infinite) | ((bitcast<vec4<u32>>(g) & infinite) == infinite) | !addable);
    if (any(bad)) {
      flags |= 8u;
      for (var e = 0u; e < 4u; e++) {
        if (c[e]) {
          flags |= termFlags(OP, a[e], g[e]);
        }
      }
    }
    let v = select(vec4<f32>(0.0), term, addable);
    let t = sum + v;
    lost += select((v - t) + sum, (sum - t) + v, abs(sum) >= abs(v));
    sum = t;
  }
  let own = (sum.x + lost.x) + (sum.y + lost.y) + ((sum.z + lost.z) + (sum.w + lost.w));
  let r = reduceSum(own, flags, lid, LANES);
  let total = bitcast<f32>(r.x);

  if (r.y == 0u) {
    for (var k = base + lane; k < end; k += LANES) {
      let a = x[k];
      let g = dy[k];
      let av = bitcast<vec4<f32>>(a);
      var v: vec4<f32>;
      if (OP == 0u) {
        v = av * (g - total) * invT;
      } else {
        v = (g - exp4(min(av, vec4<f32>(0.0))) * total) * invT;
      }
      out[k] = select(vec4<u32>(0u), bitcast<vec4<u32>>(v), counted4(a, k));
    }
  } else {
    let finite = (r.y & 7u) == 0u;
    for (var k = base + lane; k < end; k += LANES) {
      let a = x[k];
      let g = dy[k];
      let c = counted4(a, k);
      var bits = vec4<u32>(0u);
      for (var e = 0u; e < 4u; e++) {
        if (c[e]) {
          bits[e] = backwardBits(OP, a[e], g[e], total, finite, invT);
        }
      }
      out[k] = bits;
    }
  }
}
