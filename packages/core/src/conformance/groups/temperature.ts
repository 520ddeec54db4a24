/** Temperature divides the logits, and every gradient by T. */
import type { CaseGroup } from '../case.js';
import { randomMask, randomTensor, seedOf } from '../generate.js';
import { familySweep } from './family-sweep.js';

export function temperatureGroup(): CaseGroup {
  const cases = [0.05, 0.5, 2, 100].flatMap((temperature) => {
    const label = `[4, 6] at temperature ${temperature}`;
    return familySweep({
      label,
      dtype: 'float32',
      shape: [4, 6],
      x: () => randomTensor('float32', [4, 6], seedOf(label)),
      options: { temperature },
      jacobian: true,
    });
  });
  const label = '[5, 3] axis 0, masked, at temperature 0.7';
  cases.push(
    ...familySweep({
      label,
      dtype: 'float32',
      shape: [5, 3],
      x: () => randomTensor('float32', [5, 3], seedOf(label)),
      options: { axis: 0, temperature: 0.7, where: randomMask([5, 3], seedOf(`${label} mask`)) },
      jacobian: true,
    }),
  );
  return { name: 'temperature', cases };
}
