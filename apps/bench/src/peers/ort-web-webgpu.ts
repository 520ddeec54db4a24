/**
 * onnxruntime-web's WebGPU execution provider in Node, through Dawn (the `webgpu` package) on
 * the same adapter as ours (see ./ort-webgpu-ep.ts). Its process runs with --liftoff-only:
 * under Node's default tiering the first run of its 26 MB asyncify wasm stalls while TurboFan
 * compiles it (measured here: 54 s, vs 0.26 s with --liftoff-only).
 */
import type { ImplFactory } from '../impls/types.js';
import { createOrtWebGpu } from './ort-webgpu-ep.js';

/** the WebGPU build (the package's Node entry has no WebGPU EP); a variable keeps its types out */
const PACKAGE = 'onnxruntime-web/webgpu';

export const create: ImplFactory = () =>
  createOrtWebGpu({ importOrt: () => import(PACKAGE), note: 'Node flag --liftoff-only' });
