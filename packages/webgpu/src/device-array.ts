/**
 * The webgpu backend's device arrays: a GPU buffer holding float32 data. Arrays the backend
 * allocates (uploads, outputs) are owned: `dispose()` or the session's dispose returns their
 * buffer to the pool. Arrays made by `fromGpuBuffer` wrap the application's buffer: borrowed,
 * never destroyed; any session may use them (the last one reads them back on download()).
 */
import type { DeviceArray, DeviceTensor, DType } from '@softmax-kit/core';
import { ValueError } from '@softmax-kit/core';
import { BUFFER_STORAGE } from './flags.js';
import type { Binding, GpuContext } from './gpu-context.js';

export class GpuArray implements DeviceArray {
  readonly location = 'device';
  readonly backend = 'webgpu';
  private released = false;

  constructor(
    /** null for a borrowed buffer not used by any session yet */
    public ctx: GpuContext | null,
    readonly buffer: GPUBuffer,
    readonly dtype: DType,
    readonly length: number,
    readonly owned: boolean,
  ) {}

  get disposed(): boolean {
    return this.released || (this.owned && (this.ctx?.disposed ?? false));
  }

  /** The buffer as a shader binding of exactly the array's bytes. */
  get binding(): Binding {
    return { buffer: this.buffer, size: Math.max(4, this.length * 4) };
  }

  async download(): Promise<Float32Array> {
    if (this.disposed)
      throw new ValueError('this device array was disposed; it can no longer be read', 'tensor');
    const ctx = this.ctx;
    if (ctx === null) {
      throw new ValueError(
        'this array wraps your own GPUBuffer and no softmax session has used it yet; read the buffer yourself, or pass it to an op first',
        'tensor',
      );
    }
    const out = new Float32Array(this.length);
    if (this.length === 0) return out;
    const call = ctx.call();
    call.readInto(this.binding, out);
    await call.run();
    return out;
  }

  dispose(): void {
    if (this.released) return;
    this.released = true;
    if (this.owned && this.ctx && !this.ctx.disposed) this.ctx.releaseArray(this);
  }
}

/**
 * Elements [start, start + length) of a device array, for chunked calls: a kernel binds a copy
 * of the range (binding offsets must be 256-byte aligned; copies only 4-byte aligned).
 */
export class GpuWindow {
  constructor(
    readonly array: GpuArray,
    readonly start: number,
    readonly length: number,
  ) {}
}

/**
 * Wraps the application's GPUBuffer (STORAGE usage, float32, at least shape's product elements)
 * as a device tensor for any session on the same device. The buffer stays the application's:
 * softmax-kit never destroys it. A buffer of another device, a destroyed buffer or one without
 * STORAGE | COPY_SRC usage is reported when an op uses it.
 */
export function fromGpuBuffer(
  buffer: GPUBuffer,
  { dtype, shape }: { dtype: DType; shape: readonly number[] },
): DeviceTensor {
  if (dtype !== 'float32') {
    throw new ValueError(`fromGpuBuffer: the webgpu backend holds float32 data, got dtype ${dtype}`, 'dtype');
  }
  if ((buffer.usage & BUFFER_STORAGE) === 0) {
    throw new ValueError(
      'fromGpuBuffer: the buffer needs GPUBufferUsage.STORAGE (and COPY_SRC to be downloaded)',
      'buffer',
    );
  }
  const length = shape.reduce((a, b) => a * b, 1);
  if (length * 4 > buffer.size) {
    throw new ValueError(
      `fromGpuBuffer: shape [${shape.join(', ')}] needs ${length * 4} bytes but the buffer has ${buffer.size}`,
      'shape',
    );
  }
  return { data: new GpuArray(null, buffer, dtype, length, false), shape: [...shape] };
}
