/**
 * The bench end to end on a tiny workload: every implementation in its own process, the gate,
 * interleaved rounds, --json and the HTML report.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import type { BenchReport } from '../src/results.js';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const tmp = mkdtempSync(join(tmpdir(), 'softmax-kit-bench-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench CLI', () => {
  it('prints --help', async () => {
    const { stdout } = await promisify(execFile)('node', [join(root, 'dist', 'cli.js'), '--help']);
    expect(stdout).toContain('--full');
    expect(stdout).toContain('Bytes counted');
  });

  it('runs every implementation, gates and times them, and writes JSON and HTML', async () => {
    const html = join(tmp, 'report.html');
    const { stdout, stderr } = await promisify(execFile)(
      'node',
      [
        join(root, 'dist', 'cli.js'),
        '--sizes',
        '8x100',
        '--repeats',
        '2',
        '--round-ms',
        '3',
        '--warmup-ms',
        '3',
        '--threads',
        '1',
        '--json',
        '--html',
        html,
      ],
      { maxBuffer: 64 << 20, timeout: 240_000 },
    );
    const report = JSON.parse(stdout) as BenchReport;
    expect(stderr).toContain('HTML report:');
    expect(stderr).toContain('softmax 8x100');
    expect(existsSync(html)).toBe(true);
    expect(readFileSync(html, 'utf8')).toContain('<svg');

    const byId = new Map(report.impls.map((i) => [i.id, i]));
    for (const id of [
      'ours:js',
      'baseline',
      'memcpy',
      'tfjs-cpu',
      'tfjs-wasm',
      'ort-node:1t',
      'ort-web-wasm',
    ]) {
      expect(byId.get(id)?.status, `${id}: ${byId.get(id)?.error}`).toBe('ok');
    }
    // never silently dropped: everything else is listed with its reason
    for (const id of [
      'ours:wasm:1t',
      'ours:native:1t',
      'ours:webgpu',
      'tfjs-node',
      'tfjs-webgpu',
      'ort-web-webgpu',
    ]) {
      const i = byId.get(id)!;
      expect(i, id).toBeDefined();
      if (i.status !== 'ok') expect(i.error, id).toBeTruthy();
    }
    expect(report.reference.source).toBe('core');
    expect(report.cases).toHaveLength(5);
    for (const c of report.cases) {
      for (const id of ['ours:js', 'baseline', 'ort-node:1t']) {
        for (const mode of ['e2e', 'kernel'] as const) {
          const cell = c.cells.find((x) => x.impl === id && x.mode === mode)!;
          expect(cell.status, `${id} ${c.op} ${mode}: ${cell.note}`).toBe('ok');
          expect(cell.rounds).toHaveLength(2);
          expect(cell.gbps).toBeGreaterThan(0);
        }
      }
      // onnxruntime-web ignores preallocated outputs: its kernel mode reads the outputs ORT makes
      const ortWebKernel = c.cells.find((x) => x.impl === 'ort-web-wasm' && x.mode === 'kernel')!;
      expect(ortWebKernel.status, `ort-web-wasm ${c.op} kernel: ${ortWebKernel.note}`).toBe('ok');
      expect(ortWebKernel.rounds).toHaveLength(2);
      expect(
        c.ratios.find((r) => r.impl === 'ours:js' && r.against === 'tfjs-cpu' && r.mode === 'e2e'),
      ).toBeDefined();
    }
  });
});
