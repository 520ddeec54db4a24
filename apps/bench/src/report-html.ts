/**
 * The self-contained HTML report: inline CSS and inline SVG charts generated here, no executable script (the data rides along as JSON),
 * no network, opens from disk. Also used by the browser page (renderReportBody).
 * Browser-safe.
 */
import { fmtBytes, fmtInt, fmtMs, fmtPct, fmtRate, fmtRatio } from './format.js';
import type { Mode } from './impls/types.js';
import type { BenchReport, CaseReport, Cell } from './results.js';
import { caseTitle, labelOf, renderTable } from './table.js';
import { OP_IDS, OPS } from './workloads.js';

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const KIND_COLOR: Record<string, string> = {
  ours: '#1f77b4',
  baseline: '#7f7f7f',
  peer: '#ff7f0e',
  limit: '#2ca02c',
};
const MODE_OPACITY: Record<Mode, number> = { e2e: 0.55, kernel: 1 };

function kindOf(report: Pick<BenchReport, 'impls'>, id: string): string {
  return report.impls.find((i) => i.id === id)?.kind ?? 'peer';
}

/** Horizontal bars of GB/s per implementation and mode, on a log scale when the range is wide. */
export function caseChart(report: Pick<BenchReport, 'impls'>, c: CaseReport, modes: readonly Mode[]): string {
  const ids = [...new Set(c.cells.map((x) => x.impl))];
  const rows: { id: string; mode: Mode; cell: Cell | undefined }[] = [];
  for (const id of ids)
    for (const m of modes)
      rows.push({ id, mode: m, cell: c.cells.find((x) => x.impl === id && x.mode === m) });
  const rates = rows
    .map((r) => r.cell?.gbps)
    .filter((v): v is number => v !== undefined && Number.isFinite(v) && v > 0);
  const max = rates.length ? Math.max(...rates) : 1;
  const min = rates.length ? Math.min(...rates) : 1;
  const log = max / min > 50;
  const lo = log ? 10 ** Math.floor(Math.log10(min)) : 0;
  const hi = log ? 10 ** Math.ceil(Math.log10(max)) : max * 1.1;
  const labelW = 210;
  const barW = 430;
  const rowH = 16;
  const top = 20;
  const h = top + rows.length * rowH + 24;
  const x = (v: number) => (log ? (Math.log10(v / lo) / Math.log10(hi / lo)) * barW : (v / hi) * barW);
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${labelW + barW + 150}" height="${h}" role="img" aria-label="GB/s for ${esc(caseTitle(c))}" font-family="sans-serif" font-size="11">`,
  );
  parts.push(
    `<text x="0" y="12" font-weight="bold">${esc(caseTitle(c))}: GB/s (${log ? 'log scale' : 'linear'}; pale = e2e, solid = kernel)</text>`,
  );
  // grid
  const ticks = log
    ? Array.from({ length: Math.round(Math.log10(hi / lo)) + 1 }, (_, i) => lo * 10 ** i)
    : [0, 0.25, 0.5, 0.75, 1].map((f) => f * hi);
  for (const t of ticks) {
    const tx = labelW + x(t);
    parts.push(`<line x1="${tx}" y1="${top}" x2="${tx}" y2="${h - 20}" stroke="#ddd"/>`);
    parts.push(`<text x="${tx}" y="${h - 6}" text-anchor="middle" fill="#666">${fmtRate(t)}</text>`);
  }
  rows.forEach((r, i) => {
    const y = top + i * rowH;
    const label = `${labelOf(report, r.id)} ${r.mode}`;
    parts.push(`<text x="${labelW - 6}" y="${y + 11}" text-anchor="end">${esc(label)}</text>`);
    const cell = r.cell;
    if (cell?.status === 'ok' && cell.gbps && cell.gbps > 0) {
      const w = Math.max(1, x(Math.max(cell.gbps, lo || cell.gbps)));
      const color = KIND_COLOR[kindOf(report, r.id)] ?? '#999';
      parts.push(
        `<rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 4}" fill="${color}" fill-opacity="${MODE_OPACITY[r.mode]}"><title>${esc(label)}: ${fmtRate(cell.gbps)} GB/s, ${fmtMs(cell.summary?.median)} ms</title></rect>`,
      );
      parts.push(
        `<text x="${labelW + w + 4}" y="${y + 11}">${fmtRate(cell.gbps)} GB/s · ${fmtMs(cell.summary?.median)} ms</text>`,
      );
    } else {
      const st = cell ? cell.status.toUpperCase() : '-';
      parts.push(
        `<text x="${labelW + 4}" y="${y + 11}" fill="#c00">${esc(st)}${cell?.note ? `: ${esc(cell.note.slice(0, 90))}` : ''}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('');
}

/** A heat map of the per-round speed ratios of one of ours against every other implementation. */
export function ratioMatrix(report: BenchReport, subject: string, mode: Mode): string {
  const against = report.impls.filter((i) => i.id !== subject && i.status === 'ok' && i.id !== 'memcpy');
  const head = `<tr><th>case</th><th>% of copy</th>${against.map((a) => `<th>${esc(a.label)}</th>`).join('')}</tr>`;
  const body = report.cases
    .map((c) => {
      const copy = c.ratios.find((r) => r.impl === subject && r.against === 'memcpy' && r.mode === mode);
      const cells = against.map((a) => {
        const r = c.ratios.find((x) => x.impl === subject && x.against === a.id && x.mode === mode);
        if (!r) {
          const other = c.cells.find((x) => x.impl === a.id && x.mode === mode);
          const mine = c.cells.find((x) => x.impl === subject && x.mode === mode);
          const st =
            mine && mine.status !== 'ok' ? mine.status : other && other.status !== 'ok' ? other.status : '-';
          return `<td class="na">${esc(st)}</td>`;
        }
        const v = r.ratio.median;
        const t = Math.max(-1, Math.min(1, Math.log10(v) / 2));
        const bg =
          t >= 0
            ? `rgba(44,160,44,${(0.15 + 0.6 * t).toFixed(2)})`
            : `rgba(214,39,40,${(0.15 + 0.6 * -t).toFixed(2)})`;
        return `<td style="background:${bg}" title="rounds ${r.ratio.rounds}, min ${fmtRatio(r.ratio.min)}, max ${fmtRatio(r.ratio.max)}">${fmtRatio(v)}</td>`;
      });
      return `<tr><td>${esc(caseTitle(c))}</td><td>${copy ? fmtPct(copy.ratio.median) : '-'}</td>${cells.join('')}</tr>`;
    })
    .join('');
  return `<table class="ratios">${head}${body}</table>`;
}

function caseTable(report: BenchReport, c: CaseReport, modes: readonly Mode[]): string {
  const ids = [...new Set(c.cells.map((x) => x.impl))];
  const head = `<tr><th>implementation</th>${modes.map((m) => `<th>${m} ms</th><th>p10–p90</th><th>GB/s</th><th>% copy</th>`).join('')}<th>gate</th></tr>`;
  const rows = ids.map((id) => {
    const tds: string[] = [];
    const gates: string[] = [];
    for (const m of modes) {
      const cell = c.cells.find((x) => x.impl === id && x.mode === m);
      if (cell?.status === 'ok' && cell.summary) {
        const s = cell.summary;
        tds.push(
          `<td>${fmtMs(s.median)}</td><td>${fmtMs(s.p10)}–${fmtMs(s.p90)}${s.bimodal ? ' <em>bimodal</em>' : ''}</td><td>${fmtRate(cell.gbps)}</td><td>${id === 'memcpy' ? '100%' : fmtPct(cell.ofCopy)}</td>`,
        );
      } else {
        tds.push(
          `<td class="bad" colspan="4" title="${esc(cell?.note ?? '')}">${esc(cell?.status.toUpperCase() ?? '-')}</td>`,
        );
      }
      if (cell?.gate) gates.push(cell.gate.pass ? (cell.gate.strict ? 'ok' : 'ok~') : 'WRONG');
      else if (cell && cell.status !== 'ok') gates.push(cell.status.toUpperCase());
    }
    const gate = id === 'memcpy' ? 'not a softmax' : [...new Set(gates)].join(' / ');
    return `<tr class="k-${kindOf(report, id)}"><td>${esc(labelOf(report, id))}</td>${tds.join('')}<td>${esc(gate)}</td></tr>`;
  });
  const notes = c.cells
    .filter((x) => x.status !== 'ok' && x.note)
    .map((x) => `<li>${esc(labelOf(report, x.impl))} ${x.mode}: ${esc(x.status)}: ${esc(x.note ?? '')}</li>`);
  return `<table class="case" data-case="${esc(`${c.op}@${c.workload.id}`)}">${head}${rows.join('')}</table>${notes.length ? `<ul class="notes">${notes.join('')}</ul>` : ''}`;
}

export const REPORT_CSS = `
body{font-family:system-ui,sans-serif;margin:24px;color:#222;max-width:1400px}
h1{font-size:22px}h2{font-size:18px;margin-top:32px;border-bottom:1px solid #ccc}h3{font-size:15px;margin-bottom:4px}
table{border-collapse:collapse;margin:6px 0;font-size:12px}
td,th{border:1px solid #ddd;padding:2px 6px;text-align:right;white-space:nowrap}
td:first-child,th:first-child{text-align:left}
th{background:#f4f4f4}
td.bad{color:#b00;text-align:center}td.na{color:#999;text-align:center}
tr.k-ours td:first-child{font-weight:bold;color:#1f77b4}
tr.k-limit td:first-child{color:#2ca02c}
.notes{font-size:12px;color:#a00}
.muted{color:#666;font-size:12px}
pre{font-size:11px;background:#f8f8f8;padding:8px;overflow:auto}
.ok{color:#070}.unavail{color:#b00}
`;

/** Everything inside <body>, shared with the browser page. */
export function renderReportBody(report: BenchReport): string {
  const modes = (report.config.modes as Mode[] | undefined) ?? ['e2e', 'kernel'];
  const parts: string[] = [];
  parts.push(`<h1>softmax-kit bench (${esc(String(report.config.mode ?? ''))})</h1>`);
  const env = Object.entries(report.environment)
    .map(([k, v]) => `${esc(k)}: ${esc(String(v))}`)
    .join(' · ');
  parts.push(
    `<p class="muted">${esc(report.startedAt)} · ${report.durationS.toFixed(0)} s · ${env} · reference: ${esc(report.reference.source)}${report.reference.note ? ` (${esc(report.reference.note)})` : ''}</p>`,
  );
  parts.push(
    '<h2>Implementations</h2><table><tr><th>id</th><th>kind</th><th>status</th><th>detail / error</th></tr>',
  );
  for (const i of report.impls) {
    parts.push(
      `<tr><td>${esc(i.id)}</td><td>${esc(i.kind)}</td><td class="${i.status === 'ok' ? 'ok' : 'unavail'}">${esc(i.status)}</td><td style="text-align:left;white-space:normal">${esc(i.status === 'ok' ? `${i.label}: ${i.detail ?? ''}` : (i.error ?? ''))}</td></tr>`,
    );
  }
  parts.push('</table>');
  const subjects = report.impls.filter((i) => i.kind === 'ours' && i.status === 'ok');
  const baseline = report.impls.find((i) => i.kind === 'baseline' && i.status === 'ok');
  for (const s of [...subjects, ...(baseline ? [baseline] : [])]) {
    for (const m of modes) {
      parts.push(
        `<h2>${esc(s.label)} vs the others, ${m}</h2><p class="muted">other's time / ${esc(s.label)}'s time, per interleaved round, median; &gt; 1 (green): ${esc(s.label)} is faster. Hover for min/max over rounds.</p>`,
      );
      parts.push(ratioMatrix(report, s.id, m));
    }
  }
  parts.push('<h2>Cases</h2>');
  parts.push(
    `<p class="muted">GB/s = bytes counted / median time. Bytes counted: ${OP_IDS.map((o) => `${esc(OPS[o].label)}: ${esc(OPS[o].bytesDoc)}`).join('; ')}. e2e = end to end as a user pays it (input to output in JS memory, fresh output); kernel = inputs already resident (GPU buffers, backend tensors, preallocated outputs). % copy = rate / the memory copy's rate in the same mode and round.</p>`,
  );
  for (const c of report.cases) {
    parts.push(
      `<h3>${esc(caseTitle(c))}</h3><p class="muted">${fmtInt(c.elements)} elements, ${fmtBytes(c.bytes)} counted</p>`,
    );
    parts.push(caseChart(report, c, modes));
    parts.push(caseTable(report, c, modes));
  }
  parts.push(
    '<h2>What each mode means, per implementation</h2><table><tr><th>implementation</th><th>e2e</th><th>kernel</th></tr>',
  );
  for (const i of report.impls.filter((x) => x.status === 'ok')) {
    parts.push(
      `<tr><td>${esc(i.label)}</td><td style="text-align:left;white-space:normal">${esc(i.modes?.e2e ?? '-')}</td><td style="text-align:left;white-space:normal">${esc(i.modes?.kernel ?? '-')}</td></tr>`,
    );
  }
  parts.push('</table>');
  if (report.notes.length)
    parts.push(`<h2>Notes</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul>`);
  parts.push(
    `<h2>Text table</h2><details><summary>show</summary><pre>${esc(renderTable(report))}</pre></details>`,
  );
  return parts.join('\n');
}

export function renderHtml(report: BenchReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>softmax-kit bench ${esc(report.startedAt)}</title>
<style>${REPORT_CSS}</style></head>
<body>
${renderReportBody(report)}
<script type="application/json" id="bench-data">${JSON.stringify(report).replace(/</g, '\\u003c')}</script>
</body></html>
`;
}
