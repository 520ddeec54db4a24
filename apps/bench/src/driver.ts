/**
 * The case driver, shared by the CLI (src/coordinator.ts) and the browser page (web/main.ts):
 * loads every selected implementation (a failure is reported with its reason, never dropped),
 * computes the float64 reference of each case once, gates every mode of every implementation
 * against it before anything is timed, warms up, then times in interleaved rounds (round k:
 * every implementation and mode in turn, the order rotated each round, one at a time) and
 * analyses the rounds into the report (per-round ratios, % of copy).
 * Environment-neutral: how an implementation runs (a worker process in Node, the page itself in
 * a browser), where progress goes and what describes the machine are injected.
 */
import { type Config, selected } from './flags.js';
import type { ImplKind, Mode } from './impls/types.js';
import { type Failure, type Reply, type Request, replyOf } from './protocol.js';
import { loadReference } from './reference.js';
import {
  analyseCase,
  type BenchReport,
  type CaseReport,
  type Cell,
  type ImplReport,
  newCase,
} from './results.js';
import { type Expected, makeInputs, OPS } from './workloads.js';

/** One started implementation, answering the protocol's requests. */
export interface Runner {
  /** false once it died (a crashed or killed worker process) */
  readonly alive: boolean;
  /** Never throws; `timeoutMs` is honoured where the environment can interrupt (processes). */
  request(req: Request, timeoutMs: number): Promise<Reply>;
  close(): Promise<void>;
}

/** An implementation the run may include. */
export interface Candidate {
  id: string;
  kind: ImplKind;
  /** shown while it is not loaded (defaults to the id) */
  label?: string;
  /** needs WebGPU: unavailable with `DriverEnv.gpuError` when that is set */
  gpu?: boolean;
  /** starts it (a process, or nothing in the page); a throw makes it unavailable */
  start(): Promise<Runner>;
}

export interface ProgressSink {
  /** a transient status */
  update(text: string): void;
  /** a line that stays */
  log(text: string): void;
}

export interface DriverEnv {
  progress: ProgressSink;
  /** describes the machine and runtime in the report */
  environment: Record<string, string | number>;
  /** why WebGPU cannot run here (no adapter, --no-gpu, set-up failed); null when it can */
  gpuError?: string | null;
  /** implementations loaded at once (processes: 2; one page: 1) */
  loadConcurrency?: number;
  notes?: string[];
  /** awaited between rounds: lets a page repaint */
  idle?(): Promise<void>;
}

const LOAD_TIMEOUT_MS = 180_000;

function rotate<T>(a: T[], k: number): T[] {
  if (a.length === 0) return a;
  const s = k % a.length;
  return [...a.slice(s), ...a.slice(0, s)];
}

function short(e: string): string {
  return e.length > 400 ? `${e.slice(0, 400)}...` : e;
}

/** The run's settings as the report records them (same shape from the CLI and the page). */
export function reportConfig(config: Config): Record<string, unknown> {
  return { ...config, sizes: config.sizes.map((s) => s.id), mode: config.full ? 'full' : 'quick' };
}

interface Loaded {
  id: string;
  kind: ImplKind;
  runner: Runner;
}

async function loadAll(
  candidates: Candidate[],
  env: DriverEnv,
): Promise<{ impls: ImplReport[]; loaded: Loaded[] }> {
  const { progress } = env;
  const impls: ImplReport[] = [];
  const loaded: Loaded[] = [];
  const unavailable = (c: Candidate, error: string) => {
    impls.push({
      id: c.id,
      label: c.label ?? c.id,
      kind: c.kind,
      status: 'unavailable',
      error: short(error),
    });
    progress.log(`${c.id}: unavailable: ${short(error)}`);
  };
  const loadOne = async (c: Candidate) => {
    if (c.gpu && env.gpuError) return unavailable(c, env.gpuError);
    progress.update(`loading ${c.id}`);
    let runner: Runner;
    try {
      runner = await c.start();
    } catch (e) {
      return unavailable(c, e instanceof Error ? e.message : String(e));
    }
    const r = replyOf(await runner.request({ t: 'load' }, LOAD_TIMEOUT_MS), 'loaded');
    if (!r.ok) {
      unavailable(c, r.error);
      await runner.close();
      return;
    }
    impls.push({ id: c.id, label: r.label, kind: c.kind, status: 'ok', detail: r.detail, modes: r.modes });
    progress.log(`${c.id}: loaded (${r.detail})`);
    loaded.push({ id: c.id, kind: c.kind, runner });
  };
  const queue = [...candidates];
  await Promise.all(
    Array.from({ length: Math.max(1, env.loadConcurrency ?? 1) }, async () => {
      for (let c = queue.shift(); c; c = queue.shift()) await loadOne(c);
    }),
  );
  const order = candidates.map((c) => c.id);
  impls.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  loaded.sort((a, b) => order.indexOf(a.id) - order.indexOf(b.id));
  return { impls, loaded };
}

