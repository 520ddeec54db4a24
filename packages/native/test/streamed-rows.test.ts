/**
 * Streamed outputs (8 MiB and more) row by row: a row's last partial vector is carried into the
 * next row's first one, so that vector is streamed too. Every element of every row is checked
 * against the float64 reference: rows shorter than a vector, between one and two vectors and
 * longer (of odd lengths, so rows start at every alignment), outputs at two offsets, special
 * rows between ordinary ones (NaN, +Infinity, nothing taking part, fully masked, an ignored
 * label), one and two threads (each thread carries its own rows) and every vector target this
 * CPU runs.
 */
import { createSoftmax, labels, type Softmax, tensor } from '@softmax-kit/core';
import { logSoftmax, softmax, softmaxBackward, softmaxCrossEntropy } from '@softmax-kit/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nativeBackend } from '../src/index.js';
import { loadBinding } from '../src/load-binding.js';
import { randomF32, randomMask } from './helpers.js';

const STREAMED = (8 << 20) / 4 + 4096; // elements: just past the streaming threshold
const WIDTHS = [5, 19, 1001];
const OFFSETS = [0, 7]; // elements: the output's start (rows of odd length then start at every alignment)

const sessions: { label: string; sm: Softmax<true> }[] = [];
beforeAll(async () => {
  for (const isa of loadBinding().isas()) {
    for (const threads of [1, 2])
      sessions.push({
        label: `${isa}, ${threads} threads`,
        sm: await createSoftmax(nativeBackend({ isa, threads })),
      });
  }
});
afterAll(() => {
  for (const { sm } of sessions) sm.dispose();
});

/** Logits with special rows: 1 holds a NaN, 2 only -Infinity, 3 a +Infinity, 4 a large value. */
function logits(rows: number, n: number): Float32Array {
  const x = randomF32(rows * n, rows + n);
  x[1 * n + (n >> 1)] = Number.NaN;
  x.fill(Number.NEGATIVE_INFINITY, 2 * n, 3 * n);
  x[3 * n + n - 1] = Number.POSITIVE_INFINITY;
  x[4 * n] = 1e30;
  return x;
}

type Floats = Float32Array | Float64Array;

/** An output view at `offset` elements into a larger buffer, filled with a sentinel. */
function outputAt<A extends Floats>(
  make: new (length: number) => A,
  length: number,
  offset: number,
): { out: A; buffer: A } {
  const buffer = new make(length + 32).fill(-7) as A;
  return { out: buffer.subarray(offset, offset + length) as A, buffer };
}

function expectClose(
  label: string,
  got: Floats,
  want: ArrayLike<number>,
  n: number,
  rel: number,
  abs: number,
): void {
  let bad = 0;
  let first = '';
  for (let k = 0; k < got.length; k++) {
    const g = got[k];
    const w = want[k];
    const ok = Number.isNaN(w)
      ? Number.isNaN(g)
      : !Number.isFinite(w) || w === 0
        ? g === w
        : Math.abs(g - w) <= Math.max(abs, rel * Math.abs(w));
    if (!ok && bad++ === 0) first = `row ${Math.floor(k / n)} [${k % n}]: ${g} vs ${w}`;
  }
  expect(bad, `${label}: ${bad} wrong elements, first ${first}`).toBe(0);
}

/** The sentinel around the view is untouched. */
function expectFenced(label: string, buffer: Floats, out: Floats): void {
  const before = buffer.subarray(0, out.byteOffset / out.BYTES_PER_ELEMENT);
  const after = buffer.subarray(out.byteOffset / out.BYTES_PER_ELEMENT + out.length);
  expect(
    [...before, ...after].every((v) => v === -7),
    `${label}: elements outside out were written`,
  ).toBe(true);
}

