import type { LogSumExpOptions } from '../options.js';
import type { FloatArray, Tensor } from '../types.js';
import { checkTensor } from '../validate/arrays.js';
import { checkOptionKeys, LOG_SUM_EXP_OPTIONS } from '../validate/option-keys.js';
import { checkBoolean, outputArray } from '../validate/options.js';
import { requireSupport, type SupportContext, unzeroedResults } from '../validate/support.js';
import { addShifts, scaleInput } from './extreme-temperature.js';
import { checkFamily, familyInputs, familyMask, kernelInvTemperature } from './family.js';
import type { Plan } from './plan.js';

export function planLogSumExp(
  context: SupportContext,
  x: Tensor,
  options: LogSumExpOptions | undefined,
): Plan<Tensor<FloatArray>> {
  const o = checkOptionKeys(options, LOG_SUM_EXP_OPTIONS, 'logSumExp');
  const input = checkTensor(x, 'x');
  const family = checkFamily(o, input);
  const keepDims = checkBoolean(o.keepDims, 'options.keepDims');
  const { outer, n, inner } = family.view;
  const length = outer * inner;
  const kernel = requireSupport(context, 'logSumExp', input.dtype, [input.data.length, length]);
  const out = outputArray(o.out, input.dtype, length, familyInputs(family, input), unzeroedResults(context));
  const shape = input.shape.flatMap((d, i) => (i !== family.axis ? [d] : keepDims ? [1] : []));
  const finish = () => ({ data: out, shape });
  if (length === 0) return { finish };
  if (n === 0) {
    // The sum over an empty axis is 0, so its log is -Infinity.
    out.fill(Number.NEGATIVE_INFINITY);
    return { finish };
  }
  const mask = familyMask(family, input.shape);
  const scaled = family.extreme ? scaleInput(input.data, family.view, mask, family.temperature) : undefined;
  const args = {
    x: scaled === undefined ? input.data : scaled.data,
    view: family.view,
    mask,
    invTemperature: kernelInvTemperature(family),
    out,
  };
  if (scaled === undefined) return { run: () => kernel(args), finish };
  return {
    run: () => kernel(args),
    finish: () => {
      addShifts(out, scaled.shifts);
      return finish();
    },
  };
}
