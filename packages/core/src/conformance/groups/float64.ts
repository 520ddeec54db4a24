/** The float64 path, where a backend offers it: within 1e-12 * max(1, |ref|) everywhere, on rows up to 2^24. */
import type { CaseGroup } from '../case.js';
import { randomMask, randomTensor, seedOf, shapeName } from '../generate.js';
import { familySweep } from './family-sweep.js';
import { float64LongRowCase } from './float64-long-row.js';

const SETTINGS = [
  { shape: [3, 5], options: {}, what: 'last axis', scale: 4 },
  {
    shape: [4, 3, 2],
    options: { axis: 1, temperature: 0.8, where: randomMask([3, 1], seedOf('f64 mask')) },
    what: 'axis 1, masked, T 0.8',
    scale: 4,
  },
];

export function float64Group(): CaseGroup {
  const cases = SETTINGS.flatMap(({ shape, options, what, scale }) => {
    const label = `${shapeName(shape)} ${what}`;
    return familySweep({
      label,
      dtype: 'float64',
      shape,
      x: () => randomTensor('float64', shape, seedOf(label), scale),
      options,
      jacobian: shape[shape.length - 1] <= 6,
    });
  });
  return { name: 'float64', cases: [...cases, float64LongRowCase()] };
}
