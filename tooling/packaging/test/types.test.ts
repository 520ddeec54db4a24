/**
 * TypeScript consumers of the installed tarballs: the type tests (fixtures/types.ts, with its
 * `@ts-expect-error` lines) under each moduleResolution a user may have, and a CommonJS consumer.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { copyFixture, writeTsconfig } from './consumer-project.js';
import { tsc } from './node.js';

const consumer = inject('consumer');

const settings = {
  node16: { module: 'Node16', moduleResolution: 'Node16' },
  nodenext: { module: 'NodeNext', moduleResolution: 'NodeNext' },
  bundler: { module: 'ESNext', moduleResolution: 'Bundler' },
};

describe('the type tests compile against the shipped declarations, strict, without skipLibCheck', () => {
  const types = copyFixture(consumer, 'types.ts', 'types');
  for (const [name, options] of Object.entries(settings)) {
    it(`under moduleResolution ${name}`, () => {
      const tsconfig = writeTsconfig(consumer, `tsconfig.types-${name}.json`, options, [types]);
      const { status, output } = tsc(tsconfig);
      expect(output).toBe('');
      expect(status).toBe(0);
    });
  }
});

describe('a CommonJS TypeScript consumer', () => {
  const source = copyFixture(consumer, 'commonjs.cts', 'commonjs');

  it('compiles under module nodenext to require() calls that run on Node 20.19+', () => {
    const outDir = join(consumer, 'commonjs', 'out');
    const tsconfig = writeTsconfig(
      consumer,
      'tsconfig.commonjs.json',
      { module: 'NodeNext', moduleResolution: 'NodeNext', noEmit: false, outDir },
      [source],
    );
    const { status, output } = tsc(tsconfig);
    expect(output).toBe('');
    expect(status).toBe(0);
    const emitted = join(outDir, 'commonjs.cjs');
    expect(readFileSync(emitted, 'utf8')).toContain('require("@softmax-kit/core")');
    const script = `require(${JSON.stringify(emitted)}).main().then((y) => console.log(JSON.stringify(y)))`;
    const y = JSON.parse(
      execFileSync('node', ['-e', script], { cwd: consumer, encoding: 'utf8' }),
    ) as number[];
    const e = [3.0, 1.0, 0.2].map((v) => Math.exp(v - 3));
    const sum = e.reduce((a, b) => a + b, 0);
    for (let i = 0; i < 3; i++) expect(Math.abs(y[i] - e[i] / sum)).toBeLessThan(1e-6);
  });

  it('is refused under module node16, which does not know require() of ES modules (as the README says)', () => {
    const tsconfig = writeTsconfig(consumer, 'tsconfig.commonjs-node16.json', settings.node16, [source]);
    const { status, output } = tsc(tsconfig);
    expect(status).not.toBe(0);
    expect(output).toMatch(/error TS1479/);
  });
});
