/**
 * A worker process: hosts one implementation (src/impl-host.ts) and answers the driver's
 * requests over IPC, one message at a time (so rounds of different processes never overlap).
 * Started by src/node/worker-runner.ts with `fork(dist/worker.js, [specJson])`.
 */
import { createHost, errorMessage } from './impl-host.js';
import type { ImplFactory } from './impls/types.js';
import { readExpected } from './node/expected-files.js';
import { installNodeWebGPU } from './node/webgpu.js';
import type { Envelope, ExpectedFiles, Reply, Request } from './protocol.js';
import type { ImplSpec } from './registry.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as ImplSpec;

const host = createHost(async () => {
  const note = spec.gpu ? await installNodeWebGPU() : '';
  const mod = (await import(spec.module)) as { create: ImplFactory };
  return { impl: mod.create(spec.options ?? {}), ...(note ? { note } : {}) };
});

function inMemory(req: Request<ExpectedFiles>): Request {
  if (req.t !== 'prepare') return req;
  return { ...req, expected: req.expected ? readExpected(req.expected) : null };
}

process.on('message', (env: Envelope<Request<ExpectedFiles>>) => {
  let req: Request;
  try {
    req = inMemory(env.body);
  } catch (e) {
    process.send?.({ id: env.id, body: { ok: false, error: errorMessage(e) } satisfies Reply });
    return;
  }
  host.handle(req).then((reply) => {
    process.send?.({ id: env.id, body: reply }, () => {
      if (env.body.t === 'exit') process.exit(0);
    });
  });
});
// the coordinator is gone (killed, crashed): never outlive it
process.on('disconnect', () => process.exit(0));
process.on('unhandledRejection', (e) => {
  process.stderr.write(`[${spec.id}] unhandled rejection: ${errorMessage(e)}\n`);
});
process.send?.({ id: 0, body: { ok: true, t: 'done' } });
