/**
 * The reference of a case as files for the worker processes: written once per case (whatever
 * the number of workers), read back by each worker, removed with the store.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExpectedFiles } from '../protocol.js';
import type { Expected } from '../workloads.js';

export class ExpectedFileStore {
  private dir: string | null = null;
  private written = new WeakMap<Expected, ExpectedFiles>();
  private count = 0;

  files(e: Expected): ExpectedFiles {
    const known = this.written.get(e);
    if (known) return known;
    this.dir ??= mkdtempSync(join(tmpdir(), 'softmax-kit-bench-'));
    const n = ++this.count;
    const dir = this.dir;
    const write = (name: string, data: Float64Array) => {
      const path = join(dir, `${n}-${name}.f64`);
      writeFileSync(path, data);
      return path;
    };
    const files: ExpectedFiles = {};
    if (e.out) files.out = write('out', e.out);
    if (e.grad) files.grad = write('grad', e.grad);
    if (e.loss !== undefined) files.loss = e.loss;
    this.written.set(e, files);
    return files;
  }

  dispose(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** In the worker: the files back into memory. */
export function readExpected(e: ExpectedFiles): Expected {
  return {
    ...(e.out ? { out: readF64(e.out) } : {}),
    ...(e.grad ? { grad: readF64(e.grad) } : {}),
    ...(e.loss !== undefined ? { loss: e.loss } : {}),
  };
}
