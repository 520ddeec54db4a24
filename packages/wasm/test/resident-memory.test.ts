/**
 * Resident arrays' memory: a chain of calls copies nothing, host and resident arguments mix,
 * arrays are released by dispose() (and the session's), a disposed or foreign array is a clear
 * error, growth keeps live arrays' contents, host-array calls stream beside live arrays without
 * touching them, and running out of memory is an error naming the sizes.
 */
import {
  createSoftmax,
  type DeviceArray,
  isDeviceArray,
  mask,
  SoftmaxKitError,
  type Tensor,
  tensor,
  UnsupportedError,
  ValueError,
} from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../dist/index.js';
import { type TransferCounts, transfers } from '../dist/transfers.js';
import type { WasmArray } from '../dist/wasm-array.js';
import { firstBitDifference, hostData, input, worstError } from './helpers.js';

const MIB = 1024 * 1024;
const PROBABILITY_FLOOR = 1e-7 / 4e-6;

const snapshot = (): TransferCounts => ({ ...transfers });
const copiesSince = (before: TransferCounts) => ({
  in: transfers.copiesIn - before.copiesIn,
  out: transfers.copiesOut - before.copiesOut,
  bytesIn: transfers.bytesIn - before.bytesIn,
  bytesOut: transfers.bytesOut - before.bytesOut,
});

function deviceData(t: { readonly data: unknown }): WasmArray {
  if (!isDeviceArray(t.data)) throw new Error('expected a device array');
  return t.data as WasmArray;
}

describe('chaining without copies', () => {
  for (const threads of [1, 2]) {
    it(`softmax -> softmaxBackward -> logSumExp on resident arrays copies nothing (${threads} thread${threads > 1 ? 's' : ''})`, async () => {
      const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0 }));
      const shape = [64, 1000];
      const x = input(shape, 1);
      const dy = input(shape, 2);
      const [rx, rdy] = [await sm.upload(x), await sm.upload(dy)];

      const before = snapshot();
      const y = await sm.softmax(rx);
      const dx = await sm.softmaxBackward(y, rdy);
      const lse = await sm.logSumExp(dx);
      expect(copiesSince(before), 'no copy between JS and linear memory').toEqual({
        in: 0,
        out: 0,
        bytesIn: 0,
        bytesOut: 0,
      });
      for (const t of [y, dx, lse]) expect(deviceData(t).backend).toBe('wasm');

      const wantY = reference.softmax(x);
      const wantDx = reference.softmaxBackward(tensor(Float32Array.from(wantY.data), { shape }), dy);
      expect(worstError((await sm.download(y)).data, wantY.data, PROBABILITY_FLOOR)).toBeLessThan(4e-6);
      expect(worstError((await sm.download(dx)).data, wantDx.data, PROBABILITY_FLOOR)).toBeLessThan(4e-6 * 8);
      // logSumExp of the gradient, against the same op on the downloaded gradient (host path).
      const hostLse = hostData(await sm.logSumExp(await sm.download(dx)));
      expect(firstBitDifference((await sm.download(lse)).data, hostLse)).toBe(-1);
      await sm.dispose();
    });
  }

  it('a resident out is written in place, call after call', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const x = input([16, 300], 3);
    const rx = await sm.upload(x);
    const out = await sm.upload(tensor(new Float32Array(16 * 300), { shape: [16, 300] }));
    const before = snapshot();
    for (let k = 0; k < 3; k++) {
      const y = await sm.softmax(rx, { out: out.data as DeviceArray });
      expect(y.data).toBe(out.data);
    }
    expect(copiesSince(before).in + copiesSince(before).out).toBe(0);
    expect(
      worstError((await sm.download(out)).data, reference.softmax(x).data, PROBABILITY_FLOOR),
    ).toBeLessThan(4e-6);
    await sm.dispose();
  });
});

