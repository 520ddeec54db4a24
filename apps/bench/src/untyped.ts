/**
 * Reads values TypeScript cannot type (dynamically imported modules, other libraries'
 * internals) without casts: the caller checks each value it reads before using it.
 */

/** v[key] when v is an object or a function, else undefined. */
export function memberOf(v: unknown, key: string): unknown {
  if ((typeof v !== 'object' || v === null) && typeof v !== 'function') return undefined;
  const value: unknown = Reflect.get(v, key);
  return value;
}
