/**
 * Linear memory: inputs larger than the memory stream through in blocks of whole slices (also
 * a range of columns of one group, for a strided axis), and a slice that cannot fit is refused
 * with a typed error instead of a wrong result.
 */
import { createSoftmax, mask, UnsupportedError } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../dist/index.js';
import { input, worstError } from './helpers.js';

const MIB = 1024 * 1024;

describe('a 4 MiB memory', () => {
  const small = () => createSoftmax(wasmBackend({ threads: 1, maxMemory: 4 * MIB }));

  it('streams 24 MiB of softmax through it in blocks of rows', async () => {
    const sm = await small();
    const x = input([3000, 1000], 1); // 12 MB in, 12 MB out
    const y = sm.sync!.softmax(x);
    expect(worstError(y.data, reference.softmax(x).data, 1e-7 / 4e-6)).toBeLessThan(4e-6);
    await sm.dispose();
  });

  it('streams a strided axis whose group is larger than the memory, by ranges of columns', async () => {
    const sm = await small();
    const shape = [1, 300_000, 6]; // one group of 1.8M elements over axis 1
    const x = input(shape, 2);
    const where = mask(
      Uint8Array.from({ length: 1_800_000 }, (_, k) => (k % 7 === 0 ? 0 : 1)),
      { shape },
    );
    const y = sm.sync!.logSoftmax(x, { axis: 1, where });
    expect(worstError(y.data, reference.logSoftmax(x, { axis: 1, where }).data, 1)).toBeLessThan(2e-6);
    await sm.dispose();
  });

  it('refuses one slice larger than the memory with an UnsupportedError naming x', async () => {
    const sm = await small();
    const x = input([1, 1_000_000], 3); // 8 MB for one slice in and out
    let error: unknown;
    try {
      sm.sync!.softmax(x);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as UnsupportedError).argument).toBe('x');
    expect((error as Error).message).toMatch(/maxMemory/);
    await sm.dispose();
  });

  it('grows the memory for a large call and keeps working afterwards', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const big = input([1, 3_000_000], 4);
    const y = sm.sync!.softmax(big);
    expect(worstError(y.data, reference.softmax(big).data, 1e-7 / 4e-6)).toBeLessThan(4e-6);
    const x = input([5, 7], 5);
    expect(worstError(sm.sync!.softmax(x).data, reference.softmax(x).data, 1e-7 / 4e-6)).toBeLessThan(4e-6);
    await sm.dispose();
  });
});
