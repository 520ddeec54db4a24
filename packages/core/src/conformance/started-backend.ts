/**
 * The backend under test, started once on first use (the before-all hook, or the first case
 * when the framework has no hooks) and disposed once.
 */
import { type Backend, type BackendFactory, supportedOps } from '../backend.js';
import { createSoftmax } from '../create-softmax.js';
import type { Softmax } from '../session.js';
import { check, fail } from './assert.js';
import type { BackendInfo, CallMode, CaseContext } from './case.js';
import { syncAsAsync } from './sync-as-async.js';

/** A factory that hands createSoftmax the backend already started (to read its kernels). */
function startedFactory(factory: BackendFactory, backend: Backend): BackendFactory {
  return { name: factory.name, dtypes: factory.dtypes, start: async () => backend };
}

interface Started {
  readonly backend: Backend;
  readonly session: Softmax;
}

export class StartedBackend {
  private starting: Promise<Started> | undefined;
  private disposed = false;

  constructor(
    private readonly factory: BackendFactory,
    readonly declared: BackendInfo,
  ) {}

  /** Starts the backend on the first call; later calls get the same one (or the same failure). */
  start(): Promise<Started> {
    this.starting ??= (async () => {
      const backend = await this.factory.start();
      return { backend, session: await createSoftmax(startedFactory(this.factory, backend)) };
    })();
    return this.starting;
  }

  /** What a case runs against, in one call mode. */
  async context(mode: CallMode): Promise<CaseContext> {
    check(!this.disposed, () => `backend '${this.declared.name}' was already disposed`);
    let started: Started;
    try {
      started = await this.start();
    } catch (error) {
      fail(
        `backend '${this.declared.name}' did not start: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const { session } = started;
    if (mode === 'async') return { ops: session, mode, backend: this.declared };
    const sync = session.sync;
    check(
      sync !== undefined,
      () => `backend '${this.declared.name}' declares sync: true but sm.sync is absent`,
    );
    return { ops: syncAsAsync(sync), mode, backend: this.declared };
  }

  /** The started backend and session, for the checks of what it declares. */
  async get(): Promise<Started> {
    await this.context('async');
    return this.start();
  }

  /** Disposes the session once, if the backend started. */
  async dispose(): Promise<void> {
    if (this.disposed || this.starting === undefined) return;
    this.disposed = true;
    const started = await this.starting.catch(() => undefined);
    await started?.session.dispose();
  }
}

/** What the factory declares before starting, as the case generators see it. */
export function declaredInfo(factory: BackendFactory): BackendInfo {
  const { capabilities, ops } = factory;
  if (capabilities === undefined || ops === undefined) {
    throw new TypeError(
      `runConformance: factory '${factory.name}' must declare 'capabilities' and 'ops' before starting (see BackendFactory in @softmax-kit/core), so the suite can register its cases synchronously`,
    );
  }
  return { name: factory.name, capabilities, ops: [...ops] };
}

/** The started backend declares what its factory declared (the cases were planned from that). */
export function checkDeclarations(declared: BackendInfo, backend: Backend, session: Softmax): void {
  const same = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((v) => b.includes(v));
  const started = backend.capabilities;
  check(
    backend.name === declared.name,
    () => `the started backend is named '${backend.name}', the factory '${declared.name}'`,
  );
  check(
    same(started.dtypes, declared.capabilities.dtypes),
    () =>
      `the started backend declares dtypes [${started.dtypes.join(', ')}], the factory [${declared.capabilities.dtypes.join(', ')}]`,
  );
  check(
    started.sync === declared.capabilities.sync,
    () =>
      `the started backend declares sync: ${started.sync}, the factory sync: ${declared.capabilities.sync}`,
  );
  check(
    started.maxElements >= declared.capabilities.maxElements,
    () =>
      `the started backend declares maxElements ${started.maxElements}, below the factory's ${declared.capabilities.maxElements}`,
  );
  const ops = supportedOps(backend);
  check(
    same(ops, declared.ops),
    () =>
      `the started backend has kernels [${ops.join(', ')}], the factory declares [${declared.ops.join(', ')}]`,
  );
  check(session.backend === backend.name, () => `sm.backend is '${session.backend}', want '${backend.name}'`);
  check(
    session.capabilities === started || JSON.stringify(session.capabilities) === JSON.stringify(started),
    () => "sm.capabilities differs from the backend's declared capabilities",
  );
  check(
    (session.sync !== undefined) === started.sync,
    () =>
      `sm.sync is ${session.sync === undefined ? 'absent' : 'present'} but capabilities.sync is ${started.sync}`,
  );
}