describe('host and resident arguments mixed', () => {
  const shape = [20, 50];
  const x = input(shape, 4);
  const where = mask(
    Uint8Array.from({ length: 1000 }, (_, k) => (k % 3 === 0 ? 0 : 1)),
    { shape },
  );

  for (const threads of [1, 2]) {
    it(`${threads} thread${threads > 1 ? 's' : ''}: host x to a device result, device x to a host result, a host mask, a host out`, async () => {
      const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0 }));
      const want = reference.softmax(x, { where }).data;
      const rx = await sm.upload(x);

      // host x, output 'device': x copied in once, the result stays resident
      let before = snapshot();
      const toDevice = await sm.softmax(x, { where, output: 'device' });
      expect(isDeviceArray(toDevice.data)).toBe(true);
      expect(copiesSince(before).out).toBe(0);
      // x, the mask's bytes and its offsets ([20, 50] along the last axis: 20 outer, 1 inner)
      expect(copiesSince(before).bytesIn).toBe(x.data.byteLength + 1000 + 20 * 4 + 1 * 4);

      // device x, output 'host': the result copied out once, x never copied
      before = snapshot();
      const toHost = await sm.softmax(rx, { where, output: 'host' });
      expect(toHost.data).toBeInstanceOf(Float32Array);
      expect(copiesSince(before).bytesOut).toBe(x.data.byteLength);

      // device x, a host out
      const out = new Float32Array(1000);
      const intoHost = await sm.softmax(rx, { where, out });
      expect(intoHost.data).toBe(out);

      for (const got of [(await sm.download(toDevice)).data, hostData(toHost), out]) {
        expect(worstError(got, want, PROBABILITY_FLOOR)).toBeLessThan(4e-6);
      }
      // the same bits as the all-host call
      expect(firstBitDifference(out, hostData(await sm.softmax(x, { where })))).toBe(-1);
      await sm.dispose();
    });
  }

  for (const threads of [1, 2]) {
    it(`${threads} thread${threads > 1 ? 's' : ''}: large host arrays beside resident ones are copied a block of rows at a time`, async () => {
      const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0 }));
      const shape = [300, 2000];
      const big = input(shape, 17);
      const hostBits = hostData(await sm.logSoftmax(big));

      let before = snapshot();
      const toDevice = await sm.logSoftmax(big, { output: 'device' });
      const copied = copiesSince(before);
      expect(copied.bytesIn, 'x copied in exactly once').toBe(big.data.byteLength);
      expect(copied.in, 'in several blocks').toBeGreaterThan(1);
      expect(copied.out).toBe(0);
      expect(firstBitDifference((await sm.download(toDevice)).data, hostBits)).toBe(-1);

      const rx = await sm.upload(big);
      before = snapshot();
      const out = new Float32Array(big.data.length);
      await sm.logSoftmax(rx, { out });
      expect(copiesSince(before).bytesOut, 'out copied out exactly once').toBe(out.byteLength);
      expect(copiesSince(before).out).toBeGreaterThan(1);
      expect(copiesSince(before).bytesIn).toBe(0);
      expect(firstBitDifference(out, hostBits)).toBe(-1);
      await sm.dispose();
    });
  }

  it('cross-entropy: resident logits, host labels and weights, loss and gradient resident', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const labels = { data: Int32Array.from({ length: 20 }, (_, k) => (k * 3) % 50), shape: [20] };
    const weights = tensor(Float32Array.from({ length: 50 }, (_, c) => 1 + (c % 3)));
    const r = await sm.softmaxCrossEntropy(await sm.upload(x), labels, { weights });
    expect(isDeviceArray(r.loss.data) && isDeviceArray(r.grad.data)).toBe(true);
    const want = reference.softmaxCrossEntropy(x, labels, { weights });
    expect(worstError((await sm.download(r.loss)).data, want.loss.data, 1)).toBeLessThan(2e-6);
    expect(worstError((await sm.download(r.grad)).data, want.grad.data, PROBABILITY_FLOOR)).toBeLessThan(
      4e-6 * 8,
    );
    await sm.dispose();
  });

  it('sm.sync reads host memory only: a resident array there says to download it', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const rx = await sm.upload(x);
    expect(() => sm.sync!.softmax(rx as Tensor)).toThrow(/download\(\)/);
    await sm.dispose();
  });
});

describe('lifetime', () => {
  it('dispose() releases the block (the next upload reuses it); a disposed array is a ValueError naming the argument', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const x = input([8, 100], 5);
    const a = await sm.upload(x);
    const address = deviceData(a).address;
    deviceData(a).dispose();
    deviceData(a).dispose(); // idempotent
    const b = await sm.upload(x);
    expect(deviceData(b).address, 'first fit reuses the freed block').toBe(address);

    let error: unknown;
    try {
      await sm.softmax(a);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValueError);
    expect((error as ValueError).argument).toBe('x');
    expect((error as Error).message).toMatch(/disposed/);
    await expect(deviceData(a).download()).rejects.toThrow(/disposed/);
    await expect(sm.softmax(b, { out: a.data as DeviceArray })).rejects.toThrow(/options\.out.*disposed/);
    await sm.dispose();
  });

  it("sm.dispose() releases every array it owns; another session's or backend's array is refused", async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const other = await createSoftmax(wasmBackend({ threads: 1 }));
    const x = input([4, 10], 6);
    const mine = await sm.upload(x);
    const theirs = await other.upload(x);

    await expect(sm.softmax(theirs)).rejects.toThrow(/another wasm session/);
    const foreign: DeviceArray = {
      location: 'device',
      dtype: 'float32',
      length: 40,
      backend: 'webgpu',
      download: async () => new Float32Array(40),
      dispose: () => {},
    };
    await expect(sm.softmax({ data: foreign, shape: [4, 10] })).rejects.toThrow(/backend 'webgpu'/);

    await other.dispose();
    await expect(deviceData(theirs).download()).rejects.toThrow(/disposed/);
    await expect(sm.softmax(theirs)).rejects.toThrow(/another wasm session \(disposed\)/);
    await sm.dispose();
    expect(deviceData(mine).disposed).toBe(true);
    await expect(deviceData(mine).download()).rejects.toThrow(/disposed/);
    await expect(sm.softmax(mine)).rejects.toSatisfy(
      (e) => e instanceof SoftmaxKitError && e.code === 'ERR_SOFTMAX_DISPOSED',
    );
  });

  it('an input disposed while its call runs on the workers stays intact until the call ends', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 2, inlineElements: 0 }));
    const x = input([256, 4000], 7);
    const rx = await sm.upload(x);
    const running = sm.softmax(rx);
    deviceData(rx).dispose();
    // An upload now must not land on the input the workers are reading.
    const filler = await sm.upload(tensor(new Float32Array(256 * 4000).fill(1e6), { shape: [256, 4000] }));
    expect(deviceData(filler).address).not.toBe(deviceData(rx).address);
    const y = await running;
    expect(
      worstError((await sm.download(y)).data, reference.softmax(x).data, PROBABILITY_FLOOR),
    ).toBeLessThan(4e-6);
    await sm.dispose();
  });
});

