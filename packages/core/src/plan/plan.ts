import type { KernelResult } from '../backend.js';

/**
 * A validated call, ready to run: every check has passed and every output is allocated.
 * `run` is absent when no kernel is needed (zero-size input); `finish` builds the result
 * once the kernel's outputs are written.
 */
export interface Plan<R> {
  readonly run?: () => KernelResult;
  finish(): R;
}
