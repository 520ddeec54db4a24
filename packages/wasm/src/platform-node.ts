/** Node: the .wasm files are read from this package's dist/, workers are worker_threads. */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { BuildName } from './layout.js';
import type { Platform, WorkerHandle } from './platform.js';

const modules = new Map<BuildName, Promise<WebAssembly.Module>>();

export const nodePlatform: Platform = {
  name: 'node',
  compile(build) {
    let module = modules.get(build);
    if (!module) {
      module = readFile(new URL(`./softmax-${build}.wasm`, import.meta.url)).then((bytes) =>
        WebAssembly.compile(bytes),
      );
      modules.set(build, module);
      module.catch(() => modules.delete(build));
    }
    return module;
  },
  startWorker(): WorkerHandle {
    // No execArgv: the worker runs this package's own script, and flags such as
    // --input-type or --eval-only options of the parent would make it fail to start.
    const worker = new Worker(new URL('./worker-node.js', import.meta.url), { execArgv: [] });
    return {
      post: (message) => worker.postMessage(message),
      onMessage: (listener) => worker.on('message', listener),
      onError: (listener) => worker.on('error', listener),
      ref: () => worker.ref(),
      unref: () => worker.unref(),
      terminate: () => void worker.terminate(),
    };
  },
  defaultThreads: () => availableParallelism(),
};
