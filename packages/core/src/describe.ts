/** Short, stable descriptions used in error messages. */

export function shapeText(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

/** Names what a value is, e.g. 'Float32Array', 'Array', 'number', 'undefined'. */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'object') return typeof value;
  const ctor = (value as { constructor?: { name?: string } }).constructor;
  return ctor?.name ?? 'object';
}

export function product(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
