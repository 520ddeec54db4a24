/**
 * A worker process: loads one implementation and runs what the coordinator asks, one message
 * at a time (so rounds of different processes never overlap). Started by the coordinator with
 * `fork(dist/worker.js, [specJson])`.
 */
import { readFileSync } from 'node:fs';
import { gate } from './gate.js';
import type { Impl, ImplFactory, Mode, PreparedCase } from './impls/types.js';
import { MODES } from './impls/types.js';
import { deviceRound, round, warmup } from './measure.js';
import { installNodeWebGPU } from './node/webgpu.js';
import type { Envelope, ExpectedFiles, ModeCheck, Reply, Request } from './protocol.js';
import type { ImplSpec } from './registry.js';
import { type Expected, makeInputs } from './workloads.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as ImplSpec;
let impl: Impl | null = null;
let prepared: PreparedCase | null = null;

function readF64(path: string): Float64Array {
  const b = readFileSync(path);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function loadExpected(e: ExpectedFiles): Expected {
  return {
    ...(e.out ? { out: readF64(e.out) } : {}),
    ...(e.grad ? { grad: readF64(e.grad) } : {}),
    ...(e.loss !== undefined ? { loss: e.loss } : {}),
  };
}

function message(e: unknown): string {
  if (e instanceof Error) return e.message.split('\n').slice(0, 3).join(' | ');
  return String(e);
}

async function handle(req: Request): Promise<Reply> {
  switch (req.t) {
    case 'load': {
      let gpuNote = '';
      if (spec.gpu) gpuNote = await installNodeWebGPU();
      const mod = (await import(spec.module)) as { create: ImplFactory };
      impl = mod.create(spec.options ?? {});
      const info = await impl.load();
      return {
        ok: true,
        t: 'loaded',
        id: impl.id,
        label: impl.label,
        kind: impl.kind,
        detail: gpuNote ? `${info.detail}; ${gpuNote}` : info.detail,
        modes: impl.modes,
      };
    }
    case 'prepare': {
      if (!impl) throw new Error('not loaded');
      await prepared?.dispose?.();
      prepared = null;
      const supported = impl.supports(req.op);
      if (supported !== true) return { ok: true, t: 'prepared', supported, modes: {} };
      const inputs = makeInputs(req.op, req.workload, req.seed);
      prepared = await impl.prepare(inputs);
      const expected = req.expected ? loadExpected(req.expected) : null;
      const modes: Partial<Record<Mode, ModeCheck>> = {};
      for (const mode of MODES) {
        if (!prepared.calls[mode]) {
          modes[mode] = { available: false };
          continue;
        }
        try {
          const got = await prepared.result(mode);
          modes[mode] = expected
            ? { available: true, gate: gate(req.op, got, expected) }
            : { available: true };
        } catch (e) {
          modes[mode] = { available: true, error: message(e) };
        }
      }
      return { ok: true, t: 'prepared', supported: true, modes };
    }
    case 'warmup': {
      const fn = prepared?.calls[req.mode];
      if (!fn) throw new Error(`no ${req.mode} call prepared`);
      return { ok: true, t: 'warm', estimateMs: await warmup(fn, req) };
    }
    case 'round': {
      const fn = prepared?.calls[req.mode];
      if (!fn) throw new Error(`no ${req.mode} call prepared`);
      // an implementation that times its calls on the device (GPU timestamps) records those
      const deviceTimed = prepared?.deviceTimed?.[req.mode];
      const samples = deviceTimed ? await deviceRound(deviceTimed, req) : await round(fn, req);
      return { ok: true, t: 'samples', samples };
    }
    case 'release':
      await prepared?.dispose?.();
      prepared = null;
      return { ok: true, t: 'done' };
    case 'exit':
      await prepared?.dispose?.();
      await impl?.dispose?.();
      return { ok: true, t: 'done' };
  }
}

process.on('message', (env: Envelope<Request>) => {
  handle(env.body)
    .catch((e): Reply => ({ ok: false, error: message(e) }))
    .then((reply) => {
      process.send?.({ id: env.id, body: reply }, () => {
        if (env.body.t === 'exit') process.exit(0);
      });
    });
});
// the coordinator is gone (killed, crashed): never outlive it
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (e) => {
  process.stderr.write(`[${spec.id}] unhandled rejection: ${message(e)}\n`);
});
process.send?.({ id: 0, body: { ok: true, t: 'done' } });
