/** Base class of every error softmax-kit raises on purpose. `code` is stable; messages may improve. */
export class SoftmaxKitError extends Error {
  readonly code: string;
  /** The argument the error is about (`x`, `options.axis`, ...), when there is one. */
  readonly argument: string | undefined;
  constructor(code: string, message: string, argument?: string) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.argument = argument;
  }
}

/** A shape problem: data length vs shape, bad dimensions, axis out of range, broadcast failure. */
export class ShapeError extends SoftmaxKitError {
  constructor(message: string, argument?: string, code = 'ERR_SOFTMAX_SHAPE') {
    super(code, message, argument);
  }
}

/**
 * A result (or a built mask, tensor or nested array) too large to hold: more elements than a
 * typed array can have, or more memory than the engine would give. A ShapeError, since the
 * shapes ask for it; `elements` is what was asked for and `limit` the most that fits.
 */
export class SizeError extends ShapeError {
  readonly elements: number;
  readonly limit: number;
  constructor(message: string, argument: string | undefined, elements: number, limit: number) {
    super(message, argument, 'ERR_SOFTMAX_SIZE');
    this.elements = elements;
    this.limit = limit;
  }
}

/** A value or type problem: temperature, labels, label smoothing, wrong array type. */
export class ValueError extends SoftmaxKitError {
  constructor(message: string, argument?: string) {
    super('ERR_SOFTMAX_VALUE', message, argument);
  }
}

/** The chosen backend declared that it cannot do this (a dtype, an op, a size). */
export class UnsupportedError extends SoftmaxKitError {
  readonly backend: string;
  constructor(message: string, backend: string, argument?: string) {
    super('ERR_SOFTMAX_UNSUPPORTED', message, argument);
    this.backend = backend;
  }
}

/** No backend given to `createSoftmax` could start; `reasons` has one entry per backend. */
export class BackendUnavailableError extends SoftmaxKitError {
  readonly reasons: readonly { backend: string; reason: string }[];
  constructor(reasons: readonly { backend: string; reason: string }[]) {
    const lines = reasons.map((r) => `  - ${r.backend}: ${r.reason}`).join('\n');
    super(
      'ERR_SOFTMAX_BACKEND_UNAVAILABLE',
      reasons.length === 0
        ? 'createSoftmax was given no backend; pass at least one, e.g. createSoftmax(jsBackend()).'
        : `No backend could start:\n${lines}`,
    );
    this.reasons = reasons;
  }
}
