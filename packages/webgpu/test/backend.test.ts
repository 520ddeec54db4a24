/**
 * What the conformance suite does not reach: adapter and device handling, the pipeline cache,
 * grids past 65,535 workgroups, rows of 10^7 elements, concurrent calls.
 */
import { createSoftmax, tensor } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { softmax, softmaxJacobian } from '@softmax-kit/core/reference';
import { describe, expect, it } from 'vitest';
import { GpuContext } from '../src/gpu-context.js';
import { gridFor } from '../src/grid.js';
import { isNullAdapter, webgpuBackend } from '../src/index.js';
import { encodeForward, SOFTMAX } from '../src/ops/forward.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
const WEBGPU_PACKAGE = 'webgpu';

/** How many elements of two arrays differ (toEqual on millions of elements takes tens of seconds). */
function differing(a: Float32Array, b: Float32Array): number {
  return a.filter((v, k) => !Object.is(v, b[k])).length;
}

/** Seeded uniform values in [-scale, scale). */
function randomF32(length: number, seed: number, scale: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return out;
}

describe('adapters', () => {
  it("tells Dawn's null adapter apart from real ones", () => {
    expect(
      isNullAdapter({
        vendor: '',
        architecture: '',
        device: 'null-backend',
        description: '',
      } as GPUAdapterInfo),
    ).toBe(true);
    expect(
      isNullAdapter({
        vendor: 'mesa',
        architecture: '',
        device: '',
        description: 'llvmpipe (LLVM 15.0.6, 256 bits)',
      } as GPUAdapterInfo),
    ).toBe(false);
  });

  it("refuses Dawn's null backend, which computes nothing", async () => {
    const { create } = (await import(WEBGPU_PACKAGE)) as { create(options: string[]): GPU };
    const gpu = create(['backend=null']);
    await expect(webgpuBackend({ gpu }).start()).rejects.toThrow(/refused WebGPU adapter .*null/);
  });

  it('says what is missing without navigator.gpu', async () => {
    await expect(webgpuBackend({ gpu: undefined }).start()).rejects.toThrow(/navigator\.gpu is missing/);
  });
});

describe('grids', () => {
  it('spill past 65,535 workgroups into y', () => {
    expect(gridFor(10, 65535)).toEqual({ x: 10, y: 1 });
    const g = gridFor(200_000, 65535);
    expect(g.y).toBe(4);
    expect(g.x * g.y).toBeGreaterThanOrEqual(200_000);
  });
});

