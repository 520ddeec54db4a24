/**
 * Large sizes, for every op and every dtype: small cases only reach the scalar tails of
 * vectorised kernels. These reach SIMD bodies, thread splits and multi-workgroup reductions:
 * rows of odd lengths above 1,000 with masks and temperature, a middle axis with a large inner
 * size, more than 65,535 rows (one GPU dispatch dimension), rows of 100,000+ elements and a long
 * first axis with a tiny inner size. Each reference result serves every dtype and call mode
 * (shared-inputs.ts). The Jacobian (n^2 per slice) runs where n stays small enough.
 */
import type { CaseGroup } from '../case.js';
import { BOTH_DTYPES } from '../generate.js';
import {
  CrossEntropyInputs,
  type CrossEntropySetting,
  crossEntropyCase,
  FamilyInputs,
  type FamilySetting,
  familyCases,
} from './shared-inputs.js';

const FAMILY: readonly FamilySetting[] = [
  {
    what: 'rows of odd length 1031, random mask, T 0.7',
    shape: [9, 1031],
    axis: -1,
    temperature: 0.7,
    mask: [9, 1031],
    jacobian: false,
  },
  {
    what: 'rows of 4099, broadcast mask [1, 4099], T 1.9',
    shape: [3, 4099],
    axis: -1,
    temperature: 1.9,
    mask: [1, 4099],
    jacobian: false,
  },
  {
    what: 'one row of 1031, random mask, T 0.3',
    shape: [1, 1031],
    axis: -1,
    temperature: 0.3,
    mask: [1, 1031],
    jacobian: true,
  },
  {
    what: 'middle axis of 29 with inner 2053, mask [29, 1], T 0.5',
    shape: [2, 29, 2053],
    axis: 1,
    temperature: 0.5,
    mask: [29, 1],
    jacobian: false,
  },
  { what: 'middle axis of 5 with inner 2053', shape: [2, 5, 2053], axis: 1, jacobian: true },
  {
    what: '65539 rows (more than 65535), random mask with fully masked rows',
    shape: [65_539, 3],
    axis: -1,
    mask: [65_539, 3],
    jacobian: true,
  },
  { what: 'rows of 100003', shape: [2, 100_003], axis: -1, jacobian: false },
  {
    what: 'a long first axis of 70001 with inner 3',
    shape: [70_001, 3],
    axis: 0,
    temperature: 1.3,
    jacobian: false,
  },
];

const CROSS_ENTROPY: readonly CrossEntropySetting[] = [
  {
    what: '1031 classes, -Infinity logits, weights',
    shape: [9, 1031],
    axis: -1,
    reduction: 'mean',
    target: 'labels',
    minusInfinityEvery: 7,
    weights: true,
  },
  {
    what: 'class axis 1 of 29 with inner 2053, probabilities, labelSmoothing 0.2',
    shape: [2, 29, 2053],
    axis: 1,
    reduction: 'mean',
    target: 'probabilities',
    labelSmoothing: 0.2,
  },
  {
    what: '65539 samples, every 5th ignored',
    shape: [65_539, 3],
    axis: -1,
    reduction: 'mean',
    target: 'labels',
    ignoreEvery: 5,
  },
  {
    what: '100003 classes, labelSmoothing 0.1',
    shape: [2, 100_003],
    axis: -1,
    reduction: 'sum',
    target: 'labels',
    labelSmoothing: 0.1,
  },
  {
    what: 'class axis 0 of 70001 with inner 3, weights',
    shape: [70_001, 3],
    axis: 0,
    reduction: 'none',
    target: 'labels',
    weights: true,
  },
];

/**
 * One set of inputs (and reference results) per process: a test file that runs the suite
 * several times (a backend per instruction set, say) computes each reference result once.
 */
let shared: { family: FamilyInputs[]; crossEntropy: CrossEntropyInputs[] } | undefined;

export function largeGroup(): CaseGroup {
  shared ??= {
    family: FAMILY.map((setting) => new FamilyInputs(setting)),
    crossEntropy: CROSS_ENTROPY.map((setting) => new CrossEntropyInputs(setting)),
  };
  const { family, crossEntropy } = shared;
  return {
    name: 'large sizes (SIMD bodies, thread splits, multi-workgroup reductions)',
    cases: BOTH_DTYPES.flatMap((dtype) => [
      ...family.flatMap((inputs) => familyCases(inputs, dtype)),
      ...crossEntropy.map((inputs) => crossEntropyCase(inputs, dtype)),
    ]),
  };
}
