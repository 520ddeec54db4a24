/**
 * The data cases (JSON under ./cases), typed and decoded. JSON has no Infinity or NaN, so the
 * files write them as the strings "Infinity", "-Infinity" and "NaN".
 * Expected values in worked-examples.json and special-values.json come from cases/generate.py
 * (mpmath at 50 digits), not from the TypeScript reference.
 */

import type { OpName } from '../types.js';
import badInputFile from './cases/bad-input.json' with { type: 'json' };
import specialValuesFile from './cases/special-values.json' with { type: 'json' };
import workedExamplesFile from './cases/worked-examples.json' with { type: 'json' };

export type JsonNumber = number | string;

export interface TensorSpec {
  readonly shape: readonly number[];
  readonly data: readonly JsonNumber[];
}

export interface LabelsSpec {
  readonly labels: true;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export interface JsonOptions {
  readonly axis?: number;
  readonly temperature?: JsonNumber;
  readonly keepDims?: boolean;
  readonly where?: TensorSpec;
  readonly reduction?: string;
  readonly ignoreIndex?: number;
  readonly labelSmoothing?: JsonNumber;
  readonly weights?: TensorSpec;
}

/** A case with known inputs and the expected result (worked examples, special values). */
export interface ExampleCase {
  readonly name: string;
  readonly op: OpName;
  readonly why?: string;
  readonly inputs: {
    readonly x?: TensorSpec;
    readonly y?: TensorSpec;
    readonly logp?: TensorSpec;
    readonly dy?: TensorSpec;
    readonly logits?: TensorSpec;
    readonly labels?: Omit<LabelsSpec, 'labels'>;
    readonly probabilities?: TensorSpec;
  };
  readonly options?: JsonOptions;
  readonly expected: TensorSpec | { readonly loss: TensorSpec; readonly grad: TensorSpec };
}

/** A bad input and the typed error it must raise. */
export interface BadInputCase {
  readonly name: string;
  readonly ops: 'all' | 'family' | readonly OpName[];
  readonly input: TensorSpec;
  readonly second?: TensorSpec | LabelsSpec;
  readonly options?: JsonOptions;
  readonly out?: { readonly kind: 'other-dtype' | 'plain-array' | 'wrong-length'; readonly delta?: number };
  readonly error: 'ShapeError' | 'ValueError' | 'UnsupportedError';
  /** The argument the error must name; '@input' / '@out' mean the op's own parameter name. */
  readonly argument: string;
}

function casesOf(file: unknown, source: string): unknown[] {
  const cases = (file as { cases?: unknown }).cases;
  if (!Array.isArray(cases)) throw new Error(`${source} has no "cases" array`);
  return cases;
}

/** A JSON number, or one of the strings standing for a non-finite value. */
export function decodeNumber(value: JsonNumber): number {
  if (typeof value === 'number') return value;
  if (value === 'Infinity') return Number.POSITIVE_INFINITY;
  if (value === '-Infinity') return Number.NEGATIVE_INFINITY;
  if (value === 'NaN') return Number.NaN;
  throw new Error(`not a number in a case file: ${JSON.stringify(value)}`);
}

export const workedExamples = casesOf(workedExamplesFile, 'worked-examples.json') as ExampleCase[];
export const specialValues = casesOf(specialValuesFile, 'special-values.json') as ExampleCase[];
export const badInputs = casesOf(badInputFile, 'bad-input.json') as BadInputCase[];