/** Gates every mode of every implementation; returns the (implementation, mode) pairs that passed. */
async function gateAll(
  c: CaseReport,
  loaded: Loaded[],
  config: Config,
  expected: Expected,
  tag: string,
  progress: ProgressSink,
): Promise<{ impl: Loaded; mode: Mode }[]> {
  const runnable: { impl: Loaded; mode: Mode }[] = [];
  for (const impl of loaded) {
    progress.update(`${tag}: checking ${impl.id}`);
    const r = replyOf(
      await impl.runner.request(
        {
          t: 'prepare',
          op: c.op,
          workload: c.workload,
          seed: config.seed,
          // the memory copy computes nothing to check
          expected: impl.kind === 'limit' ? null : expected,
        },
        config.timeoutMs,
      ),
      'prepared',
    );
    if (!r.ok) progress.log(`${tag}: ${impl.id}: ${short(r.error)}`);
    for (const mode of config.modes) {
      const cell: Cell = { impl: impl.id, mode, status: 'ok' };
      c.cells.push(cell);
      if (!r.ok) {
        cell.status = 'error';
        cell.note = short(r.error);
      } else if (r.supported !== true) {
        cell.status = 'unsupported';
        cell.note = r.supported;
      } else if (!r.modes[mode]?.available) {
        cell.status = 'n/a';
        cell.note = `no ${mode} mode`;
      } else if (r.modes[mode].error) {
        cell.status = 'error';
        cell.note = short(r.modes[mode].error);
      } else {
        const g = r.modes[mode].gate;
        if (g) cell.gate = g;
        if (g && !g.pass) {
          cell.status = 'wrong';
          cell.note = g.reason;
          progress.log(`${tag}: ${impl.id} ${mode} is WRONG: ${g.reason}`);
        } else runnable.push({ impl, mode });
      }
    }
  }
  return runnable;
}

/** Warm-up, then interleaved rounds; fills the cells' rounds (or marks them failed). */
async function timeAll(
  c: CaseReport,
  runnable: { impl: Loaded; mode: Mode }[],
  config: Config,
  tag: string,
  env: DriverEnv,
): Promise<void> {
  const { progress } = env;
  const cellOf = (impl: Loaded, mode: Mode) => c.cells.find((x) => x.impl === impl.id && x.mode === mode)!;
  const fail = (impl: Loaded, mode: Mode, f: Failure) => {
    const cell = cellOf(impl, mode);
    cell.status = 'error';
    cell.note = short(f.error);
  };
  type Pair = { impl: Loaded; mode: Mode; est: number; rounds: number[][] };
  const pairs: Pair[] = [];
  for (const { impl, mode } of runnable) {
    progress.update(`${tag}: warm-up ${impl.id} ${mode}`);
    const r = replyOf(
      await impl.runner.request(
        {
          t: 'warmup',
          mode,
          minCalls: 3,
          minMs: config.warmupMs,
          maxMs: Math.max(config.warmupMs * 4, 1000),
        },
        config.timeoutMs,
      ),
      'warm',
    );
    if (r.ok) pairs.push({ impl, mode, est: r.estimateMs, rounds: [] });
    else fail(impl, mode, r);
  }
  for (let k = 0; k < config.repeats; k++) {
    for (const p of rotate(pairs, k)) {
      // very slow calls (> 0.3 s) get at most 2 rounds in the quick run, so it stays quick
      if (p.est > 300 && k >= 2 && !config.full) continue;
      if (!p.impl.runner.alive) continue;
      progress.update(`${tag}: round ${k + 1}/${config.repeats} ${p.impl.id} ${p.mode}`);
      await env.idle?.();
      const r = replyOf(
        await p.impl.runner.request(
          { t: 'round', mode: p.mode, targetMs: config.roundMs, estimateMs: p.est, maxSamples: 200 },
          config.timeoutMs,
        ),
        'samples',
      );
      if (r.ok) p.rounds.push(r.samples);
      else fail(p.impl, p.mode, r);
    }
  }
  for (const p of pairs) {
    const cell = cellOf(p.impl, p.mode);
    if (cell.status === 'ok') cell.rounds = p.rounds;
  }
  for (const cell of c.cells) if (cell.status === 'ok' && !cell.rounds) cell.status = 'error';
}

/** Runs every case of `config` over the selected candidates; the report of the run. */
export async function runCases(
  config: Config,
  candidates: Candidate[],
  env: DriverEnv,
): Promise<BenchReport> {
  const { progress } = env;
  const startedAt = new Date();
  const t0 = performance.now();
  const notes = [...(env.notes ?? [])];
  const reference = await loadReference();
  if (reference.note) {
    notes.push(reference.note);
    progress.log(`WARNING: ${reference.note}`);
  }
  const chosen = candidates.filter((c) => selected(config, c.id, c.kind));
  const kinds = new Map(chosen.map((c) => [c.id, c.kind]));
  const { impls, loaded } = await loadAll(chosen, env);
  const cases: CaseReport[] = [];
  try {
    let caseNo = 0;
    for (const { op, workload } of config.cases) {
      caseNo++;
      const c = newCase(op, workload);
      const tag = `case ${caseNo}/${config.cases.length} ${OPS[op].label} ${workload.id}`;
      progress.update(`${tag}: reference`);
      const expected = reference.expected(makeInputs(op, workload, config.seed));
      const runnable = await gateAll(c, loaded, config, expected, tag, progress);
      await timeAll(c, runnable, config, tag, env);
      for (const impl of loaded) await impl.runner.request({ t: 'release' }, config.timeoutMs);
      cases.push(analyseCase(c, kinds));
      progress.log(`${tag}: done`);
    }
  } finally {
    progress.update('closing');
    await Promise.all(loaded.map((l) => l.runner.close()));
  }
  return {
    tool: '@softmax-kit/bench',
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    environment: env.environment,
    config: reportConfig(config),
    reference: { source: reference.source, ...(reference.note ? { note: reference.note } : {}) },
    impls,
    cases,
    notes,
  };
}
