/**
 * Large uploads through buffers kept mapped between calls (MAP_WRITE | COPY_SRC): the data is
 * written straight into a mapping and the call's own encoder copies it into the storage buffer;
 * once that copy is done the buffer is mapped again for a later call. queue.writeBuffer stages
 * data larger than Dawn's 4 MiB upload ring in a staging buffer it creates per write (measured
 * on lavapipe: 8 MiB about 3x slower that way), so writes above that size come here.
 */
import { bucketBytes } from './buffer-pool.js';
import { BUFFER_COPY_SRC, BUFFER_MAP_WRITE, MAP_MODE_WRITE } from './flags.js';

/** Uploads up to this size stay with queue.writeBuffer (its ring buffer serves them well). */
export const BELT_MIN_BYTES = 4 * 1024 * 1024 + 1;
const UPLOAD_USAGE = BUFFER_MAP_WRITE | BUFFER_COPY_SRC;

export class UploadBelt {
  /** Mapped buffers ready for a write, by size. */
  private readonly free = new Map<number, GPUBuffer[]>();
  private readonly owned = new Set<GPUBuffer>();

  constructor(private readonly device: GPUDevice) {}

  /** A buffer holding `data` zero-padded to `bytes` (whole u32 words), unmapped, ready to copy from. */
  write(data: Uint8Array, bytes: number): GPUBuffer {
    const size = Math.max(Math.min(bucketBytes(bytes), this.device.limits.maxBufferSize), bytes);
    let buffer = this.free.get(size)?.pop();
    if (!buffer) {
      buffer = this.device.createBuffer({ size, usage: UPLOAD_USAGE, mappedAtCreation: true });
      this.owned.add(buffer);
    }
    const mapped = new Uint8Array(buffer.getMappedRange(0, bytes));
    mapped.set(data);
    mapped.fill(0, data.byteLength);
    buffer.unmap();
    return buffer;
  }

  /** Maps `buffer` again (after the work that copies from it) and keeps it for a later write. */
  recycle(buffer: GPUBuffer): void {
    buffer.mapAsync(MAP_MODE_WRITE).then(
      () => {
        if (!this.owned.has(buffer)) return;
        const list = this.free.get(buffer.size);
        if (list) list.push(buffer);
        else this.free.set(buffer.size, [buffer]);
      },
      () => this.discard(buffer),
    );
  }

  discard(buffer: GPUBuffer): void {
    if (this.owned.delete(buffer)) buffer.destroy();
  }

  destroy(): void {
    for (const buffer of this.owned) buffer.destroy();
    this.owned.clear();
    this.free.clear();
  }
}