describe('memory', () => {
  for (const threads of [1, 2]) {
    it(`growing the memory keeps live arrays' contents (${threads === 1 ? 'private' : 'shared'} memory)`, async () => {
      const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0 }));
      const x = input([10, 100], 8);
      const small = await sm.upload(x);
      const y = await sm.softmax(small);
      // 48 MiB more than the memory's initial 2 MiB: it grows several times.
      const big: { data: unknown }[] = [];
      for (let k = 0; k < 3; k++) big.push(await sm.upload(input([4, 1024 * 1024], 9 + k)));
      expect(firstBitDifference((await sm.download(small)).data, x.data)).toBe(-1);
      expect(
        worstError((await sm.download(y)).data, reference.softmax(x).data, PROBABILITY_FLOOR),
      ).toBeLessThan(4e-6);
      // and computing on them after the growth is still right
      const again = await sm.softmax(small);
      expect(firstBitDifference((await sm.download(again)).data, (await sm.download(y)).data)).toBe(-1);
      const lastBig = input([4, 1024 * 1024], 11);
      expect(firstBitDifference((await sm.download(big[2] as Tensor)).data, lastBig.data)).toBe(-1);
      await sm.dispose();
    });
  }

  it('host-array calls stream beside live arrays without touching them', async () => {
    for (const threads of [1, 2]) {
      const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0, maxMemory: 16 * MIB }));
      const kept = input([1000, 1000], 12); // 4 MB resident
      const rk = await sm.upload(kept);
      // 24 MB of host data streams through what is left, several times over
      const x = input([3000, 2000], 13);
      const y = sm.sync ? sm.sync.softmax(x) : await sm.softmax(x);
      // an upload while a host call is in flight on the workers lands outside its slots
      const pending = sm.softmax(input([2000, 2000], 14));
      await new Promise((resolve) => setTimeout(resolve, 0));
      const during = await sm.upload(kept);
      await pending;
      expect(worstError(hostData(y), reference.softmax(x).data, PROBABILITY_FLOOR)).toBeLessThan(4e-6);
      expect(firstBitDifference((await sm.download(rk)).data, kept.data)).toBe(-1);
      expect(firstBitDifference((await sm.download(during)).data, kept.data)).toBe(-1);
      await sm.dispose();
    }
  });

  it('running out is an UnsupportedError naming the argument and the sizes; disposing makes room', async () => {
    const sm = await createSoftmax(wasmBackend({ threads: 1, maxMemory: 4 * MIB }));
    const a = await sm.upload(input([512, 1024], 15)); // 2 MiB
    let error: unknown;
    try {
      await sm.upload(input([640, 1024], 16)); // 2.5 MiB more
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UnsupportedError);
    expect((error as UnsupportedError).argument).toBe('tensor');
    expect((error as Error).message).toMatch(/needs 2621440 bytes/);
    expect((error as Error).message).toMatch(/2097152 bytes are in use \(1 resident arrays/);
    expect((error as Error).message).toMatch(/maximum 4194304 bytes/);
    // a 2 MiB result does not fit beside it either
    await expect(sm.softmax(a, { output: 'device' })).rejects.toThrow(UnsupportedError);
    // but a host result streams out through what is left, a block of rows at a time
    const hostOut = await sm.softmax(a, { output: 'host' });
    expect(
      worstError(hostData(hostOut), reference.softmax(input([512, 1024], 15)).data, PROBABILITY_FLOOR),
    ).toBeLessThan(4e-6);
    deviceData(a).dispose();
    const x = input([640, 1024], 16);
    const b = await sm.upload(x);
    const y = await sm.logSumExp(b, { output: 'host' });
    expect(worstError(hostData(y), reference.logSumExp(x).data, 1)).toBeLessThan(2e-6);
    await sm.dispose();
  });
});
