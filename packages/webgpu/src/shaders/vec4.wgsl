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
  return expShifted4(max(t, vec4<f32>(-104.0)));
}

// exp(t) for t in [-104, 60] (expNonPositive's method, without its clamp).
fn expShifted4(t: vec4<f32>) -> vec4<f32> {
  let y = t * 1.4426950408889634;
  let lo = fma(t, vec4<f32>(1.4426950408889634), -y) + t * 1.925963033500011e-8;
  return exp2(y) * (1.0 + lo * 0.6931471805599453);
}

fn countOf(v: vec4<bool>) -> u32 {
  let c = select(vec4<u32>(0u), vec4<u32>(1u), v);
  return c.x + c.y + c.z + c.w;
}

// The largest finite element that takes part among the first, middle and last vec4 of
// x[first], x[first + stride], ... below end (times invT): scanStats's shift estimate. The
// lowest float when none of the twelve is such an element.
fn shiftEstimate(first: u32, end: u32, stride: u32, invT: f32) -> f32 {
  let lowest = vec4<f32>(-3.4028234663852886e38);
  let steps = (end - first - 1u) / stride;
  var c4 = lowest;
  for (var j = 0u; j < 3u; j++) {
    let k = first + (steps * j / 2u) * stride;
    let b = x[k];
    c4 = max(c4, select(lowest, bitcast<vec4<f32>>(b) * invT, finite4(b, parts(k))));
  }
  return max(max(c4.x, c4.y), max(c4.z, c4.w));
}

// z - shift clamped to [-104, 2 * top], from halves: no overflow for any finite z and shift, and
// no rounding beyond that of z - shift itself (halving and doubling are exact). A bound written
// as shift + 60 would round to the shift itself once |shift| is large (1e30 + 60 == 1e30).
fn shiftedBy(z: vec4<f32>, halfShift: vec4<f32>, top: f32) -> vec4<f32> {
  return 2.0 * clamp(0.5 * z - halfShift, vec4<f32>(-52.0), vec4<f32>(top));
}

// (max, sum of exp(z - max)) of x[first], x[first + stride], ... below end, with the +Infinity
// count and NaN flag: one read and one exp per element. The sum is taken around a shift c
// estimated from a few elements (arguments clamped at 60, so nothing overflows) and rescaled to
// the max; only when the max is more than 16 above the estimate (too far for float accuracy, see
// scan) is the range summed again around the exact max.
fn scanStats(first: u32, end: u32, stride: u32, invT: f32) -> Stats {
  return scan(first, end, stride, invT, false).st;
}

// scanStats's statistics and the shift its sum was taken around: the estimate, or the exact max
// after a miss.
struct Scan {
  st: Stats,
  shift: f32,
}

// scanStats; with `keep`, each element's exp(z - shift) (0 where it is not a finite element that
// takes part) also goes to out[k], for scaleOutputs: the outputs then need no second exp.
fn scan(first: u32, end: u32, stride: u32, invT: f32, keep: bool) -> Scan {
  if (first >= end) {
    return Scan(emptyStats(), 0.0);
  }
  let lowest = vec4<f32>(-3.4028234663852886e38);
  let c = shiftEstimate(first, end, stride, invT);
  let halfC = vec4<f32>(0.5 * c);
  var m4 = lowest;
  var s4 = vec4<f32>(0.0);
  // per component: +Infinity count, NaN seen
  var inf4 = vec4<u32>(0u);
  var nan4 = vec4<bool>(false);
  for (var k = first; k < end; k += stride) {
    let b = x[k];
    let part = parts(k);
    let fin = finite4(b, part);
    let z = select(lowest, bitcast<vec4<f32>>(b) * invT, fin);
    m4 = max(m4, z);
    let e = select(vec4<f32>(0.0), expShifted4(shiftedBy(z, halfC, 30.0)), fin);
    if (keep) {
      out[k] = bitcast<vec4<u32>>(e);
    }
    s4 += e;
    inf4 += select(vec4<u32>(0u), vec4<u32>(1u), part & (b == vec4<u32>(POS_INF_BITS)));
    nan4 |= part & isNan4(b);
  }
  let flags = (inf4.x + inf4.y + inf4.z + inf4.w) | select(0u, NAN_FLAG, any(nan4));
  let m = max(max(m4.x, m4.y), max(m4.z, m4.w));
  // Kept within 16 of the max: float rounds an exp argument z - c in [16, 32) by up to 9.5e-7,
  // and that error passes whole into the sum (log-softmax) and the kept exps (softmax); past 32
  // it would reach 1.9e-6, half the bounds.
  if (m <= c + 16.0 && m >= c - 60.0) {
    let s = (s4.x + s4.y) + (s4.z + s4.w);
    return Scan(Stats(m, s * expNonPositive(negDistance(c, m)), flags), c);
  }
  // The estimate missed (or no sampled element was finite): sum around the exact max.
  let halfM = vec4<f32>(0.5 * m);
  s4 = vec4<f32>(0.0);
  for (var k = first; k < end; k += stride) {
    let b = x[k];
    let fin = finite4(b, parts(k));
    let z = bitcast<vec4<f32>>(b) * invT;
    let e = select(vec4<f32>(0.0), expShifted4(shiftedBy(z, halfM, 0.0)), fin);
    if (keep) {
      out[k] = bitcast<vec4<u32>>(e);
    }
    s4 += e;
  }
  return Scan(Stats(m, (s4.x + s4.y) + (s4.z + s4.w), flags), m);
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

// softmax of out[first], out[first + stride], ... below end from the exps that scan kept there
// (taken around `shift`, at most the max): each times exp(shift - max) / sum. Only for statistics
// without NaN or +Infinity and with a sum; writeOutputs covers the rest. Where exp(shift - max)
// underflows (shift more than 87 below the row's max, in another segment), every kept exp is at
// most e^16 (scan's check), so each true output is below e^-71: 0 is within the absolute bound.
fn scaleOutputs(first: u32, end: u32, stride: u32, st: Stats, shift: f32) {
  let f = expNonPositive(negDistance(shift, st.m)) / st.s;
  for (var k = first; k < end; k += stride) {
    out[k] = bitcast<vec4<u32>>(bitcast<vec4<f32>>(out[k]) * f);
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
