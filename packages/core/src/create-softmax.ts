import type { BackendFactory } from './backend.js';
import { typeName } from './describe.js';
import { BackendUnavailableError, ValueError } from './errors.js';
import { createSession, type Softmax } from './session.js';

function checkFactory(value: unknown, index: number): BackendFactory {
  const f = value as Partial<BackendFactory> | null;
  if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.start !== 'function') {
    throw new ValueError(
      `backends[${index}] is ${typeName(value)}, not a backend factory; pass e.g. jsBackend() (note the call)`,
      'backends',
    );
  }
  return f as BackendFactory;
}

/**
 * Starts the first backend that can start, in the order given (e.g. native, then wasm, then
 * js as the fallback), and binds the ops to it. Rejects with BackendUnavailableError, listing
 * each backend's reason, when none starts. Registers nothing globally.
 */
export async function createSoftmax(backends: BackendFactory | readonly BackendFactory[]): Promise<Softmax> {
  const list = (Array.isArray(backends) ? backends : [backends]).map(checkFactory);
  const reasons: { backend: string; reason: string }[] = [];
  for (const factory of list) {
    try {
      const backend = await factory.start();
      return createSession({ backend, factories: list });
    } catch (error) {
      reasons.push({ backend: factory.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new BackendUnavailableError(reasons);
}
