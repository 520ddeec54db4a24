/**
 * A worker process running one implementation (dist/worker.js), as the case driver's Runner:
 * requests over IPC, each with a timeout (a worker that does not answer is killed), the
 * reference handed over as files, the worker's last stderr lines in the error when it dies.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Runner } from '../driver.js';
import type { Envelope, ExpectedFiles, Reply, Request } from '../protocol.js';
import type { ImplSpec } from '../registry.js';
import type { ExpectedFileStore } from './expected-files.js';

const WORKER = fileURLToPath(new URL('../worker.js', import.meta.url));

class WorkerRunner implements Runner {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; timer: NodeJS.Timeout }>();
  private exitReason: string | null = null;
  private stderrTail = '';
  readonly ready: Promise<void>;

  constructor(
    private readonly proc: ChildProcess,
    private readonly store: ExpectedFileStore,
  ) {
    proc.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    proc.stdout?.on('data', () => {});
    this.ready = new Promise((resolve) => {
      proc.once('message', () => resolve());
      proc.once('exit', () => resolve());
    });
    proc.on('message', (env: Envelope<Reply>) => {
      const p = this.pending.get(env.id);
      if (!p) return;
      clearTimeout(p.timer);
      this.pending.delete(env.id);
      p.resolve(env.body);
    });
    proc.on('exit', (code, signal) => {
      const tail = this.stderrTail
        .split('\n')
        .filter((l) => l.trim() && !/^Warning: max/.test(l))
        .slice(-3)
        .join(' | ');
      this.exitReason = `worker exited (${signal ?? `code ${code}`})${tail ? `: ${tail}` : ''}`;
      for (const [, p] of this.pending) {
        clearTimeout(p.timer);
        p.resolve({ ok: false, error: this.exitReason });
      }
      this.pending.clear();
    });
  }

  get alive(): boolean {
    return this.exitReason === null;
  }

  request(req: Request, timeoutMs: number): Promise<Reply> {
    if (!this.alive) return Promise.resolve({ ok: false, error: this.exitReason ?? 'worker gone' });
    const body: Request<ExpectedFiles> =
      req.t === 'prepare' ? { ...req, expected: req.expected ? this.store.files(req.expected) : null } : req;
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        resolve({
          ok: false,
          error: `no answer to '${req.t}' within ${Math.round(timeoutMs / 1000)} s (killed)`,
        });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      this.proc.send({ id, body } satisfies Envelope<Request<ExpectedFiles>>);
    });
  }

  kill(): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.alive) await this.request({ t: 'exit' }, 10_000);
    this.kill();
  }
}

/** Forks the worker of `spec` with its Node flags and environment; resolves once it is listening. */
export async function startWorker(
  spec: ImplSpec,
  env: NodeJS.ProcessEnv,
  store: ExpectedFileStore,
): Promise<Runner> {
  const proc = fork(WORKER, [JSON.stringify(spec)], {
    execArgv: spec.execArgv ?? [],
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const w = new WorkerRunner(proc, store);
  await w.ready;
  return w;
}
