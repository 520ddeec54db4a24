/**
 * Timing of one prepared call: warm-up, then rounds of samples. Browser-safe (performance.now).
 */
import type { Call } from './impls/types.js';

function isThenable(v: unknown): v is PromiseLike<unknown> {
  return typeof v === 'object' && v !== null && typeof (v as { then?: unknown }).then === 'function';
}

/** Runs `calls` calls back to back; returns the total ms. */
export async function timeBatch(fn: Call, calls: number): Promise<number> {
  const t0 = performance.now();
  for (let i = 0; i < calls; i++) {
    const r = fn();
    if (isThenable(r)) await r;
  }
  return performance.now() - t0;
}

export interface WarmupOptions {
  /** at least this many calls */
  minCalls: number;
  /** and at least this long, ms */
  minMs: number;
  /** but stop after this long, ms (slow implementations) */
  maxMs: number;
}

/** Warms up and returns an estimate of one call, ms (median of the last calls). */
export async function warmup(fn: Call, o: WarmupOptions): Promise<number> {
  const times: number[] = [];
  const t0 = performance.now();
  while (times.length < o.minCalls || performance.now() - t0 < o.minMs) {
    times.push(await timeBatch(fn, 1));
    if (performance.now() - t0 > o.maxMs && times.length >= 1) break;
  }
  const last = times.slice(-Math.max(1, Math.floor(times.length / 2))).sort((a, b) => a - b);
  return Math.max(last[Math.floor(last.length / 2)], 1e-5);
}

/** Calls shorter than this are timed in batches (timer resolution); each sample is a batch mean. */
export const BATCH_MS = 0.5;

export interface RoundOptions {
  /** aim for this much time per round, ms */
  targetMs: number;
  /** estimate of one call from the warm-up, ms */
  estimateMs: number;
  /** never more samples than this per round */
  maxSamples: number;
}

/** One round: samples in ms per call. At least one sample, whatever the call costs. */
export async function round(fn: Call, o: RoundOptions): Promise<number[]> {
  const batch = o.estimateMs >= BATCH_MS ? 1 : Math.min(10_000, Math.ceil(BATCH_MS / o.estimateMs));
  const perSample = o.estimateMs * batch;
  const samples = Math.max(1, Math.min(o.maxSamples, Math.floor(o.targetMs / perSample)));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push((await timeBatch(fn, batch)) / batch);
  return out;
}
