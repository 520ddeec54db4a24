/**
 * A reference result computed once and reused: the large cases pass the same input values in
 * every dtype (float32-representable) and call mode, and the float64 reference costs far more
 * than the kernel under test.
 */
export class Memo<T> {
  private value: T | undefined;

  get(compute: () => T): T {
    this.value ??= compute();
    return this.value;
  }
}

/** The memo's value, or a fresh computation when there is no memo. */
export function remember<T>(memo: Memo<T> | undefined, compute: () => T): T {
  return memo === undefined ? compute() : memo.get(compute);
}
