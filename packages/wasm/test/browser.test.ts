/**
 * The conformance suite in headless Chromium, on the package's browser build bundled by Vite
 * (so the .wasm and worker URLs are resolved as an application's bundler resolves them):
 * served cross-origin isolated (threads on shared memory) and not (one thread, said so).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumArgs, ensureChromium, freshUserDataDir } from '@softmax-kit/tooling/chromium';
import { type BrowserContext, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PageResult } from './browser/main.js';

const pageDir = fileURLToPath(new URL('./browser/', import.meta.url));
const out = join(pageDir, 'dist');
const TYPES: Record<string, string> = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
};

let browser: BrowserContext;
let userDataDir = '';
const servers: Server[] = [];

/** A static server for the built page, with or without the cross-origin isolation headers. */
async function serve(isolated: boolean): Promise<string> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(out, path === '/' ? 'index.html' : path));
    if (!file.startsWith(out) || !existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      ...(isolated
        ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' }
        : {}),
    });
    res.end(readFileSync(file));
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

beforeAll(async () => {
  await build({ configFile: join(pageDir, 'vite.config.ts'), logLevel: 'warn' });
  const exe = ensureChromium((line) => process.stderr.write(`${line}\n`));
  userDataDir = freshUserDataDir();
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: exe,
    args: chromiumArgs(),
    headless: true,
  });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  for (const server of servers) await new Promise((r) => server.close(r));
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

async function runPage(isolated: boolean): Promise<{ result: PageResult; console: string[] }> {
  const base = await serve(isolated);
  const page = await browser.newPage();
  const lines: string[] = [];
  page.on('console', (message) => lines.push(message.text()));
  page.on('pageerror', (error) => lines.push(`pageerror: ${error.message}`));
  await page.goto(`${base}?threads=2`);
  await page.waitForFunction(() => window.softmaxKitResult !== undefined, undefined, { timeout: 240_000 });
  const result = (await page.evaluate(() => window.softmaxKitResult)) as PageResult;
  await page.close();
  return { result, console: lines };
}

describe('headless Chromium', () => {
  it('cross-origin isolated: 2 worker threads, relaxed SIMD, the whole suite passes', async () => {
    const { result } = await runPage(true);
    expect(result.failures).toEqual([]);
    expect(result.isolated).toBe(true);
    expect(result.capabilities).toMatchObject({
      threads: 2,
      sharedMemory: true,
      sync: false,
      build: 'relaxed-simd',
    });
    expect(result.failed).toBe(0);
    expect(result.passed).toBeGreaterThan(1000);
    expectResidentSmoke(result);
  }, 300_000);

  it('not isolated: falls back to 1 thread, says so once, and the whole suite passes', async () => {
    const { result, console: lines } = await runPage(false);
    expect(result.failures).toEqual([]);
    expect(result.isolated).toBe(false);
    expect(result.capabilities).toMatchObject({ threads: 1, sharedMemory: false, sync: true });
    expect((result.capabilities as { threadsNote?: string }).threadsNote).toMatch(/cross-origin isolated/);
    expect(lines.filter((l) => l.includes('@softmax-kit/wasm: 2 threads were asked for'))).toHaveLength(1);
    expect(result.failed).toBe(0);
    expect(result.passed).toBeGreaterThan(1000);
    expectResidentSmoke(result);
  }, 300_000);
});

/** softmax -> softmaxBackward on resident arrays in the page: results resident, and right. */
function expectResidentSmoke(result: PageResult): void {
  expect(result.resident?.resident).toBe(true);
  // |error| bounds of float32 probabilities (at most 1) and of gradients of terms up to 8
  expect(result.resident?.softmaxError).toBeLessThan(4e-6);
  expect(result.resident?.backwardError).toBeLessThan(4e-6 * 8);
}
