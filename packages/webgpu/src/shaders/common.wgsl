// Helpers every softmax-kit shader starts with (the TypeScript side prepends this file).
//
// WGSL lets a driver assume that no infinity or NaN ever occurs, so special values are told
// apart by their bits (bitcast<u32>) and written as bit patterns; arithmetic only ever sees
// finite values. Buffers of floats are declared array<u32> for that reason.

override WG: u32 = 64u;

const NEG_INF_BITS: u32 = 0xff800000u;
const POS_INF_BITS: u32 = 0x7f800000u;
const NAN_BITS: u32 = 0x7fc00000u;
const ABS_MASK: u32 = 0x7fffffffu;
// Slice flags: the low 31 bits count +Infinity entries, bit 31 says a NaN takes part.
const NAN_FLAG: u32 = 0x80000000u;
const COUNT_MASK: u32 = 0x7fffffffu;

fn isNanBits(b: u32) -> bool {
  return (b & ABS_MASK) > POS_INF_BITS;
}

// exp(t) for t <= 0 with a bounded error on every driver: exp2 of t * log2(e), the rounding
// error of that product recovered with fma and applied to first order. WGSL's exp may be off by
// 3 + 2|t| ulp; the product's rounding alone would cost |t| * 6e-8 relative. Inputs below -104
// (results below float32's range) give 0.
fn expNonPositive(t: f32) -> f32 {
  let tc = max(t, -104.0);
  let y = tc * 1.4426950408889634;
  let lo = fma(tc, 1.4426950408889634, -y) + tc * 1.925963033500011e-8;
  return exp2(y) * (1.0 + lo * 0.6931471805599453);
}

// -|a - b| without overflow for any finite a, b (clamped far below exp's range).
fn negDistance(a: f32, b: f32) -> f32 {
  let half = abs(0.5 * a - 0.5 * b);
  return select(-2.0 * half, -200.0, half > 100.0);
}

// Running (max, sum of exp(v - max)) of the finite values seen, plus +Infinity count and NaN flag.
// s == 0 means no finite value yet (m is then meaningless).
struct Stats {
  m: f32,
  s: f32,
  flags: u32,
}

fn emptyStats() -> Stats {
  return Stats(0.0, 0.0, 0u);
}

fn addFinite(st: Stats, z: f32) -> Stats {
  if (st.s == 0.0) {
    return Stats(z, 1.0, st.flags);
  }
  let e = expNonPositive(negDistance(z, st.m));
  if (z > st.m) {
    return Stats(z, st.s * e + 1.0, st.flags);
  }
  return Stats(st.m, st.s + e, st.flags);
}

// Folds one element's bits (already known to take part) into the slice statistics.
fn addBits(st: Stats, b: u32, invT: f32) -> Stats {
  if (b == NEG_INF_BITS) {
    return st;
  }
  if (isNanBits(b)) {
    return Stats(st.m, st.s, st.flags | NAN_FLAG);
  }
  if (b == POS_INF_BITS) {
    return Stats(st.m, st.s, st.flags + 1u);
  }
  return addFinite(st, bitcast<f32>(b) * invT);
}

// Compensated (Neumaier) sum: x = running sum, y = its lost low part. Long sequential sums
// (column kernels, one invocation per long slice) stay within float32 rounding of the total.
fn addCompensated(acc: vec2<f32>, v: f32) -> vec2<f32> {
  let t = acc.x + v;
  let lost = select((v - t) + acc.x, (acc.x - t) + v, abs(acc.x) >= abs(v));
  // An overflowed sum stays infinite (its lost part would be NaN).
  let overflowed = (bitcast<u32>(t) & POS_INF_BITS) == POS_INF_BITS;
  return vec2<f32>(t, select(acc.y + lost, 0.0, overflowed));
}

// Stats with the compensation of its sum, for folding many elements one after the other.
struct Running {
  st: Stats,
  c: f32,
}

fn emptyRunning() -> Running {
  return Running(emptyStats(), 0.0);
}

fn addBitsRunning(r: Running, b: u32, invT: f32) -> Running {
  if (b == NEG_INF_BITS) {
    return r;
  }
  if (isNanBits(b)) {
    return Running(Stats(r.st.m, r.st.s, r.st.flags | NAN_FLAG), r.c);
  }
  if (b == POS_INF_BITS) {
    return Running(Stats(r.st.m, r.st.s, r.st.flags + 1u), r.c);
  }
  let z = bitcast<f32>(b) * invT;
  if (r.st.s == 0.0) {
    return Running(Stats(z, 1.0, r.st.flags), 0.0);
  }
  let e = expNonPositive(negDistance(z, r.st.m));
  if (z > r.st.m) {
    let acc = addCompensated(vec2<f32>(r.st.s * e, r.c * e), 1.0);
    return Running(Stats(z, acc.x, r.st.flags), acc.y);
  }
  let acc = addCompensated(vec2<f32>(r.st.s, r.c), e);
  return Running(Stats(r.st.m, acc.x, r.st.flags), acc.y);
}