describe.each(WIDTHS)('streamed rows of %i elements', (n) => {
  const rows = Math.ceil(STREAMED / n);
  const shape = [rows, n];
  const x = logits(rows, n);
  const input = tensor(x, { shape });
  const x64 = tensor(Float64Array.from(x), { shape });
  // rows 5 and 6 fully masked through a [rows, 1] mask, the rest elementwise
  const rowMask = Uint8Array.from({ length: rows }, (_, r) => (r === 5 || r === 6 ? 0 : 1));
  const elementMask = randomMask(rows * n, n);

  const cases = [
    { name: 'softmax', op: 'softmax', options: {} },
    {
      name: 'softmax, temperature 0.7, rows 5 and 6 masked out',
      op: 'softmax',
      options: { temperature: 0.7, where: { data: rowMask, shape: [rows, 1] } },
    },
    {
      name: 'logSoftmax with an elementwise mask',
      op: 'logSoftmax',
      options: { where: { data: elementMask, shape } },
    },
  ] as const;

  it.each(cases)('$name, output at every offset', ({ op, options }) => {
    const want = (op === 'softmax' ? softmax : logSoftmax)(x64, options).data;
    for (const offset of OFFSETS) {
      for (const { label, sm } of sessions) {
        const { out, buffer } = outputAt(Float32Array, rows * n, offset);
        sm.sync[op](input, { ...options, out });
        expectClose(
          `${label}, output at +${offset}`,
          out,
          want,
          n,
          op === 'softmax' ? 4e-6 : 2e-6,
          op === 'softmax' ? 1e-7 : 2e-6,
        );
        expectFenced(label, buffer, out);
      }
    }
  });

  it('softmaxBackward; output at +3', () => {
    const y = softmax(x64).data;
    const yf = Float32Array.from(y, (v) => (Number.isNaN(v) ? 0 : v));
    const dy = randomF32(rows * n, n + 1, 1);
    const want = softmaxBackward(
      tensor(Float64Array.from(yf), { shape }),
      tensor(Float64Array.from(dy), { shape }),
    ).data;
    for (const { label, sm } of sessions) {
      const { out, buffer } = outputAt(Float32Array, rows * n, 3);
      sm.sync.softmaxBackward(tensor(yf, { shape }), tensor(dy, { shape }), { out });
      expectClose(label, out, want, n, 1e-5, 1e-7);
      expectFenced(label, buffer, out);
    }
  });

  it('softmaxCrossEntropy (labels, one ignored, smoothing 0.1); grad at every offset', () => {
    const ys = Int32Array.from({ length: rows }, (_, r) => (r === 7 ? -100 : (r * 7919) % n));
    const options = { reduction: 'none', labelSmoothing: 0.1 } as const;
    const want = softmaxCrossEntropy(x64, labels(ys), options);
    for (const offset of OFFSETS) {
      for (const { label, sm } of sessions) {
        const { out, buffer } = outputAt(Float32Array, rows * n, offset);
        const got = sm.sync.softmaxCrossEntropy(input, labels(ys), { ...options, gradOut: out });
        expectClose(`${label}, grad at +${offset}`, out, want.grad.data, n, 1e-5, 1e-7);
        expectClose(`${label}, loss`, got.loss.data as Float32Array, want.loss.data, 1, 2e-6, 2e-6);
        expectFenced(label, buffer, out);
      }
    }
  });
});

describe.each([3, 19])('streamed float64 rows of %i elements', (n) => {
  const rows = Math.ceil(STREAMED / 2 / n);
  const shape = [rows, n];
  const x = Float64Array.from(logits(rows, n));
  const want = softmax(tensor(x, { shape })).data;

  it('softmax, output at every offset', () => {
    for (const offset of OFFSETS) {
      for (const { label, sm } of sessions) {
        const { out, buffer } = outputAt(Float64Array, rows * n, offset);
        sm.sync.softmax(tensor(x, { shape }), { out });
        expectClose(`${label}, output at +${offset}`, out, want, n, 1e-12, 1e-15);
        expectFenced(label, buffer, out);
      }
    }
  });
});
