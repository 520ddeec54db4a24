export type * from './backend.js';
export { supportedOps } from './backend.js';
export * from './errors.js';
export type * from './options.js';
export * from './types.js';
