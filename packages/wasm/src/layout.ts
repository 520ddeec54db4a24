/**
 * Constants the compiled modules were linked with (scripts/wasm-layout.mjs sets them for the
 * build; test/layout.test.ts checks the two files agree).
 */

/** WebAssembly page size. */
export const PAGE_BYTES = 65_536;
/** Linear memory each module starts with (stack, constants, first windows). */
export const INITIAL_MEMORY_BYTES = 2 * 1024 * 1024;
/** The C stack of one instance; every worker's instance gets a region of its own. */
export const STACK_BYTES = 64 * 1024;
/** The most a wasm32 memory can address: 65536 pages. */
export const WASM32_MAX_BYTES = 4 * 1024 * 1024 * 1024;
/**
 * Default maximum of the linear memory: 1 GiB. A shared memory must declare its maximum, and
 * engines reserve that much address space up front, so 4 GiB per backend would be wasteful
 * (and fails on 32-bit devices). Inputs stream through it in blocks of whole slices, so only a
 * single slice (or, for long rows split across threads, a segment) must fit.
 */
export const DEFAULT_MAX_MEMORY_BYTES = 1024 * 1024 * 1024;

/** The four builds of the kernels (see scripts/build-wasm.mjs). */
export type BuildName = 'simd' | 'relaxed' | 'simd-shared' | 'relaxed-shared';
