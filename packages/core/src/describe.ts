/** Short, stable descriptions used in error messages. */

export function shapeText(shape: readonly unknown[]): string {
  if (shape.length > 12) return `[${shape.slice(0, 12).map(String).join(', ')}, ... (${shape.length} dims)]`;
  return `[${shape.map(String).join(', ')}]`;
}

/** Names what a value is, e.g. 'Float32Array', 'Array', 'number', 'undefined'. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  try {
    const ctor = (value as { constructor?: { name?: unknown } }).constructor;
    return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : 'object';
  } catch {
    return 'object'; // a revoked Proxy, a throwing getter
  }
}

/**
 * A value as a message shows it: strings quoted ('1'), numbers and booleans as written,
 * everything else by its type (an Array, a Float32Array, null).
 */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}...` : value;
    return `'${shown.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}' (a string)`;
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return `${value}n (a bigint)`;
  if (value === undefined || value === null) return String(value);
  if (Array.isArray(value)) return `an Array of length ${value.length}`;
  const name = typeName(value);
  return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** The product of the dimensions (1 for the scalar shape []). */
export function product(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
