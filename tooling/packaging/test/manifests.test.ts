/** What each tarball ships and what its manifest tells npm. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { type Manifest, publishable, workspace } from './workspace.js';

const tarballs = inject('tarballs');

function tarballFiles(tarball: string): string[] {
  return execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
}

function tarballText(tarball: string, file: string): string {
  return execFileSync('tar', ['-xzOf', tarball, file], { encoding: 'utf8' });
}

const tarballManifest = (tarball: string) =>
  JSON.parse(tarballText(tarball, 'package/package.json')) as Manifest;

describe('every publishable package', () => {
  it('is found (core and js at least)', () => {
    expect(publishable.map((p) => p.manifest.name)).toEqual(
      expect.arrayContaining(['@softmax-kit/core', '@softmax-kit/js']),
    );
  });

  for (const { manifest, folder } of publishable) {
    describe(manifest.name, () => {
      const tarball = () => tarballs[manifest.name];

      it('ships a manifest fit for npm: ESM exports with types, files, sideEffects, engines', () => {
        const packed = tarballManifest(tarball());
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

      it('names its licence, repository folder, homepage and issue tracker', () => {
        const packed = tarballManifest(tarball());
        expect(packed.license).toBe('MIT');
        expect(packed.repository).toEqual({
          type: 'git',
          url: 'git+https://github.com/softmax-kit/softmax-kit.git',
          directory: folder,
        });
        expect(packed.homepage).toBe(`https://github.com/softmax-kit/softmax-kit/tree/main/${folder}#readme`);
        expect(packed.bugs).toEqual({ url: 'https://github.com/softmax-kit/softmax-kit/issues' });
      });

      it("ships the repository's MIT LICENSE", () => {
        expect(tarballFiles(tarball())).toContain('package/LICENSE');
        const license = tarballText(tarball(), 'package/LICENSE');
        expect(license).toMatch(/^MIT License\n/);
        expect(license).toBe(readFileSync(join(workspace, 'LICENSE'), 'utf8'));
      });

      it('ships every file its README links to', () => {
        const files = tarballFiles(tarball());
        if (!files.includes('package/README.md')) return; // the next test reports a missing README
        const readme = tarballText(tarball(), 'package/README.md');
        const links = [...readme.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]);
        for (const link of links.filter((l) => !/^[a-z]+:/.test(l))) {
          expect(files, `README link ${link}`).toContain(posix.join('package', link));
        }
      });

      it('ships its README, built JS and declarations, no tests, and source maps whose sources it ships', () => {
        const files = tarballFiles(tarball());
        expect(files).toContain('package/README.md');
        expect(files).toContain('package/dist/index.js');
        expect(files).toContain('package/dist/index.d.ts');
        expect(files.filter((f) => /\.test\.|\/test\//.test(f))).toEqual([]);
        for (const map of files.filter((f) => f.endsWith('.map'))) {
          const { sources } = JSON.parse(tarballText(tarball(), map)) as { sources: string[] };
          for (const source of sources) expect(files).toContain(posix.join(posix.dirname(map), source));
        }
      });
    });
  }
});
