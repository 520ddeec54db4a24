/** TensorFlow.js on its plain JavaScript CPU backend (@tensorflow/tfjs-backend-cpu). */
import type { ImplFactory } from '../impls/types.js';
import { createTfjs } from './tfjs-common.js';

export const create: ImplFactory = () =>
  createTfjs({
    id: 'tfjs-cpu',
    label: 'tfjs-backend-cpu',
    backend: 'cpu',
    async setup() {
      await import('@tensorflow/tfjs-backend-cpu');
      return 'plain JavaScript kernels';
    },
  });
