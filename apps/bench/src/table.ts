/**
 * The plain-text table: per case, one row per implementation with both timings (median ms,
 * p10-p90 spread, GB/s, % of the memory-copy rate) and the gate; then, for each softmax-kit
 * backend (and the plain JS baseline), its per-round speed ratio against every other
 * implementation. Browser-safe.
 */
import { fmtBytes, fmtInt, fmtMs, fmtPct, fmtRate, fmtRatio } from './format.js';
import type { Mode } from './impls/types.js';
import type { BenchReport, CaseReport, Cell } from './results.js';
import { OPS } from './workloads.js';

function pad(s: string, w: number, right = false): string {
  return right ? s.padStart(w) : s.padEnd(w);
}

export function renderGrid(rows: string[][], rightFrom = 1): string {
  const widths: number[] = [];
  for (const r of rows) {
    for (let i = 0; i < r.length; i++) widths[i] = Math.max(widths[i] ?? 0, r[i].length);
  }
  return rows
    .map((r) =>
      r
        .map((c, i) => pad(c, widths[i], i >= rightFrom))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

export function caseTitle(c: CaseReport): string {
  return `${OPS[c.op].label} ${c.workload.id}`;
}

function cellStatus(cell: Cell | undefined): string {
  if (!cell) return '';
  if (cell.status === 'ok') {
    if (!cell.gate) return 'ok';
    return cell.gate.strict ? 'ok' : `ok~ (rel.err ${cell.gate.maxRelErr.toExponential(0)})`;
  }
  return cell.status.toUpperCase();
}

function timing(cell: Cell | undefined): string[] {
  if (!cell) return ['', '', '', ''];
  if (cell.status !== 'ok' || !cell.summary)
    return [cell.status === 'ok' ? '-' : cell.status.toUpperCase(), '', '', ''];
  const s = cell.summary;
  const spread = `${fmtMs(s.p10)}-${fmtMs(s.p90)}${s.bimodal ? ' bimodal' : ''}`;
  return [fmtMs(s.median), spread, fmtRate(cell.gbps), cell.impl === 'memcpy' ? '100%' : fmtPct(cell.ofCopy)];
}

export function labelOf(report: Pick<BenchReport, 'impls'>, id: string): string {
  return report.impls.find((i) => i.id === id)?.label ?? id;
}

export function renderCase(
  report: Pick<BenchReport, 'impls'>,
  c: CaseReport,
  modes: readonly Mode[],
): string {
  const head = `${caseTitle(c)}: ${fmtInt(c.elements)} elements, ${fmtBytes(c.bytes)} counted (${OPS[c.op].bytesDoc})`;
  const header = ['implementation'];
  for (const m of modes) header.push(`${m} ms`, 'p10-p90', 'GB/s', '%copy');
  header.push('gate');
  const rows = [header];
  const ids = [...new Set(c.cells.map((x) => x.impl))];
  const problems: string[] = [];
  for (const id of ids) {
    const row = [labelOf(report, id)];
    const gates: string[] = [];
    for (const m of modes) {
      const cell = c.cells.find((x) => x.impl === id && x.mode === m);
      row.push(...timing(cell));
      const st = cellStatus(cell);
      if (st && !gates.includes(st)) gates.push(st);
      if (cell && cell.status !== 'ok' && cell.note)
        problems.push(`  ${labelOf(report, id)} ${m}: ${cell.status}: ${cell.note}`);
    }
    row.push(id === 'memcpy' ? '(not a softmax)' : gates.join(' / '));
    rows.push(row);
  }
  return [head, renderGrid(rows), ...problems].join('\n');
}

/** ratio tables: one per softmax-kit backend and the baseline, per mode */
export function renderRatios(report: BenchReport, modes: readonly Mode[]): string {
  const out: string[] = [];
  const subjects = report.impls.filter(
    (i) => (i.kind === 'ours' || i.kind === 'baseline') && i.status === 'ok',
  );
  for (const s of subjects) {
    for (const m of modes) {
      const against = report.impls.filter(
        (i) => i.id !== s.id && i.status === 'ok' && !(s.kind === 'baseline' && i.kind === 'ours'),
      );
      const rows = [['case', ...against.map((a) => (a.id === 'memcpy' ? '%copy' : a.label))]];
      for (const c of report.cases) {
        const row = [caseTitle(c)];
        for (const a of against) {
          const r = c.ratios.find((x) => x.impl === s.id && x.against === a.id && x.mode === m);
          if (a.id === 'memcpy') {
            row.push(r ? fmtPct(r.ratio.median) : '-');
            continue;
          }
          if (r) row.push(fmtRatio(r.ratio.median));
          else {
            const cell = c.cells.find((x) => x.impl === a.id && x.mode === m);
            const mine = c.cells.find((x) => x.impl === s.id && x.mode === m);
            row.push(
              mine && mine.status !== 'ok' ? mine.status : cell && cell.status !== 'ok' ? cell.status : '-',
            );
          }
        }
        rows.push(row);
      }
      out.push(
        `${s.label}, ${m}: speed ratio = other's time / ${s.label}'s time, per round, median (> 1: ${s.label} is faster); %copy = ${s.label}'s rate as % of the memory copy's`,
      );
      out.push(renderGrid(rows));
      out.push('');
    }
  }
  return out.join('\n');
}

/** Node and CPU from the CLI; the browser (user agent) from the page. */
function runtimeOf(env: BenchReport['environment']): string {
  if (env.node !== undefined) return `${env.cpu}, Node ${env.node}`;
  const ua = String(env.userAgent ?? 'unknown browser');
  return `${ua.match(/(HeadlessChrome|Chrome|Firefox|Safari)\/[\d.]+/)?.[0] ?? ua}, WebGPU ${env.webgpu}`;
}

export function renderTable(report: BenchReport): string {
  const modes = (report.config.modes as Mode[] | undefined) ?? ['e2e', 'kernel'];
  const parts: string[] = [];
  parts.push(
    `softmax-kit bench (${report.config.mode}), ${runtimeOf(report.environment)}, ${report.environment.cores} cores; ${report.durationS.toFixed(0)} s`,
  );
  parts.push(
    `reference: ${report.reference.source}${report.reference.note ? ` (${report.reference.note})` : ''}`,
  );
  parts.push('');
  parts.push('Implementations:');
  for (const i of report.impls) {
    parts.push(
      `  ${pad(i.id, 16)} ${i.status === 'ok' ? `${i.label}: ${i.detail ?? ''}` : `UNAVAILABLE: ${i.error ?? ''}`}`,
    );
  }
  parts.push('');
  parts.push(
    "ms = median per call; p10-p90 = spread over all rounds; GB/s = bytes counted / median; %copy = rate / memory copy's rate (same mode, per round). gate: ok = within the SEMANTICS.md tolerance vs the float64 reference, ok~ = within the bench gate (1e-4 relative) only; WRONG = not timed.",
  );
  parts.push('');
  for (const c of report.cases) {
    parts.push(renderCase(report, c, modes));
    parts.push('');
  }
  parts.push(renderRatios(report, modes));
  if (report.notes.length) parts.push(...report.notes.map((n) => `note: ${n}`));
  return parts.join('\n');
}
