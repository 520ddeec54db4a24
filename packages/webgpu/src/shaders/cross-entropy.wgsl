// softmaxCrossEntropy, fused: LANES consecutive invocations own one sample (o, i). Pass 1 folds the
// logits into (max, sum, +Infinity count, NaN flag) and, for probability targets, sums the
// effective targets weights A = sum_c a_c; pass 2 writes grad = gradScale * (p_j A - a_j) and sums
// loss = -sum_{a_c != 0} a_c log p_c, with infinite and NaN terms carried as flags.
//   labels y:        a_c = (1 - e) w_y [c == y] + (e / n) w_c   (all 0 when y == ignoreIndex)
//   probabilities q: a_c = w_c ((1 - e) q_c + e / n)

override LANES: u32 = 1u;
override TARGET: u32 = 0u; // 0 integer labels, 1 probabilities
override WEIGHTED: u32 = 0u; // 1 when per-class weights are bound

struct Params {
  n: u32,
  inner: u32,
  slices: u32,
  gridX: u32,
  smoothing: f32,
  gradScale: f32,
  ignoreIndex: i32,
  sumWeights: f32,
  lossScale: f32,
  pad0: u32,
  pad1: u32,
  pad2: u32,
}

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> logits: array<u32>;
@group(0) @binding(2) var<storage, read_write> grad: array<u32>;
@group(0) @binding(3) var<storage, read_write> loss: array<u32>;
@group(0) @binding(4) var<storage, read> targets: array<u32>;
@group(0) @binding(5) var<storage, read> weights: array<f32>;

const LOSS_POS_INF: u32 = 1u;
const LOSS_NEG_INF: u32 = 2u;
const LOSS_NAN: u32 = 4u;

fn weightOf(c: u32) -> f32 {
  if (WEIGHTED == 0u) {
    return 1.0;
  }
  return weights[c];
}

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let n = params.n;
  let inner = params.inner;
  let e = params.smoothing;
  let uniformShare = e / f32(n);
  let sample = workgroupIndex(wid, params.gridX) * (WG / LANES) + lid / LANES;
  let lane = lid % LANES;
  let live = sample < params.slices;
  let o = sample / inner;
  let i = sample % inner;
  let base = o * n * inner + i;
  let count = select(0u, n, live);

  var label = -1;
  var ignored = false;
  if (TARGET == 0u && live) {
    label = bitcast<i32>(targets[sample]);
    ignored = label == params.ignoreIndex;
  }

  var run = emptyRunning();
  var partA = vec2<f32>(0.0);
  for (var c = lane; c < count; c += LANES) {
    let idx = base + c * inner;
    run = addBitsRunning(run, logits[idx], 1.0);
    if (TARGET == 1u) {
      partA = addCompensated(partA, weightOf(c) * ((1.0 - e) * bitcast<f32>(targets[idx]) + uniformShare));
    }
  }
  let st = reduceStats(settle(run), lid, LANES);
  var totalA = 0.0;
  if (TARGET == 1u) {
    totalA = bitcast<f32>(reduceSum(partA.x + partA.y, 0u, lid, LANES).x);
  } else if (!ignored && live) {
    totalA = (1.0 - e) * weightOf(u32(label)) + uniformShare * params.sumWeights;
  }

  let nanSlice = (st.flags & NAN_FLAG) != 0u;
  let infCount = st.flags & COUNT_MASK;
  let logSum = log(max(st.s, 1.0));
  var lossSum = vec2<f32>(0.0);
  var lossFlags = 0u;
  for (var c = lane; c < count; c += LANES) {
    let idx = base + c * inner;
    let b = logits[idx];
    var p = 0.0;
    var logP = 0.0;
    var logPMinusInf = false;
    if (nanSlice) {
      logPMinusInf = false;
    } else if (infCount > 0u) {
      if (b == POS_INF_BITS) {
        p = 1.0 / f32(infCount);
        logP = -log(f32(infCount));
      } else {
        logPMinusInf = true;
      }
    } else if (st.s == 0.0 || b == NEG_INF_BITS) {
      logPMinusInf = true;
    } else {
      let d = min(bitcast<f32>(b) - st.m, 0.0);
      p = expNonPositive(d) / st.s;
      logP = d - logSum;
    }
    var a = 0.0;
    if (TARGET == 1u) {
      a = weightOf(c) * ((1.0 - e) * bitcast<f32>(targets[idx]) + uniformShare);
    } else if (!ignored) {
      a = select(0.0, (1.0 - e) * weightOf(c), i32(c) == label) + uniformShare * weightOf(c);
    }
    if (ignored) {
      grad[idx] = 0u;
      continue;
    }
    if (a != 0.0) {
      if (nanSlice || isNanBits(bitcast<u32>(a))) {
        lossFlags |= LOSS_NAN;
      } else if (logPMinusInf) {
        lossFlags |= select(LOSS_NEG_INF, LOSS_POS_INF, a * params.lossScale > 0.0);
      } else {
        // A term that overflows float32 (logits near +-3e38) is an infinite loss, not NaN.
        let term = -a * params.lossScale * logP;
        let termBits = bitcast<u32>(term);
        if ((termBits & ABS_MASK) == POS_INF_BITS) {
          lossFlags |= select(LOSS_POS_INF, LOSS_NEG_INF, termBits == NEG_INF_BITS);
        } else {
          lossSum = addCompensated(lossSum, term);
        }
      }
    }
    if (nanSlice) {
      grad[idx] = NAN_BITS;
    } else {
      grad[idx] = bitcast<u32>(params.gradScale * (p * totalA - a));
    }
  }
  let r = reduceSum(lossSum.x + lossSum.y, lossFlags, lid, LANES);
  if (live && lane == 0u) {
    var bits = r.x;
    if (ignored) {
      bits = 0u;
    } else if ((r.y & LOSS_NAN) != 0u || r.y == (LOSS_POS_INF | LOSS_NEG_INF)) {
      bits = NAN_BITS;
    } else if (r.y == LOSS_POS_INF) {
      bits = POS_INF_BITS;
    } else if (r.y == LOSS_NEG_INF) {
      bits = NEG_INF_BITS;
    }
    loss[sample] = bits;
  }
}
