/**
 * Where a call runs: on the host, or on the backend's device when any argument is a device
 * array, `out`/`gradOut` is one, or `output: 'device'` asks for it. Backends without device
 * memory refuse device arrays with the way to move them. Ops without device kernels run
 * through host memory: device inputs are downloaded, results uploaded.
 */
import { describeValue } from './describe.js';
import { type DeviceArray, type DeviceMemory, isDeviceArray } from './device.js';
import { ValueError } from './errors.js';
import { OPS, type OpName } from './ops.js';
import type { Plan } from './plan/plan.js';
import type { FloatArray, Tensor } from './types.js';
import type { SupportContext } from './validate/support.js';

function optionsOf(op: OpName, args: readonly unknown[]): Record<string, unknown> | undefined {
  const o = args[OPS[op].args.length];
  return typeof o === 'object' && o !== null && !Array.isArray(o)
    ? (o as Record<string, unknown>)
    : undefined;
}

function dataOf(value: unknown): unknown {
  try {
    return (value as { data?: unknown } | null)?.data;
  } catch {
    return undefined;
  }
}

/** A device array of a call, with the argument it sits in. */
type Found = { array: DeviceArray; argument: string };
const NONE: readonly Found[] = Object.freeze([]);

/** Appends to the list, creating it on the first device array found. */
function withFound(found: Found[] | undefined, array: DeviceArray, argument: string): Found[] {
  const list = found ?? [];
  list.push({ array, argument });
  return list;
}

/** Every device array of a call, with the argument it sits in. */
function deviceArrays(
  op: OpName,
  args: readonly unknown[],
  o: Record<string, unknown> | undefined,
): readonly Found[] {
  // Plain loops, and no list until a device array turns up: this runs on every call, and 1x10
  // softmax is dominated by per-call cost.
  let found: Found[] | undefined;
  const names = OPS[op].args;
  for (let k = 0; k < names.length; k++) {
    const data = dataOf(args[k]);
    if (isDeviceArray(data)) found = withFound(found, data, names[k]);
  }
  if (o) {
    // named reads, not a loop over keys: a keyed read with changing keys is megamorphic in V8
    const { out, gradOut } = o;
    if (isDeviceArray(out)) found = withFound(found, out, 'options.out');
    if (isDeviceArray(gradOut)) found = withFound(found, gradOut, 'options.gradOut');
    const where = dataOf(o.where);
    if (isDeviceArray(where)) found = withFound(found, where, 'options.where');
    const weights = dataOf(o.weights);
    if (isDeviceArray(weights)) found = withFound(found, weights, 'options.weights');
  }
  return found ?? NONE;
}

export function placeCall(context: SupportContext, op: OpName, args: readonly unknown[]): 'host' | 'device' {
  const o = optionsOf(op, args);
  const output = o?.output;
  if (output !== undefined && output !== 'host' && output !== 'device') {
    throw new ValueError(
      `options.output must be 'host' or 'device', got ${describeValue(output)}`,
      'options.output',
    );
  }
  const arrays = deviceArrays(op, args, o);
  const { backend } = context;
  if (!backend.device) {
    if (arrays.length > 0) {
      const { array, argument } = arrays[0];
      throw new ValueError(
        `${argument} is a device array of backend '${array.backend}' but backend '${backend.name}' reads host memory: download() it first (await sm.download(tensor), or await ${argument}.data.download())`,
        argument,
      );
    }
    if (output === 'device') {
      throw new ValueError(
        `options.output 'device' needs a backend with device memory (webgpu, wasm); backend '${backend.name}' has none`,
        'options.output',
      );
    }
    return 'host';
  }
  return arrays.length > 0 || output === 'device' ? 'device' : 'host';
}

async function hostTensor(value: unknown, device: DeviceMemory, argument: string): Promise<unknown> {
  const data = dataOf(value);
  if (!isDeviceArray(data)) return value;
  device.check(data, argument);
  return { data: await data.download(), shape: (value as Tensor).shape };
}

/** Puts a host result where the call wants it: into a device `out`, a new device array, or the host. */
function place(
  result: Tensor,
  out: unknown,
  output: unknown,
  device: DeviceMemory,
): { data: FloatArray | DeviceArray; shape: readonly number[] } {
  if (isDeviceArray(out)) {
    device.write(out, result.data);
    return { data: out, shape: result.shape };
  }
  if (output === 'host') return result;
  return { data: device.upload(result.data), shape: result.shape };
}

/** Runs an op without device kernels through host memory (see the file comment). */
export async function runViaHost(
  device: DeviceMemory,
  op: OpName,
  args: readonly unknown[],
  plan: (hostArgs: unknown[]) => Plan<unknown>,
): Promise<unknown> {
  const names = OPS[op].args;
  const o = optionsOf(op, args);
  const hostArgs: unknown[] = await Promise.all(names.map((name, k) => hostTensor(args[k], device, name)));
  const outKey = op === 'softmaxCrossEntropy' ? 'gradOut' : 'out';
  const out = o?.[outKey];
  if (o) {
    const hostOptions: Record<string, unknown> = { ...o };
    if (isDeviceArray(out)) delete hostOptions[outKey];
    if (o.weights !== undefined) hostOptions.weights = await hostTensor(o.weights, device, 'options.weights');
    hostArgs.push(hostOptions);
  }
  const p = plan(hostArgs);
  await p.run?.();
  const result = p.finish();
  // A device call defaults to a device result; 'host' keeps it here.
  const output = o?.output ?? 'device';
  if (op === 'softmaxCrossEntropy') {
    const r = result as { loss: Tensor; grad: Tensor };
    return { loss: r.loss, grad: place(r.grad, out, output, device) };
  }
  return place(result as Tensor, out, output, device);
}
