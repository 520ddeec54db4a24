// The js backend with its softmax kernel halving every probability: the node:test and Mocha
// runs of it must report failures (a runner that dropped a case's rejection would pass it).
import { jsBackend } from '../../dist/index.js';

const js = jsBackend();

export const brokenFactory = {
  ...js,
  name: 'broken-js',
  async start() {
    const backend = await js.start();
    const softmax = (args) => {
      backend.kernels.softmax(args);
      for (let k = 0; k < args.out.length; k++) args.out[k] *= 0.5;
    };
    return { ...backend, name: 'broken-js', kernels: { ...backend.kernels, softmax } };
  },
};

// Small cases only: enough to fail the softmax ones and pass the rest.
export const brokenOptions = { maxElements: 100 };
