/**
 * The worker pool: one module instance per worker on the shared memory, each with its own stack
 * region. Jobs go through control blocks in linear memory (worker-protocol.ts).
 */
import type { Platform, WorkerHandle } from './platform.js';
import {
  ARGC,
  ARGS_F64,
  BLOCK_WORDS,
  BLOCKS_PER_WORKER,
  DONE,
  FN,
  type InitMessage,
  MAX_ARGS,
  MAX_QUEUED_JOBS,
  QUEUE_COUNT,
  QUEUE_HEADER_WORDS,
  QUEUE_NEXT,
  QUIT,
  SEQ,
  TAKE,
  type WorkerReply,
} from './worker-protocol.js';

/** Atomics.waitAsync, declared in ./host-atomics.d.ts (the ES2022 lib lacks it). */
type WaitAsync = NonNullable<Atomics['waitAsync']>;

/** Parts per worker that runShared's callers aim at (sharedRanges). */
const PARTS_PER_WORKER = 8;

/** The longest a wait for the workers lasts before the main thread looks again. */
const WAIT_SLICE_MS = 50;

export interface PoolLayout {
  readonly bellAddress: number;
  /** Job blocks of worker w from blockBase + w * BLOCKS_PER_WORKER * BLOCK_WORDS * 4. */
  readonly blockBase: number;
  /** The shared job queue (QUEUE_BYTES). */
  readonly queueAddress: number;
  /** Top of worker w's stack: stackBase + (w + 1) * stackBytes. */
  readonly stackBase: number;
  readonly stackBytes: number;
}

export class WorkerPool {
  private readonly waitAsync: WaitAsync | undefined;
  private readonly seqs: number[];
  private readonly doneListeners = new Set<() => void>();
  private failure: Error | undefined;
  private refs = 0;
  private disposed = false;

  private constructor(
    private readonly workers: readonly WorkerHandle[],
    private readonly memory: WebAssembly.Memory,
    private readonly layout: PoolLayout,
  ) {
    this.waitAsync = Atomics.waitAsync;
    this.seqs = workers.map(() => 0);
  }

  static async start(
    platform: Platform,
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    count: number,
    layout: PoolLayout,
    functions: readonly string[],
  ): Promise<WorkerPool> {
    const doneByMessage = typeof Atomics.waitAsync !== 'function';
    const workers: WorkerHandle[] = [];
    let pool: WorkerPool | undefined;
    const ready = Array.from({ length: count }, (_, w) => {
      const worker = platform.startWorker();
      workers.push(worker);
      return new Promise<void>((resolve, reject) => {
        worker.onError((error) => {
          const wrapped = new Error(`softmax-kit wasm worker ${w} failed: ${error.message}`);
          if (pool) pool.fail(wrapped);
          reject(wrapped);
        });
        worker.onMessage((message) => {
          const reply = message as WorkerReply;
          if (reply.type === 'ready') resolve();
          else if (reply.type === 'done') pool?.ring();
          else {
            const error = new Error(reply.message);
            if (pool) pool.fail(error);
            reject(error);
          }
        });
        const init: InitMessage = {
          type: 'init',
          module,
          memory,
          stackTop: layout.stackBase + (w + 1) * layout.stackBytes,
          bellAddress: layout.bellAddress,
          blockAddress: layout.blockBase + w * BLOCKS_PER_WORKER * BLOCK_WORDS * 4,
          queueAddress: layout.queueAddress,
          functions,
          doneByMessage,
        };
        worker.post(init);
      });
    });
    try {
      await Promise.all(ready);
    } catch (error) {
      for (const worker of workers) worker.terminate();
      throw error;
    }
    pool = new WorkerPool(workers, memory, layout);
    for (const worker of workers) worker.unref();
    return pool;
  }

  get size(): number {
    return this.workers.length;
  }

  /** Worker w's job block for job `seq`; its first block also holds SEQ and DONE. */
  private words(w: number, seq = 0): Int32Array {
    const block = w * BLOCKS_PER_WORKER + (seq & (BLOCKS_PER_WORKER - 1));
    return new Int32Array(this.memory.buffer, this.layout.blockBase + block * BLOCK_WORDS * 4, BLOCK_WORDS);
  }

  private bell(): Int32Array {
    return new Int32Array(this.memory.buffer, this.layout.bellAddress, 1);
  }

  /** Lays job (fn, args) out as a control block at `words`. */
  private static write(words: Int32Array, fn: number, args: readonly number[]): void {
    if (args.length > MAX_ARGS) throw new Error(`a job takes at most ${MAX_ARGS} arguments`);
    const slots = new Float64Array(words.buffer, words.byteOffset, BLOCK_WORDS / 2);
    for (let k = 0; k < args.length; k++) slots[ARGS_F64 + k] = args[k];
    words[FN] = fn;
    words[ARGC] = args.length;
  }

  /**
   * Posts export `fn` (its index in the functions list) to worker w, which runs it after the job
   * it has running, if any, without waiting for this thread; returns the job's number. At most
   * two jobs may be unfinished on a worker.
   */
  dispatch(w: number, fn: number, args: readonly number[]): number {
    if (this.failure) throw this.failure;
    const seq = (this.seqs[w] + 1) | 0;
    if (!this.finished(w, (seq - BLOCKS_PER_WORKER) | 0)) {
      throw new Error(`worker ${w} already has ${BLOCKS_PER_WORKER} unfinished jobs`);
    }
    WorkerPool.write(this.words(w, seq), fn, args);
    this.seqs[w] = seq;
    const control = this.words(w);
    Atomics.store(control, SEQ, seq);
    Atomics.notify(control, SEQ);
    return seq;
  }

