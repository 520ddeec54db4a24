/**
 * The option keys each op accepts, and the check that rejects any other: a typo (`mask` for
 * `where`, `axes` for `axis`) must fail loudly instead of being ignored.
 */
import { describeValue } from '../describe.js';
import { ValueError } from '../errors.js';
import type { CrossEntropyOptions, LogSumExpOptions, SoftmaxOptions } from '../options.js';

/** The keys of an options interface, listed exhaustively (the type makes a missing or extra key an error). */
function keysOf<T>(keys: { readonly [K in keyof Required<T>]: true }): readonly (keyof T & string)[] {
  return Object.freeze(Object.keys(keys) as (keyof T & string)[]);
}

export const SOFTMAX_OPTIONS = keysOf<SoftmaxOptions>({
  axis: true,
  temperature: true,
  where: true,
  out: true,
  output: true,
});
export const LOG_SUM_EXP_OPTIONS = keysOf<LogSumExpOptions>({
  axis: true,
  temperature: true,
  where: true,
  out: true,
  output: true,
  keepDims: true,
});
export const CROSS_ENTROPY_OPTIONS = keysOf<CrossEntropyOptions>({
  axis: true,
  reduction: true,
  ignoreIndex: true,
  labelSmoothing: true,
  weights: true,
  gradOut: true,
  output: true,
});

/** Names people bring from NumPy, PyTorch, JAX and TensorFlow for the options softmax-kit spells otherwise. */
const ALIASES: Readonly<Record<string, string>> = {
  mask: 'where',
  masks: 'where',
  attentionmask: 'where',
  axes: 'axis',
  dim: 'axis',
  dims: 'axis',
  keepdim: 'keepDims',
  keepdims: 'keepDims',
  temp: 'temperature',
  tau: 'temperature',
  weight: 'weights',
  classweights: 'weights',
  labelsmoothing: 'labelSmoothing',
  smoothing: 'labelSmoothing',
  ignoreindex: 'ignoreIndex',
  reduce: 'reduction',
  output: 'out',
  gradout: 'gradOut',
};

/** Why a softmax-family option is not one of cross-entropy's, and what to do instead. */
const NOT_FOR_CROSS_ENTROPY: Readonly<Record<string, string>> = {
  where:
    'softmaxCrossEntropy takes no mask: skip samples with ignoreIndex, and leave classes out with -Infinity logits or weight 0',
  temperature: 'softmaxCrossEntropy takes no temperature: divide the logits by it first',
  out: 'softmaxCrossEntropy writes its gradient into gradOut, not out',
  keepDims: "softmaxCrossEntropy takes no keepDims: with reduction 'none' its loss has the labels' shape",
};

/** Levenshtein distance, for near misses such as `temprature` or `axsi`. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/** The accepted key a user most likely meant, if any. */
function nearMiss(key: string, accepted: readonly string[]): string | undefined {
  const folded = key.toLowerCase().replace(/[_\-\s]/g, '');
  const alias = ALIASES[folded];
  if (alias !== undefined && accepted.includes(alias)) return alias;
  const close = accepted.find((k) => k.toLowerCase() === folded);
  if (close !== undefined) return close;
  if (key.length > 40) return undefined; // keeps the distance cheap for silly keys
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of accepted) {
    const d = distance(folded, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

/** A key shown in a message: long or odd keys are shortened and quoted. */
function keyText(key: string): string {
  return /^[A-Za-z_$][\w$]{0,40}$/.test(key) ? key : describeValue(key);
}

const NO_OPTIONS: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * Checks that `options` is undefined or an object whose every key `op` accepts; returns it as
 * a record (an empty one for undefined). `what` names the call in messages (an op, `tensor`).
 */
export function checkOptionKeys(
  options: unknown,
  accepted: readonly string[],
  what: string,
): Readonly<Record<string, unknown>> {
  if (options === undefined) return NO_OPTIONS;
  if (
    typeof options !== 'object' ||
    options === null ||
    Array.isArray(options) ||
    ArrayBuffer.isView(options)
  ) {
    const hint = ArrayBuffer.isView(options)
      ? ` (to write the result into it, pass { ${accepted.includes('gradOut') ? 'gradOut' : 'out'} })`
      : typeof options === 'number' || typeof options === 'string'
        ? accepted.includes('axis')
          ? ' (an axis goes in { axis })'
          : ''
        : '';
    throw new ValueError(
      `${what}: options must be an object such as { ${accepted[0]}: ... } or left out, got ${describeValue(options)}${hint}`,
      'options',
    );
  }
  // for...in with an own-key test, not Object.keys: no array per call (this runs on every call).
  for (const key in options) {
    if (!Object.hasOwn(options, key) || accepted.includes(key)) continue;
    const reason = what === 'softmaxCrossEntropy' ? NOT_FOR_CROSS_ENTROPY[key] : undefined;
    const guess = nearMiss(key, accepted);
    const advice =
      reason !== undefined
        ? `; ${reason}`
        : guess !== undefined
          ? `; did you mean '${guess}'?${guess === 'where' ? ' (a mask goes in where; non-zero = takes part)' : ''}`
          : '';
    throw new ValueError(
      `options.${keyText(key)} is not an option of ${what}${advice}. ${what} accepts: ${accepted.join(', ')}`,
      `options.${keyText(key)}`,
    );
  }
  return options as Record<string, unknown>;
}
