/**
 * runConformance: one call in a backend's test file registers the whole suite.
 *
 *   import { describe, it, beforeAll, afterAll } from 'vitest';
 *   runConformance(jsBackend(), { describe, it, beforeAll, afterAll });
 *
 * The top-level `describe` callback is async: it starts the backend to read what it declares
 * (dtypes, sync, kernels, maxElements) and registers each case, or an `it.skip` whose name
 * says why. Vitest and node:test await async describe callbacks; jest and mocha do not.
 */
import { type Backend, type BackendFactory, supportedOps } from '../backend.js';
import { createSoftmax } from '../create-softmax.js';
import type { Softmax } from '../session.js';
import { check } from './assert.js';
import type { BackendInfo, CallMode, CaseContext, CaseGroup, ConformanceCase } from './case.js';
import type { ConformanceApi } from './framework.js';
import { allGroups } from './groups.js';
import { SkipTally, skipReason } from './skips.js';
import { syncAsAsync } from './sync-as-async.js';

/** A factory that hands createSoftmax the backend already started (to read its kernels). */
function startedFactory(factory: BackendFactory, backend: Backend): BackendFactory {
  return { name: factory.name, dtypes: factory.dtypes, start: async () => backend };
}

/** Registers each group's cases, or an it.skip saying why (the reasons are decided beforehand). */
function registerGroups(api: ConformanceApi, groups: readonly PlannedGroup[], context: CaseContext): void {
  for (const group of groups) {
    api.describe(group.name, () => {
      for (const { testCase, reason } of group.cases) {
        if (reason === undefined) api.it(testCase.name, () => testCase.run(context));
        else api.it.skip(`${testCase.name} (skipped: ${reason})`, () => {});
      }
    });
  }
}

interface PlannedGroup {
  readonly name: string;
  readonly cases: readonly { readonly testCase: ConformanceCase; readonly reason: string | undefined }[];
}

/** Decides every skip up front, so the summary is complete before any test runs. */
function planGroups(
  groups: readonly CaseGroup[],
  backend: BackendInfo,
  mode: CallMode,
  tally: SkipTally,
): PlannedGroup[] {
  return groups.map((group) => ({
    name: group.name,
    cases: group.cases.map((testCase) => {
      const reason = skipReason(testCase, backend);
      if (reason !== undefined) tally.add(`${mode}: ${reason}`);
      return { testCase, reason };
    }),
  }));
}

/** Checks that createSoftmax reports what the backend declared. */
function registerSessionChecks(api: ConformanceApi, session: Softmax, backend: Backend): void {
  api.it('createSoftmax reports the backend name and capabilities', () => {
    check(
      session.backend === backend.name,
      () => `sm.backend is '${session.backend}', want '${backend.name}'`,
    );
    check(
      session.capabilities === backend.capabilities ||
        JSON.stringify(session.capabilities) === JSON.stringify(backend.capabilities),
      () => "sm.capabilities differs from the backend's declared capabilities",
    );
    check(
      (session.sync !== undefined) === backend.capabilities.sync,
      () =>
        `sm.sync is ${session.sync === undefined ? 'absent' : 'present'} but capabilities.sync is ${backend.capabilities.sync}`,
    );
  });
}

export function runConformance(factory: BackendFactory, api: ConformanceApi): void {
  const log = api.log ?? ((message: string) => console.info(message));
  api.describe(`softmax-kit conformance: ${factory.name}`, async () => {
    let backend: Backend;
    let session: Softmax;
    try {
      backend = await factory.start();
      session = await createSoftmax(startedFactory(factory, backend));
    } catch (error) {
      api.it(`backend '${factory.name}' starts`, () => {
        throw error;
      });
      return;
    }
    const info: BackendInfo = {
      name: backend.name,
      capabilities: backend.capabilities,
      ops: supportedOps(backend),
    };
    if (api.afterAll) api.afterAll(() => session.dispose());

    registerSessionChecks(api, session, backend);
    const groups = allGroups(info);
    const count = groups.reduce((n, g) => n + g.cases.length, 0);
    const tally = new SkipTally();
    const asyncPlan = planGroups(groups, info, 'async', tally);
    const sync = session.sync;
    const syncPlan = sync === undefined ? undefined : planGroups(groups, info, 'sync', tally);
    if (sync === undefined) tally.add('sync: backend declares sync: false', count);

    api.describe('async ops', () =>
      registerGroups(api, asyncPlan, { ops: session, mode: 'async', backend: info }),
    );
    api.describe('sync ops', () => {
      if (sync === undefined || syncPlan === undefined) {
        api.it.skip(`${count} cases on sm.sync (skipped: backend declares sync: false)`, () => {});
      } else {
        registerGroups(api, syncPlan, { ops: syncAsAsync(sync), mode: 'sync', backend: info });
      }
    });
    // Without afterAll, dispose in a last test (frameworks run tests in registration order).
    if (!api.afterAll) api.it('disposes the backend', () => session.dispose());

    const summary = [
      `softmax-kit conformance '${info.name}': ${2 * count} cases (async + sync), ${tally.skipped} skipped`,
    ];
    log([...summary, ...tally.lines()].join('\n'));
  });
}
