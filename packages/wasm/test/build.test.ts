/**
 * The build: the .wasm files come out byte for byte the same from the sources, the loader's
 * constants match the build's, and the relaxed-SIMD build is the one chosen where the engine has it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import * as layout from '../dist/layout.js';
import * as buildLayout from '../scripts/wasm-layout.mjs';

const pkg = fileURLToPath(new URL('..', import.meta.url));

it('the loader and the build agree on the memory layout', () => {
  expect(layout.INITIAL_MEMORY_BYTES).toBe(buildLayout.INITIAL_MEMORY_BYTES);
  expect(layout.STACK_BYTES).toBe(buildLayout.STACK_BYTES);
  expect(layout.WASM32_MAX_BYTES).toBe(buildLayout.WASM32_MAX_BYTES);
  expect(buildLayout.BUILDS.map((b: { file: string }) => b.file)).toEqual([
    'softmax-simd.wasm',
    'softmax-relaxed.wasm',
    'softmax-simd-shared.wasm',
    'softmax-relaxed-shared.wasm',
  ]);
});

it('rebuilding gives the same bytes', () => {
  const out = mkdtempSync(join(tmpdir(), 'softmax-kit-wasm-'));
  try {
    const result = spawnSync(
      process.execPath,
      ['scripts/build-wasm.mjs', '--only', 'softmax-simd.wasm', '--out', out],
      {
        cwd: pkg,
        encoding: 'utf8',
        timeout: 120_000,
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const rebuilt = readFileSync(join(out, 'softmax-simd.wasm'));
    const shipped = readFileSync(join(pkg, 'dist', 'softmax-simd.wasm'));
    expect(
      rebuilt.equals(shipped),
      'the rebuild differs from dist/ (a stale dist/, or a build that is not deterministic)',
    ).toBe(true);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}, 180_000);

it('chooses the relaxed-SIMD build where the engine validates it (Node 20: behind a flag)', () => {
  const script = `
    import { createSoftmax, tensor } from '@softmax-kit/core';
    import { wasmBackend } from ${JSON.stringify(join(pkg, 'dist', 'index.js'))};
    const sm = await createSoftmax(wasmBackend({ threads: 1 }));
    const y = sm.sync.softmax(tensor([[0, Math.log(3)]]));
    console.log(sm.capabilities.build, y.data[0].toFixed(6), y.data[1].toFixed(6));
  `;
  const run = (flags: string[]) =>
    spawnSync(process.execPath, [...flags, '--input-type=module', '-e', script], {
      cwd: pkg,
      encoding: 'utf8',
      timeout: 30_000,
    });
  const relaxed = run(['--experimental-wasm-relaxed-simd']);
  expect(relaxed.stderr).toBe('');
  expect(relaxed.stdout.trim()).toBe('relaxed-simd 0.250000 0.750000');
  const major = Number(process.versions.node.split('.')[0]);
  const plain = run([]);
  expect(plain.stdout.trim()).toBe(`${major >= 22 ? 'relaxed-simd' : 'simd128'} 0.250000 0.750000`);
});
