/**
 * The worker pool's job protocol: a worker holds up to two jobs, and runs the second as soon as
 * the first is done, without the main thread (which may be busy copying) handing it over.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instantiateMain, type MainInstance } from '../dist/instance.js';
import { STACK_BYTES } from '../dist/layout.js';
import { nodePlatform } from '../dist/platform-node.js';
import { WorkerPool } from '../dist/pool.js';
import { BLOCK_WORDS, BLOCKS_PER_WORKER, QUEUE_BYTES } from '../dist/worker-protocol.js';
import { uniform } from './helpers.js';

const N = 4 << 20; // one row: long enough that a job is still running when the next is posted
const align = (v: number, to: number) => Math.ceil(v / to) * to;

let main: MainInstance;
let pool: WorkerPool;
let bell: Int32Array;
let x: number;
const outs: number[] = [];

beforeAll(async () => {
  const module = await nodePlatform.compile('simd-shared');
  main = await instantiateMain(module, 256 << 20, true);
  const bellAddress = align(main.heapBase, 64);
  const blockBase = bellAddress + 64;
  const queueAddress = blockBase + BLOCKS_PER_WORKER * BLOCK_WORDS * 4;
  const stackBase = align(queueAddress + QUEUE_BYTES, 16);
  x = align(stackBase + STACK_BYTES, 64);
  for (let k = 0; k < 3; k++) outs.push(x + (k + 1) * N * 4);
  main.memory.grow(Math.ceil((outs[2] + N * 4) / 65536) - main.memory.buffer.byteLength / 65536);
  new Float32Array(main.memory.buffer, x, N).set(uniform(N, 3));
  pool = await WorkerPool.start(
    nodePlatform,
    module,
    main.memory,
    1,
    { bellAddress, blockBase, queueAddress, stackBase, stackBytes: STACK_BYTES },
    main.functions,
  );
  bell = new Int32Array(main.memory.buffer, bellAddress, 1);
});
afterAll(() => pool?.dispose());

/** softmax of the row at x into `out` (no mask, temperature 1). */
const softmaxJob = (out: number) => [x, out, 1, N, 1, 0, 0, 0, 0, 0, 1];

/** The largest |out - softmax(x)| over the row, in float64. */
function worstError(out: number): number {
  const xs = new Float32Array(main.memory.buffer, x, N);
  const ys = new Float32Array(main.memory.buffer, out, N);
  let max = Number.NEGATIVE_INFINITY;
  for (const v of xs) max = Math.max(max, v);
  let sum = 0;
  for (const v of xs) sum += Math.exp(v - max);
  let worst = 0;
  for (let k = 0; k < N; k++) worst = Math.max(worst, Math.abs(ys[k] - Math.exp(xs[k] - max) / sum));
  return worst;
}

describe('WorkerPool', () => {
  it('runs a queued second job on its own, refuses a third, then takes more', () => {
    const fn = main.functions.indexOf('sk_softmax_f32');
    const first = pool.dispatch(0, fn, softmaxJob(outs[0]));
    const second = pool.dispatch(0, fn, softmaxJob(outs[1]));
    expect(second).toBe(first + 1);
    expect(pool.finished(0, first)).toBe(false); // a 16 MB softmax takes milliseconds
    expect(() => pool.dispatch(0, fn, softmaxJob(outs[2]))).toThrow(/already has 2 unfinished jobs/);
    // No await: this thread blocks until the second job is done, so only the worker can have
    // started it.
    while (!pool.finished(0, second)) Atomics.wait(bell, 0, Atomics.load(bell, 0), 1000);
    expect(pool.finished(0, first)).toBe(true);
    expect(pool.idle(0)).toBe(true);
    expect(worstError(outs[0])).toBeLessThan(1e-7);
    expect(worstError(outs[1])).toBeLessThan(1e-7);
    const third = pool.dispatch(0, fn, softmaxJob(outs[2]));
    while (!pool.finished(0, third)) Atomics.wait(bell, 0, Atomics.load(bell, 0), 1000);
    expect(worstError(outs[2])).toBeLessThan(1e-7);
  });
});
