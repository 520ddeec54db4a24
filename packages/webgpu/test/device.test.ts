/**
 * Device-resident data: uploads, device results, `output`, device `out`, the application's own
 * buffers (fromGpuBuffer), dispose, and the errors for foreign, destroyed or disposed buffers.
 */
import { type AnyTensor, createSoftmax, isDeviceArray, type Softmax, tensor } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromGpuBuffer, webgpuBackend } from '../src/index.js';
import { testGpu } from './gpu.js';

const found = await testGpu();

function randomF32(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed >>> 0;
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = (s / 2 ** 32 - 0.5) * 8;
  }
  return out;
}

/** A second device on the test adapter (the suite is skipped when there is none). */
async function requestTestDevice(): Promise<GPUDevice> {
  if (!found) throw new Error('no WebGPU adapter');
  const adapter = await found.gpu.requestAdapter();
  if (!adapter) throw new Error('the WebGPU adapter went away');
  return adapter.requestDevice();
}

/** Runs `body` and returns how many times a GPUBuffer was mapped meanwhile (a read-back). */
async function countMaps(device: GPUDevice, body: () => Promise<void>): Promise<number> {
  const probe = device.createBuffer({ size: 4, usage: 0x1 | 0x8 });
  const prototype = Object.getPrototypeOf(probe) as GPUBuffer;
  probe.destroy();
  const original = prototype.mapAsync;
  let maps = 0;
  prototype.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    maps++;
    return original.apply(this, args);
  };
  try {
    await body();
  } finally {
    prototype.mapAsync = original;
  }
  return maps;
}

/** Every element within float32 rounding of the float64 reference (relative 4e-6, absolute 1e-6). */
function expectClose(got: ArrayLike<number>, want: ArrayLike<number>, what: string): void {
  expect(got.length, what).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    const w = want[k];
    if (!Number.isFinite(w)) {
      expect(got[k], `${what}[${k}]`).toBe(w);
      continue;
    }
    expect(Math.abs(got[k] - w), `${what}[${k}]: ${got[k]} vs ${w}`).toBeLessThanOrEqual(
      4e-6 * Math.abs(w) + 1e-6,
    );
  }
}

async function hostData(sm: Pick<Softmax<false>, 'download'>, t: AnyTensor): Promise<Float32Array> {
  return (await sm.download(t)).data as Float32Array;
}

