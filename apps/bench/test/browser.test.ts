/**
 * Opens the browser page (built by `vite build` into dist/web), served cross-origin isolated, in
 * headless Debian Chromium (WebGPU on SwiftShader), waits for its run to finish, checks the
 * report and the table, and saves a screenshot to apps/bench/reports/browser.png.
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

/** Every implementation the page tries: none may be missing from its report. */
const PAGE_IMPLS = [
  'ours:js',
  'ours:wasm:1t',
  'ours:wasm:2t',
  'ours:native:1t',
  'ours:native:2t',
  'ours:webgpu',
  'baseline',
  'memcpy',
  'tfjs-wasm',
  'ort-web-wasm',
  'tfjs-webgpu',
  'ort-web-webgpu',
];
/** Must load wherever Chromium runs; the WebGPU ones too where it has an adapter. */
const MUST_LOAD = [
  'ours:js',
  'ours:wasm:1t',
  'ours:wasm:2t',
  'baseline',
  'memcpy',
  'tfjs-wasm',
  'ort-web-wasm',
];
const MUST_LOAD_ON_GPU = ['ours:webgpu', 'tfjs-webgpu', 'ort-web-webgpu'];
/** Ours and the baseline must pass the gate everywhere; the peers' failures are shown, as in the CLI. */
const MUST_PASS = ['ours:js', 'ours:wasm:1t', 'ours:wasm:2t', 'ours:webgpu', 'baseline'];

describe('browser page', () => {
  it('runs the CLI benchmark in Chromium: every implementation, the gate, per-round ratios, table and charts', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // tiny sizes and few rounds: this checks the page works, it takes no figures
    await page.goto(`${base}?sizes=128x500,1x10&threads=1,2&repeats=3&round-ms=10&warmup-ms=10`);
    await page.waitForSelector('body[data-state="done"], body[data-state="failed"]', { timeout: 240_000 });
    const state = await page.getAttribute('body', 'data-state');
    const status = await page.textContent('#status');
    expect(state, status ?? '').toBe('done');
    expect(errors).toEqual([]);

    const isolated = await page.evaluate(() => crossOriginIsolated);
    expect(isolated).toBe(true);
    const report = (await page.evaluate(() =>
      'benchReport' in window ? window.benchReport : undefined,
    )) as BenchReport;
    // the CLI's report shape
    expect(report.tool).toBe('@softmax-kit/bench');
    expect(report.config).toMatchObject({
      sizes: ['128x500', '1x10'],
      repeats: 3,
      threads: [1, 2],
      mode: 'quick',
    });
    expect(report.environment.runtime).toBe('browser');
    expect(report.reference.source).toBe('core');

    // every implementation listed; one that did not load says why
    expect(report.impls.map((i) => i.id)).toEqual(PAGE_IMPLS);
    const gpu = String(report.environment.webgpu).startsWith('adapter:');
    const byId = new Map(report.impls.map((i) => [i.id, i]));
    for (const id of [...MUST_LOAD, ...(gpu ? MUST_LOAD_ON_GPU : [])])
      expect(`${id} ${byId.get(id)?.status} ${byId.get(id)?.error ?? ''}`.trim()).toBe(`${id} ok`);
    for (const i of report.impls) if (i.status !== 'ok') expect(i.error, i.id).toBeTruthy();
    expect(byId.get('ours:native:1t')?.error).toContain('no browser build');
    // the threaded wasm row really runs two threads (the page is cross-origin isolated)
    if (isolated) expect(byId.get('ours:wasm:2t')?.detail).toContain('threads 2');

    expect(report.cases).toHaveLength(10);
    const loaded = report.impls.filter((i) => i.status === 'ok').map((i) => i.id);
    for (const c of report.cases) {
      for (const id of loaded) {
        for (const mode of ['e2e', 'kernel'] as const) {
          const cell = c.cells.find((x) => x.impl === id && x.mode === mode);
          const where = `${id} ${c.op} ${c.workload.id} ${mode}: ${cell?.status} ${cell?.note ?? ''}`;
          expect(cell, where).toBeDefined();
          if (id !== 'memcpy') expect(cell!.gate, where).toBeDefined();
          if (MUST_PASS.includes(id)) expect(cell!.status, where).toBe('ok');
          if (cell!.status === 'ok') {
            if (id !== 'memcpy') expect(cell!.gate!.pass, where).toBe(true);
            expect(cell!.rounds, where).toHaveLength(3);
            expect(cell!.summary!.median, where).toBeGreaterThan(0);
          } else expect(cell!.note, where).toBeTruthy();
        }
      }
      // per-round ratios of ours against the peers that ran
      for (const [impl, against] of [
        ['ours:js', 'baseline'],
        ['ours:wasm:1t', 'tfjs-wasm'],
        ['ours:wasm:2t', 'tfjs-wasm'],
        ['ours:wasm:1t', 'ort-web-wasm'],
      ])
        expect(
          c.ratios.find((r) => r.impl === impl && r.against === against && r.mode === 'e2e')?.ratio.median,
          `${impl} vs ${against}, ${c.op} ${c.workload.id}`,
        ).toBeGreaterThan(0);
    }

    // the rendered table (the CLI's text table too) and charts
    const table = await page.evaluate(() =>
      'benchTable' in window && typeof window.benchTable === 'string' ? window.benchTable : undefined,
    );
    for (const label of [
      'wasm (softmax-kit) 2t',
      'tfjs-backend-wasm',
      'onnxruntime-web wasm',
      'tfjs-backend-webgpu',
    ])
      expect(table).toContain(label);
    expect(await page.locator('table.case').count()).toBe(10);
    expect(await page.locator('table.case').first().textContent()).toContain('wasm (softmax-kit) 2t');
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
