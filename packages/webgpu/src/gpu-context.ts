/**
 * What every kernel call shares: the device, its limits, the pipeline cache and the buffer pool.
 * A call (`GpuCall`) takes pooled buffers, uploads its inputs, records its dispatches into one
 * command encoder, submits once, reads its outputs back and returns the buffers to the pool.
 */

import type { DeviceArray, FloatArray } from '@softmax-kit/core';
import { BufferPool } from './buffer-pool.js';
import { GpuArray, GpuWindow } from './device-array.js';
import { MAP_MODE_READ, STAGING_USAGE, STORAGE_USAGE, UNIFORM_USAGE } from './flags.js';
import { type CallTimestamps, GpuTimer } from './gpu-timer.js';
import { gridFor } from './grid.js';
import { type Constants, type Pipeline, PipelineCache } from './pipelines.js';
import type { DeviceClass } from './plan.js';
import { SHADERS, type ShaderName } from './shaders/sources.js';
import { BELT_MIN_BYTES, UploadBelt } from './upload-belt.js';

export interface ContextOptions {
  /** a cap below the device's binding limit (tests; bounding the memory of one dispatch) */
  readonly maxBindingBytes?: number;
  /** use subgroup reductions where the device has the feature (default true) */
  readonly subgroups?: boolean;
  /** called with each call's GPU time in ms, where the device has timestamp queries */
  readonly onGpuTime?: (milliseconds: number) => void;
}

export class GpuContext {
  readonly pool: BufferPool;
  readonly uploads: UploadBelt;
  readonly pipelines: PipelineCache;
  readonly maxBindingBytes: number;
  readonly maxBufferBytes: number;
  readonly subgroups: boolean;
  readonly maxWorkgroupsPerDimension: number;
  lostReason: string | null = null;
  /** Set by the backend's dispose: every owned array is then unusable. */
  disposed = false;
  private readonly arrays = new Set<GpuArray>();

  /** GPU times of calls (the onGpuTime option, where the device has timestamp queries) */
  readonly timer: GpuTimer | null;

  constructor(
    readonly device: GPUDevice,
    readonly deviceClass: DeviceClass,
    options: ContextOptions = {},
  ) {
    const { maxBindingBytes = Number.POSITIVE_INFINITY, subgroups = true, onGpuTime } = options;
    this.subgroups = subgroups && device.features.has('subgroups');
    this.pool = new BufferPool(device);
    this.uploads = new UploadBelt(device);
    this.timer =
      onGpuTime && device.features.has('timestamp-query') ? new GpuTimer(device, this.pool, onGpuTime) : null;
    this.pipelines = new PipelineCache(device);
    const limits = device.limits;
    this.maxBindingBytes = Math.min(
      limits.maxStorageBufferBindingSize,
      limits.maxBufferSize,
      maxBindingBytes,
    );
    this.maxBufferBytes = limits.maxBufferSize;
    this.maxWorkgroupsPerDimension = device.limits.maxComputeWorkgroupsPerDimension;
  }

  /** A pooled storage buffer for a new owned array of `length` float32 values. */
  storageFor(length: number): GPUBuffer {
    return this.pool.acquire(Math.max(4, length * 4), STORAGE_USAGE);
  }

  adoptArray(array: GpuArray): void {
    this.arrays.add(array);
  }

  releaseArray(array: GpuArray): void {
    if (this.arrays.delete(array)) this.pool.release(array.buffer);
  }

  /** Releases every buffer; owned arrays report themselves disposed from now on. */
  destroy(): void {
    this.disposed = true;
    this.arrays.clear();
    this.timer?.destroy();
    this.pool.destroy();
    this.uploads.destroy();
  }

  call(): GpuCall {
    if (this.disposed) throw new Error('this webgpu backend was disposed');
    this.throwIfLost();
    return new GpuCall(this);
  }

  /** After device loss every call fails with this, pending ones included. */
  throwIfLost(): void {
    if (this.lostReason !== null) {
      throw new Error(
        `WebGPU device lost (${this.lostReason}): start the backend again (createSoftmax) to get a new device`,
      );
    }
  }
}

/** A buffer bound with an exact byte size (pooled buffers are larger than asked). */
export interface Binding {
  readonly buffer: GPUBuffer;
  readonly size: number;
}

