// Constants the build and the loader must agree on (the loader imports src/layout.ts,
// which repeats them; test/layout.test.ts checks the two agree).
export const BUILDS = [
  { file: 'softmax-simd.wasm', relaxed: false, shared: false },
  { file: 'softmax-relaxed.wasm', relaxed: true, shared: false },
  { file: 'softmax-simd-shared.wasm', relaxed: false, shared: true },
  { file: 'softmax-relaxed-shared.wasm', relaxed: true, shared: true },
];
/** Linear memory the module starts with (its stack, constants and a first window). */
export const INITIAL_MEMORY_BYTES = 2 * 1024 * 1024;
/** The C stack of each instance (the main one's sits below the data; each worker gets its own). */
export const STACK_BYTES = 64 * 1024;
/** The most a wasm32 memory can declare: 65536 pages of 64 KiB. */
export const WASM32_MAX_BYTES = 4 * 1024 * 1024 * 1024;
