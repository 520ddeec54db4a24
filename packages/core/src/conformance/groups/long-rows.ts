/**
 * Long rows, where a naive float32 sum leaves the SEMANTICS.md tolerance, and many short rows,
 * in every dtype (the large group has more of both). Each reference result serves every dtype
 * and call mode (shared-inputs.ts).
 */
import type { CaseGroup } from '../case.js';
import { BOTH_DTYPES } from '../generate.js';
import { FamilyInputs, type FamilySetting, familyCases } from './shared-inputs.js';

const SETTINGS: readonly FamilySetting[] = [
  {
    // exp(x - max) is 1 or about 1 - 2^-7: once a float32 running sum passes 2^17, adding the
    // latter rounds up every time, so a naive float32 sum drifts by about 1e-3 relative.
    what: 'axis -1, nearly equal values (every p about 4e-6)',
    shape: [1, 262_147],
    axis: -1,
    picks: [0, Math.log1p(-(2 ** -7))],
    jacobian: false,
  },
  { what: 'axis -1, many short rows', shape: [4096, 7], axis: -1, scale: 4, jacobian: false },
  { what: 'axis 0, many short strided slices', shape: [3, 5000], axis: 0, scale: 4, jacobian: false },
];

/** One set of inputs and reference results per process, shared by every run of the suite. */
let shared: FamilyInputs[] | undefined;

export function longRowsGroup(): CaseGroup {
  shared ??= SETTINGS.map((setting) => new FamilyInputs(setting));
  const inputs = shared;
  return {
    name: 'long rows and many short rows',
    cases: BOTH_DTYPES.flatMap((dtype) => inputs.flatMap((input) => familyCases(input, dtype))),
  };
}
