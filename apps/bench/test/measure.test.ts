import { describe, expect, it } from 'vitest';
import { BATCH_MS, round, warmup, warmupCalls } from '../src/measure.js';

function busy(ms: number) {
  const t = performance.now();
  while (performance.now() - t < ms) {
    // spin
  }
}

describe('warm-up and rounds', () => {
  it('estimates a call from the wall time of the warm-up', async () => {
    const est = await warmup(() => busy(2), { minCalls: 3, minMs: 20, maxMs: 1000 });
    expect(est).toBeGreaterThan(1.5);
    expect(est).toBeLessThan(10);
  });
  it('stops a slow warm-up after maxMs', async () => {
    let calls = 0;
    await warmup(
      () => {
        calls++;
        busy(30);
      },
      { minCalls: 3, minMs: 10, maxMs: 20 },
    );
    expect(calls).toBe(1);
  });
  it('warms short calls up by count (V8 tiers up by calls, not time), within maxMs', async () => {
    const fast = await warmupCalls(() => {}, { minCalls: 3, minMs: 0, maxMs: 5000 });
    expect(fast.length).toBe(40_000);
    // 0.05 ms calls would need 2 s for 40,000: maxMs stops them first
    const t = performance.now();
    const slow = await warmupCalls(() => busy(0.05), { minCalls: 3, minMs: 5, maxMs: 100 });
    expect(slow.length).toBeLessThan(40_000);
    expect(performance.now() - t).toBeLessThan(1000);
  });
  it('times short calls in batches and never runs away', async () => {
    let calls = 0;
    const t = performance.now();
    const samples = await round(
      () => {
        calls++;
      },
      { targetMs: 10, estimateMs: 1e-4, maxSamples: 200 },
    );
    expect(performance.now() - t).toBeLessThan(2000);
    // the recorded batches, plus one calibration batch that is not recorded
    expect(calls).toBeGreaterThanOrEqual(samples.length * Math.ceil(BATCH_MS / 1e-4));
    expect(samples.length).toBeGreaterThanOrEqual(1);
  });
  it('awaits async calls and gives at least one sample', async () => {
    const samples = await round(() => new Promise((r) => setTimeout(r, 5)), {
      targetMs: 1,
      estimateMs: 5,
      maxSamples: 10,
    });
    expect(samples).toHaveLength(1);
    expect(samples[0]).toBeGreaterThanOrEqual(4);
  });
});
