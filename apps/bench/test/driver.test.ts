/**
 * The case driver shared by the CLI and the page, run here in one Node realm (the page's way,
 * src/local-runner.ts) on a tiny workload: load failures reported with their reason, the gate
 * against the float64 reference (a wrong implementation is shown WRONG and never timed),
 * interleaved rounds, per-round ratios, and the CLI's report shape.
 */
import { describe, expect, it } from 'vitest';
import { type Candidate, runCases } from '../src/driver.js';
import { parseFlags } from '../src/flags.js';
import { create as createBaseline } from '../src/impls/baseline.js';
import { create as createMemcpy } from '../src/impls/memcpy.js';
import { createOurs, OUR_BACKENDS } from '../src/impls/ours.js';
import type { Impl } from '../src/impls/types.js';
import { localCandidate } from '../src/local-runner.js';

/** Returns zeros: the gate must catch it. */
const allZeros: Impl = {
  id: 'zeros',
  label: 'all zeros',
  kind: 'peer',
  modes: { e2e: 'zeros', kernel: 'zeros' },
  load: async () => ({ detail: 'returns zeros' }),
  supports: () => true,
  async prepare(inp) {
    const zeros = new Float32Array(inp.rows * inp.cols);
    return {
      calls: { e2e: () => zeros.fill(0), kernel: () => zeros.fill(0) },
      result: () => (inp.op === 'crossEntropy' ? { loss: 0, grad: zeros } : { out: zeros }),
    };
  },
};

const cannotStart: Candidate = {
  id: 'broken',
  kind: 'peer',
  start: () => Promise.reject(new Error('this peer is not installed')),
};

const needsGpu = localCandidate(createMemcpy({}), { gpu: true });

describe('case driver', () => {
  it('gates, times in rounds and reports every candidate, as the CLI reports it', async () => {
    const config = parseFlags(
      ['--sizes', '16x50', '--ops', 'softmax,ce', '--repeats', '2', '--round-ms', '2', '--warmup-ms', '2'],
      2,
    );
    const js = OUR_BACKENDS.find((b) => b.name === 'js')!;
    const logs: string[] = [];
    const report = await runCases(
      config,
      [
        localCandidate(createOurs(js, (pkg) => import(pkg))),
        localCandidate(createBaseline({})),
        localCandidate(createMemcpy({})),
        localCandidate(allZeros),
        cannotStart,
        { ...needsGpu, id: 'gpu-thing' },
      ],
      {
        progress: { update: () => {}, log: (s) => logs.push(s) },
        environment: { cores: 2 },
        gpuError: 'no adapter',
      },
    );

    expect(report.tool).toBe('@softmax-kit/bench');
    expect(report.config).toMatchObject({ sizes: ['16x50'], mode: 'quick', repeats: 2 });
    expect(report.reference.source).toBe('core');
    const status = Object.fromEntries(report.impls.map((i) => [i.id, `${i.status} ${i.error ?? ''}`.trim()]));
    expect(status).toEqual({
      'ours:js': 'ok',
      baseline: 'ok',
      memcpy: 'ok',
      zeros: 'ok',
      broken: 'unavailable this peer is not installed',
      'gpu-thing': 'unavailable no adapter',
    });
    expect(report.cases.map((c) => `${c.op} ${c.workload.id}`)).toEqual([
      'softmax 16x50',
      'crossEntropy 16x50',
    ]);
    for (const c of report.cases) {
      for (const id of ['ours:js', 'baseline']) {
        for (const mode of ['e2e', 'kernel'] as const) {
          const cell = c.cells.find((x) => x.impl === id && x.mode === mode)!;
          expect(cell.status, `${id} ${c.op} ${mode}: ${cell.note}`).toBe('ok');
          expect(cell.gate?.pass).toBe(true);
          expect(cell.rounds).toHaveLength(2);
          expect(cell.summary!.median).toBeGreaterThan(0);
          expect(cell.ofCopy).toBeGreaterThan(0);
        }
      }
      for (const mode of ['e2e', 'kernel'] as const) {
        const wrong = c.cells.find((x) => x.impl === 'zeros' && x.mode === mode)!;
        expect(wrong.status).toBe('wrong');
        expect(wrong.gate?.pass).toBe(false);
        expect(wrong.rounds).toBeUndefined();
        const r = c.ratios.find((x) => x.impl === 'ours:js' && x.against === 'baseline' && x.mode === mode);
        expect(r?.ratio.median).toBeGreaterThan(0);
      }
      expect(c.ratios.some((r) => r.against === 'zeros')).toBe(false);
    }
    expect(logs.some((l) => l.includes('zeros e2e is WRONG'))).toBe(true);
  });
});
