/**
 * A size-bucketed pool of GPU buffers: a call takes buffers by size class and gives them back,
 * so steady-state calls of any shape allocate nothing. Buckets are powers of two split in
 * quarters (at most 25% slack); buffers of one bucket and usage are interchangeable.
 */

const MIN_BYTES = 256;

/** The bucket a request of `bytes` falls into. */
export function bucketBytes(bytes: number): number {
  if (bytes <= MIN_BYTES) return MIN_BYTES;
  const power = 2 ** Math.floor(Math.log2(bytes));
  const quarter = power / 4;
  return Math.ceil(bytes / quarter) * quarter;
}

export class BufferPool {
  private readonly free = new Map<string, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  acquire(bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    // The bucket, but never past the device's largest buffer (a request near it gets its own size).
    const size = Math.max(Math.min(bucketBytes(bytes), this.device.limits.maxBufferSize), bytes);
    const list = this.free.get(`${usage}:${size}`);
    const reused = list?.pop();
    if (reused) return reused;
    const buffer = this.device.createBuffer({ size, usage });
    this.owned.add(buffer);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    if (!this.owned.has(buffer)) return;
    const key = `${buffer.usage}:${buffer.size}`;
    const list = this.free.get(key);
    if (list) list.push(buffer);
    else this.free.set(key, [buffer]);
  }

  /** Destroys a buffer the pool created instead of taking it back. */
  discard(buffer: GPUBuffer): void {
    if (this.owned.delete(buffer)) buffer.destroy();
  }

  /** Destroys every buffer the pool created (in use or not). */
  destroy(): void {
    for (const buffer of this.owned) buffer.destroy();
    this.owned.clear();
    this.free.clear();
  }
}
