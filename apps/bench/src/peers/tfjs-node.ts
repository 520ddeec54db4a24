/**
 * @tensorflow/tfjs-node: not a dependency, because it cannot install on this kind of machine
 * (its install script downloads libtensorflow from outside the npm registry). Tried anyway, so
 * a machine that has it is measured, and one that lacks it reports why.
 */
import type { Impl, ImplFactory } from '../impls/types.js';
import { createTfjs } from './tfjs-common.js';

export const create: ImplFactory = (): Impl =>
  createTfjs({
    id: 'tfjs-node',
    label: 'tfjs-node',
    backend: 'tensorflow' as 'cpu',
    async setup() {
      const name = '@tensorflow/tfjs-node';
      try {
        await import(name);
      } catch (e) {
        throw new Error(
          `${name} is unavailable: its install script downloads libtensorflow, which this machine cannot reach (${(e as Error).message.split('\n')[0]})`,
        );
      }
      return 'libtensorflow';
    },
  });