describe.skipIf(!found)('device arrays', () => {
  let device: GPUDevice;
  let sm: Softmax<false>;
  const x = tensor(randomF32(6 * 40, 1), { shape: [6, 40] });
  const dy = tensor(randomF32(6 * 40, 2), { shape: [6, 40] });

  beforeAll(async () => {
    device = await requestTestDevice();
    sm = await createSoftmax(webgpuBackend({ device }));
  });
  afterAll(async () => {
    await sm.dispose();
    device.destroy();
  });

  it('upload, run on the device, download: the same numbers as host calls', async () => {
    const onDevice = await sm.upload(x);
    expect(isDeviceArray(onDevice.data)).toBe(true);
    const y = await sm.softmax(onDevice);
    expect(isDeviceArray(y.data)).toBe(true);
    expect(y.shape).toEqual([6, 40]);
    expect(await hostData(sm, y)).toEqual((await sm.softmax(x)).data);
    const lse = await sm.logSumExp(onDevice, { keepDims: true });
    expect(lse.shape).toEqual([6, 1]);
    expect(await hostData(sm, lse)).toEqual((await sm.logSumExp(x, { keepDims: true })).data);
  });

  it('chains softmax -> softmaxBackward on the GPU without reading anything back', async () => {
    const xd = await sm.upload(x);
    const dyd = await sm.upload(dy);
    let dx: AnyTensor | undefined;
    const maps = await countMaps(device, async () => {
      const y = await sm.softmax(xd);
      dx = await sm.softmaxBackward(y, dyd);
      const logp = await sm.logSoftmax(xd);
      await sm.logSoftmaxBackward(logp, dyd);
    });
    expect(maps).toBe(0);
    if (!dx) throw new Error('no result');
    expect(isDeviceArray(dx.data)).toBe(true);
    const want = await sm.softmaxBackward(await sm.softmax(x), dy);
    expect(await hostData(sm, dx)).toEqual(want.data);
  });

  it("honours output: 'host', output: 'device' and a device out", async () => {
    const xd = await sm.upload(x);
    const host = await sm.softmax(xd, { output: 'host' });
    expect(host.data).toBeInstanceOf(Float32Array);
    const dev = await sm.softmax(x, { output: 'device' });
    expect(isDeviceArray(dev.data)).toBe(true);
    const out = (await sm.upload(tensor(new Float32Array(240), { shape: [6, 40] }))).data;
    const y = await sm.logSoftmax(xd, { out });
    expect(y.data).toBe(out);
    expect(await hostData(sm, y)).toEqual((await sm.logSoftmax(x)).data);
  });

  it('runs the Jacobian and cross-entropy on the GPU, softmax -> cross-entropy without reading anything back', async () => {
    const labels = { data: Int32Array.from([0, 3, 39, -100, 1, 2]), shape: [6] };
    const probabilities = await sm.softmax(tensor(randomF32(240, 3), { shape: [6, 40] }));
    const xd = await sm.upload(x);
    const results: Record<string, AnyTensor> = {};
    const maps = await countMaps(device, async () => {
      const logits = await sm.logSoftmax(xd); // log-softmax is shift-invariant: fine logits
      results.jacobian = await sm.softmaxJacobian(await sm.softmax(xd));
      for (const reduction of ['mean', 'sum', 'none'] as const) {
        const byLabels = await sm.softmaxCrossEntropy(logits, labels, { reduction, labelSmoothing: 0.1 });
        results[`labels ${reduction} loss`] = byLabels.loss;
        results[`labels ${reduction} grad`] = byLabels.grad;
        const byProbabilities = await sm.softmaxCrossEntropy(xd, probabilities, { reduction });
        results[`probabilities ${reduction} loss`] = byProbabilities.loss;
        results[`probabilities ${reduction} grad`] = byProbabilities.grad;
      }
    });
    expect(maps).toBe(0);
    for (const t of Object.values(results)) expect(isDeviceArray(t.data)).toBe(true);
    expect(results['labels mean loss'].shape).toEqual([]);
    expect(results['labels none loss'].shape).toEqual([6]);

    const logits = reference.logSoftmax(x);
    const hostProbabilities = await sm.download(probabilities);
    expectClose(
      await hostData(sm, results.jacobian),
      reference.softmaxJacobian(reference.softmax(x)).data,
      'jacobian',
    );
    for (const reduction of ['mean', 'sum', 'none'] as const) {
      const byLabels = reference.softmaxCrossEntropy(logits, labels, { reduction, labelSmoothing: 0.1 });
      expectClose(await hostData(sm, results[`labels ${reduction} loss`]), byLabels.loss.data, reduction);
      expectClose(await hostData(sm, results[`labels ${reduction} grad`]), byLabels.grad.data, reduction);
      const byProbabilities = reference.softmaxCrossEntropy(x, hostProbabilities, { reduction });
      expectClose(
        await hostData(sm, results[`probabilities ${reduction} loss`]),
        byProbabilities.loss.data,
        reduction,
      );
      expectClose(
        await hostData(sm, results[`probabilities ${reduction} grad`]),
        byProbabilities.grad.data,
        reduction,
      );
    }
  });

  it("cross-entropy honours output: 'host' and a device gradOut; an out that is an input is refused", async () => {
    const labels = { data: Int32Array.from([0, 3, 39, 7, 1, 2]), shape: [6] };
    const weights = tensor(randomF32(40, 4).map((v) => Math.abs(v) + 0.5));
    const xd = await sm.upload(x);
    const want = reference.softmaxCrossEntropy(x, labels, { weights });
    const host = await sm.softmaxCrossEntropy(xd, labels, { weights, output: 'host' });
    expect(host.loss.data).toBeInstanceOf(Float32Array);
    expect(host.grad.data).toBeInstanceOf(Float32Array);
    expectClose(await hostData(sm, host.loss), want.loss.data, 'host loss');
    expectClose(await hostData(sm, host.grad), want.grad.data, 'host grad');

    const gradOut = (await sm.upload(tensor(new Float32Array(240)))).data;
    const intoOut = await sm.softmaxCrossEntropy(xd, labels, { weights, gradOut });
    expect(intoOut.grad.data).toBe(gradOut);
    expectClose(await hostData(sm, intoOut.loss), want.loss.data, 'device loss');
    expectClose(await hostData(sm, intoOut.grad), want.grad.data, 'device grad');

    await expect(sm.softmaxCrossEntropy(xd, labels, { gradOut: xd.data })).rejects.toThrow(
      /options\.gradOut is also an input/,
    );
    await expect(sm.softmax(xd, { out: xd.data })).rejects.toThrow(/options\.out is also an input/);
  });

  it('runs cross-entropy and the Jacobian on device arrays larger than one binding (chunks)', async () => {
    // two Jacobian slices (40 x 40 float32) per binding; cross-entropy in chunks of 80 samples
    const chunked = await createSoftmax(webgpuBackend({ device, maxBindingBytes: 2 * 40 * 40 * 4 }));
    try {
      const logits = tensor(randomF32(200 * 40, 5), { shape: [200, 40] });
      const labels = { data: Int32Array.from({ length: 200 }, (_, k) => (k * 7) % 40), shape: [200] };
      const ce = await chunked.softmaxCrossEntropy(await chunked.upload(logits), labels, {
        reduction: 'sum',
      });
      const want = reference.softmaxCrossEntropy(logits, labels, { reduction: 'sum' });
      expectClose(await hostData(chunked, ce.loss), want.loss.data, 'loss');
      expectClose(await hostData(chunked, ce.grad), want.grad.data, 'grad');
      const j = await chunked.softmaxJacobian(await chunked.softmax(await chunked.upload(x)));
      const wantJ = reference.softmaxJacobian(reference.softmax(x));
      expectClose(await hostData(chunked, j), wantJ.data, 'jacobian');
    } finally {
      await chunked.dispose();
    }
  });

  it("uses the application's buffer (borrowed, never destroyed)", async () => {
    const buffer = device.createBuffer({ size: x.data.byteLength, usage: 0x80 | 0x4 | 0x8 });
    device.queue.writeBuffer(buffer, 0, x.data as Float32Array<ArrayBuffer>);
    const t = fromGpuBuffer(buffer, { dtype: 'float32', shape: [6, 40] });
    const y = await sm.softmax(t);
    expect(await hostData(sm, y)).toEqual((await sm.softmax(x)).data);
    t.data.dispose();
    // still the application's: usable after dispose
    const staging = device.createBuffer({ size: 16, usage: 0x1 | 0x8 });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, 16);
    device.queue.submit([encoder.finish()]);
    await staging.mapAsync(0x1);
    expect(new Float32Array(staging.getMappedRange())[0]).toBe(x.data[0]);
    staging.destroy();
    buffer.destroy();
  });

  it('reports a buffer of another device, a destroyed buffer and a disposed array clearly', async () => {
    const other = await requestTestDevice();
    const foreign = other.createBuffer({ size: 16, usage: 0x80 | 0x4 | 0x8 });
    await expect(sm.softmax(fromGpuBuffer(foreign, { dtype: 'float32', shape: [4] }))).rejects.toThrow(
      /another GPUDevice/,
    );
    other.destroy();

    const gone = device.createBuffer({ size: 16, usage: 0x80 | 0x4 | 0x8 });
    gone.destroy();
    await expect(sm.softmax(fromGpuBuffer(gone, { dtype: 'float32', shape: [4] }))).rejects.toThrow(
      /destroyed buffer/,
    );

    const owned = await sm.upload(tensor([1, 2, 3]));
    if (!isDeviceArray(owned.data)) throw new Error('upload gave a host array');
    owned.data.dispose();
    await expect(sm.softmax(owned)).rejects.toThrow(/x is a device array that was disposed/);
    expect(() =>
      fromGpuBuffer(device.createBuffer({ size: 16, usage: 0x8 }), { dtype: 'float32', shape: [4] }),
    ).toThrow(/STORAGE/);
  });

  it('leaves every owned array unusable after sm.dispose()', async () => {
    const own = await createSoftmax(webgpuBackend({ device }));
    const y = await own.softmax(await own.upload(x));
    await own.dispose();
    if (!isDeviceArray(y.data)) throw new Error('the result is not on the device');
    await expect(y.data.download()).rejects.toThrow(/disposed/);
    await expect(sm.softmax(y)).rejects.toThrow(/disposed|another webgpu session/);
  });
});