fn settle(r: Running) -> Stats {
  return Stats(r.st.m, r.st.s + r.c, r.st.flags);
}

fn mergeFlags(a: u32, b: u32) -> u32 {
  return ((a & COUNT_MASK) + (b & COUNT_MASK)) | ((a | b) & NAN_FLAG);
}

fn combine(a: Stats, b: Stats) -> Stats {
  let flags = mergeFlags(a.flags, b.flags);
  if (a.s == 0.0) {
    return Stats(b.m, b.s, flags);
  }
  if (b.s == 0.0) {
    return Stats(a.m, a.s, flags);
  }
  let e = expNonPositive(negDistance(a.m, b.m));
  if (a.m >= b.m) {
    return Stats(a.m, a.s + b.s * e, flags);
  }
  return Stats(b.m, b.s + a.s * e, flags);
}

var<workgroup> redM: array<f32, WG>;
var<workgroup> redS: array<f32, WG>;
var<workgroup> redF: array<u32, WG>;

// Combines the statistics of `lanes` consecutive invocations (lanes a power of two dividing WG);
// every invocation of the group gets the total. Call from uniform control flow.
fn reduceStats(st: Stats, lid: u32, lanes: u32) -> Stats {
  if (lanes == 1u) {
    return st;
  }
  redM[lid] = st.m;
  redS[lid] = st.s;
  redF[lid] = st.flags;
  let lane = lid % lanes;
  for (var step = lanes / 2u; step > 0u; step = step / 2u) {
    workgroupBarrier();
    if (lane < step) {
      let r = combine(Stats(redM[lid], redS[lid], redF[lid]), Stats(redM[lid + step], redS[lid + step], redF[lid + step]));
      redM[lid] = r.m;
      redS[lid] = r.s;
      redF[lid] = r.flags;
    }
  }
  workgroupBarrier();
  let first = lid - lane;
  let total = Stats(redM[first], redS[first], redF[first]);
  workgroupBarrier();
  return total;
}

// Sums a float and ORs flags over `lanes` consecutive invocations (same rules as reduceStats).
fn reduceSum(v: f32, flags: u32, lid: u32, lanes: u32) -> vec2<u32> {
  if (lanes == 1u) {
    return vec2<u32>(bitcast<u32>(v), flags);
  }
  redS[lid] = v;
  redF[lid] = flags;
  let lane = lid % lanes;
  for (var step = lanes / 2u; step > 0u; step = step / 2u) {
    workgroupBarrier();
    if (lane < step) {
      redS[lid] = redS[lid] + redS[lid + step];
      redF[lid] = redF[lid] | redF[lid + step];
    }
  }
  workgroupBarrier();
  let first = lid - lane;
  let total = vec2<u32>(bitcast<u32>(redS[first]), redF[first]);
  workgroupBarrier();
  return total;
}

// Softmax-family output of one element from its slice statistics. op: 0 softmax, 1 log-softmax.
// `part` says whether the element takes part (mask); -Infinity inputs behave as masked.
fn forwardBits(op: u32, part: bool, b: u32, st: Stats, invT: f32) -> u32 {
  let off = select(0u, NEG_INF_BITS, op == 1u);
  if (!part || b == NEG_INF_BITS) {
    return off;
  }
  if ((st.flags & NAN_FLAG) != 0u) {
    return NAN_BITS;
  }
  let k = st.flags & COUNT_MASK;
  if (k > 0u) {
    if (b != POS_INF_BITS) {
      return off;
    }
    if (op == 1u) {
      return bitcast<u32>(-log(f32(k)));
    }
    return bitcast<u32>(1.0 / f32(k));
  }
  let d = bitcast<f32>(b) * invT - st.m;
  if (op == 1u) {
    return bitcast<u32>(d - log(st.s));
  }
  return bitcast<u32>(expNonPositive(min(d, 0.0)) / st.s);
}

// log-sum-exp of a slice from its statistics.
fn logSumExpBits(st: Stats) -> u32 {
  if ((st.flags & NAN_FLAG) != 0u) {
    return NAN_BITS;
  }
  if ((st.flags & COUNT_MASK) > 0u) {
    return POS_INF_BITS;
  }
  if (st.s == 0.0) {
    return NEG_INF_BITS;
  }
  return bitcast<u32>(st.m + log(st.s));
}

// The workgroup's linear index in a 2-D grid (more than 65,535 workgroups go to y).
fn workgroupIndex(wid: vec3<u32>, gridX: u32) -> u32 {
  return wid.y * gridX + wid.x;
}
