// Row reductions of the vec4 row kernels with subgroups (the module starts with `enable
// subgroups;`). When one row fills the workgroup (LANES = WG) each subgroup reduces in registers
// and one invocation per subgroup (whatever the subgroup size) files its partial in workgroup
// memory: three barriers instead of two per halving step. Smaller groups use workgroup memory.

var<workgroup> filed: atomic<u32>;

fn reduceRowStats(st: Stats, lid: u32) -> Stats {
  if (LANES != WG) {
    return reduceStats(st, lid, LANES);
  }
  if (lid == 0u) {
    atomicStore(&filed, 0u);
  }
  workgroupBarrier();
  let m = subgroupMax(select(-3.4028234663852886e38, st.m, st.s > 0.0));
  let s = subgroupAdd(select(0.0, st.s * expNonPositive(negDistance(st.m, m)), st.s > 0.0));
  let count = subgroupAdd(st.flags & COUNT_MASK);
  let nan = subgroupOr(st.flags & NAN_FLAG);
  if (subgroupElect()) {
    let slot = atomicAdd(&filed, 1u);
    redM[slot] = m;
    redS[slot] = s;
    redF[slot] = count | nan;
  }
  workgroupBarrier();
  let slots = atomicLoad(&filed);
  var total = emptyStats();
  for (var k = 0u; k < slots; k++) {
    total = combine(total, Stats(redM[k], redS[k], redF[k]));
  }
  workgroupBarrier();
  return total;
}

fn reduceRowSum(v: f32, flags: u32, lid: u32) -> vec2<u32> {
  if (LANES != WG) {
    return reduceSum(v, flags, lid, LANES);
  }
  if (lid == 0u) {
    atomicStore(&filed, 0u);
  }
  workgroupBarrier();
  let s = subgroupAdd(v);
  let f = subgroupOr(flags);
  if (subgroupElect()) {
    let slot = atomicAdd(&filed, 1u);
    redS[slot] = s;
    redF[slot] = f;
  }
  workgroupBarrier();
  let slots = atomicLoad(&filed);
  var total = 0.0;
  var all = 0u;
  for (var k = 0u; k < slots; k++) {
    total += redS[k];
    all |= redF[k];
  }
  workgroupBarrier();
  return vec2<u32>(bitcast<u32>(total), all);
}
