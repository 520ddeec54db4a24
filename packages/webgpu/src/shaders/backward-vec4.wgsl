// The vec4 loops of the backward row kernels (backward-rows, backward-segments; they declare
// x, dy and out).

// Positions whose dy counts: taking part, and for log-softmax logp != -Infinity.
fn counted4(op: u32, a: vec4<u32>, k: u32) -> vec4<bool> {
  let part = parts(k);
  if (op == 1u) {
    return part & (a != vec4<u32>(NEG_INF_BITS));
  }
  return part;
}

struct BackwardSum {
  total: f32,
  // the exact special-value flags of termFlags (bits 0-2), and bit 3 when a component needs
  // the per-element rules (a non-finite y, logp, dy or term)
  flags: u32,
}

// The compensated sum of the counted terms of x[first], x[first + stride], ... below end.
fn backwardScan(op: u32, first: u32, end: u32, stride: u32) -> BackwardSum {
  var sum = vec4<f32>(0.0);
  var lost = vec4<f32>(0.0);
  var flags = 0u;
  for (var k = first; k < end; k += stride) {
    let a = x[k];
    let g = dy[k];
    let c = counted4(op, a, k);
    var term = g;
    if (op == 0u) {
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
          flags |= termFlags(op, a[e], g[e]);
        }
      }
    }
    let v = select(vec4<f32>(0.0), term, addable);
    let t = sum + v;
    lost += select((v - t) + sum, (sum - t) + v, abs(sum) >= abs(v));
    sum = t;
  }
  let total = (sum.x + lost.x) + (sum.y + lost.y) + ((sum.z + lost.z) + (sum.w + lost.w));
  return BackwardSum(total, flags);
}

// The outputs of x[first], x[first + stride], ... below end from the slice's sum and flags.
fn backwardWrite(op: u32, first: u32, end: u32, stride: u32, total: f32, flags: u32, invT: f32) {
  if (flags == 0u) {
    for (var k = first; k < end; k += stride) {
      let a = x[k];
      let g = dy[k];
      let av = bitcast<vec4<f32>>(a);
      var v: vec4<f32>;
      if (op == 0u) {
        v = av * (g - total) * invT;
      } else {
        v = (g - exp4(min(av, vec4<f32>(0.0))) * total) * invT;
      }
      out[k] = select(vec4<u32>(0u), bitcast<vec4<u32>>(v), counted4(op, a, k));
    }
  } else {
    let finite = (flags & 7u) == 0u;
    for (var k = first; k < end; k += stride) {
      let a = x[k];
      let g = dy[k];
      let c = counted4(op, a, k);
      var bits = vec4<u32>(0u);
      for (var e = 0u; e < 4u; e++) {
        if (c[e]) {
          bits[e] = backwardBits(op, a[e], g[e], total, finite, invT);
        }
      }
      out[k] = bits;
    }
  }
}
