/** Temperature divides the logits, and every gradient by T. */
import type { DType } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { BOTH_DTYPES, randomMask, randomTensor, seedOf } from '../generate.js';
import { familySweep } from './family-sweep.js';

function temperatureCases(dtype: DType): ConformanceCase[] {
  const cases = [0.05, 0.5, 2, 100].flatMap((temperature) => {
    const label = `[4, 6] at temperature ${temperature}`;
    return familySweep({
      label,
      dtype,
      shape: [4, 6],
      x: () => randomTensor(dtype, [4, 6], seedOf(label)),
      options: { temperature },
      jacobian: true,
    });
  });
  const label = '[5, 3] axis 0, masked, at temperature 0.7';
  cases.push(
    ...familySweep({
      label,
      dtype,
      shape: [5, 3],
      x: () => randomTensor(dtype, [5, 3], seedOf(label)),
      options: { axis: 0, temperature: 0.7, where: randomMask([5, 3], seedOf(`${label} mask`)) },
      jacobian: true,
    }),
  );
  return cases;
}

export function temperatureGroup(): CaseGroup {
  return { name: 'temperature', cases: BOTH_DTYPES.flatMap(temperatureCases) };
}
