/** Makes `sm.sync` look like the async ops, so every case runs unchanged in both modes. */
import type { AsyncOps, SyncOps } from '../options.js';
import { fail } from './assert.js';

/** Runs a sync op: its errors become rejections, and a returned Promise is a conformance failure. */
function settle<R>(op: string, call: () => R): Promise<R> {
  return new Promise<R>((resolve) => {
    const result = call();
    if (typeof (result as { then?: unknown } | null)?.then === 'function') {
      fail(`sm.sync.${op} returned a Promise; sync ops must return values directly`);
    }
    resolve(result);
  });
}

export function syncAsAsync(sync: SyncOps): AsyncOps {
  return {
    softmax: (x, o) => settle('softmax', () => sync.softmax(x, o)),
    logSoftmax: (x, o) => settle('logSoftmax', () => sync.logSoftmax(x, o)),
    logSumExp: (x, o) => settle('logSumExp', () => sync.logSumExp(x, o)),
    softmaxBackward: (y, dy, o) => settle('softmaxBackward', () => sync.softmaxBackward(y, dy, o)),
    logSoftmaxBackward: (l, dy, o) => settle('logSoftmaxBackward', () => sync.logSoftmaxBackward(l, dy, o)),
    softmaxJacobian: (y, o) => settle('softmaxJacobian', () => sync.softmaxJacobian(y, o)),
    softmaxCrossEntropy: (x, t, o) => settle('softmaxCrossEntropy', () => sync.softmaxCrossEntropy(x, t, o)),
  };
}
