// The loss of reductions 'mean' and 'sum' on the device: the sum of the per-sample losses (each
// already scaled by lossScale) in one workgroup. Every lane folds a strided share with a
// compensated sum, lane 0 adds the WG partials in order: the same bits on every run. Infinite
// and NaN terms travel as flags: +Infinity and -Infinity together, or any NaN, give NaN.

struct Params {
  count: u32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> losses: array<u32>;
@group(0) @binding(2) var<storage, read_write> total: array<u32>;

const SUM_POS_INF: u32 = 1u;
const SUM_NEG_INF: u32 = 2u;
const SUM_NAN: u32 = 4u;

var<workgroup> partSums: array<vec2<f32>, WG>;
var<workgroup> partFlags: array<u32, WG>;

fn addTerm(acc: vec2<f32>, flags: ptr<function, u32>, b: u32) -> vec2<f32> {
  if (isNanBits(b)) {
    *flags |= SUM_NAN;
    return acc;
  }
  if ((b & ABS_MASK) == POS_INF_BITS) {
    *flags |= select(SUM_POS_INF, SUM_NEG_INF, b == NEG_INF_BITS);
    return acc;
  }
  return addCompensated(acc, bitcast<f32>(b));
}

@compute @workgroup_size(WG)
fn main(@builtin(local_invocation_index) lid: u32) {
  var acc = vec2<f32>(0.0);
  var flags = 0u;
  for (var k = lid; k < params.count; k += WG) {
    acc = addTerm(acc, &flags, losses[k]);
  }
  partSums[lid] = acc;
  partFlags[lid] = flags;
  workgroupBarrier();
  if (lid != 0u) {
    return;
  }
  var sum = vec2<f32>(0.0);
  var all = 0u;
  for (var l = 0u; l < WG; l++) {
    sum = addCompensated(sum, partSums[l].x);
    sum = addCompensated(sum, partSums[l].y);
    all |= partFlags[l];
  }
  var bits = bitcast<u32>(sum.x + sum.y);
  if ((bits & ABS_MASK) == POS_INF_BITS) {
    // The finite terms overflowed float32: an infinite sum of that sign.
    all |= select(SUM_POS_INF, SUM_NEG_INF, bits == NEG_INF_BITS);
  }
  if ((all & SUM_NAN) != 0u || all == (SUM_POS_INF | SUM_NEG_INF)) {
    bits = NAN_BITS;
  } else if (all == SUM_POS_INF) {
    bits = POS_INF_BITS;
  } else if (all == SUM_NEG_INF) {
    bits = NEG_INF_BITS;
  }
  total[0] = bits;
}
