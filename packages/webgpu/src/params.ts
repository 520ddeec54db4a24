/**
 * The uniform Params block of the slice shaders (forward*, backward, jacobian): 12 words,
 * laid out as the WGSL structs declare them.
 */
export interface SliceParams {
  readonly n: number;
  readonly inner: number;
  /** slices (or, for the Jacobian, output elements) in the dispatch */
  readonly count: number;
  readonly gridX: number;
  readonly invT: number;
  readonly nStride: number;
  readonly innerBase: number;
  readonly chunks?: number;
  readonly chunkLen?: number;
}

export function sliceParams(p: SliceParams): ArrayBuffer {
  const buffer = new ArrayBuffer(48);
  const u = new Uint32Array(buffer);
  const f = new Float32Array(buffer);
  u[0] = p.n;
  u[1] = p.inner;
  u[2] = p.count;
  u[3] = p.gridX;
  f[4] = p.invT;
  u[5] = p.nStride;
  u[6] = p.innerBase;
  u[7] = p.chunks ?? 0;
  u[8] = p.chunkLen ?? 0;
  return buffer;
}
