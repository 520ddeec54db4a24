/**
 * Vitest global set-up: packs every publishable package once (with `pnpm pack`, which rewrites
 * `workspace:` ranges) and installs the tarballs with npm into one temporary project outside
 * the workspace, which every test file then uses.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { publishable } from '../workspace.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The temporary npm project holding the installed tarballs. */
    consumer: string;
    /** Package name to the path of its tarball. */
    tarballs: Record<string, string>;
  }
}

function pack(dir: string, name: string, destination: string): string {
  const out = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
  });
  const tarball = out
    .trim()
    .split('\n')
    .filter((l) => l.endsWith('.tgz'))
    .pop();
  if (tarball === undefined) throw new Error(`pnpm pack printed no tarball for ${name}:\n${out}`);
  return tarball;
}

export default function setup(project: TestProject): () => void {
  const work = mkdtempSync(join(tmpdir(), 'softmax-kit-packaging-'));
  const packs = join(work, 'tarballs');
  const consumer = join(work, 'consumer');
  mkdirSync(packs);
  mkdirSync(consumer);
  const tarballs: Record<string, string> = {};
  for (const { dir, manifest } of publishable) tarballs[manifest.name] = pack(dir, manifest.name, packs);
  writeFileSync(
    join(consumer, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  execFileSync(
    'npm',
    ['install', '--no-audit', '--no-fund', '--loglevel=error', ...Object.values(tarballs)],
    {
      cwd: consumer,
      stdio: 'inherit',
    },
  );
  project.provide('consumer', consumer);
  project.provide('tarballs', tarballs);
  return () => rmSync(work, { recursive: true, force: true });
}
