/**
 * Runs the bench: starts one worker process per implementation, loads each (a failure is
 * reported, never dropped), computes the reference of each case once, gates every
 * implementation's result of every mode, then times the ones that passed in interleaved rounds
 * (round k: every implementation and mode in turn, the order rotated each round), and analyses.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, freemem, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Config, selected } from './flags.js';
import type { ImplKind, Mode } from './impls/types.js';
import { type GpuEnv, setupLavapipe } from './node/lavapipe.js';
import type { Progress } from './progress.js';
import type { Envelope, ExpectedFiles, Reply, Request } from './protocol.js';
import { loadReference } from './reference.js';
import { type ImplSpec, registry } from './registry.js';
import { analyseCase, type BenchReport, type Cell, type ImplReport, newCase } from './results.js';
import { makeInputs, OPS } from './workloads.js';

const WORKER = fileURLToPath(new URL('./worker.js', import.meta.url));

type ReplyOf<T extends string> = Extract<Reply, { t: T }>;

class WorkerProc {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void; timer: NodeJS.Timeout }>();
  private exitReason: string | null = null;
  private stderrTail = '';
  readonly ready: Promise<void>;

  constructor(
    readonly spec: ImplSpec,
    private readonly proc: ChildProcess,
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

  request<T extends string>(
    body: Request,
    timeoutMs: number,
  ): Promise<ReplyOf<T> | { ok: false; error: string }> {
    if (!this.alive) return Promise.resolve({ ok: false, error: this.exitReason ?? 'worker gone' });
    const id = this.next++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.kill();
        resolve({
          ok: false,
          error: `no answer to '${body.t}' within ${Math.round(timeoutMs / 1000)} s (killed)`,
        });
      }, timeoutMs);
      this.pending.set(id, { resolve: resolve as (r: Reply) => void, timer });
      this.proc.send({ id, body } satisfies Envelope<Request>);
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

function rotate<T>(a: T[], k: number): T[] {
  if (a.length === 0) return a;
  const s = k % a.length;
  return [...a.slice(s), ...a.slice(0, s)];
}

function short(e: string): string {
  return e.length > 400 ? `${e.slice(0, 400)}...` : e;
}

export async function runBench(config: Config, progress: Progress): Promise<BenchReport> {
  const startedAt = new Date();
  const notes: string[] = [];
  const cores = availableParallelism();
  const specs = registry({ threads: config.threads }).filter((s) => selected(config, s.id, s.kind));
  const impls: ImplReport[] = [];
  const kinds = new Map<string, ImplKind>();

  // WebGPU: the lavapipe set-up once; a failure makes the GPU rows unavailable, nothing else
  let gpuEnv: GpuEnv | null = null;
  let gpuError: string | null = null;
  if (specs.some((s) => s.gpu)) {
    if (!config.gpu) gpuError = 'skipped (--no-gpu)';
    else {
      try {
        gpuEnv = setupLavapipe((l) => progress.log(l));
      } catch (e) {
        gpuError = `WebGPU set-up failed: ${(e as Error).message}`;
      }
    }
  }

  const reference = await loadReference();
  if (reference.note) {
    notes.push(reference.note);
    progress.log(`WARNING: ${reference.note}`);
  }

  // start and load every worker (two at a time; loading is not timed)
  const workers: WorkerProc[] = [];
  const queue = [...specs];
  const loadOne = async (spec: ImplSpec) => {
    const label = spec.id;
    kinds.set(spec.id, spec.kind);
    if (spec.gpu && gpuError) {
      impls.push({ id: spec.id, label, kind: spec.kind, status: 'unavailable', error: gpuError });
      return;
    }
    progress.update(`loading ${spec.id}`);
    const env = { ...process.env, ...(spec.gpu && gpuEnv ? gpuEnv : {}) };
    const proc = fork(WORKER, [JSON.stringify(spec)], {
      execArgv: spec.execArgv ?? [],
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    const w = new WorkerProc(spec, proc);
    await w.ready;
    const r = await w.request<'loaded'>({ t: 'load' }, 180_000);
    if (!r.ok) {
      impls.push({ id: spec.id, label, kind: spec.kind, status: 'unavailable', error: short(r.error) });
      progress.log(`${spec.id}: unavailable: ${short(r.error)}`);
      await w.close();
      return;
    }
    const rep = r as ReplyOf<'loaded'>;
    impls.push({
      id: spec.id,
      label: rep.label,
      kind: spec.kind,
      status: 'ok',
      detail: rep.detail,
      modes: rep.modes,
    });
    progress.log(`${spec.id}: loaded (${rep.detail})`);
    workers.push(w);
  };
  await Promise.all(
    [0, 1].map(async () => {
      for (let s = queue.shift(); s; s = queue.shift()) await loadOne(s);
    }),
  );
  const order = specs.map((s) => s.id);
  impls.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  workers.sort((a, b) => order.indexOf(a.spec.id) - order.indexOf(b.spec.id));

  const tmp = mkdtempSync(join(tmpdir(), 'softmax-kit-bench-'));
  const cases = [];
  const total = config.cases.length;
  let caseNo = 0;
  try {
    for (const { op, workload } of config.cases) {
      caseNo++;
      const c = newCase(op, workload);
      const tag = `case ${caseNo}/${total} ${OPS[op].label} ${workload.id}`;
      progress.update(`${tag}: reference`);
      // the reference, once per case, handed to the workers as files
      const exp = reference.expected(makeInputs(op, workload, config.seed));
      const files: ExpectedFiles = {};
      if (exp.out) {
        files.out = join(tmp, `${caseNo}-out.f64`);
        writeFileSync(files.out, exp.out);
      }
      if (exp.grad) {
        files.grad = join(tmp, `${caseNo}-grad.f64`);
        writeFileSync(files.grad, exp.grad);
      }
      if (exp.loss !== undefined) files.loss = exp.loss;

      // gate each implementation's every mode before anything is timed
      const runnable: Map<Mode, WorkerProc[]> = new Map(config.modes.map((m) => [m, []]));
      for (const w of workers) {
        progress.update(`${tag}: checking ${w.spec.id}`);
        const isLimit = w.spec.kind === 'limit';
        const r = await w.request<'prepared'>(
          { t: 'prepare', op, workload, seed: config.seed, expected: isLimit ? null : files },
          config.timeoutMs,
        );
        for (const mode of config.modes) {
          const cell: Cell = { impl: w.spec.id, mode, status: 'ok' };
          c.cells.push(cell);
          if (!r.ok) {
            cell.status = 'error';
            cell.note = short(r.error);
            continue;
          }
          const p = r as ReplyOf<'prepared'>;
          if (p.supported !== true) {
            cell.status = 'unsupported';
            cell.note = p.supported;
            continue;
          }
          const m = p.modes[mode];
          if (!m?.available) {
            cell.status = 'n/a';
            cell.note = `no ${mode} mode`;
          } else if (m.error) {
            cell.status = 'error';
            cell.note = short(m.error);
          } else {
            if (m.gate) cell.gate = m.gate;
            if (m.gate && !m.gate.pass) {
              cell.status = 'wrong';
              cell.note = m.gate.reason;
            } else runnable.get(mode)!.push(w);
          }
        }
        if (r.ok === false) progress.log(`${tag}: ${w.spec.id}: ${short(r.error)}`);
      }
      for (const cell of c.cells) {
        if (cell.status === 'wrong') progress.log(`${tag}: ${cell.impl} ${cell.mode} is WRONG: ${cell.note}`);
      }

      // warm-up, then interleaved rounds: round k runs every (implementation, mode) in turn,
      // the order rotated each round, so drift hits all alike (both modes included)
      type Pair = { w: WorkerProc; mode: Mode; est: number; rounds: number[][] };
      const pairs: Pair[] = [];
      const fail = (w: WorkerProc, mode: Mode, error: string) => {
        const cell = c.cells.find((x) => x.impl === w.spec.id && x.mode === mode)!;
        cell.status = 'error';
        cell.note = short(error);
      };
      for (const w of workers) {
        for (const mode of config.modes) {
          if (!runnable.get(mode)!.includes(w)) continue;
          progress.update(`${tag}: warm-up ${w.spec.id} ${mode}`);
          const r = await w.request<'warm'>(
            {
              t: 'warmup',
              mode,
              minCalls: 3,
              minMs: config.warmupMs,
              maxMs: Math.max(config.warmupMs * 4, 1000),
            },
            config.timeoutMs,
          );
          if (r.ok) pairs.push({ w, mode, est: (r as ReplyOf<'warm'>).estimateMs, rounds: [] });
          else fail(w, mode, r.error);
        }
      }
      for (let k = 0; k < config.repeats; k++) {
        for (const p of rotate(pairs, k)) {
          // very slow calls (> 0.3 s) get at most 2 rounds in the quick run, so it stays quick
          if (p.est > 300 && k >= 2 && !config.full) continue;
          if (!p.w.alive) continue;
          progress.update(`${tag}: round ${k + 1}/${config.repeats} ${p.w.spec.id} ${p.mode}`);
          const r = await p.w.request<'samples'>(
            { t: 'round', mode: p.mode, targetMs: config.roundMs, estimateMs: p.est, maxSamples: 200 },
            config.timeoutMs,
          );
          if (r.ok) p.rounds.push((r as ReplyOf<'samples'>).samples);
          else fail(p.w, p.mode, r.error);
        }
      }
      for (const p of pairs) {
        const cell = c.cells.find((x) => x.impl === p.w.spec.id && x.mode === p.mode)!;
        if (cell.status === 'ok') cell.rounds = p.rounds;
      }
      for (const w of workers) await w.request({ t: 'release' }, config.timeoutMs);
      for (const cell of c.cells) if (cell.status === 'ok' && !cell.rounds) cell.status = 'error';
      cases.push(analyseCase(c, kinds));
      progress.log(`${tag}: done`);
    }
  } finally {
    progress.update('closing workers');
    await Promise.all(workers.map((w) => w.close()));
    rmSync(tmp, { recursive: true, force: true });
    progress.done();
  }

  const finishedAt = new Date();
  const cpu = cpus()[0];
  return {
    tool: '@softmax-kit/bench',
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationS: (finishedAt.getTime() - startedAt.getTime()) / 1000,
    environment: {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      cpu: cpu ? cpu.model : 'unknown',
      cores,
      memoryGiB: Math.round(totalmem() / 2 ** 30),
      freeMemoryGiB: Math.round(freemem() / 2 ** 30),
    },
    config: {
      ...config,
      sizes: config.sizes.map((s) => s.id),
      mode: config.full ? 'full' : 'quick',
    },
    reference: { source: reference.source, ...(reference.note ? { note: reference.note } : {}) },
    impls,
    cases,
    notes,
  };
}