describe.skipIf(!found)('on the adapter', () => {
  const gpu = found?.gpu as GPU;

  it("uses the application's device and never destroys it", async () => {
    const device = await (await gpu.requestAdapter())!.requestDevice();
    let lost = false;
    device.lost.then(() => {
      lost = true;
    });
    const sm = await createSoftmax(webgpuBackend({ device }));
    const x = tensor([[1, 2, 3]]);
    const y = await sm.softmax(x);
    const want = softmax(x).data;
    y.data.forEach((v, k) => {
      expect(Math.abs(v - want[k])).toBeLessThanOrEqual(4e-6 * want[k]);
    });
    await sm.dispose();
    // still usable after the backend is gone
    device.createBuffer({ size: 16, usage: 0x8 }).destroy();
    await device.queue.onSubmittedWorkDone();
    expect(lost).toBe(false);
    device.destroy();
  });

  it('rejects pending and later calls after device loss, and starts again', async () => {
    const device = await (await gpu.requestAdapter())!.requestDevice();
    const sm = await createSoftmax(webgpuBackend({ device }));
    const x = tensor(randomF32(1 << 20, 3, 4), { shape: [256, 4096] });
    await sm.softmax(x);
    const pending = sm.softmax(x);
    device.destroy();
    await expect(pending).rejects.toThrow(/device lost/i);
    await expect(sm.softmax(x)).rejects.toThrow(/device lost.*start the backend again/);
    await sm.dispose();
    const again = await createSoftmax(webgpuBackend({ gpu }));
    expect((await again.softmax(tensor([1, 1]))).data).toEqual(new Float32Array([0.5, 0.5]));
    await again.dispose();
  });

  it('keeps one pipeline per shape class, not per shape', async () => {
    const device = await (await gpu.requestAdapter())!.requestDevice();
    const ctx = new GpuContext(device, 'gpu');
    const run = async (rows: number, cols: number) => {
      const call = ctx.call();
      const x = call.input(randomF32(rows * cols, rows, 4));
      const out = call.output(rows * cols * 4);
      await encodeForward(call, SOFTMAX, {
        view: { outer: rows, n: cols, inner: 1 },
        mask: null,
        invTemperature: 1,
        x,
        out,
      });
      await call.run();
    };
    await run(64, 8);
    expect(ctx.pipelines.size).toBe(1);
    // other row counts and other lengths of the same class (vec4 rows of one lane) add nothing
    for (const [rows, cols] of [
      [3, 8],
      [1000, 16],
      [17, 12],
      [70_000, 4],
    ])
      await run(rows, cols);
    expect(ctx.pipelines.size).toBe(1);
    await run(5, 1024); // longer rows spread over lanes: another workgroup shape
    expect(ctx.pipelines.size).toBe(2);
    ctx.pool.destroy();
    device.destroy();
  });

  it('uploads large inputs through mapped buffers that later calls reuse', async () => {
    const device = await (await gpu.requestAdapter())!.requestDevice();
    const created: GPUBufferDescriptor[] = [];
    const createBuffer = device.createBuffer.bind(device);
    device.createBuffer = (descriptor: GPUBufferDescriptor) => {
      created.push(descriptor);
      return createBuffer(descriptor);
    };
    const MAP_WRITE = 0x0002;
    const uploadBuffers = () => created.filter((d) => (d.usage & MAP_WRITE) !== 0).length;
    const ctx = new GpuContext(device, 'cpu');
    const n = 1_500_000; // 6 MB: above Dawn's 4 MiB upload ring
    const host = randomF32(n, 7, 4);
    const back = new Float32Array(n);
    for (let k = 0; k < 4; k++) {
      const call = ctx.call();
      const x = call.input(host);
      call.readInto(x, back);
      await call.run();
      expect(differing(back, host)).toBe(0);
      back.fill(0);
      await device.queue.onSubmittedWorkDone(); // the buffer is mapped again by now
    }
    // one buffer, mapped again between calls (two if a mapping came back late), not one per call
    const made = uploadBuffers();
    expect(made).toBeGreaterThanOrEqual(1);
    expect(made).toBeLessThanOrEqual(2);
    // small inputs keep queue.writeBuffer
    const call = ctx.call();
    call.input(new Float32Array(1000));
    await call.run();
    expect(uploadBuffers()).toBe(made);
    ctx.destroy();
    device.destroy();
  });

  it('computes a Jacobian whose grid needs more than 65,535 workgroups', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu }));
    const n = 2100; // 4.4M outputs / 64 per workgroup = 68,907 workgroups
    const y = await sm.softmax(tensor(randomF32(n, 7, 3), { shape: [n] }));
    const got = await sm.softmaxJacobian(y);
    const want = softmaxJacobian(y);
    let worst = 0;
    for (let k = 0; k < want.data.length; k++) {
      const err = Math.abs(got.data[k] - want.data[k]);
      worst = Math.max(worst, err / Math.max(4e-6 * Math.abs(want.data[k]), 1e-7));
    }
    expect(worst).toBeLessThanOrEqual(1);
    await sm.dispose();
  });

  it('keeps a row of 10^7 elements within the accuracy bounds', async () => {
    const n = 10_000_000;
    const x = randomF32(n, 11, 8);
    // float64 reference computed here, independently of the shaders
    let max = -Infinity;
    for (let k = 0; k < n; k++) max = Math.max(max, x[k]);
    let sum = 0;
    for (let k = 0; k < n; k++) sum += Math.exp(x[k] - max);
    const lse = max + Math.log(sum);
    for (const kernels of ['cpu', 'gpu'] as const) {
      const sm = await createSoftmax(webgpuBackend({ gpu, kernels }));
      const t = tensor(x, { shape: [1, n] });
      const [p, logp, l] = [await sm.softmax(t), await sm.logSoftmax(t), await sm.logSumExp(t)];
      let worstP = 0;
      let worstLog = 0;
      for (let k = 0; k < n; k++) {
        const want = Math.exp(x[k] - lse);
        worstP = Math.max(worstP, Math.abs(p.data[k] - want) / Math.max(4e-6 * want, 1e-7));
        const wantLog = x[k] - lse;
        worstLog = Math.max(
          worstLog,
          Math.abs(logp.data[k] - wantLog) / (2e-6 * Math.max(1, Math.abs(wantLog))),
        );
      }
      expect(worstP, kernels).toBeLessThanOrEqual(1);
      expect(worstLog, kernels).toBeLessThanOrEqual(1);
      expect(Math.abs(l.data[0] - lse) / (2e-6 * Math.max(1, Math.abs(lse))), kernels).toBeLessThanOrEqual(1);
      await sm.dispose();
    }
  }, 120_000);

  it('sums around the exact max where the shift estimate of the vec4 kernels misses', async () => {
    // The vec4 kernels sum exp(z - c) around c, the largest of a few sampled elements, and sum
    // again around the exact max when it lies more than 60 above or below c. Spikes away from
    // the sampled positions, and masks hiding them, make every segment and row take that path;
    // a sampled max of 1e30 (where c + 60 rounds to c) takes the first path with a huge c.
    const cases: [string, number, number][] = [
      ['rows kernel', 3, 2048],
      ['segments', 2, 40_000],
    ];
    for (const kernels of ['cpu', 'gpu'] as const) {
      const sm = await createSoftmax(webgpuBackend({ gpu, kernels }));
      for (const [what, rows, n] of cases) {
        const spikes = randomF32(rows * n, 41, 3);
        for (let k = 997; k < spikes.length; k += 997) spikes[k] = 150 + (k % 7);
        const huge = randomF32(rows * n, 42, 3);
        for (let r = 0; r < rows; r++) huge[r * n] = 1e30;
        const mask = new Uint8Array(rows * n).map((_, k) => (k % 1000 === 500 || k % 997 === 0 ? 1 : 0));
        for (const [input, x] of [
          ['spikes', spikes],
          ['1e30 sampled', huge],
        ] as const) {
          for (const where of [undefined, { data: mask, shape: [rows, n] }]) {
            const t = tensor(x, { shape: [rows, n] });
            const pairs = [
              [await sm.softmax(t, { where }), reference.softmax(t, { where }), 4e-6, 1e-7],
              [await sm.logSoftmax(t, { where }), reference.logSoftmax(t, { where }), 2e-6, 2e-6],
            ] as const;
            const label = `${kernels} ${what} ${input} masked ${where !== undefined}`;
            for (const [got, want, rel, abs] of pairs) {
              let worst = 0;
              for (let k = 0; k < want.data.length; k++) {
                const w = want.data[k];
                const g = got.data[k];
                if (where && mask[k] === 0) {
                  expect(g, `${label}: exact at masked ${k}`).toBe(w);
                  continue;
                }
                worst = Math.max(worst, Math.abs(g - w) / Math.max(rel * Math.abs(w), abs));
              }
              expect(worst, label).toBeLessThanOrEqual(1);
            }
          }
        }
      }
      await sm.dispose();
    }
  });

  it('gives the vec4 row kernels the per-element rules of the general kernels for special values', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu }));
    const y = Float32Array.from([
      0.1, 0.2, 0.3, 0.4, 0.25, 0.25, 0.25, 0.25, 0.5, 0.5, 0, 0, 0.1, 0.2, 0.3, 0.4,
    ]);
    const dy = Float32Array.from([1, 2, 3, 4, 1, NaN, 1, 1, 1, Infinity, 1, 1, 1, 2, 3, 4]);
    const logp = Float32Array.from([
      -1,
      -2,
      NaN,
      -0.5,
      -Infinity,
      -1,
      -1,
      -1,
      Infinity,
      -1,
      -2,
      -3,
      -1,
      -1,
      -1,
      -1,
    ]);
    // all-ones mask broadcast over the rows: same numbers, but the general (scalar) kernel runs
    const everywhere = { data: Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1]), shape: [1, 8] };
    for (const [name, a] of [
      ['softmaxBackward', y],
      ['logSoftmaxBackward', logp],
    ] as const) {
      const args = [tensor(a, { shape: [2, 8] }), tensor(dy, { shape: [2, 8] })] as const;
      const vec4 =
        name === 'softmaxBackward' ? await sm.softmaxBackward(...args) : await sm.logSoftmaxBackward(...args);
      const general =
        name === 'softmaxBackward'
          ? await sm.softmaxBackward(...args, { where: everywhere })
          : await sm.logSoftmaxBackward(...args, { where: everywhere });
      expect(Array.from(vec4.data), name).toEqual(Array.from(general.data));
    }
    await sm.dispose();
  });

  it('splits a few long rows of both backwards into segments, matching the reference', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu, kernels: 'cpu' }));
    const n = 40_000;
    const x = tensor(randomF32(2 * n, 21, 6), { shape: [2, n] });
    const dy = tensor(randomF32(2 * n, 22, 1), { shape: [2, n] });
    const y = await sm.softmax(x);
    const logp = await sm.logSoftmax(x);
    const pairs = [
      [await sm.softmaxBackward(y, dy), reference.softmaxBackward(y, dy)],
      [await sm.logSoftmaxBackward(logp, dy), reference.logSoftmaxBackward(logp, dy)],
    ] as const;
    for (const [got, want] of pairs) {
      let worst = 0;
      for (let k = 0; k < want.data.length; k++) {
        const w = want.data[k];
        worst = Math.max(worst, Math.abs(got.data[k] - w) / Math.max(4e-6 * Math.abs(w), 1e-7));
      }
      expect(worst).toBeLessThanOrEqual(1);
    }
    // a NaN in one row's dy makes that row NaN where it counts, the other row stays finite
    const bad = Float32Array.from(dy.data);
    bad[123] = Number.NaN;
    const r = await sm.softmaxBackward(y, tensor(bad, { shape: [2, n] }));
    expect(Number.isNaN(r.data[5])).toBe(true);
    expect(Number.isFinite(r.data[n + 5])).toBe(true);
    await sm.dispose();
  });

  it('reduces long rows with subgroups and with workgroup memory alike', async () => {
    const x = tensor(randomF32(6 * 4096, 31, 6), { shape: [6, 4096] }); // one row per 256-lane workgroup
    const dy = tensor(randomF32(6 * 4096, 32, 1), { shape: [6, 4096] });
    const want = reference.softmax(x);
    for (const subgroups of [true, false]) {
      const sm = await createSoftmax(webgpuBackend({ gpu, kernels: 'gpu', subgroups }));
      const y = await sm.softmax(x);
      let worst = 0;
      for (let k = 0; k < want.data.length; k++) {
        worst = Math.max(worst, Math.abs(y.data[k] - want.data[k]) / Math.max(4e-6 * want.data[k], 1e-7));
      }
      expect(worst, `subgroups ${subgroups}`).toBeLessThanOrEqual(1);
      const back = await sm.softmaxBackward(y, dy);
      const wantBack = reference.softmaxBackward(y, dy);
      worst = 0;
      for (let k = 0; k < wantBack.data.length; k++) {
        const w = wantBack.data[k];
        worst = Math.max(worst, Math.abs(back.data[k] - w) / Math.max(4e-6 * Math.abs(w), 1e-7));
      }
      expect(worst, `backward, subgroups ${subgroups}`).toBeLessThanOrEqual(1);
      await sm.dispose();
    }
  });

  it('gives the same results for concurrent calls as for serial ones', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu }));
    const inputs = Array.from({ length: 20 }, (_, k) => {
      const rows = 1 + ((k * 37) % 20);
      const cols = [3, 8, 128, 1000, 20_000][k % 5];
      return tensor(randomF32(rows * cols, k + 100, 6), { shape: [rows, cols] });
    });
    const serial: { data: Float32Array }[] = [];
    for (const t of inputs) serial.push(await sm.softmax(t));
    const concurrent = await Promise.all(inputs.map((t) => sm.softmax(t)));
    concurrent.forEach((r, k) => {
      expect(r.data).toEqual(serial[k].data);
    });
    await sm.dispose();
  });

  it('gives inputs above 4 MiB (uploaded through mapped buffers) the same results serially, again and concurrently', async () => {
    const sm = await createSoftmax(webgpuBackend({ gpu }));
    const rows = 4;
    const cols = 300_000; // 4.8 MB
    const inputs = Array.from({ length: 4 }, (_, k) =>
      tensor(randomF32(rows * cols, 300 + k, 5), { shape: [rows, cols] }),
    );
    const want = reference.logSoftmax(inputs[0]);
    const serial: { data: Float32Array }[] = [];
    for (const t of inputs) serial.push(await sm.logSoftmax(t));
    for (const t of inputs) serial.push(await sm.logSoftmax(t)); // the mapped buffers again
    let worst = 0;
    for (let k = 0; k < want.data.length; k++) {
      const w = want.data[k];
      worst = Math.max(worst, Math.abs(serial[0].data[k] - w) / (2e-6 * Math.max(1, Math.abs(w))));
    }
    expect(worst).toBeLessThanOrEqual(1);
    const concurrent = await Promise.all(inputs.map((t) => sm.logSoftmax(t)));
    concurrent.forEach((r, k) => {
      expect(differing(r.data, serial[k].data), `input ${k}`).toBe(0);
      expect(differing(r.data, serial[k + inputs.length].data), `input ${k} again`).toBe(0);
    });
    await sm.dispose();
  });
});
