/** Node entry for one of our backends (see ours.ts): loads packages with the workspace fallback. */
import { loadModule } from '../node/load-module.js';
import { createOurs, OUR_BACKENDS } from './ours.js';
import type { ImplFactory } from './types.js';

export const create: ImplFactory = (options) => {
  const c = OUR_BACKENDS.find((b) => b.name === options.name);
  if (!c) throw new Error(`unknown softmax-kit backend '${String(options.name)}'`);
  const threads = (options.factoryOptions as { threads?: unknown } | undefined)?.threads;
  return createOurs(c, loadModule, typeof threads === 'number' ? { threads } : undefined);
};
