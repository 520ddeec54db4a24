import { describe, expect, it } from 'vitest';
import { gate } from '../src/gate.js';
import { baselineRun } from '../src/impls/baseline.js';
import { localReference, referenceFrom } from '../src/reference.js';
import { makeInputs, OP_IDS } from '../src/workloads.js';

const ref = referenceFrom(localReference, 'bench-local');
const w = { id: '8x50', rows: 8, cols: 50 };

describe('correctness gate', () => {
  for (const op of OP_IDS) {
    it(`passes a correct float32 result (${op})`, () => {
      const inp = makeInputs(op, w);
      const got = baselineRun(inp, new Float32Array(w.rows * w.cols));
      const g = gate(op, got, ref.expected(inp));
      expect(g.pass, g.reason).toBe(true);
      expect(g.maxRelErr).toBeLessThan(1e-4);
    });
  }

  it('fails an all-zero output (preallocated output ignored)', () => {
    const inp = makeInputs('softmax', w);
    const g = gate('softmax', { out: new Float32Array(w.rows * w.cols) }, ref.expected(inp));
    expect(g.pass).toBe(false);
    expect(g.reason).toMatch(/out\[/);
  });

  it('fails NaN, a wrong length and a missing result', () => {
    const inp = makeInputs('softmax', w);
    const exp = ref.expected(inp);
    const good = baselineRun(inp, new Float32Array(w.rows * w.cols)).out as Float32Array;
    const nan = good.slice();
    nan[3] = Number.NaN;
    expect(gate('softmax', { out: nan }, exp).pass).toBe(false);
    expect(gate('softmax', { out: good.subarray(1) }, exp).reason).toMatch(/elements/);
    expect(gate('softmax', {}, exp).reason).toMatch(/no out/);
  });

  it('fails a small systematic error that per-element absolute tolerance would miss', () => {
    const inp = makeInputs('softmax', w);
    const good = baselineRun(inp, new Float32Array(w.rows * w.cols)).out as Float32Array;
    const off = good.map((v) => v * 1.001);
    expect(gate('softmax', { out: off }, ref.expected(inp)).pass).toBe(false);
  });

  it('requires exact zeros at masked positions', () => {
    const inp = makeInputs('maskedSoftmax', w);
    const exp = ref.expected(inp);
    const got = (baselineRun(inp, new Float32Array(w.rows * w.cols)).out as Float32Array).slice();
    const masked = inp.mask!.indexOf(0);
    expect(masked).toBeGreaterThanOrEqual(0);
    got[masked] = 1e-30;
    const g = gate('maskedSoftmax', { out: got }, exp);
    expect(g.pass).toBe(false);
    expect(g.reason).toMatch(/exactly 0/);
  });

  it('checks the cross-entropy loss as well as the gradient', () => {
    const inp = makeInputs('crossEntropy', w);
    const exp = ref.expected(inp);
    const r = baselineRun(inp, new Float32Array(w.rows * w.cols));
    expect(gate('crossEntropy', { ...r, loss: 0 }, exp).reason).toMatch(/loss/);
    expect(gate('crossEntropy', { loss: r.loss }, exp).reason).toMatch(/no grad/);
  });

  it('tells strict (SEMANTICS.md tolerance) from merely passing', () => {
    const inp = makeInputs('softmax', w);
    const exp = ref.expected(inp);
    const got = Float32Array.from(exp.out!, (v) => v * (1 + 2e-5));
    const g = gate('softmax', { out: got }, exp);
    expect(g.pass).toBe(true);
    expect(g.strict).toBe(false);
    expect(gate('softmax', { out: Float32Array.from(exp.out!) }, exp).strict).toBe(true);
  });
});

describe('the core reference agrees with the bench-local fallback', () => {
  it('on every op', async () => {
    const { loadReference } = await import('../src/reference.js');
    const core = await loadReference();
    expect(core.source).toBe('core');
    for (const op of OP_IDS) {
      const inp = makeInputs(op, w);
      const a = core.expected(inp);
      const b = ref.expected(inp);
      const arr = (a.out ?? a.grad)!;
      const brr = (b.out ?? b.grad)!;
      for (let i = 0; i < arr.length; i++) expect(Math.abs(arr[i] - brr[i])).toBeLessThan(1e-12);
      if (a.loss !== undefined) expect(a.loss).toBeCloseTo(b.loss!, 12);
    }
  });
});
