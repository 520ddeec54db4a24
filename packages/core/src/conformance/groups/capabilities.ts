/** What a backend declares it cannot do must be refused with an UnsupportedError naming it. */
import { UnsupportedError } from '../../errors.js';
import { ALL_OPS, type DType, type OpName } from '../../types.js';
import { assertRejects, check } from '../assert.js';
import type { BackendInfo, CaseGroup, ConformanceCase } from '../case.js';
import { makeLabels, makeTensor } from '../tensors.js';
import { callOp } from './op-arguments.js';

const DTYPES: readonly DType[] = ['float32', 'float64'];

function refusedCall(
  op: OpName,
  dtype: DType,
  backend: BackendInfo,
  why: string,
  needsKernel: boolean,
): ConformanceCase {
  return {
    name: `${op} on ${dtype}: ${why} -> UnsupportedError naming '${backend.name}'`,
    // A missing dtype is tested on an op the backend has; a missing op needs no kernel at all.
    ops: needsKernel ? [op] : [],
    dtypes: [],
    elements: 6,
    run: async (context) => {
      const x = makeTensor(dtype, [0.1, 0.2, 0.7, 0.3, 0.3, 0.4], [2, 3]);
      const second =
        op === 'softmaxCrossEntropy'
          ? makeLabels([0, 2], [2])
          : makeTensor(dtype, [1, 2, 3, 4, 5, 6], [2, 3]);
      const error = await assertRejects(
        () => callOp(context.ops, op, x, second, {}),
        UnsupportedError,
        undefined,
        `${op} on ${dtype}`,
        context.mode === 'async',
      );
      check(
        error instanceof UnsupportedError && error.backend === backend.name,
        () =>
          `UnsupportedError.backend is '${error instanceof UnsupportedError ? error.backend : '?'}', want '${backend.name}'`,
      );
    },
  };
}

/** Generated from the declared capabilities: every missing dtype on every op, every missing op. */
export function capabilitiesGroup(backend: BackendInfo): CaseGroup {
  const missingDtypes = DTYPES.filter((d) => !backend.capabilities.dtypes.includes(d));
  const missingOps = ALL_OPS.filter((op) => !backend.ops.includes(op));
  const declaredDtype = backend.capabilities.dtypes[0] ?? 'float32';
  const cases = [
    ...backend.ops.flatMap((op) =>
      missingDtypes.map((dtype) => refusedCall(op, dtype, backend, `${dtype} is not declared`, true)),
    ),
    ...missingOps.map((op) => refusedCall(op, declaredDtype, backend, 'no kernel', false)),
  ];
  return { name: 'declared capabilities are enforced', cases };
}
