/**
 * The whole conformance suite in headless Chromium on WebGPU (SwiftShader): the suite and the
 * backend are bundled with esbuild into one page, served locally, and the page's results are
 * read back. Skipped with a loud message when Chromium offers no WebGPU adapter.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, ensureChromium, freshUserDataDir } from '@softmax-kit/tooling/chromium';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserResults } from './browser/page.js';

let server: Server;
let browser: BrowserContext;
let dir = '';
let userDataDir = '';
let base = '';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'softmax-kit-webgpu-page-'));
  await build({
    entryPoints: [fileURLToPath(new URL('browser/page.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    outfile: join(dir, 'page.js'),
    logLevel: 'warning',
  });
  const html = '<!doctype html><meta charset="utf-8"><script type="module" src="page.js"></script>';
  const script = readFileSync(join(dir, 'page.js'));
  server = createServer((req, res) => {
    const isScript = req.url === '/page.js';
    res.writeHead(200, { 'content-type': isScript ? 'text/javascript' : 'text/html' });
    res.end(isScript ? script : html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  userDataDir = freshUserDataDir();
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: ensureChromium((line) => process.stderr.write(`${line}\n`)),
    args: chromiumArgs(),
    headless: true,
  });
});

afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => server?.close(resolve));
  for (const d of [dir, userDataDir]) if (d) rmSync(d, { recursive: true, force: true });
});

describe('conformance in headless Chromium (WebGPU on SwiftShader)', () => {
  it('passes every case the backend declares', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(base);
    const hasAdapter = await page.evaluate(async () => !!(await navigator.gpu?.requestAdapter()));
    if (!hasAdapter) {
      console.warn('\n!!! Chromium offers no WebGPU adapter here: THE BROWSER WEBGPU SUITE IS SKIPPED !!!\n');
      return;
    }
    await page.waitForFunction(
      () => window.conformance !== undefined || window.conformanceError !== undefined,
      undefined,
      { timeout: 600_000, polling: 500 },
    );
    const { results, error } = await page.evaluate(() => ({
      results: window.conformance,
      error: window.conformanceError,
    }));
    expect(error).toBeUndefined();
    expect(errors).toEqual([]);
    const r = results as BrowserResults;
    console.info(
      `browser conformance on ${r.adapter}: ${r.passed} passed, ${r.skipped} skipped\n${r.log.join('\n')}`,
    );
    expect(r.failed.slice(0, 10)).toEqual([]);
    expect(r.passed).toBeGreaterThan(500);
  }, 900_000);
});
