/**
 * The browser page: the same workloads, gate, timing rounds, table and charts as the CLI, run
 * in the page on every softmax-kit backend found (js, wasm, webgpu: whichever packages exist in
 * the workspace and start in this browser) plus the plain JS baseline and the memory copy.
 * All implementations share the page (a browser has no processes to give each its own); rounds
 * are interleaved as in the CLI. Query parameters: ops, sizes, repeats, roundMs, warmupMs,
 * threads (the counts swept over threaded backends, default 1 and every core), peers=none (leave
 * out tfjs-backend-wasm and onnxruntime-web wasm, which otherwise run one-threaded beside ours).
 */
import { gate } from '../src/gate.js';
import { create as createBaseline } from '../src/impls/baseline.js';
import { create as createMemcpy } from '../src/impls/memcpy.js';
import { createOurs, type ModuleLoader, OUR_BACKENDS } from '../src/impls/ours.js';
import type { Impl, ImplKind, Mode, PreparedCase } from '../src/impls/types.js';
import { MODES } from '../src/impls/types.js';
import { round, warmup } from '../src/measure.js';
import { loadReference } from '../src/reference.js';
import { REPORT_CSS, renderReportBody } from '../src/report-html.js';
import {
  analyseCase,
  type BenchReport,
  type CaseReport,
  type Cell,
  type ImplReport,
  newCase,
} from '../src/results.js';
import { renderTable } from '../src/table.js';
import { makeInputs, OP_IDS, OPS, type OpId, parseWorkload } from '../src/workloads.js';
import { browserPeers } from './peers.js';

/**
 * Every built workspace package, by folder: picked up without changes here. A package with a
 * browser entry (dist/browser.js, what its "browser" export condition names: wasm) is loaded
 * through it, never through its Node entry. The native backend is a Node addon with no
 * browser build, so the page leaves it out.
 */
const builtPackages = import.meta.glob([
  '../../../packages/*/dist/index.js',
  '../../../packages/*/dist/browser.js',
  '!../../../packages/native/dist/index.js',
  '!../../../packages/wasm/dist/index.js',
]);

const loadModule: ModuleLoader = async (pkg) => {
  if (pkg === '@softmax-kit/core') return (await import('@softmax-kit/core')) as Record<string, unknown>;
  const folder = pkg.replace(/^@softmax-kit\//, '');
  const loader =
    builtPackages[`../../../packages/${folder}/dist/browser.js`] ??
    builtPackages[`../../../packages/${folder}/dist/index.js`];
  if (!loader)
    throw new Error(
      `${pkg} is not in this build (no packages/${folder}/dist/index.js when the page was built)`,
    );
  return (await loader()) as Record<string, unknown>;
};

const params = new URLSearchParams(location.search);
const list = (k: string, d: string) => (params.get(k) ?? d).split(',').filter(Boolean);
const num = (k: string, d: number) => Number(params.get(k) ?? d) || d;
const ops = list('ops', OP_IDS.join(',')) as OpId[];
const sizes = list('sizes', '4096x1024,1x10').map(parseWorkload);
const repeats = num('repeats', 5);
const roundMs = num('roundMs', 25);
const warmupMs = num('warmupMs', 40);
/** Thread counts for threaded backends (wasm): 1 and every core, as the CLI's default sweep. */
const threadCounts = [
  ...new Set(
    list('threads', `1,${navigator.hardwareConcurrency || 1}`).map((t) => Math.max(1, Number(t) || 1)),
  ),
];

/** What WebGPU this browser offers (the webgpu backend and its peers would run on it). */
async function describeWebGPU(): Promise<string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'no navigator.gpu';
  try {
    const a = await gpu.requestAdapter();
    if (!a) return 'navigator.gpu present, no adapter';
    const i = a.info;
    return `adapter: ${[i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'unnamed'}`;
  } catch (e) {
    return `requestAdapter failed: ${(e as Error).message}`;
  }
}

const statusEl = document.getElementById('status')!;
const reportEl = document.getElementById('report')!;
const setStatus = (s: string) => {
  statusEl.textContent = s;
};

