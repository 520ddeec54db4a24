/**
 * @softmax-kit/native as users of sharp expect: the tarball carries the prebuilt linux-x64
 * binary and the sources to build elsewhere, needs no install script, runs where installed, and
 * with its binary removed falls through to the next backend with an error that lists solutions.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { nodeJson } from './node.js';

const consumer = inject('consumer');
const tarball = inject('tarballs')['@softmax-kit/native'];
const installed = join(consumer, 'node_modules', '@softmax-kit', 'native');
const linuxX64 = process.platform === 'linux' && process.arch === 'x64';

function tarballFiles(): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
}

const script = `
  import { createSoftmax, tensor } from '@softmax-kit/core';
  import { jsBackend } from '@softmax-kit/js';
  import { nativeBackend } from '@softmax-kit/native';
  let startError = null;
  try { const b = await nativeBackend({ threads: 2 }).start(); await b.dispose(); } catch (e) { startError = e.message; }
  const sm = await createSoftmax([nativeBackend({ threads: 2 }), jsBackend()]);
  const x = tensor([3.0, 1.0, 0.2]);
  const y = Array.from(sm.sync.softmax(x).data);
  const big = tensor(new Float32Array(1 << 20).fill(1), { shape: [1, 1 << 20] });
  const z = await sm.softmax(big);
  console.log(JSON.stringify({ backend: sm.backend, threads: sm.capabilities.threads ?? null, y, z0: z.data[0], startError }));
  await sm.dispose();`;

interface Run {
  backend: string;
  threads: number | null;
  y: number[];
  z0: number;
  startError: string | null;
}

function expectSoftmax(run: Run): void {
  const e = [3.0, 1.0, 0.2].map((v) => Math.exp(v - 3));
  const sum = e.reduce((a, b) => a + b, 0);
  run.y.forEach((v, k) => {
    expect(Math.abs(v - e[k] / sum)).toBeLessThan(1e-6);
  });
  expect(Math.abs(run.z0 - 2 ** -20)).toBeLessThan(1e-12);
}

const work = mkdtempSync(join(tmpdir(), 'softmax-kit-native-packaging-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('@softmax-kit/native tarball', () => {
  it('ships the prebuilt binary, the kernel and addon sources and the build script, and no install script', () => {
    const files = tarballFiles();
    if (linuxX64) expect(files).toContain('package/prebuilds/linux-x64/softmax-kit-native.node');
    for (const file of [
      'package/addon/binding.gyp',
      'package/addon/addon.cc',
      'package/addon/ops/softmax.cc',
      'package/kernels/include/softmax-kit-kernels.h',
      'package/kernels/softmax.cc',
      'package/kernels/vec-avx512.h',
      'package/scripts/build-addon.mjs',
    ]) {
      expect(files).toContain(file);
    }
    // binding.gyp at the root would make npm run `node-gyp rebuild` on install.
    expect(files).not.toContain('package/binding.gyp');
    expect(files.filter((f) => f.includes('/addon/build/'))).toEqual([]);
    const manifest = JSON.parse(
      execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
    );
    for (const hook of ['preinstall', 'install', 'postinstall'])
      expect(manifest.scripts?.[hook]).toBeUndefined();
  });

  it.runIf(linuxX64)('runs natively where installed: sync and async ops, threads reported', () => {
    const run = nodeJson(consumer, script) as Run;
    expect(run.startError).toBeNull();
    expect(run.backend).toBe('native');
    expect(run.threads).toBe(2);
    expectSoftmax(run);
  });

  it('with its binary removed, start() rejects with the solutions and createSoftmax falls through to js', () => {
    // A second project: the same installed packages, the native one copied without prebuilds/.
    const project = join(work, 'no-binary');
    const scope = join(project, 'node_modules', '@softmax-kit');
    mkdirSync(scope, { recursive: true });
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'no-binary', private: true, type: 'module' }),
    );
    for (const name of ['core', 'js'])
      symlinkSync(join(consumer, 'node_modules', '@softmax-kit', name), join(scope, name), 'dir');
    cpSync(installed, join(scope, 'native'), { recursive: true, dereference: true });
    rmSync(join(scope, 'native', 'prebuilds'), { recursive: true, force: true });
    expect(existsSync(join(scope, 'native', 'addon', 'build'))).toBe(false);
    const run = nodeJson(project, script) as Run;
    expect(run.backend).toBe('js');
    expectSoftmax(run);
    expect(run.startError).toContain('has no binary that loads');
    expect(run.startError).toContain('prebuilds');
    expect(run.startError).toContain('Possible solutions');
    expect(run.startError).toContain('createSoftmax([nativeBackend(), wasmBackend(), jsBackend()])');
    expect(run.startError).toContain('node scripts/build-addon.mjs');
  });
});
