/**
 * The browser page: the CLI's benchmark (the shared case driver, src/driver.ts) run in the
 * page: every softmax-kit backend built in the workspace that starts in this browser (js, wasm
 * with its thread sweep, webgpu), the plain JS baseline, the memory copy and the peers that run
 * in a browser (./peers.ts). All share the page (a browser has no processes to give each its
 * own); rounds are interleaved as in the CLI. Query parameters are the CLI's flags (./query.ts).
 * The report (window.benchReport) has the CLI's JSON shape and is rendered by the CLI's table
 * and HTML code.
 */
import { runCases } from '../src/driver.js';
import { create as createBaseline } from '../src/impls/baseline.js';
import { create as createMemcpy } from '../src/impls/memcpy.js';
import { localCandidate } from '../src/local-runner.js';
import { REPORT_CSS, renderReportBody } from '../src/report-html.js';
import type { BenchReport } from '../src/results.js';
import { renderTable } from '../src/table.js';
import { ourCandidates } from './ours.js';
import { pageProgress } from './page-progress.js';
import { browserPeers } from './peers.js';
import { configFromQuery } from './query.js';
import { probeWebGPU } from './webgpu.js';

interface BenchWindow {
  benchReport?: BenchReport;
  benchTable?: string;
}

const statusEl = document.getElementById('status')!;
const logEl = document.getElementById('log')!;
const reportEl = document.getElementById('report')!;

async function main(): Promise<void> {
  const cores = navigator.hardwareConcurrency || 1;
  const config = configFromQuery(location.search, cores);
  const webgpu = await probeWebGPU();
  const progress = pageProgress(statusEl, logEl);
  const report = await runCases(
    config,
    [
      ...ourCandidates(config.threads),
      localCandidate(createBaseline({})),
      localCandidate(createMemcpy({})),
      ...browserPeers(),
    ],
    {
      progress,
      environment: {
        runtime: 'browser',
        userAgent: navigator.userAgent,
        cores,
        crossOriginIsolated: String(crossOriginIsolated),
        webgpu: webgpu.description,
      },
      gpuError: config.gpu ? webgpu.error : 'skipped (no-gpu)',
      loadConcurrency: 1,
      notes: ['browser page: every implementation runs in this page (no separate processes)'],
      idle: () => new Promise((r) => setTimeout(r, 0)),
    },
  );
  const style = document.createElement('style');
  style.textContent = REPORT_CSS;
  document.head.append(style);
  reportEl.innerHTML = renderReportBody(report);
  const w = window as Window & BenchWindow;
  w.benchReport = report;
  w.benchTable = renderTable(report);
  statusEl.textContent = `done in ${report.durationS.toFixed(1)} s`;
  document.body.dataset.state = 'done';
}

main().catch((e) => {
  statusEl.textContent = `failed: ${(e as Error).stack ?? e}`;
  document.body.dataset.state = 'failed';
});