async function main(): Promise<void> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const reference = await loadReference();
  const candidates: Impl[] = [
    ...OUR_BACKENDS.flatMap((c) =>
      c.threaded
        ? threadCounts.map((threads) => createOurs(c, loadModule, { threads }))
        : [createOurs(c, loadModule)],
    ),
    createBaseline({}),
    createMemcpy({}),
    ...(params.get('peers') === 'none' ? [] : browserPeers(1)),
  ];
  const impls: ImplReport[] = [];
  const loaded: Impl[] = [];
  const kinds = new Map<string, ImplKind>();
  for (const impl of candidates) {
    kinds.set(impl.id, impl.kind);
    setStatus(`loading ${impl.id}`);
    try {
      const info = await impl.load();
      impls.push({
        id: impl.id,
        label: impl.label,
        kind: impl.kind,
        status: 'ok',
        detail: info.detail,
        modes: impl.modes,
      });
      loaded.push(impl);
    } catch (e) {
      impls.push({
        id: impl.id,
        label: impl.label,
        kind: impl.kind,
        status: 'unavailable',
        error: (e as Error).message,
      });
    }
  }
  const cases: CaseReport[] = [];
  for (const w of sizes) {
    for (const op of ops) {
      const c = newCase(op, w);
      const inputs = makeInputs(op, w, 1);
      const expected = reference.expected(inputs);
      const prepared = new Map<Impl, PreparedCase>();
      const runnable = new Map<Mode, Impl[]>(MODES.map((m) => [m, []]));
      for (const impl of loaded) {
        setStatus(`${OPS[op].label} ${w.id}: checking ${impl.id}`);
        let p: PreparedCase;
        try {
          p = await impl.prepare(inputs);
        } catch (e) {
          for (const mode of MODES)
            c.cells.push({ impl: impl.id, mode, status: 'error', note: (e as Error).message });
          continue;
        }
        prepared.set(impl, p);
        for (const mode of MODES) {
          const cell: Cell = { impl: impl.id, mode, status: 'ok' };
          c.cells.push(cell);
          if (!p.calls[mode]) {
            cell.status = 'n/a';
            continue;
          }
          try {
            if (impl.kind !== 'limit') {
              cell.gate = gate(op, await p.result(mode), expected);
              if (!cell.gate.pass) {
                cell.status = 'wrong';
                cell.note = cell.gate.reason;
                continue;
              }
            }
            runnable.get(mode)!.push(impl);
          } catch (e) {
            cell.status = 'error';
            cell.note = (e as Error).message;
          }
        }
      }
      // warm-up, then rounds over every (implementation, mode), rotated each round
      const pairs: { impl: Impl; mode: Mode; est: number; rounds: number[][] }[] = [];
      for (const impl of loaded) {
        for (const mode of MODES) {
          if (!runnable.get(mode)!.includes(impl)) continue;
          setStatus(`${OPS[op].label} ${w.id}: warm-up ${impl.id} ${mode}`);
          const est = await warmup(prepared.get(impl)!.calls[mode]!, {
            minCalls: 3,
            minMs: warmupMs,
            maxMs: 1000,
          });
          pairs.push({ impl, mode, est, rounds: [] });
        }
      }
      for (let k = 0; k < repeats; k++) {
        for (let i = 0; i < pairs.length; i++) {
          const p = pairs[(i + k) % pairs.length];
          setStatus(`${OPS[op].label} ${w.id}: round ${k + 1}/${repeats} ${p.impl.id} ${p.mode}`);
          const fn = prepared.get(p.impl)!.calls[p.mode]!;
          p.rounds.push(await round(fn, { targetMs: roundMs, estimateMs: p.est, maxSamples: 200 }));
          await new Promise((r) => setTimeout(r, 0));
        }
      }
      for (const p of pairs)
        c.cells.find((x) => x.impl === p.impl.id && x.mode === p.mode)!.rounds = p.rounds;
      for (const p of prepared.values()) await p.dispose?.();
      cases.push(analyseCase(c, kinds));
    }
  }
  for (const impl of loaded) await impl.dispose?.();
  const report: BenchReport = {
    tool: '@softmax-kit/bench',
    startedAt,
    finishedAt: new Date().toISOString(),
    durationS: (performance.now() - t0) / 1000,
    environment: {
      userAgent: navigator.userAgent,
      cores: navigator.hardwareConcurrency ?? 0,
      webgpu: await describeWebGPU(),
    },
    config: {
      mode: 'browser',
      ops,
      sizes: sizes.map((s) => s.id),
      repeats,
      roundMs,
      warmupMs,
      modes: [...MODES],
    },
    reference: { source: reference.source, ...(reference.note ? { note: reference.note } : {}) },
    impls,
    cases,
    notes: ['browser page: every implementation runs in this page (no separate processes)'],
  };
  const style = document.createElement('style');
  style.textContent = REPORT_CSS;
  document.head.append(style);
  reportEl.innerHTML = renderReportBody(report);
  (window as unknown as { benchReport: BenchReport; benchTable: string }).benchReport = report;
  (window as unknown as { benchTable: string }).benchTable = renderTable(report);
  setStatus(`done in ${report.durationS.toFixed(1)} s`);
  document.body.dataset.state = 'done';
}

main().catch((e) => {
  setStatus(`failed: ${(e as Error).stack ?? e}`);
  document.body.dataset.state = 'failed';
});