interface Copy {
  readonly source: GPUBuffer;
  readonly sourceOffset: number;
  readonly target: GPUBuffer;
  readonly targetOffset: number;
  readonly size: number;
}

/** What a kernel reads or writes: a host array, a device array or a range of one (chunks). */
export type KernelData = FloatArray | DeviceArray | GpuWindow;

export interface Dispatch {
  readonly pipeline: Pipeline;
  readonly bindings: Readonly<Record<number, Binding>>;
  readonly workgroups: number;
}

/** Copies `data` into a fresh ArrayBuffer when it views a SharedArrayBuffer (Dawn crashes on those). */
export function writable(data: ArrayBufferView): ArrayBufferView<ArrayBuffer> {
  if (data.buffer instanceof ArrayBuffer) return data as ArrayBufferView<ArrayBuffer>;
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

export class GpuCall {
  private readonly taken: GPUBuffer[] = [];
  /** upload buffers of large inputs (see upload-belt.ts), mapped again after the call */
  private readonly uploaded: GPUBuffer[] = [];
  private readonly reads: { source: Binding; target: Float32Array; staging?: GPUBuffer }[] = [];
  private readonly dispatches: Dispatch[] = [];
  /** Copies before the dispatches (device ranges into scratch) and after (results back). */
  private readonly before: Copy[] = [];
  private readonly after: Copy[] = [];

  constructor(private readonly ctx: GpuContext) {}

  private take(bytes: number, usage: GPUBufferUsageFlags): GPUBuffer {
    const buffer = this.ctx.pool.acquire(bytes, usage);
    this.taken.push(buffer);
    return buffer;
  }

  /** A storage buffer holding `data` (padded to whole u32 words). */
  input(data: ArrayBufferView): Binding {
    const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
    const buffer = this.take(size, STORAGE_USAGE);
    if (size >= BELT_MIN_BYTES) {
      const source = this.ctx.uploads.write(
        new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        size,
      );
      this.uploaded.push(source);
      this.before.push({ source, sourceOffset: 0, target: buffer, targetOffset: 0, size });
      return { buffer, size };
    }
    let bytes = writable(data);
    if (bytes.byteLength !== size) {
      const padded = new Uint8Array(size);
      padded.set(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      bytes = padded;
    }
    if (data.byteLength > 0) this.ctx.device.queue.writeBuffer(buffer, 0, bytes);
    return { buffer, size };
  }

  /** An input: a device array is bound as it is, a range of one copied, a host array uploaded. */
  bind(data: KernelData): Binding {
    if (data instanceof GpuArray) return data.binding;
    if (data instanceof GpuWindow) {
      const scratch = this.output(data.length * 4);
      const size = data.length * 4;
      if (size > 0) {
        this.before.push({
          source: data.array.buffer,
          sourceOffset: data.start * 4,
          target: scratch.buffer,
          targetOffset: 0,
          size,
        });
      }
      return scratch;
    }
    return this.input(data as FloatArray);
  }

  /**
   * An output: a device array is written in place, a range of one through a scratch buffer
   * copied back; for a host array a buffer is written and read back into it.
   */
  result(target: KernelData): Binding {
    if (target instanceof GpuArray) return target.binding;
    if (target instanceof GpuWindow) {
      const scratch = this.output(target.length * 4);
      const size = target.length * 4;
      if (size > 0) {
        this.after.push({
          source: scratch.buffer,
          sourceOffset: 0,
          target: target.array.buffer,
          targetOffset: target.start * 4,
          size,
        });
      }
      return scratch;
    }
    const host = target as FloatArray;
    const binding = this.output(host.byteLength);
    this.readInto(binding, host as Float32Array);
    return binding;
  }

  /** A storage buffer of `bytes` (rounded up to whole u32 words) for a shader to write. */
  output(bytes: number): Binding {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    return { buffer: this.take(size, STORAGE_USAGE), size };
  }

  /** A uniform buffer holding the shader's Params. */
  params(words: ArrayBuffer): Binding {
    const buffer = this.take(words.byteLength, UNIFORM_USAGE);
    this.ctx.device.queue.writeBuffer(buffer, 0, words);
    return { buffer, size: words.byteLength };
  }

  dispatch(d: Dispatch): void {
    this.dispatches.push(d);
  }

  /** Copies `source` into `target` once the work is done. */
  readInto(source: Binding, target: Float32Array): void {
    this.reads.push({ source, target });
  }

  /** The x size of the grid `workgroups` are dispatched in (shaders get it as gridX). */
  gridX(workgroups: number): number {
    return gridFor(workgroups, this.ctx.maxWorkgroupsPerDimension).x;
  }

  /** Encodes and submits everything in one command buffer, then reads the outputs back. */
  async run(): Promise<void> {
    const device = this.ctx.device;
    let timestamps: CallTimestamps | null = null;
    try {
      device.pushErrorScope('out-of-memory');
      device.pushErrorScope('validation');
      const encoder = device.createCommandEncoder({ label: 'softmax-kit' });
      const copy = (c: Copy) =>
        encoder.copyBufferToBuffer(c.source, c.sourceOffset, c.target, c.targetOffset, c.size);
      this.before.forEach(copy);
      const timer = this.ctx.timer;
      timestamps = timer && this.dispatches.length > 0 ? timer.begin() : null;
      const passes = this.dispatches.length;
      for (const [index, d] of this.dispatches.entries()) {
        // Exactly the bindings of the shader's layout (a call may offer more, e.g. unused mask offsets).
        const entries: GPUBindGroupEntry[] = SHADERS[d.pipeline.shader].bindings.map(([binding]) => {
          const b = d.bindings[binding];
          return { binding, resource: { buffer: b.buffer, offset: 0, size: b.size } };
        });
        const group = device.createBindGroup({ layout: d.pipeline.layout, entries });
        const timestampWrites = timer && timestamps ? timer.writes(timestamps, index, passes) : null;
        const pass = encoder.beginComputePass(timestampWrites ? { timestampWrites } : undefined);
        pass.setPipeline(d.pipeline.pipeline);
        pass.setBindGroup(0, group);
        const grid = gridFor(d.workgroups, this.ctx.maxWorkgroupsPerDimension);
        pass.dispatchWorkgroups(grid.x, grid.y);
        pass.end();
      }
      this.after.forEach(copy);
      if (timer && timestamps) timer.resolve(timestamps, encoder);
      for (const read of this.reads) {
        read.staging = this.take(read.source.size, STAGING_USAGE);
        encoder.copyBufferToBuffer(read.source.buffer, 0, read.staging, 0, read.source.size);
      }
      device.queue.submit([encoder.finish()]);
      // mapped again once the copies out of them are done
      for (const upload of this.uploaded.splice(0)) this.ctx.uploads.recycle(upload);
      const validation = device.popErrorScope();
      const memory = device.popErrorScope();
      const [v, m] = await Promise.all([validation, memory]);
      const error = v ?? m;
      if (error) {
        throw new Error(
          `WebGPU rejected the work (a buffer from another GPUDevice, a destroyed buffer or a missing usage flag?): ${error.message}`,
        );
      }
      // A call settles once its outputs are written: on the device too, not only when submitted.
      if (this.reads.length === 0 && !timestamps) await device.queue.onSubmittedWorkDone();
      const timed = timestamps ? this.ctx.timer?.finish(timestamps) : undefined;
      timestamps = null;
      await Promise.all([
        timed,
        ...this.reads.map(async (read) => {
          const staging = read.staging as GPUBuffer;
          await staging.mapAsync(MAP_MODE_READ, 0, read.source.size);
          const words = new Float32Array(staging.getMappedRange(0, read.source.size));
          read.target.set(words.subarray(0, read.target.length));
          staging.unmap();
        }),
      ]);
      for (const buffer of this.taken) this.ctx.pool.release(buffer);
    } catch (error) {
      if (timestamps) this.ctx.timer?.release(timestamps);
      // After a failure a buffer may still be mapped or in use: destroy, never reuse.
      for (const buffer of this.taken) this.ctx.pool.discard(buffer);
      for (const upload of this.uploaded) this.ctx.uploads.discard(upload);
      this.ctx.throwIfLost();
      throw error;
    }
  }

  get deviceClass(): DeviceClass {
    return this.ctx.deviceClass;
  }

  /** Whether the row kernels use subgroup reductions (the device has the feature). */
  get subgroups(): boolean {
    return this.ctx.subgroups;
  }

  /** The pipeline for `shader` with `constants` (cached). */
  pipeline(shader: ShaderName, constants: Constants): Promise<Pipeline> {
    return this.ctx.pipelines.get(shader, constants);
  }
}
