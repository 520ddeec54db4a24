// Row reductions of the vec4 row kernels without subgroups: workgroup memory (common.wgsl).

fn reduceRowStats(st: Stats, lid: u32) -> Stats {
  return reduceStats(st, lid, LANES);
}

fn reduceRowSum(v: f32, flags: u32, lid: u32) -> vec2<u32> {
  return reduceSum(v, flags, lid, LANES);
}