  /** True when worker w has finished job `seq` (numbers wrap around at 2^31). */
  finished(w: number, seq: number): boolean {
    return ((Atomics.load(this.words(w), DONE) - seq) | 0) >= 0;
  }

  /** True when worker w has finished its last job. */
  idle(w: number): boolean {
    return this.finished(w, this.seqs[w]);
  }

  /** Resolves when some worker finishes a job after `since` (a bell value read earlier). */
  bellValue(): number {
    return Atomics.load(this.bell(), 0);
  }

  async waitBell(since: number): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.waitAsync) {
      // The timeout only bounds the cost of a lost wake-up: the caller looks again.
      const result = this.waitAsync(this.bell(), 0, since, WAIT_SLICE_MS);
      if (result.async) await result.value;
    } else if (this.bellValue() === since) {
      await new Promise<void>((resolve) => {
        const listener = () => {
          this.doneListeners.delete(listener);
          resolve();
        };
        this.doneListeners.add(listener);
      });
    }
    if (this.failure) throw this.failure;
  }

  /** Runs job k on worker k (at most one job per worker) and resolves when all are done. */
  async runEach(jobs: readonly { readonly fn: number; readonly args: readonly number[] }[]): Promise<void> {
    jobs.forEach((job, w) => {
      this.dispatch(w, job.fn, job.args);
    });
    await this.whenIdle(jobs.length);
  }

  /**
   * Runs every job (at most MAX_QUEUED_JOBS), each on whichever worker claims it first, and
   * resolves when all are done: a worker that runs slower (another process on its core) takes
   * fewer. The jobs must not depend on each other.
   */
  async runShared(jobs: readonly { readonly fn: number; readonly args: readonly number[] }[]): Promise<void> {
    if (jobs.length <= 1) return this.runEach(jobs);
    if (jobs.length > MAX_QUEUED_JOBS) throw new Error(`the job queue holds at most ${MAX_QUEUED_JOBS} jobs`);
    if (this.failure) throw this.failure;
    const { buffer } = this.memory;
    const base = this.layout.queueAddress;
    jobs.forEach((job, k) => {
      const at = base + (QUEUE_HEADER_WORDS + k * BLOCK_WORDS) * 4;
      WorkerPool.write(new Int32Array(buffer, at, BLOCK_WORDS), job.fn, job.args);
    });
    const header = new Int32Array(buffer, base, QUEUE_HEADER_WORDS);
    header[QUEUE_COUNT] = jobs.length;
    // dispatch's Atomics.store publishes the entries and COUNT before any worker reads them
    Atomics.store(header, QUEUE_NEXT, 0);
    const workers = Math.min(this.size, jobs.length);
    for (let w = 0; w < workers; w++) this.dispatch(w, TAKE, []);
    await this.whenIdle(workers);
  }

  /**
   * [start, end) ranges cutting `units` independent units of work into parts for runShared:
   * several per worker, so that a worker slowed down by anything else on its core takes fewer.
   */
  sharedRanges(units: number): [number, number][] {
    const parts = Math.max(1, Math.min(this.size * PARTS_PER_WORKER, MAX_QUEUED_JOBS, units));
    return Array.from({ length: parts }, (_, k) => [
      Math.floor((k * units) / parts),
      Math.floor(((k + 1) * units) / parts),
    ]);
  }

  /** Resolves when workers 0 .. count - 1 have finished their last job. */
  private async whenIdle(count: number): Promise<void> {
    for (;;) {
      const bell = this.bellValue();
      let busy = false;
      for (let w = 0; w < count; w++) busy ||= !this.idle(w);
      if (!busy) return;
      await this.waitBell(bell);
    }
  }

  /** Node: hold the process open while jobs run (an unsettled await would otherwise end it). */
  hold(): void {
    if (this.refs++ === 0) for (const worker of this.workers) worker.ref();
  }

  release(): void {
    if (--this.refs === 0) for (const worker of this.workers) worker.unref();
  }

  private ring(): void {
    for (const listener of [...this.doneListeners]) listener();
  }

  private fail(error: Error): void {
    this.failure ??= error;
    // Wake a main thread waiting on the bell, which the failed worker will never ring.
    if (!this.disposed) {
      Atomics.add(this.bell(), 0, 1);
      Atomics.notify(this.bell(), 0);
    }
    this.ring();
  }

  dispose(): void {
    if (this.disposed) return;
    // A call still waiting on the workers rejects instead of waiting for good.
    this.fail(new Error('the wasm backend was disposed while a call was running'));
    this.disposed = true;
    for (let w = 0; w < this.workers.length; w++) {
      const seq = (this.seqs[w] + 1) | 0;
      this.words(w, seq)[FN] = QUIT;
      const control = this.words(w);
      Atomics.store(control, SEQ, seq);
      Atomics.notify(control, SEQ);
    }
    for (const worker of this.workers) worker.terminate();
  }
}
