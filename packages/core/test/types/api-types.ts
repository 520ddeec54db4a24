/**
 * Type tests: checked by `tsc -p test/tsconfig.json` (the package's typecheck), never run.
 * Every `@ts-expect-error` line must be an error, or tsc fails with "unused directive".
 */
import type { AsyncBackendFactory, Backend, BackendFactory, SyncBackendFactory } from '../../src/backend.js';
import {
  ALL_OPS,
  type AsyncOps,
  type Capabilities,
  type CrossEntropyResult,
  createSoftmax,
  type FloatArray,
  labels,
  type OpName,
  type Softmax,
  type SyncOps,
  type Tensor,
  tensor,
} from '../../src/index.js';

declare const backend: Backend;
const syncCaps: Capabilities<true> = { dtypes: ['float32', 'float64'], sync: true, maxElements: 1e9 };
const asyncCaps: Capabilities<false> = { dtypes: ['float32'], sync: false, maxElements: 1e9 };
const syncFactory: SyncBackendFactory = {
  name: 'sync',
  dtypes: ['float32'],
  capabilities: syncCaps,
  start: async () => backend,
};
const asyncFactory: AsyncBackendFactory = {
  name: 'async',
  dtypes: ['float32'],
  capabilities: asyncCaps,
  start: async () => backend,
};
const undeclared: BackendFactory = { name: 'plain', dtypes: ['float32'], start: async () => backend };

export async function syncTyping(): Promise<void> {
  // A sync factory: sm.sync is there, no `?.` or `!` needed under strict.
  const sm = await createSoftmax(syncFactory);
  const y: Tensor<Float32Array> = sm.sync.softmax(tensor([1, 2, 3]));
  const list = await createSoftmax([syncFactory, syncFactory]);
  list.sync.logSoftmax(y);

  // An async factory: sm.sync is not in the type at all.
  const gpu = await createSoftmax(asyncFactory);
  // @ts-expect-error sm.sync is absent for an async backend
  gpu.sync;
  const z: Tensor<Float32Array> = await gpu.softmax(tensor([1, 2]));

  // A list mixing them, or a factory that declares nothing: sync may be undefined.
  const mixed = await createSoftmax([syncFactory, asyncFactory]);
  // @ts-expect-error possibly undefined
  mixed.sync.softmax(z);
  mixed.sync?.softmax(z);
  const plain: Softmax = await createSoftmax(undeclared);
  plain.sync?.softmax(z);
  // @ts-expect-error possibly undefined
  plain.sync.softmax(z);
}

export async function arrayTypes(sm: Softmax<true>): Promise<void> {
  // tensor() keeps a Float64Array's dtype, and dtype: 'float64' says so in the type.
  const a: Tensor<Float64Array> = tensor(new Float64Array(4));
  const b: Tensor<Float64Array> = tensor([1, 2], { dtype: 'float64' });
  const c: Tensor<Float32Array> = tensor([1, 2]);
  const d: Tensor<Float32Array> = tensor(new Float64Array(2), { dtype: 'float32' });
  // @ts-expect-error a Float64Array gives a float64 tensor
  const e: Tensor<Float32Array> = tensor(new Float64Array(2));
  // @ts-expect-error dtype float64 gives Float64Array data
  const f: Tensor<Float32Array> = tensor([1], { dtype: 'float64' });

  // A static type that may hold a Float64Array gives the union, never a wrong Float32Array.
  const either: Tensor<FloatArray> = tensor(new Float64Array(1) as FloatArray);
  // @ts-expect-error a FloatArray may be a Float64Array, which tensor() keeps
  const narrowed: Tensor<Float32Array> = tensor(new Float64Array(1) as FloatArray);
  const scalar: Tensor<Float32Array> = tensor(5);
  const fromInts: Tensor<Float32Array> = tensor(new Int32Array(2));
  void [either, narrowed, scalar, fromInts];

  // Results keep the input's array type, sync and async, every op.
  const r64: Tensor<Float64Array> = sm.sync.softmax(a);
  const l64: Tensor<Float64Array> = await sm.logSumExp(b, { keepDims: true });
  const g64: Tensor<Float64Array> = sm.sync.softmaxBackward(a, a);
  const ce: CrossEntropyResult<Float64Array> = sm.sync.softmaxCrossEntropy(a, labels([1]));
  const ce32: CrossEntropyResult<Float32Array> = await sm.softmaxCrossEntropy(c, labels([1]));
  // @ts-expect-error a float64 input gives a float64 result
  const wrong: Tensor<Float32Array> = sm.sync.softmax(a);
  // @ts-expect-error y and dy must have one array type
  sm.sync.softmaxBackward(c, a);
  void [d, e, f, r64, l64, g64, ce, ce32, wrong];
}

export function optionTypes(sm: Softmax<true>): void {
  const x = tensor([1, 2, 3]);
  // @ts-expect-error unknown option (the run-time check says: did you mean 'where'?)
  sm.sync.softmax(x, { mask: undefined });
  // @ts-expect-error cross-entropy takes no temperature
  sm.sync.softmaxCrossEntropy(x, labels([0]), { temperature: 2 });
  // @ts-expect-error options are an object
  sm.sync.softmax(x, 0);
  // @ts-expect-error keepDims is logSumExp's
  sm.sync.softmax(x, { keepDims: true });
  sm.sync.logSumExp(x, { keepDims: true, axis: 0, temperature: 2 });
}

// The op table: ALL_OPS lists OpName, and both op objects have exactly those keys.
const names: readonly OpName[] = ALL_OPS;
const syncKeys: Record<OpName, unknown> = {} as SyncOps;
const asyncKeys: Record<OpName, unknown> = {} as AsyncOps;
// @ts-expect-error not an op
const notAnOp: OpName = 'softmaxForward';
void [names, syncKeys, asyncKeys, notAnOp];
