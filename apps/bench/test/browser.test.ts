/**
 * Opens the browser page (built by `vite build` into dist/web) in headless Debian Chromium,
 * waits for its run to finish, checks the table, and saves a screenshot to
 * apps/bench/reports/browser.png.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, ensureChromium, freshUserDataDir } from '@softmax-kit/tooling/chromium';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/results.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const web = join(root, 'dist', 'web');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
};

let server: Server;
let browser: BrowserContext;
let base = '';
let userDataDir = '';

beforeAll(async () => {
  if (!existsSync(join(web, 'index.html'))) {
    execFileSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
      cwd: root,
      stdio: 'inherit',
    });
  }
  const exe = ensureChromium((s) => process.stderr.write(`${s}\n`));
  server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(web, path === '/' ? 'index.html' : path));
    if (!file.startsWith(web) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      // cross-origin isolated, as the Vite config serves it: fine timers, SharedArrayBuffer
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    res.end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  userDataDir = freshUserDataDir();
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: exe,
    args: chromiumArgs(),
    headless: true,
    viewport: { width: 1300, height: 900 },
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((r) => server?.close(r));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

describe('browser page', () => {
  it('runs the js backend, the baseline and the memory copy in Chromium and shows the table and charts', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(
      `${base}?sizes=256x1000,1x10&ops=softmax,logSoftmax,maskedSoftmax,softmaxBackward,crossEntropy&repeats=3&roundMs=10&warmupMs=10`,
    );
    await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 240_000 });
    const state = await page.getAttribute('body', 'data-state');
    const status = await page.textContent('#status');
    expect(state, status ?? '').toBe('done');
    expect(errors).toEqual([]);

    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    const report = (await page.evaluate(
      () => (window as unknown as { benchReport: unknown }).benchReport,
    )) as BenchReport;
    const js = report.impls.find((i) => i.id === 'ours:js')!;
    expect(js.status, js.error).toBe('ok');
    // every backend candidate is reported, loaded or not (wasm/webgpu: with the reason)
    for (const name of ['js', 'wasm', 'native', 'webgpu'])
      expect(report.impls.some((i) => i.id === `ours:${name}` || i.id.startsWith(`ours:${name}:`))).toBe(
        true,
      );
    // wasm: one row per thread count, loaded through its browser entry (threads: the page is isolated)
    const wasm = report.impls.filter((i) => i.id.startsWith('ours:wasm:'));
    expect(wasm.map((i) => `${i.id} ${i.status} ${i.error ?? ''}`.trim())).toEqual(
      wasm.map((i) => `${i.id} ok`),
    );
    // the browser peers, their .wasm bundled with the page
    for (const id of ['tfjs-wasm', 'ort-web-wasm']) {
      const peer = report.impls.find((i) => i.id === id);
      expect(`${id} ${peer?.status} ${peer?.error ?? ''}`.trim()).toBe(`${id} ok`);
    }
    for (const i of report.impls) if (i.status !== 'ok') expect(i.error).toBeTruthy();
    expect(report.reference.source).toBe('core');
    expect(report.cases).toHaveLength(10);
    for (const c of report.cases) {
      for (const id of ['ours:js', 'baseline']) {
        for (const mode of ['e2e', 'kernel'] as const) {
          const cell = c.cells.find((x) => x.impl === id && x.mode === mode)!;
          expect(cell.status, `${id} ${c.op} ${c.workload.id} ${mode}: ${cell.note}`).toBe('ok');
          expect(cell.gate?.pass).toBe(true);
          expect(
            cell.summary!.median,
            `${id} ${c.op} ${c.workload.id} ${mode}: ${JSON.stringify(cell.rounds)}`,
          ).toBeGreaterThan(0);
        }
      }
      expect(c.ratios.some((r) => r.impl === 'ours:js' && r.against === 'baseline')).toBe(true);
    }

    // the rendered table and charts
    const rows = await page.locator('table.case tr').count();
    expect(rows).toBeGreaterThanOrEqual(10 * 4);
    expect(await page.locator('table.case').first().textContent()).toContain('js (softmax-kit)');
    expect(await page.locator('svg').count()).toBeGreaterThanOrEqual(10);
    expect(await page.locator('table.ratios').count()).toBeGreaterThanOrEqual(2);

    mkdirSync(join(root, 'reports'), { recursive: true });
    const shot = join(root, 'reports', 'browser.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(existsSync(shot)).toBe(true);
    process.stderr.write(`browser page screenshot: ${shot}; WebGPU: ${report.environment.webgpu}\n`);
    await page.close();
  });
});
