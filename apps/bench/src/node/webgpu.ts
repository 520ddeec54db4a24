/**
 * WebGPU in Node for the GPU workers: the `webgpu` package (Dawn) exposes its globals
 * (GPUBufferUsage...) and `navigator.gpu` BEFORE a WebGPU library is imported. Dawn's
 * 'null-backend' adapter runs nothing and is rejected. Needs the lavapipe environment
 * (VK_ICD_FILENAMES, LD_LIBRARY_PATH) from ./lavapipe.ts set when the process started.
 */

/** a variable, so TypeScript does not load the package's own (conflicting) @webgpu/types copy */
const WEBGPU_PACKAGE = 'webgpu';

export interface AdapterDescription {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
}

export async function installNodeWebGPU(): Promise<string> {
  const { create, globals } = (await import(WEBGPU_PACKAGE)) as {
    create(options: string[]): GPU;
    globals: Record<string, unknown>;
  };
  Object.assign(globalThis, globals);
  const gpu = create(['backend=vulkan']);
  const g = globalThis as { navigator?: { gpu?: GPU } };
  if (!g.navigator) {
    Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  } else {
    Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  }
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      `no WebGPU adapter (Dawn found no Vulkan device; VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'})`,
    );
  }
  const i = adapter.info;
  const d: AdapterDescription = {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
  };
  if (/null/i.test(d.device) || (!d.vendor && !d.description)) {
    throw new Error(`rejected Dawn adapter '${d.device || 'unnamed'}': the null backend runs nothing`);
  }
  return `WebGPU adapter: ${d.description || d.device} (${d.vendor}, ${d.architecture})`;
}
