import type { DeviceClass } from './plan.js';

/**
 * The GPUDevice the backend runs on: the application's own (used as is, never destroyed), or one
 * requested from an adapter with the adapter's limits. Software "null" adapters (Dawn's null
 * backend) compute nothing and are refused.
 */

export interface AcquiredDevice {
  readonly device: GPUDevice;
  readonly deviceClass: DeviceClass;
  /** true when the backend created the device and must destroy it */
  readonly owned: boolean;
  readonly adapterName: string;
}

/** Limits raised to what the adapter offers: long rows and big tensors need more than the defaults. */
const LIMITS = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupsPerDimension',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupStorageSize',
  'maxStorageBuffersPerShaderStage',
] as const;

function describeAdapter(adapter: GPUAdapter): string {
  const i = adapter.info;
  return (
    [i.description || i.device, i.vendor, i.architecture].filter(Boolean).join(', ') || 'unnamed adapter'
  );
}

/** Software adapters run invocations as SIMD lanes on CPU cores (see plan.ts). */
export function deviceClassOf(info: GPUAdapterInfo | undefined): DeviceClass {
  if (!info) return 'gpu';
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return /llvmpipe|lavapipe|swiftshader|software|\bcpu\b/i.test(text) ? 'cpu' : 'gpu';
}

/** Dawn's null backend reports 'Null backend' (or nothing at all) as its device. */
export function isNullAdapter(info: GPUAdapterInfo): boolean {
  return (
    /null/i.test(`${info.device} ${info.description}`) || (!info.vendor && !info.description && !info.device)
  );
}

export async function acquireDevice(
  gpu: GPU | undefined,
  device: GPUDevice | undefined,
  powerPreference: GPUPowerPreference | undefined,
  want: { readonly timestamps?: boolean } = {},
): Promise<AcquiredDevice> {
  if (device) {
    const info = (device as { adapterInfo?: GPUAdapterInfo }).adapterInfo;
    return { device, owned: false, adapterName: 'application device', deviceClass: deviceClassOf(info) };
  }
  if (!gpu) {
    throw new Error(
      'WebGPU is not available: navigator.gpu is missing (in Node, pass { gpu } created with the `webgpu` package)',
    );
  }
  const adapter = await gpu.requestAdapter(powerPreference ? { powerPreference } : undefined);
  if (!adapter) throw new Error('WebGPU is not available: requestAdapter() found no adapter');
  if (isNullAdapter(adapter.info)) {
    throw new Error(`refused WebGPU adapter '${describeAdapter(adapter)}': a null adapter computes nothing`);
  }
  const requiredLimits: Record<string, number> = {};
  for (const name of LIMITS) requiredLimits[name] = adapter.limits[name];
  // Subgroup reductions where the adapter has them (the kernels never assume a subgroup size).
  const requiredFeatures: GPUFeatureName[] = adapter.features.has('subgroups') ? ['subgroups'] : [];
  // Timestamp queries only when asked for (onGpuTime): they are for benchmarks.
  if (want.timestamps && adapter.features.has('timestamp-query')) requiredFeatures.push('timestamp-query');
  const created = await adapter.requestDevice({ label: 'softmax-kit', requiredLimits, requiredFeatures });
  return {
    device: created,
    owned: true,
    adapterName: describeAdapter(adapter),
    deviceClass: deviceClassOf(adapter.info),
  };
}
