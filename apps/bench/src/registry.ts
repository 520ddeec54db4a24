/**
 * Every implementation the bench knows, each run in its own worker process (one process per
 * implementation: JIT state, heaps and thread pools never mix, and process flags such as
 * --liftoff-only or the WebGPU environment apply to one implementation only).
 */

import { OUR_BACKENDS, oursId } from './impls/ours.js';
import type { ImplKind } from './impls/types.js';

export interface ImplSpec {
  /** unique id, also the flag value (--impl / --peers) */
  id: string;
  kind: ImplKind;
  /** module (relative to dist/worker.js) exporting `create: ImplFactory` */
  module: string;
  options?: Record<string, unknown>;
  /** Node flags of its process */
  execArgv?: string[];
  /** needs WebGPU (lavapipe env + navigator.gpu) */
  gpu?: boolean;
}

export interface RegistryOptions {
  /** thread counts to sweep where an implementation has threads */
  threads: number[];
}

export function registry(o: RegistryOptions): ImplSpec[] {
  const specs: ImplSpec[] = [];
  for (const c of OUR_BACKENDS) {
    // Threaded backends get one process per thread count, like onnxruntime-node below.
    for (const threads of c.threaded ? o.threads : [undefined]) {
      specs.push({
        id: oursId(c.name, threads),
        kind: 'ours',
        module: './impls/ours-node.js',
        options: { name: c.name, ...(threads === undefined ? {} : { factoryOptions: { threads } }) },
        ...(c.gpu ? { gpu: true } : {}),
        ...(c.execArgv ? { execArgv: [...c.execArgv] } : {}),
      });
    }
  }
  specs.push({ id: 'baseline', kind: 'baseline', module: './impls/baseline.js' });
  specs.push({ id: 'memcpy', kind: 'limit', module: './impls/memcpy.js' });
  specs.push({ id: 'tfjs-cpu', kind: 'peer', module: './peers/tfjs-cpu.js' });
  specs.push({ id: 'tfjs-wasm', kind: 'peer', module: './peers/tfjs-wasm.js', options: { threads: 1 } });
  specs.push({ id: 'tfjs-node', kind: 'peer', module: './peers/tfjs-node.js' });
  for (const t of o.threads) {
    specs.push({
      id: `ort-node:${t}t`,
      kind: 'peer',
      module: './peers/ort-node.js',
      options: { threads: t },
    });
  }
  specs.push({
    id: 'ort-web-wasm',
    kind: 'peer',
    module: './peers/ort-web-wasm.js',
    options: { threads: 1 },
  });
  specs.push({ id: 'tfjs-webgpu', kind: 'peer', module: './peers/tfjs-webgpu.js', gpu: true });
  specs.push({
    id: 'ort-web-webgpu',
    kind: 'peer',
    module: './peers/ort-web-webgpu.js',
    gpu: true,
    execArgv: ['--liftoff-only'],
  });
  return specs;
}
