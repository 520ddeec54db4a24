// softmaxJacobian: one invocation per output element. out has shape [outer, n, inner, n] and
// out[((o * n + j) * inner + i) * n + k] = (y_j [j == k] - y_j y_k) * invT, 0 in every row and
// column of a position that does not take part.

@group(0) @binding(1) var<storage, read> y: array<f32>;
@group(0) @binding(2) var<storage, read_write> out: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let e = workgroupIndex(wid, params.gridX) * WG + lid;
  if (e >= params.count) {
    return;
  }
  let n = params.n;
  let inner = params.inner;
  let k = e % n;
  let row = e / n; // the flat index of y_j: (o * n + j) * inner + i
  let i = row % inner;
  let j = (row / inner) % n;
  let o = row / (inner * n);
  let col = (o * n + k) * inner + i;
  if (!takesPart(row, o, j, i, params.nStride, params.innerBase) || !takesPart(col, o, k, i, params.nStride, params.innerBase)) {
    out[e] = 0.0;
    return;
  }
  let yj = y[row];
  let diagonal = select(0.0, yj, j == k);
  out[e] = (diagonal - yj * y[col]) * params.invT;
}
