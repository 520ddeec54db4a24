/**
 * Slices built to defeat a shift estimate: kernels may sum exp(x - g) around a max g estimated
 * from a few sampled elements (the first, the last and every eighth of the slice is a common
 * choice) and must redo the slice around the exact max when g lies far below it. Spikes between
 * those samples, masks hiding them, a low temperature and special values at and between them.
 * Every slice is repeated, along the last axis and along axis 0 (strided), so both the row and
 * the lane kernels see it.
 */
import type { LogSumExpOptions } from '../../options.js';
import type { DType } from '../../types.js';
import type { CaseGroup, ConformanceCase } from '../case.js';
import { expectCrossEntropy, expectForward } from '../expect.js';
import { BOTH_DTYPES, makeCase, seedOf } from '../generate.js';
import { uniformValues } from '../random.js';
import { makeLabels, makeMask, makeTensor } from '../tensors.js';

const N = 1000;
const SAMPLED = [0, 125, 250, 375, 500, 625, 750, 875, 999];

interface Slice {
  readonly name: string;
  readonly values: readonly number[];
  readonly flags?: readonly number[];
  readonly temperature?: number;
}

function noiseWith(name: string, at: Record<number, number>): number[] {
  const v = uniformValues(N, seedOf(name), 1);
  for (const [j, value] of Object.entries(at)) v[Number(j)] = value;
  return v;
}

const SLICES: readonly Slice[] = [
  { name: 'a spike of 200 between samples', values: noiseWith('spike 200', { 3: 200 }) },
  { name: 'a spike of 100 between samples', values: noiseWith('spike 100', { 900: 100 }) },
  { name: 'a spike of 60 between samples', values: noiseWith('spike 60', { 130: 60 }) },
  // Misses that overflow nothing but cost accuracy: in float32 an exp argument x - g past 64
  // rounds by up to 3.8e-6, past log-softmax's and the losses' 2e-6 bound.
  {
    name: 'two spikes of 65.3 between samples',
    values: noiseWith('two spikes 65.3', { 130: 65.3, 630: 65.3 }),
  },
  {
    name: 'two spikes of 77.7 between samples',
    values: noiseWith('two spikes 77.7', { 130: 77.7, 630: 77.7 }),
  },
  {
    name: 'spikes of 66.1 and 66.6 between samples',
    values: noiseWith('spikes 66.1', { 130: 66.1, 630: 66.6 }),
  },
  { name: 'spikes of 1e30 between samples', values: noiseWith('spike 1e30', { 7: 1e30, 503: 1e30 }) },
  { name: 'a spike of 2 at temperature 0.01', values: noiseWith('cold', { 64: 2 }), temperature: 0.01 },
  {
    name: 'every sample masked out',
    values: noiseWith('masked samples', { 1: 100 }),
    flags: Array.from({ length: N }, (_, j) => (SAMPLED.includes(j) ? 0 : 1)),
  },
  {
    name: 'one unsampled element taking part',
    values: noiseWith('one taking part', {}),
    flags: Array.from({ length: N }, (_, j) => (j === 77 ? 1 : 0)),
  },
  {
    name: '-Infinity at every sample',
    values: noiseWith('-inf samples', Object.fromEntries(SAMPLED.map((j) => [j, Number.NEGATIVE_INFINITY]))),
  },
  { name: '+Infinity between samples', values: noiseWith('+inf', { 9: Number.POSITIVE_INFINITY }) },
  { name: 'NaN between samples', values: noiseWith('nan between', { 11: Number.NaN }) },
  { name: 'NaN at a sample', values: noiseWith('nan at', { 125: Number.NaN }) },
  {
    name: 'one unsampled 0 among -1e30',
    values: Array.from({ length: N }, (_, j) => (j === 600 ? 0 : -1e30)),
  },
];

const OPS = ['softmax', 'logSoftmax', 'logSumExp'] as const;

/** A row of 40,000 (longer than a kernel chunk, too short to split), spiked between samples. */
const LONG = 40_000;
function longRow(name: string, at: Record<number, number>): number[] {
  const v = uniformValues(LONG, seedOf(name), 1);
  for (const [j, value] of Object.entries(at)) v[Number(j)] = value;
  return v;
}
const LONG_ROWS: readonly { readonly name: string; readonly values: readonly number[] }[] = [
  { name: 'a row of 40000 with a spike of 100 between samples', values: longRow('long 100', { 4999: 100 }) },
  { name: 'a row of 40000 with a spike of 50 between samples', values: longRow('long 50', { 20001: 50 }) },
  // a miss near 48: each kept exp of a spike 1.9e-6 off, in opposite directions
  {
    name: 'a row of 40000 with spikes of 47.8 and 48.05 between samples',
    values: longRow('two spikes in a long row', { 4999: 47.8, 30001: 48.05 }),
  },
];

function longRowCases(dtype: DType): ConformanceCase[] {
  return LONG_ROWS.flatMap((row) =>
    OPS.map((op) =>
      makeCase(`${op} shift estimate: ${row.name} [${dtype}]`, [op], [dtype], 2 * LONG, (c) =>
        expectForward(c, op, makeTensor(dtype, [...row.values, ...row.values], [2, LONG]), {}, row.name),
      ),
    ),
  );
}

/** The slice twice: as rows of [2, N] (axis -1) or columns of [N, 2] (axis 0). */
function layout(values: readonly number[], strided: boolean): { data: number[]; shape: number[] } {
  if (!strided) return { data: [...values, ...values], shape: [2, N] };
  return { data: values.flatMap((v) => [v, v]), shape: [N, 2] };
}

function sliceCases(dtype: DType, slice: Slice, strided: boolean): ConformanceCase[] {
  const where = (what: string) => `${slice.name}, ${strided ? '[1000, 2] axis 0' : '[2, 1000]'} (${what})`;
  return OPS.map((op) =>
    makeCase(`${op} shift estimate: ${where(dtype)}`, [op], [dtype], 2 * N, (c) => {
      const x = layout(slice.values, strided);
      const options: LogSumExpOptions = { axis: strided ? 0 : -1 };
      const withTemperature =
        slice.temperature === undefined ? options : { ...options, temperature: slice.temperature };
      const withMask =
        slice.flags === undefined
          ? withTemperature
          : { ...withTemperature, where: makeMask(layout(slice.flags, strided).data, x.shape) };
      return expectForward(c, op, makeTensor(dtype, x.data, x.shape), withMask, where(dtype)).then(() => {});
    }),
  );
}

/** Cross-entropy on the unmasked slices at temperature 1 (it takes neither), labels at and off the spikes. */
function crossEntropyCases(dtype: DType): ConformanceCase[] {
  return SLICES.filter((slice) => slice.flags === undefined && slice.temperature === undefined).map((slice) =>
    makeCase(
      `softmaxCrossEntropy shift estimate: ${slice.name} [${dtype}]`,
      ['softmaxCrossEntropy'],
      [dtype],
      2 * N,
      (c) =>
        expectCrossEntropy(
          c,
          makeTensor(dtype, layout(slice.values, false).data, [2, N]),
          makeLabels([3, 130], [2]),
          { reduction: 'none' },
          slice.name,
        ),
    ),
  );
}

export function shiftEstimatesGroup(): CaseGroup {
  return {
    name: 'shift estimates that miss',
    cases: BOTH_DTYPES.flatMap((dtype) => [
      ...SLICES.flatMap((slice) => [...sliceCases(dtype, slice, false), ...sliceCases(dtype, slice, true)]),
      ...longRowCases(dtype),
      ...crossEntropyCases(dtype),
    ]),
  };
}
