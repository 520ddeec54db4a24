/**
 * Hosts one implementation and answers the driver's requests (src/protocol.ts), one at a time:
 * load, prepare + gate every mode against the reference, warm-up, rounds, release, exit.
 * Environment-neutral: the CLI's worker process wraps it in IPC, the browser page calls it
 * directly (src/local-runner.ts).
 */
import { gate } from './gate.js';
import type { Impl, Mode, PreparedCase } from './impls/types.js';
import { MODES } from './impls/types.js';
import { deviceRound, round, warmup } from './measure.js';
import type { ModeCheck, Reply, Request } from './protocol.js';
import { makeInputs } from './workloads.js';

export interface ImplHost {
  /** Never throws: an exception becomes `{ ok: false, error }`. */
  handle(req: Request): Promise<Reply>;
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n').slice(0, 3).join(' | ');
  return String(e);
}

/** `start` makes the implementation (and returns a note for its detail line, e.g. the GPU set-up). */
export function createHost(start: () => Promise<{ impl: Impl; note?: string }>): ImplHost {
  let impl: Impl | null = null;
  let prepared: PreparedCase | null = null;

  const release = async () => {
    const p = prepared;
    prepared = null;
    await p?.dispose?.();
  };
  /** the prepared call of `mode`, its implementation made current first (shared realms) */
  const ready = async (mode: Mode) => {
    const fn = prepared?.calls[mode];
    if (!prepared || !fn) throw new Error(`no ${mode} call prepared`);
    await prepared.activate?.();
    return { fn, p: prepared };
  };

  async function handle(req: Request): Promise<Reply> {
    switch (req.t) {
      case 'load': {
        const started = await start();
        impl = started.impl;
        const info = await impl.load();
        return {
          ok: true,
          t: 'loaded',
          id: impl.id,
          label: impl.label,
          kind: impl.kind,
          detail: started.note ? `${info.detail}; ${started.note}` : info.detail,
          modes: impl.modes,
        };
      }
      case 'prepare': {
        if (!impl) throw new Error('not loaded');
        await release();
        const supported = impl.supports(req.op);
        if (supported !== true) return { ok: true, t: 'prepared', supported, modes: {} };
        prepared = await impl.prepare(makeInputs(req.op, req.workload, req.seed));
        await prepared.activate?.();
        const modes: Partial<Record<Mode, ModeCheck>> = {};
        for (const mode of MODES) {
          if (!prepared.calls[mode]) {
            modes[mode] = { available: false };
            continue;
          }
          try {
            const got = await prepared.result(mode);
            modes[mode] = req.expected
              ? { available: true, gate: gate(req.op, got, req.expected) }
              : { available: true };
          } catch (e) {
            modes[mode] = { available: true, error: errorMessage(e) };
          }
        }
        return { ok: true, t: 'prepared', supported: true, modes };
      }
      case 'warmup': {
        const { fn } = await ready(req.mode);
        return { ok: true, t: 'warm', estimateMs: await warmup(fn, req) };
      }
      case 'round': {
        const { fn, p } = await ready(req.mode);
        // an implementation that times its calls on the device (GPU timestamps) records those
        const deviceTimed = p.deviceTimed?.[req.mode];
        const samples = deviceTimed ? await deviceRound(deviceTimed, req) : await round(fn, req);
        return { ok: true, t: 'samples', samples };
      }
      case 'release':
        await release();
        return { ok: true, t: 'done' };
      case 'exit':
        await release();
        await impl?.dispose?.();
        impl = null;
        return { ok: true, t: 'done' };
    }
  }

  return {
    handle: (req) => handle(req).catch((e): Reply => ({ ok: false, error: errorMessage(e) })),
  };
}
