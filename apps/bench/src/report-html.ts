/** placeholder, replaced below */
import type { BenchReport } from './results.js';
import { renderTable } from './table.js';
export function renderHtml(report: BenchReport): string {
  return `<!doctype html><meta charset="utf-8"><pre>${renderTable(report).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</pre>`;
}
