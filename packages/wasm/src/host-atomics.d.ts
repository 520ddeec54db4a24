/**
 * Atomics.waitAsync (ES2024): the ES2022 lib this package compiles against does not declare it,
 * and some hosts lack it, so it is optional here. Only the Int32Array form is used. A .d.ts file
 * is never emitted, so this stays out of the package's published types.
 */
interface Atomics {
  waitAsync?(
    typedArray: Int32Array,
    index: number,
    value: number,
    timeout?: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}
