/**
 * The result model shared by the CLI, the table, the JSON output, the HTML report and the
 * browser page; and the analysis that turns raw rounds into summaries and ratios.
 * Browser-safe.
 */
import type { GateResult } from './gate.js';
import type { ImplKind, Mode } from './impls/types.js';
import { allSamples, type RatioSummary, ratioPerRound, type Summary, summarize } from './stats.js';
import { bytesCounted, elementsOf, gbPerSecond, type OpId, type Workload } from './workloads.js';

export interface ImplReport {
  id: string;
  label: string;
  kind: ImplKind;
  status: 'ok' | 'unavailable';
  /** version, backend, adapter, threads... */
  detail?: string;
  /** why it could not load */
  error?: string;
  /** what each mode means for it */
  modes?: Partial<Record<Mode, string>>;
}

export type CellStatus = 'ok' | 'wrong' | 'error' | 'unsupported' | 'n/a';

export interface Cell {
  impl: string;
  mode: Mode;
  status: CellStatus;
  /** for wrong / error / unsupported / n/a */
  note?: string;
  gate?: GateResult;
  /** samples (ms per call) per round; round k of every implementation ran back to back */
  rounds?: number[][];
  summary?: Summary;
  gbps?: number;
  /** this rate / the memory copy's rate (same mode), median over rounds */
  ofCopy?: number;
}

export interface Ratio {
  /** ours or the baseline */
  impl: string;
  /** the implementation compared with */
  against: string;
  mode: Mode;
  /** against's time / impl's time, per round; > 1 means impl is faster */
  ratio: RatioSummary;
}

export interface CaseReport {
  op: OpId;
  workload: Workload;
  elements: number;
  bytes: number;
  cells: Cell[];
  ratios: Ratio[];
}

export interface BenchReport {
  tool: '@softmax-kit/bench';
  startedAt: string;
  finishedAt: string;
  durationS: number;
  environment: Record<string, string | number>;
  config: Record<string, unknown>;
  reference: { source: string; note?: string };
  impls: ImplReport[];
  cases: CaseReport[];
  notes: string[];
}

export const COPY_ID = 'memcpy';

/** Fills summary, GB/s, % of copy and the per-round ratios of a case whose cells have rounds. */
export function analyseCase(c: CaseReport, kinds: ReadonlyMap<string, ImplKind>): CaseReport {
  for (const cell of c.cells) {
    if (cell.status !== 'ok' || !cell.rounds) continue;
    cell.summary = summarize(allSamples(cell.rounds));
    cell.gbps = gbPerSecond(c.bytes, cell.summary.median);
  }
  const ratios: Ratio[] = [];
  for (const cell of c.cells) {
    if (cell.status !== 'ok' || !cell.rounds) continue;
    const copy = c.cells.find((x) => x.impl === COPY_ID && x.mode === cell.mode && x.status === 'ok');
    if (copy?.rounds && cell.impl !== COPY_ID) {
      // rate ratio = copy time / this time
      cell.ofCopy = ratioPerRound(cell.rounds, copy.rounds)?.median;
    }
    const kind = kinds.get(cell.impl);
    if (kind !== 'ours' && kind !== 'baseline') continue;
    for (const other of c.cells) {
      if (other === cell || other.mode !== cell.mode || other.status !== 'ok' || !other.rounds) continue;
      if (kinds.get(other.impl) === 'ours' && kind === 'baseline') continue;
      const r = ratioPerRound(cell.rounds, other.rounds);
      if (r) ratios.push({ impl: cell.impl, against: other.impl, mode: cell.mode, ratio: r });
    }
  }
  c.ratios = ratios;
  return c;
}

export function newCase(op: OpId, workload: Workload): CaseReport {
  return {
    op,
    workload,
    elements: elementsOf(workload),
    bytes: bytesCounted(op, workload),
    cells: [],
    ratios: [],
  };
}
