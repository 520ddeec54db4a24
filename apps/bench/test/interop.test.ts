/**
 * The interop recipes of packages/core/README.md, run as written: each ```ts block that imports
 * TensorFlow.js or ONNX Runtime is transpiled and run in Node from this package (which has those
 * peers installed), and what it produced is compared with core's float64 reference.
 * (The packaging test type-checks the same blocks under strict.)
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { logSoftmax, softmax } from '@softmax-kit/core/reference';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const bench = join(dirname(fileURLToPath(import.meta.url)), '..');
const readme = readFileSync(join(bench, '..', '..', 'packages', 'core', 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```ts\n([\s\S]*?)^```$/gm)].map((m) => m[1]);

function recipe(peer: string): string {
  const found = blocks.filter((code) => code.includes(`from '${peer}'`));
  expect(found, `one ts block of the core README imports ${peer}`).toHaveLength(1);
  return found[0];
}

/** Runs a recipe (TypeScript) with a line of JavaScript appended that prints JSON; returns it parsed. */
function run(code: string, report: string): unknown {
  const js = ts.transpileModule(code, {
    compilerOptions: {
      module: ts.ModuleKind.ESNext,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: false,
    },
  }).outputText;
  const out = execFileSync(
    'node',
    ['--input-type=module', '-e', `${js}\nconsole.log(JSON.stringify(${report}));`],
    {
      cwd: bench,
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop() ?? '');
}

function expectClose(actual: number[], expected: Float64Array, tolerance: number): void {
  expect(actual).toHaveLength(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(
      tolerance * Math.max(1, Math.abs(expected[i])),
    );
  }
}

describe('the README interop recipes, run as written', () => {
  it('TensorFlow.js -> softmax -> TensorFlow.js', () => {
    const out = run(
      recipe('@tensorflow/tfjs-core'),
      '{ input: Array.from(logits.dataSync()), inputShape: logits.shape, shape: probs.shape, dtype: probs.dtype, values: Array.from(probs.dataSync()) }',
    ) as { input: number[]; inputShape: number[]; shape: number[]; dtype: string; values: number[] };
    expect(out.shape).toEqual(out.inputShape);
    expect(out.dtype).toBe('float32');
    const expected = softmax({ data: Float32Array.from(out.input), shape: out.inputShape });
    expectClose(out.values, expected.data, 4e-6);
  });

  it('ONNX Runtime -> logSoftmax -> ONNX Runtime', () => {
    const out = run(
      recipe('onnxruntime-node'),
      '{ input: Array.from(logits.data), inputShape: logits.dims, dims: logProbs.dims, type: logProbs.type, values: Array.from(logProbs.data) }',
    ) as { input: number[]; inputShape: number[]; dims: number[]; type: string; values: number[] };
    expect(out.dims).toEqual(out.inputShape);
    expect(out.type).toBe('float32');
    const expected = logSoftmax({ data: Float32Array.from(out.input), shape: out.inputShape });
    expectClose(out.values, expected.data, 2e-6);
  });
});
