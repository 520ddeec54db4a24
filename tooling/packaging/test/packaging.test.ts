import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const workspace = join(here, '..', '..', '..');
const work = mkdtempSync(join(tmpdir(), 'softmax-kit-packaging-'));
const project = join(work, 'consumer');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
  files?: string[];
  sideEffects?: boolean;
  engines?: { node?: string };
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

const publishable = readdirSync(join(workspace, 'packages'))
  .map((dir) => ({
    dir: join(workspace, 'packages', dir),
    manifest: readJson(join(workspace, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => manifest.private !== true);

function readJson(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

const tarballs = new Map<string, string>();

function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
}

function tarballManifest(tarball: string): Manifest {
  return JSON.parse(
    execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }),
  ) as Manifest;
}

beforeAll(() => {
  const packs = join(work, 'tarballs');
  mkdirSync(packs);
  for (const { dir, manifest } of publishable) {
    const out = execFileSync('pnpm', ['pack', '--pack-destination', packs], { cwd: dir, encoding: 'utf8' });
    const tarball = out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop();
    if (tarball === undefined) throw new Error(`pnpm pack printed no tarball for ${manifest.name}:\n${out}`);
    tarballs.set(manifest.name, tarball);
  }
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs.values()], {
    cwd: project,
    stdio: 'inherit',
  });
}, 300_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('every publishable package', () => {
  it('is found (core and js at least)', () => {
    expect(publishable.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@softmax-kit/core', '@softmax-kit/js']),
    );
  });

  for (const { manifest } of publishable) {
    describe(manifest.name, () => {
      it('ships a manifest fit for npm: ESM exports with types, files, sideEffects, engines', () => {
        const packed = tarballManifest(tarballs.get(manifest.name)!);
        expect(packed.exports?.['./package.json']).toBe('./package.json');
        expect(packed.exports?.['.']).toMatchObject({
          types: expect.any(String),
          default: expect.any(String),
        });
        expect(packed.sideEffects).toBe(false);
        expect(packed.engines?.node).toMatch(/>=\s*20/);
        expect(packed.files).toContain('dist');
        const ranges = { ...packed.dependencies, ...packed.peerDependencies };
        for (const range of Object.values(ranges)) expect(range).not.toMatch(/^workspace:/);
      });

      it('ships its README, built JS and declarations, no tests, and source maps whose sources it ships', () => {
        const tarball = tarballs.get(manifest.name)!;
        const files = tarballFiles(tarball);
        expect(files).toContain('package/README.md');
        expect(files).toContain('package/dist/index.js');
        expect(files).toContain('package/dist/index.d.ts');
        expect(files.filter((f) => /\.test\.|\/test\//.test(f))).toEqual([]);
        for (const map of files.filter((f) => f.endsWith('.map'))) {
          const { sources } = JSON.parse(
            execFileSync('tar', ['-xzOf', tarball, map], { encoding: 'utf8' }),
          ) as {
            sources: string[];
          };
          for (const source of sources) expect(files).toContain(posix.join(posix.dirname(map), source));
        }
      });
    });
  }
});

describe('the installed tarballs, outside the workspace', () => {
  it('resolve every export of core, including package.json, reference and conformance', () => {
    const script = `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const core = await import('@softmax-kit/core');
      const reference = await import('@softmax-kit/core/reference');
      const conformance = await import('@softmax-kit/core/conformance');
      console.log(JSON.stringify({
        version: require('@softmax-kit/core/package.json').version,
        core: typeof core.createSoftmax, reference: Object.keys(reference).length, conformance: typeof conformance.runConformance,
      }));`;
    const out = JSON.parse(
      execFileSync('node', ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' }),
    );
    expect(out).toMatchObject({ version: expect.any(String), core: 'function', conformance: 'function' });
    expect(out.reference).toBeGreaterThan(0);
  });

  it('type-check a TypeScript consumer against the shipped declarations', () => {
    writeFileSync(join(project, 'consumer.ts'), readFileSync(join(here, 'consumer.ts.txt'), 'utf8'));
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          target: 'ES2022',
          noEmit: true,
          types: [],
        },
        files: ['consumer.ts'],
      }),
    );
    const tsc = join(workspace, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => execFileSync('node', [tsc, '-p', project], { encoding: 'utf8' })).not.toThrow();
  });

  const backends = publishable.map((p) => p.manifest.name).filter((name) => name !== '@softmax-kit/core');
  for (const name of backends) {
    it(`runs a softmax through ${name}, matching a float64 value computed here`, () => {
      const short = name.split('/')[1];
      const script = `
        import { createSoftmax, tensor } from '@softmax-kit/core';
        import * as pkg from '${name}';
        const sm = await createSoftmax(pkg.${short}Backend());
        const y = await sm.softmax(tensor([3.0, 1.0, 0.2]));
        console.log(JSON.stringify({ backend: sm.backend, y: Array.from(y.data) }));
        await sm.dispose();`;
      const out = JSON.parse(
        execFileSync('node', ['--input-type=module', '-e', script], { cwd: project, encoding: 'utf8' }),
      );
      const e = [3.0, 1.0, 0.2].map((v) => Math.exp(v - 3));
      const sum = e.reduce((a, b) => a + b, 0);
      expect(out.backend).toBe(short);
      expect(out.y).toHaveLength(3);
      for (let i = 0; i < 3; i++) expect(Math.abs(out.y[i] - e[i] / sum)).toBeLessThan(1e-6);
    });
  }
});
