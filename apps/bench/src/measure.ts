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

/** Calls shorter than this (ms) in the timed warm-up are warmed up further, ... */
const SHORT_CALL_MS = 0.1;
/** ... to this many calls in all (within the warm-up's maxMs). */
const SHORT_CALL_WARMUP = 40_000;

export interface WarmupOptions {
  /** at least this many calls */
  minCalls: number;
  /** and at least this long, ms */
  minMs: number;
  /** but stop after this long, ms (slow implementations) */
  maxMs: number;
}

/**
 * The warm-up's calls, from t0: at least minCalls and minMs; calls shorter than SHORT_CALL_MS
 * on average go on to SHORT_CALL_WARMUP calls; none starts after maxMs. Returns when each ended.
 */
export async function warmupCalls(fn: Call, o: WarmupOptions, t0 = performance.now()): Promise<number[]> {
  const stamps: number[] = [];
  // V8 tiers a function up by how often it runs, not for how long: short calls keep warming
  // up (measured here: 35 us per call at first, 4 us after 8,000 calls, 2 us after 28,000)
  const shortCalls = () =>
    stamps.length > 0 &&
    stamps.length < SHORT_CALL_WARMUP &&
    (stamps[stamps.length - 1] - t0) / stamps.length < SHORT_CALL_MS;
  while (stamps.length < o.minCalls || performance.now() - t0 < o.minMs || shortCalls()) {
    const r = fn();
    if (isThenable(r)) await r;
    stamps.push(performance.now());
    if (stamps[stamps.length - 1] - t0 > o.maxMs) break;
  }
  return stamps;
}

/**
 * Warms up (warmupCalls) and returns an estimate of one call, ms: the wall time of the second
 * half of the warm-up divided by its calls, and for short calls the mean of a batch lasting
 * >= 5 ms (never per-call timings, which a coarse timer, as in browsers, rounds to 0).
 */
export async function warmup(fn: Call, o: WarmupOptions): Promise<number> {
  const t0 = performance.now();
  const stamps = await warmupCalls(fn, o, t0);
  const n = stamps.length;
  const h = Math.floor(n / 2);
  let est = h >= 1 && n - h >= 1 ? (stamps[n - 1] - stamps[h - 1]) / (n - h) : stamps[0] - t0;
  if (est < 2) {
    // short calls: calibrate on doubling batches until one lasts >= 5 ms (coarse timers)
    for (let calls = 1; calls <= 1 << 22; calls *= 2) {
      const t = await timeBatch(fn, calls);
      if (t >= 5) {
        est = t / calls;
        break;
      }
    }
  }
  return Math.max(est, 1e-5);
}

/** Calls shorter than this (ms) are timed in batches (timer resolution); each sample is a batch mean. */
export const BATCH_MS = 1;

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
  let batch = o.estimateMs >= BATCH_MS ? 1 : Math.min(10_000, Math.ceil(BATCH_MS / o.estimateMs));
  if (batch > 1) {
    // calls got faster since the warm-up (JIT tiers) or the timer is coarse: grow the batch
    // (these calls are not recorded) until one batch lasts BATCH_MS
    for (
      let t = await timeBatch(fn, batch);
      t < BATCH_MS && batch < 1 << 22;
      t = await timeBatch(fn, batch)
    ) {
      batch *= 2;
    }
  }
  const perSample = Math.max(o.estimateMs * batch, BATCH_MS);
  const samples = Math.max(1, Math.min(o.maxSamples, Math.floor(o.targetMs / perSample)));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push((await timeBatch(fn, batch)) / batch);
  return out;
}

/**
 * One round of calls that time themselves on the device (GPU timestamp queries): each sample is
 * one call's device time, ms; as many samples as the round's time allows by the warm-up's
 * estimate of one call's wall time.
 */
export async function deviceRound(fn: () => Promise<number>, o: RoundOptions): Promise<number[]> {
  const samples = Math.max(1, Math.min(o.maxSamples, Math.floor(o.targetMs / o.estimateMs)));
  const out: number[] = [];
  for (let i = 0; i < samples; i++) out.push(await fn());
  return out;
}
