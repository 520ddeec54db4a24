// Device arrays on backends without device memory: refused with the way to move them, never
// read; upload and download hand host tensors back as they are.
import { describe, expect, it } from 'vitest';
import {
  type AsyncBackendFactory,
  type Backend,
  createSoftmax,
  type DeviceArray,
  type DeviceMemory,
  isDeviceArray,
  ShapeError,
  tensor,
  ValueError,
} from '../src/index.js';
import { spyBackend } from './spy-backend.js';

function fakeDeviceArray(length: number): DeviceArray {
  return {
    location: 'device',
    dtype: 'float32',
    length,
    backend: 'webgpu',
    download: () => Promise.reject(new Error('a host backend must never read a device array')),
    dispose: () => {},
  };
}

describe('device arrays on a host backend', () => {
  it('are told apart from typed arrays', () => {
    expect(isDeviceArray(fakeDeviceArray(3))).toBe(true);
    expect(isDeviceArray(new Float32Array(3))).toBe(false);
    expect(isDeviceArray({ location: 'device' })).toBe(false);
  });

  it('are refused as inputs, outs and by sync ops, before any kernel runs', async () => {
    const spy = spyBackend({ name: 'js' });
    const sm = await createSoftmax(spy.factory);
    const x = { data: fakeDeviceArray(6), shape: [2, 3] };
    await expect(sm.softmax(x)).rejects.toThrow(ValueError);
    await expect(sm.softmax(x)).rejects.toThrow(
      /x is a device array of backend 'webgpu'.*download\(\) it first/,
    );
    await expect(sm.softmaxBackward(tensor([[1, 2, 3]]), x)).rejects.toThrow(/dy is a device array/);
    await expect(sm.softmax(tensor([1, 2, 3]), { out: fakeDeviceArray(3) })).rejects.toThrow(
      /options\.out is a device array/,
    );
    expect(() => sm.sync?.logSoftmax(x as never)).toThrow(/download\(\) it first/);
    expect(spy.calls).toEqual([]);
    await sm.dispose();
  });

  it("refuses output 'device' and checks the option's value", async () => {
    const spy = spyBackend();
    const sm = await createSoftmax(spy.factory);
    await expect(sm.softmax(tensor([1, 2]), { output: 'device' })).rejects.toThrow(
      /needs a backend with device memory/,
    );
    await expect(sm.softmax(tensor([1, 2]), { output: 'gpu' as never })).rejects.toThrow(
      /'host' or 'device'/,
    );
    const y = await sm.softmax(tensor([1, 2]), { output: 'host' });
    expect(y.shape).toEqual([2]);
    await sm.dispose();
  });

  it('upload and download return host tensors as they are', async () => {
    const sm = await createSoftmax(spyBackend().factory);
    const t = tensor([1, 2, 3]);
    expect(await sm.upload(t)).toBe(t);
    expect(await sm.download(t)).toBe(t);
    await sm.dispose();
  });
});

/** A backend with fake device memory (host arrays behind DeviceArray objects) that records its calls. */
function deviceBackend() {
  const calls: string[] = [];
  const released: DeviceArray[] = [];
  const make = (data: Float32Array): DeviceArray & { host: Float32Array } => {
    const array = {
      location: 'device' as const,
      dtype: 'float32' as const,
      length: data.length,
      backend: 'fake-gpu',
      host: data,
      download: async () => data.slice(),
      dispose: () => {
        released.push(array);
      },
    };
    return array;
  };
  const record = (op: string) => async () => {
    calls.push(op);
  };
  const device: DeviceMemory = {
    upload: (data) => make(Float32Array.from(data)),
    allocate: (_dtype, length) => make(new Float32Array(length)),
    write: () => {},
    check: () => {},
    kernels: {
      softmax: record('device softmax'),
      logSoftmax: record('device logSoftmax'),
      logSumExp: record('device logSumExp'),
      softmaxBackward: record('device softmaxBackward'),
      logSoftmaxBackward: record('device logSoftmaxBackward'),
      softmaxJacobian: record('device softmaxJacobian'),
      softmaxCrossEntropy: async (_args, lossTotal) => {
        calls.push(`device softmaxCrossEntropy total=${isDeviceArray(lossTotal)}`);
      },
    },
  };
  const backend: Backend = {
    name: 'fake-gpu',
    capabilities: { dtypes: ['float32'], sync: false, maxElements: Number.POSITIVE_INFINITY },
    kernels: {
      softmaxCrossEntropy: record('host softmaxCrossEntropy'),
      softmaxJacobian: record('host softmaxJacobian'),
    },
    device,
    dispose: () => {},
  };
  const factory: AsyncBackendFactory = {
    name: 'fake-gpu',
    dtypes: ['float32'],
    capabilities: backend.capabilities as AsyncBackendFactory['capabilities'],
    start: async () => backend,
  };
  return { factory, calls, released, make };
}

describe('cross-entropy and the Jacobian on a backend with device memory', () => {
  const labels = { data: Int32Array.from([0, 2]), shape: [2] };

  it('run on the device kernels; the mean loss is summed there into a device scalar', async () => {
    const fake = deviceBackend();
    const sm = await createSoftmax(fake.factory);
    const logits = { data: fake.make(new Float32Array(6)), shape: [2, 3] };
    const ce = await sm.softmaxCrossEntropy(logits, labels);
    expect(fake.calls).toEqual(['device softmaxCrossEntropy total=true']);
    expect(isDeviceArray(ce.loss.data)).toBe(true);
    expect(ce.loss.shape).toEqual([]);
    expect(isDeviceArray(ce.grad.data)).toBe(true);
    // the per-sample scratch of the mean is released after the call
    expect(fake.released.map((a) => a.length)).toEqual([2]);
    const none = await sm.softmaxCrossEntropy(logits, labels, { reduction: 'none' });
    expect(none.loss.shape).toEqual([2]);
    expect(isDeviceArray(none.loss.data)).toBe(true);
    const host = await sm.softmaxCrossEntropy(logits, labels, { output: 'host' });
    expect(host.grad.data).toBeInstanceOf(Float32Array);
    expect(host.loss.data).toBeInstanceOf(Float32Array);
    const j = await sm.softmaxJacobian(logits);
    expect(j.shape).toEqual([2, 3, 3]);
    expect(fake.calls.slice(1)).toEqual([
      'device softmaxCrossEntropy total=false',
      'device softmaxCrossEntropy total=false',
      'device softmaxJacobian',
    ]);
    await sm.dispose();
  });

  it('check every argument as on the host before any kernel runs', async () => {
    const fake = deviceBackend();
    const sm = await createSoftmax(fake.factory);
    const logits = { data: fake.make(new Float32Array(6)), shape: [2, 3] };
    await expect(
      sm.softmaxCrossEntropy(logits, { data: Int32Array.from([0, 3]), shape: [2] }),
    ).rejects.toThrow(/target label 3 at flat index 1 is outside \[0, 3\)/);
    const badTarget = { data: fake.make(new Float32Array(4)), shape: [2, 2] };
    await expect(sm.softmaxCrossEntropy(logits, badTarget)).rejects.toThrow(ShapeError);
    await expect(sm.softmaxCrossEntropy(logits, labels, { gradOut: logits.data })).rejects.toThrow(
      /options\.gradOut is also an input/,
    );
    await expect(sm.softmaxCrossEntropy(logits, labels, { reduction: 'avg' as never })).rejects.toThrow(
      /options\.reduction/,
    );
    expect(fake.calls).toEqual([]);
    await sm.dispose();
  });
});
