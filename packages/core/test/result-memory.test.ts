// New results skip zeroing only for backends that declare writesWholeResults, only where the
// runtime offers unzeroed memory (Node's Buffer), and only when large enough to matter.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Backend, createSoftmax, type ForwardArgs, SizeError, tensor } from '../src/index.js';
import { allocate } from '../src/limits.js';
import { markUnwrittenResults, unzeroedArray } from '../src/result-memory.js';

const LARGE = 1 << 19; // float32 elements: 2 MiB, over the 1 MiB threshold

function backend(writesWholeResults: boolean, kernel: (args: ForwardArgs) => void): Backend {
  return {
    name: writesWholeResults ? 'writes-whole' : 'plain',
    capabilities: {
      dtypes: ['float32', 'float64'],
      sync: true,
      maxElements: Number.POSITIVE_INFINITY,
      writesWholeResults,
    },
    kernels: { softmax: kernel },
    dispose: () => {},
  };
}

async function session(b: Backend) {
  return createSoftmax({ name: b.name, dtypes: ['float32', 'float64'], start: async () => b });
}

afterEach(() => {
  markUnwrittenResults(undefined);
  vi.unstubAllGlobals();
});

describe('new results', () => {
  it('start zeroed, however large, unless the backend declares writesWholeResults', async () => {
    // The marker stands for whatever unzeroed memory holds: only the declaring backend sees it.
    markUnwrittenResults(9);
    for (const [declares, want] of [
      [false, 0],
      [true, 9],
    ] as const) {
      const sm = await session(backend(declares, () => {}));
      for (const length of [LARGE, 6]) {
        const result = await sm.softmax(tensor(new Float32Array(length), { shape: [length] }));
        expect(result.data.length).toBe(length);
        expect(result.data.every((v) => v === want)).toBe(true);
      }
    }
  });

  it('are whole arrays of their own for a backend that writes them whole', async () => {
    const sm = await session(backend(true, (a) => a.out.fill(0.25)));
    for (const dtype of ['float32', 'float64'] as const) {
      const data = dtype === 'float64' ? new Float64Array(LARGE) : new Float32Array(LARGE);
      const result = await sm.softmax(tensor(data, { shape: [LARGE / 4, 4] }));
      expect(result.data).toBeInstanceOf(data.constructor);
      expect(result.data.byteOffset).toBe(0);
      expect(result.data.buffer.byteLength).toBe(result.data.byteLength);
      expect(result.data.every((v) => v === 0.25)).toBe(true);
    }
  });
});

describe('Backend.newResult', () => {
  /** A backend whose newResult hands out `give(dtype, length)` and records what it was asked. */
  function providing(give: (dtype: string, length: number) => Float32Array | Float64Array | null) {
    const asked: [string, number][] = [];
    const b: Backend = {
      ...backend(true, (a) => a.out.fill(0.5)),
      newResult: (dtype, length) => {
        asked.push([dtype, length]);
        return give(dtype, length);
      },
    };
    return { b, asked };
  }

  it("gives large results the backend's own arrays, written by the kernel", async () => {
    const own = [new Float32Array(LARGE), new Float64Array(LARGE)];
    const { b, asked } = providing((dtype) => own[dtype === 'float64' ? 1 : 0]);
    const sm = await session(b);
    for (const [k, data] of [new Float32Array(LARGE), new Float64Array(LARGE)].entries()) {
      const result = await sm.softmax(tensor(data, { shape: [LARGE / 4, 4] }));
      expect(result.data === own[k], 'the very array newResult gave').toBe(true);
      expect(result.data.every((v) => v === 0.5)).toBe(true);
    }
    expect(asked).toEqual([
      ['float32', LARGE],
      ['float64', LARGE],
    ]);
  });

  it('is not asked for small results, nor by a backend that does not write results whole', async () => {
    const { b, asked } = providing(() => new Float32Array(LARGE));
    await (await session(b)).softmax(tensor(new Float32Array(6), { shape: [6] }));
    await (await session({ ...b, capabilities: { ...b.capabilities, writesWholeResults: false } })).softmax(
      tensor(new Float32Array(LARGE), { shape: [LARGE] }),
    );
    expect(asked).toEqual([]);
  });

  it('falls back to core when it gives null, and the conformance marker still fills its arrays', async () => {
    const { b } = providing(() => null);
    const result = await (await session(b)).softmax(tensor(new Float32Array(LARGE), { shape: [LARGE] }));
    expect(result.data.length).toBe(LARGE);
    markUnwrittenResults(7);
    const own = new Float32Array(LARGE);
    expect(
      allocate('float32', LARGE, 'The result', undefined, { name: 'x', newResult: () => own }) === own,
    ).toBe(true);
    expect(own.every((v) => v === 7)).toBe(true);
  });

  it('fails loudly when it gives the wrong type or length', async () => {
    for (const wrong of [new Float64Array(LARGE), new Float32Array(LARGE - 1)]) {
      const { b } = providing(() => wrong);
      const sm = await session(b);
      await expect(sm.softmax(tensor(new Float32Array(LARGE), { shape: [LARGE] }))).rejects.toThrow(
        /newResult\(float32, 524288\) gave/,
      );
    }
  });
});

describe('unzeroedArray', () => {
  it('leaves small results, and runtimes without Buffer, to a zeroed typed array', () => {
    expect(unzeroedArray('float32', 1000)).toBeNull();
    expect(unzeroedArray('float32', LARGE)).toBeInstanceOf(Float32Array);
    vi.stubGlobal('Buffer', undefined);
    expect(unzeroedArray('float32', LARGE)).toBeNull();
    expect(allocate('float32', LARGE, 'The result', undefined, true).every((v) => v === 0)).toBe(true);
  });

  it('fills results of every size with the marker while one is set', () => {
    markUnwrittenResults(4242.5);
    expect(Array.from(allocate('float64', 3, 'The result', undefined, true))).toEqual([
      4242.5, 4242.5, 4242.5,
    ]);
    expect(allocate('float32', LARGE, 'The result', undefined, true).every((v) => v === 4242.5)).toBe(true);
    expect(allocate('float32', 3, 'The loss').every((v) => v === 0)).toBe(true);
    markUnwrittenResults(undefined);
    expect(allocate('float64', 3, 'The result', undefined, true).every((v) => v === 0)).toBe(true);
  });

  it('keeps the SizeError for lengths past the limit', () => {
    expect(() => allocate('float32', 2 ** 32, 'The result', 'options.out', true)).toThrow(SizeError);
  });
});
