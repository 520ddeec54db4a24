/**
 * GPU time of each call from timestamp queries, for benchmarks (the `onGpuTime` option): the
 * first compute pass of a call writes a timestamp at its beginning, the last one at its end; the
 * two are resolved into a buffer and read back after the call's own outputs. Only where the
 * device has the 'timestamp-query' feature. Dawn rounds timestamps to 100 us unless its
 * 'timestamp_quantization' toggle is disabled (Node: create(['disable-dawn-features=
 * timestamp_quantization']); Chrome: --disable-dawn-features=timestamp_quantization).
 */

import type { BufferPool } from './buffer-pool.js';
import { BUFFER_COPY_SRC, BUFFER_QUERY_RESOLVE, MAP_MODE_READ, STAGING_USAGE } from './flags.js';

const RESOLVE_USAGE = BUFFER_QUERY_RESOLVE | BUFFER_COPY_SRC;
const BYTES = 16;

/** The timestamps of one call: where its passes write them and how they come back. */
export interface CallTimestamps {
  readonly querySet: GPUQuerySet;
  readonly resolve: GPUBuffer;
  readonly staging: GPUBuffer;
}

export class GpuTimer {
  /** Query sets of two timestamps, reused by later calls (concurrent calls take their own). */
  private readonly free: GPUQuerySet[] = [];
  private readonly all: GPUQuerySet[] = [];

  constructor(
    private readonly device: GPUDevice,
    private readonly pool: BufferPool,
    private readonly report: (milliseconds: number) => void,
  ) {}

  /** Starts the timestamps of one call (its buffers come from the pool). */
  begin(): CallTimestamps {
    let querySet = this.free.pop();
    if (!querySet) {
      querySet = this.device.createQuerySet({ type: 'timestamp', count: 2 });
      this.all.push(querySet);
    }
    return {
      querySet,
      resolve: this.pool.acquire(BYTES, RESOLVE_USAGE),
      staging: this.pool.acquire(BYTES, STAGING_USAGE),
    };
  }

  /** The timestampWrites of pass `index` of `passes` (null: this pass writes none). */
  writes(t: CallTimestamps, index: number, passes: number): GPUComputePassTimestampWrites | null {
    if (index !== 0 && index !== passes - 1) return null;
    return {
      querySet: t.querySet,
      ...(index === 0 ? { beginningOfPassWriteIndex: 0 } : {}),
      ...(index === passes - 1 ? { endOfPassWriteIndex: 1 } : {}),
    };
  }

  /** Records the copy of both timestamps to where they can be read back. */
  resolve(t: CallTimestamps, encoder: GPUCommandEncoder): void {
    encoder.resolveQuerySet(t.querySet, 0, 2, t.resolve, 0);
    encoder.copyBufferToBuffer(t.resolve, 0, t.staging, 0, BYTES);
  }

  /** After the submission: reads both timestamps and reports their difference. */
  async finish(t: CallTimestamps): Promise<void> {
    try {
      await t.staging.mapAsync(MAP_MODE_READ, 0, BYTES);
      const [start, end] = new BigUint64Array(t.staging.getMappedRange(0, BYTES));
      t.staging.unmap();
      // Some drivers reset or reorder the counter between passes: a negative span is no time.
      this.report(end > start ? Number(end - start) / 1e6 : 0);
    } finally {
      this.release(t);
    }
  }

  release(t: CallTimestamps): void {
    this.free.push(t.querySet);
    this.pool.release(t.resolve);
    this.pool.release(t.staging);
  }

  destroy(): void {
    for (const q of this.all) q.destroy();
    this.all.length = 0;
    this.free.length = 0;
  }
}
