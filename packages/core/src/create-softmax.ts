import type { AsyncBackendFactory, Backend, BackendFactory, SyncBackendFactory } from './backend.js';
import { describeValue } from './describe.js';
import { BackendUnavailableError, ValueError } from './errors.js';
import { createSession, type Softmax } from './session.js';

function checkFactory(value: unknown, index: number): BackendFactory {
  const f = value as Partial<BackendFactory> | null;
  if (typeof f !== 'object' || f === null || typeof f.name !== 'string' || typeof f.start !== 'function') {
    const hint = typeof value === 'function' ? ' (a function: call it, e.g. jsBackend())' : '';
    throw new ValueError(
      `backends[${index}] is ${describeValue(value)}, not a backend factory${hint}; pass e.g. jsBackend() (note the call)`,
      'backends',
    );
  }
  return f as BackendFactory;
}

/** A factory's declared sync must be what the started backend does: sm.sync's type relies on it. */
function checkDeclaredSync(factory: BackendFactory, backend: Backend): void {
  const declared = factory.capabilities?.sync;
  if (declared !== undefined && declared !== backend.capabilities.sync) {
    throw new Error(
      `the factory declares capabilities.sync: ${declared} but the started backend has ${backend.capabilities.sync} (a bug in the backend package)`,
    );
  }
}

/**
 * Starts the first backend that can start, in the order given (e.g. native, then wasm, then
 * js as the fallback), and binds the ops to it. Rejects with BackendUnavailableError, listing
 * each backend's reason, when none starts. Registers nothing globally.
 *
 * `sm.sync` is in the type when every factory declares sync kernels, absent when every one
 * declares async kernels, and `SyncOps | undefined` otherwise.
 */
export function createSoftmax(
  backends: SyncBackendFactory | readonly SyncBackendFactory[],
): Promise<Softmax<true>>;
export function createSoftmax(
  backends: AsyncBackendFactory | readonly AsyncBackendFactory[],
): Promise<Softmax<false>>;
export function createSoftmax(backends: BackendFactory | readonly BackendFactory[]): Promise<Softmax>;
export async function createSoftmax(backends: BackendFactory | readonly BackendFactory[]): Promise<Softmax> {
  const list = (Array.isArray(backends) ? backends : [backends]).map(checkFactory);
  const reasons: { backend: string; reason: string }[] = [];
  for (const factory of list) {
    try {
      const backend = await factory.start();
      try {
        checkDeclaredSync(factory, backend);
      } catch (error) {
        await backend.dispose();
        throw error;
      }
      return createSession({ backend, factories: list });
    } catch (error) {
      reasons.push({ backend: factory.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  throw new BackendUnavailableError(reasons);
}
