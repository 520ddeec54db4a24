/** Every NumPy broadcast form of a mask, including causal masks over [b, h, n, n]. */
import type { Mask } from '../../types.js';
import type { CaseGroup } from '../case.js';
import { BOTH_DTYPES, randomMask, randomTensor, seedOf, shapeName } from '../generate.js';
import { causalFlags, makeMask } from '../tensors.js';
import { familySweep } from './family-sweep.js';

interface MaskForm {
  readonly name: string;
  readonly shape: readonly number[];
  readonly axis: number;
  readonly mask: () => Mask;
}

const X = [2, 3, 4, 6];

const FORMS: readonly MaskForm[] = [
  { name: 'same shape', shape: X, axis: -1, mask: () => randomMask(X, seedOf('same'), 0.6) },
  {
    name: 'leading 1s [1, 1, 4, 6]',
    shape: X,
    axis: -1,
    mask: () => randomMask([1, 1, 4, 6], seedOf('lead')),
  },
  { name: 'lower rank [4, 6]', shape: X, axis: -1, mask: () => randomMask([4, 6], seedOf('rank2')) },
  {
    name: 'lower rank [6] (one column mask)',
    shape: X,
    axis: -1,
    mask: () => makeMask([1, 0, 1, 1, 0, 1], [6]),
  },
  { name: 'scalar-like [1] keeping all', shape: X, axis: -1, mask: () => makeMask([1], [1]) },
  { name: 'scalar-like [1] masking all', shape: X, axis: -1, mask: () => makeMask([0], [1]) },
  {
    name: 'per slice [2, 3, 4, 1] (whole rows masked)',
    shape: X,
    axis: -1,
    mask: () => randomMask([2, 3, 4, 1], seedOf('rows'), 0.5),
  },
  {
    name: 'middle broadcast [2, 1, 4, 6]',
    shape: X,
    axis: -1,
    mask: () => randomMask([2, 1, 4, 6], seedOf('mid')),
  },
  {
    name: 'non-last axis 1 with [1, 3, 1, 6]',
    shape: X,
    axis: 1,
    mask: () => randomMask([1, 3, 1, 6], seedOf('ax1')),
  },
  {
    name: 'non-last axis 2 with [4, 1]',
    shape: X,
    axis: 2,
    mask: () => randomMask([4, 1], seedOf('ax2'), 0.6),
  },
  {
    name: 'sparse random mask with fully masked rows',
    shape: [8, 5],
    axis: -1,
    mask: () => randomMask([8, 5], seedOf('sparse'), 0.25),
  },
  {
    name: 'causal [5, 5] over [2, 3, 5, 5]',
    shape: [2, 3, 5, 5],
    axis: -1,
    mask: () => makeMask(causalFlags(5), [5, 5]),
  },
  {
    name: 'causal [1, 1, 5, 5] over [2, 3, 5, 5]',
    shape: [2, 3, 5, 5],
    axis: -1,
    mask: () => makeMask(causalFlags(5), [1, 1, 5, 5]),
  },
  {
    name: 'causal [3, 5] (rows < cols) over [2, 2, 3, 5]',
    shape: [2, 2, 3, 5],
    axis: -1,
    mask: () => makeMask(causalFlags(3, 5), [3, 5]),
  },
];

export function masksGroup(): CaseGroup {
  const cases = BOTH_DTYPES.flatMap((dtype) =>
    FORMS.flatMap((form) => {
      const label = `${shapeName(form.shape)} axis ${form.axis}, mask ${form.name}`;
      return familySweep({
        label,
        dtype,
        shape: form.shape,
        x: () => randomTensor(dtype, form.shape, seedOf(label)),
        options: { axis: form.axis, where: form.mask() },
        jacobian: true,
      });
    }),
  );
  return { name: 'masks in every broadcast form', cases };
}
