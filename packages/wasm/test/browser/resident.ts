/**
 * A smoke of resident arrays in the page: upload, softmax -> softmaxBackward on arrays left in
 * linear memory, download, against the float64 reference.
 */
import { createSoftmax, isDeviceArray, tensor } from '@softmax-kit/core';
import * as reference from '@softmax-kit/core/reference';
import { wasmBackend } from '../../dist/browser.js';

export interface ResidentSmoke {
  /** softmax's and softmaxBackward's results were device arrays of the wasm backend */
  resident: boolean;
  /** largest |got - want| of softmax and of its gradient */
  softmaxError: number;
  backwardError: number;
}

function values(length: number, seed: number): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let k = 0; k < length; k++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[k] = (s / 2 ** 32) * 16 - 8;
  }
  return out;
}

const worst = (got: ArrayLike<number>, want: ArrayLike<number>) => {
  let w = 0;
  for (let k = 0; k < want.length; k++) w = Math.max(w, Math.abs(got[k] - want[k]));
  return w;
};

export async function residentSmoke(threads: number): Promise<ResidentSmoke> {
  const sm = await createSoftmax(wasmBackend({ threads, inlineElements: 0 }));
  try {
    const shape = [64, 1000];
    const x = tensor(values(64_000, 1), { shape });
    const dy = tensor(values(64_000, 2), { shape });
    const y = await sm.softmax(await sm.upload(x));
    const dx = await sm.softmaxBackward(y, await sm.upload(dy));
    const resident = [y, dx].every((t) => isDeviceArray(t.data) && t.data.backend === 'wasm');
    const wantY = reference.softmax(x);
    const wantDx = reference.softmaxBackward(tensor(Float32Array.from(wantY.data), { shape }), dy);
    return {
      resident,
      softmaxError: worst((await sm.download(y)).data, wantY.data),
      backwardError: worst((await sm.download(dx)).data, wantDx.data),
    };
  } finally {
    await sm.dispose();
  }
}
