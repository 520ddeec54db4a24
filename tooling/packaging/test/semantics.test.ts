/**
 * The SEMANTICS.md shipped in core's tarball documents what the shipped code has: a section per
 * op, every error class core exports and every error code its code can raise.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { nodeJson } from './node.js';

const consumer = inject('consumer');
const core = join(consumer, 'node_modules', '@softmax-kit', 'core');
const semantics = readFileSync(join(core, 'SEMANTICS.md'), 'utf8');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.js'))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("core's SEMANTICS.md", () => {
  const exported = nodeJson(
    consumer,
    `
    import * as core from '@softmax-kit/core';
    const errors = Object.entries(core)
      .filter(([, v]) => typeof v === 'function' && (v === core.SoftmaxKitError || v.prototype instanceof core.SoftmaxKitError))
      .map(([name]) => name);
    console.log(JSON.stringify({ ops: core.ALL_OPS, errors }));`,
  ) as { ops: string[]; errors: string[] };

  it('has a section for every op', () => {
    expect(exported.ops.length).toBeGreaterThanOrEqual(7);
    for (const op of exported.ops) expect(semantics).toContain(`\n### ${op}\n`);
  });

  it('names every error class core exports', () => {
    expect(exported.errors).toContain('SoftmaxKitError');
    for (const name of exported.errors) expect(semantics, name).toContain(`\`${name}\``);
  });

  it('lists every error code the shipped code can raise', () => {
    const codes = new Set<string>();
    for (const file of jsFiles(join(core, 'dist'))) {
      for (const [, code] of readFileSync(file, 'utf8').matchAll(/'(ERR_SOFTMAX_[A-Z_]+)'/g)) codes.add(code);
    }
    expect(codes).toContain('ERR_SOFTMAX_DISPOSED');
    for (const code of codes) expect(semantics, code).toContain(`\`${code}\``);
  });
});
