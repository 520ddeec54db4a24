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
  patchSharedWrites(globals);
  // timestamps unrounded (Dawn rounds them to 100 us by default): GPU kernel times for our webgpu backend
  const gpu = create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
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

/**
 * Dawn's Node binding rejects (or crashes on) writeBuffer from a view of a SharedArrayBuffer,
 * which is what threaded wasm builds (onnxruntime-web) hand it, even with one thread: such
 * views are copied into a plain ArrayBuffer first. Other writes go straight through.
 */
function patchSharedWrites(globals: Record<string, unknown>): void {
  const Queue = globals.GPUQueue as { prototype: GPUQueue } | undefined;
  if (!Queue || (Queue.prototype as { __sabPatched?: boolean }).__sabPatched) return;
  const original = Queue.prototype.writeBuffer;
  Object.defineProperty(Queue.prototype, '__sabPatched', { value: true });
  Queue.prototype.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    offset: number,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: number,
    size?: number,
  ) {
    let d = data as ArrayBufferView | ArrayBuffer | SharedArrayBuffer;
    if (typeof SharedArrayBuffer !== 'undefined') {
      if (d instanceof SharedArrayBuffer) d = new Uint8Array(d).slice().buffer;
      else if (ArrayBuffer.isView(d) && d.buffer instanceof SharedArrayBuffer) {
        const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
        const per =
          'BYTES_PER_ELEMENT' in d && typeof d.BYTES_PER_ELEMENT === 'number' ? d.BYTES_PER_ELEMENT : 1;
        const Ctor = d.constructor as new (b: ArrayBuffer) => ArrayBufferView;
        d = per === 1 ? bytes : new Ctor(bytes.buffer);
      }
    }
    return original.call(this, buffer, offset, d as BufferSource, dataOffset, size);
  } as GPUQueue['writeBuffer'];
}
