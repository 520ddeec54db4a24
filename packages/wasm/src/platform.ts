/**
 * What differs between Node and browsers: how the .wasm bytes are found, how a worker is
 * started, how many threads to use by default. Everything else is shared.
 */
import type { BuildName } from './layout.js';

/** A started worker, seen the same way on both platforms. */
export interface WorkerHandle {
  post(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onError(listener: (error: Error) => void): void;
  /** Node: keep the process alive while a job runs (no-op in browsers). */
  ref(): void;
  /** Node: let the process exit while the worker idles (no-op in browsers). */
  unref(): void;
  terminate(): void;
}

export interface Platform {
  readonly name: 'node' | 'browser';
  compile(build: BuildName): Promise<WebAssembly.Module>;
  startWorker(): WorkerHandle;
  /** Threads when the caller does not say: every core (Node), or the page's cores if isolated. */
  defaultThreads(): number;
}
