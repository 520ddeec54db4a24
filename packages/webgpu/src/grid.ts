/**
 * Workgroup grids: more workgroups than one dimension allows (65,535 by default) spill into y;
 * shaders recover the linear index as wid.y * gridX + wid.x and skip indices past the end.
 */
export interface Grid {
  readonly x: number;
  readonly y: number;
}

export function gridFor(workgroups: number, maxPerDimension: number): Grid {
  if (workgroups <= maxPerDimension) return { x: Math.max(1, workgroups), y: 1 };
  const y = Math.ceil(workgroups / maxPerDimension);
  if (y > maxPerDimension) {
    throw new RangeError(`${workgroups} workgroups exceed a ${maxPerDimension} x ${maxPerDimension} grid`);
  }
  return { x: Math.ceil(workgroups / y), y };
}
