/** The installed tarballs load and compute outside the workspace, from ESM and from CommonJS. */
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { setupLavapipe } from '../../scripts/setup-lavapipe.mjs';
import { nodeJson } from './node.js';
import { publishable, workspace } from './workspace.js';

const consumer = inject('consumer');

/**
 * In Node the WebGPU backend runs on the application's Dawn (the `webgpu` package, which a user
 * installs next to it) and here on lavapipe: link the workspace's Dawn into the consumer and
 * return the script lines and the environment that start it.
 */
function webgpuInNode(): { factoryArgs: string; prelude: string; env: NodeJS.ProcessEnv } {
  const fromWebgpu = createRequire(join(workspace, 'packages', 'webgpu', 'package.json'));
  const dawn = dirname(fromWebgpu.resolve('webgpu/package.json'));
  const link = join(consumer, 'node_modules', 'webgpu');
  if (!existsSync(link)) {
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(dawn, link, 'dir');
  }
  return {
    prelude: "import { create } from 'webgpu';",
    factoryArgs: "{ gpu: create(['backend=vulkan']) }",
    env: { ...process.env, ...setupLavapipe() },
  };
}

/** softmax([3, 1, 0.2]) computed here in float64. */
function expectedSoftmax(): number[] {
  const e = [3.0, 1.0, 0.2].map((v) => Math.exp(v - 3));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

function expectClose(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThan(1e-6);
}

describe('the installed tarballs, outside the workspace', () => {
  it('resolve every export of core, including package.json, reference and conformance', () => {
    const out = nodeJson(
      consumer,
      `
      import { createRequire } from 'node:module';
      const require = createRequire(import.meta.url);
      const core = await import('@softmax-kit/core');
      const reference = await import('@softmax-kit/core/reference');
      const conformance = await import('@softmax-kit/core/conformance');
      console.log(JSON.stringify({
        version: require('@softmax-kit/core/package.json').version,
        core: typeof core.createSoftmax, reference: Object.keys(reference).length, conformance: typeof conformance.runConformance,
      }));`,
    ) as { version: string; core: string; reference: number; conformance: string };
    expect(out).toMatchObject({ version: expect.any(String), core: 'function', conformance: 'function' });
    expect(out.reference).toBeGreaterThan(0);
  });

  const backends = publishable.map((p) => p.manifest.name).filter((name) => name !== '@softmax-kit/core');
  for (const name of backends) {
    it(`runs a softmax through ${name}, matching a float64 value computed here`, () => {
      const short = name.split('/')[1];
      const gpu = short === 'webgpu' ? webgpuInNode() : undefined;
      const out = nodeJson(
        consumer,
        `
        import { createSoftmax, tensor } from '@softmax-kit/core';
        import * as pkg from '${name}';
        ${gpu?.prelude ?? ''}
        const sm = await createSoftmax(pkg.${short}Backend(${gpu?.factoryArgs ?? ''}));
        const y = await sm.softmax(tensor([3.0, 1.0, 0.2]));
        console.log(JSON.stringify({ backend: sm.backend, y: Array.from(y.data) }));
        await sm.dispose();`,
        'module',
        gpu?.env,
      ) as { backend: string; y: number[] };
      expect(out.backend).toBe(short);
      expectClose(out.y, expectedSoftmax());
    });
  }

  it('load with require() from CommonJS (Node 20.19+ loads ES modules from require)', () => {
    const out = nodeJson(
      consumer,
      `
      const { createSoftmax, tensor } = require('@softmax-kit/core');
      const { jsBackend } = require('@softmax-kit/js');
      const reference = require('@softmax-kit/core/reference');
      const { runConformance } = require('@softmax-kit/core/conformance');
      createSoftmax(jsBackend()).then(async (sm) => {
        const y = sm.sync.softmax(tensor([3.0, 1.0, 0.2]));
        console.log(JSON.stringify({ y: Array.from(y.data), reference: Object.keys(reference).length, conformance: typeof runConformance }));
        await sm.dispose();
      });`,
      'commonjs',
    ) as { y: number[]; reference: number; conformance: string };
    expect(out.reference).toBeGreaterThan(0);
    expect(out.conformance).toBe('function');
    expectClose(out.y, expectedSoftmax());
  });
});
