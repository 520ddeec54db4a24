/**
 * Async ops run off the JS thread: the event loop keeps turning while a large call runs, and
 * the result is right when its promise settles. Small inputs finish on the calling thread.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createSoftmax, type Softmax, tensor } from '@softmax-kit/core';
import { softmax as referenceSoftmax } from '@softmax-kit/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type NativeBackend, nativeBackend } from '../src/index.js';
import { randomF32, sameBits } from './helpers.js';

let sm: Softmax<true>;
let backend: NativeBackend;

beforeAll(async () => {
  sm = await createSoftmax(nativeBackend({ threads: 2 }));
  backend = await nativeBackend({ threads: 2 }).start();
});
afterAll(async () => {
  await sm.dispose();
  backend.dispose();
});

describe('async ops', () => {
  it('keep a 1 ms timer firing during a 1x1e7 softmax (the kernel runs on the pool)', async () => {
    const n = 10_000_000;
    const x = tensor(randomF32(n, 7), { shape: [1, n] });
    const out = new Float32Array(n);
    await sm.softmax(x, { out }); // warm up: pages of out touched once
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const started = performance.now();
    const pending = sm.softmax(x, { out });
    let calls = 1;
    await pending;
    // Keep calling until enough wall time has passed for a blocked loop to show.
    while (performance.now() - started < 150) {
      await sm.softmax(x, { out });
      calls++;
    }
    clearInterval(timer);
    const elapsed = performance.now() - started;
    // A blocked event loop runs no timer between back-to-back awaited calls; a free one runs
    // them about every millisecond. Ask for a fifth of that.
    expect(ticks, `${ticks} ticks in ${elapsed.toFixed(0)} ms over ${calls} calls`).toBeGreaterThan(
      elapsed / 5,
    );
    // And the result is right: spot-check against the float64 reference on a slice of the row.
    let sum = 0;
    for (let k = 0; k < n; k++) sum += out[k];
    expect(Math.abs(sum - 1)).toBeLessThan(1e-5);
  }, 60_000);

  it('hand a large input to the pool (a Promise) and run a small one on the calling thread (undefined)', async () => {
    const run = (n: number) => {
      const x = randomF32(n, 3);
      const out = new Float32Array(n);
      const result = backend.asyncKernels.softmax?.({
        x,
        out,
        view: { outer: 1, n, inner: 1 },
        mask: null,
        invTemperature: 1,
      });
      return { x, out, result };
    };
    const small = run(10);
    expect(small.result).toBeUndefined();
    const want = referenceSoftmax(tensor(Float64Array.from(small.x), { shape: [10] })).data;
    small.out.forEach((v, k) => {
      expect(Math.abs(v - want[k])).toBeLessThan(1e-7);
    });
    const large = run(1_000_000);
    expect(large.result).toBeInstanceOf(Promise);
    await large.result;
    expect(large.out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  });

  it('settle many overlapping calls, each with its own right result', async () => {
    const rows = 64;
    const n = 4096;
    const inputs = Array.from({ length: 12 }, (_, k) =>
      tensor(randomF32(rows * n, 100 + k), { shape: [rows, n] }),
    );
    const results = await Promise.all(inputs.map((x) => sm.softmax(x)));
    results.forEach((y, k) => {
      const want = sm.sync.softmax(inputs[k]);
      expect(sameBits(y.data, want.data), `call ${k}`).toBe(true);
    });
  });

  it('sync ops on large inputs use the pool and return values directly', () => {
    const x = tensor(randomF32(1_000_000, 9), { shape: [1000, 1000] });
    const y = sm.sync.softmax(x);
    expect(y.data.length).toBe(1_000_000);
    expect(y.data.slice(0, 1000).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });

  it('let a process that never disposes exit (the pool joins in an environment cleanup hook)', () => {
    const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
    const script = `
      import { createSoftmax, tensor } from '@softmax-kit/core';
      import { nativeBackend } from ${JSON.stringify(entry)};
      const sm = await createSoftmax(nativeBackend({ threads: 4 }));
      const y = await sm.softmax(tensor(new Float32Array(1 << 20), { shape: [1, 1 << 20] }));
      console.log(y.data[0] * (1 << 20));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(run.signal, run.stderr).toBeNull();
    expect(run.status, run.stderr).toBe(0);
    expect(Number(run.stdout.trim())).toBeCloseTo(1, 5);
  });

  it('settle calls still running when dispose() is called (dispose waits for them)', async () => {
    const own = await nativeBackend({ threads: 2 }).start();
    const n = 2_000_000;
    const x = randomF32(n, 21);
    const outs = [0, 1, 2].map(() => new Float32Array(n));
    const pending = outs.map((out) =>
      own.asyncKernels.softmax?.({ x, out, view: { outer: 1, n, inner: 1 }, mask: null, invTemperature: 1 }),
    );
    own.dispose();
    await Promise.all(pending);
    for (const out of outs) expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(() =>
      own.kernels.softmax?.({
        x,
        out: outs[0],
        view: { outer: 1, n, inner: 1 },
        mask: null,
        invTemperature: 1,
      }),
    ).toThrow(/disposed/);
  });
});
