/**
 * Long rows (100k+ elements) in float32, where a naive float32 sum leaves the SEMANTICS.md tolerance,
 * and many short rows.
 */
import type { CaseGroup } from '../case.js';
import { expectCrossEntropy } from '../expect.js';
import { makeCase, randomTensor, seedOf, shapeName } from '../generate.js';
import { uniformValues } from '../random.js';
import { makeLabels, makeTensor } from '../tensors.js';
import { familySweep } from './family-sweep.js';

const LONG = 100_003;
const VERY_LONG = 262_147;

export function longRowsGroup(): CaseGroup {
  const sweeps: [readonly number[], number, string, number][] = [
    [[1, LONG], -1, 'uniform in +-8', 8],
    [[LONG, 2], 0, 'a long strided axis, uniform in +-8', 8],
    [[1, VERY_LONG], -1, 'nearly equal values (every p about 4e-6)', 0.01],
    [[20_000, 3], -1, 'many short rows', 4],
    [[4096, 7], -1, 'many short rows', 4],
    [[3, 5000], 0, 'many short strided slices', 4],
  ];
  const cases = sweeps.flatMap(([shape, axis, what, scale]) => {
    const label = `${shapeName(shape)} axis ${axis}, ${what}`;
    return familySweep({
      label,
      dtype: 'float32',
      shape,
      x: () => randomTensor('float32', shape, seedOf(label), scale),
      options: { axis },
    });
  });
  const logits = () => makeTensor('float32', uniformValues(LONG, seedOf('long logits'), 8), [1, LONG]);
  cases.push(
    makeCase(`softmaxCrossEntropy over ${LONG} classes`, ['softmaxCrossEntropy'], ['float32'], LONG, (c) =>
      expectCrossEntropy(c, logits(), makeLabels([12345], [1]), { labelSmoothing: 0.1 }, 'long row'),
    ),
    makeCase('softmaxCrossEntropy over 20000 short rows', ['softmaxCrossEntropy'], ['float32'], 60_000, (c) =>
      expectCrossEntropy(
        c,
        randomTensor('float32', [20_000, 3], seedOf('short rows')),
        makeLabels(
          Array.from({ length: 20_000 }, (_, k) => k % 3),
          [20_000],
        ),
        {},
        'many short rows',
      ),
    ),
  );
  return { name: 'long rows and many short rows', cases };
}
