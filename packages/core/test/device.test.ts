// Device arrays on backends without device memory: refused with the way to move them, never
// read; upload and download hand host tensors back as they are.
import { describe, expect, it } from 'vitest';
import { createSoftmax, type DeviceArray, isDeviceArray, tensor, ValueError } from '../src/index.js';
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
