// softmax, log-softmax and log-sum-exp in one pass per slice: LANES consecutive invocations own
// one slice (o, i) of the canonical [outer, n, inner] view; they fold their elements into
// (max, sum, +Infinity count, NaN flag), combine them, then write. LANES = 1 is the column
// kernel (inner > 1: neighbouring invocations read neighbouring i) and the very-short-row kernel.

override LANES: u32 = 1u;
override OP: u32 = 0u; // 0 softmax, 1 log-softmax, 2 log-sum-exp

@group(0) @binding(1) var<storage, read> x: array<u32>;
@group(0) @binding(2) var<storage, read_write> out: array<u32>;

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

  var run = emptyRunning();
  for (var j = lane; j < count; j += LANES) {
    let idx = base + j * inner;
    if (takesPart(idx, o, j, i, params.nStride, params.innerBase)) {
      run = addBitsRunning(run, x[idx], params.invT);
    }
  }
  let st = reduceStats(settle(run), lid, LANES);

  if (OP == 2u) {
    if (live && lane == 0u) {
      out[slice] = logSumExpBits(st);
    }
    return;
  }
  for (var j = lane; j < count; j += LANES) {
    let idx = base + j * inner;
    let part = takesPart(idx, o, j, i, params.nStride, params.innerBase);
    out[idx] = forwardBits(OP, part, x[idx], st, params.invT);
  }
}
