// Helpers of the vec4 row kernels (forward-rows, forward-segments; they declare x and out): rows of a length divisible
// by 4 read four elements per load; a dense mask gives their four bytes in one u32 word.

override DENSE_MASK: u32 = 0u; // 1: a mask of the input's shape

@group(0) @binding(8) var<storage, read> maskWords: array<u32>;

fn parts(k: u32) -> vec4<bool> {
  if (DENSE_MASK == 0u) {
    return vec4<bool>(true);
  }
  let w = maskWords[k];
  return (vec4<u32>(w, w >> 8u, w >> 16u, w >> 24u) & vec4<u32>(0xffu)) != vec4<u32>(0u);
}

fn isNan4(b: vec4<u32>) -> vec4<bool> {
  return (b & vec4<u32>(ABS_MASK)) > vec4<u32>(POS_INF_BITS);
}

// Finite elements that take part: the only ones arithmetic sees.
fn finite4(b: vec4<u32>, part: vec4<bool>) -> vec4<bool> {
  return part & ((b & vec4<u32>(POS_INF_BITS)) != vec4<u32>(POS_INF_BITS));
}

// expNonPositive of four values at once.
fn exp4(t: vec4<f32>) -> vec4<f32> {
  let tc = max(t, vec4<f32>(-104.0));
  let y = tc * 1.4426950408889634;
  let lo = fma(tc, vec4<f32>(1.4426950408889634), -y) + tc * 1.925963033500011e-8;
  return exp2(y) * (1.0 + lo * 0.6931471805599453);
}

fn countOf(v: vec4<bool>) -> u32 {
  let c = select(vec4<u32>(0u), vec4<u32>(1u), v);
  return c.x + c.y + c.z + c.w;
}

// Online (max, sum of exp(z - max)) per vec4 component over x[first], x[first + stride], ...
// below end, combined into one Stats: one read of the data for both. A component's sum is
// rescaled only when its max moves (exp(0) is exactly 1, so no error builds up otherwise).
fn scanOnline(first: u32, end: u32, stride: u32, invT: f32) -> Stats {
  let lowest = vec4<f32>(-3.4028234663852886e38);
  var m4 = lowest;
  var s4 = vec4<f32>(0.0);
  var flags = 0u;
  for (var k = first; k < end; k += stride) {
    let b = x[k];
    let part = parts(k);
    let fin = finite4(b, part);
    let z = select(lowest, bitcast<vec4<f32>>(b) * invT, fin);
    let mNew = max(m4, z);
    s4 = s4 * exp4(m4 - mNew) + select(vec4<f32>(0.0), exp4(z - mNew), fin);
    m4 = mNew;
    flags += countOf(part & (b == vec4<u32>(POS_INF_BITS)));
    flags |= select(0u, NAN_FLAG, any(part & isNan4(b)));
  }
  var st = combine(Stats(m4.x, s4.x, 0u), Stats(m4.y, s4.y, 0u));
  st = combine(st, Stats(m4.z, s4.z, 0u));
  st = combine(st, Stats(m4.w, s4.w, 0u));
  return Stats(st.m, st.s, flags);
}

// softmax (op 0) or log-softmax (op 1) of x[first], x[first + stride], ... below end from the
// slice's statistics.
fn writeOutputs(op: u32, first: u32, end: u32, stride: u32, st: Stats, invT: f32) {
  if (st.flags == 0u && st.s > 0.0) {
    let inv = 1.0 / st.s;
    let logSum = log(st.s);
    for (var k = first; k < end; k += stride) {
      let b = x[k];
      let fin = finite4(b, parts(k));
      let d = bitcast<vec4<f32>>(b) * invT - st.m;
      if (op == 0u) {
        out[k] = select(vec4<u32>(0u), bitcast<vec4<u32>>(exp4(min(d, vec4<f32>(0.0))) * inv), fin);
      } else {
        out[k] = select(vec4<u32>(NEG_INF_BITS), bitcast<vec4<u32>>(d - logSum), fin);
      }
    }
  } else {
    for (var k = first; k < end; k += stride) {
      out[k] = forwardBits4(op, x[k], parts(k), st, invT);
    }
  }
}

// forwardBits of four elements.
fn forwardBits4(op: u32, b: vec4<u32>, part: vec4<bool>, st: Stats, invT: f32) -> vec4<u32> {
  return vec4<u32>(
    forwardBits(op, part.x, b.x, st, invT),
    forwardBits(op, part.y, b.y, st, invT),
    forwardBits(op, part.z, b.z, st, invT),
    forwardBits(op, part.w, b.w, st, invT),
  );
}
