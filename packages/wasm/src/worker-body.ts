/**
 * The loop every worker runs (Node worker_threads and Web Workers alike): instantiate the
 * module on the shared memory with its own stack, then wait for jobs in the control block.
 */
import {
  ARGC,
  ARGS_F64,
  BLOCK_WORDS,
  BLOCKS_PER_WORKER,
  DONE,
  FN,
  type InitMessage,
  MAX_QUEUED_JOBS,
  QUEUE_COUNT,
  QUEUE_HEADER_WORDS,
  QUEUE_NEXT,
  QUIT,
  SEQ,
  TAKE,
  type WorkerReply,
} from './worker-protocol.js';

type Post = (reply: WorkerReply) => void;

export async function startWorker(init: InitMessage, post: Post): Promise<void> {
  let instance: WebAssembly.Instance;
  try {
    instance = await WebAssembly.instantiate(init.module, { env: { memory: init.memory } });
  } catch (error) {
    post({ type: 'failed', message: `instantiating the module in a worker failed: ${String(error)}` });
    return;
  }
  const exports = instance.exports as Record<string, unknown>;
  (exports.__stack_pointer as WebAssembly.Global).value = init.stackTop;
  const functions = init.functions.map((name) => exports[name] as (...args: number[]) => unknown);
  post({ type: 'ready' });
  // Let the 'ready' message leave before this thread blocks in Atomics.wait for good.
  setTimeout(() => serve(init, functions, post), 0);
}

function serve(init: InitMessage, functions: ((...args: number[]) => unknown)[], post: Post): void {
  const buffer = init.memory.buffer;
  // The control block and the queue sit below any growth, so these views stay valid for good.
  /** A job laid out as a control block at byte address `at`: its words and its float64 arguments. */
  const jobAt = (at: number) => ({
    words: new Int32Array(buffer, at, BLOCK_WORDS),
    args: new Float64Array(buffer, at, BLOCK_WORDS / 2),
  });
  type Job = ReturnType<typeof jobAt>;
  // views made once: this worker's job blocks (SEQ and DONE in the first) and every queue entry
  const own = Array.from({ length: BLOCKS_PER_WORKER }, (_, k) =>
    jobAt(init.blockAddress + k * BLOCK_WORDS * 4),
  );
  const words = own[0].words;
  const queue = new Int32Array(buffer, init.queueAddress, QUEUE_HEADER_WORDS);
  const bell = new Int32Array(buffer, init.bellAddress, 1);
  const entries = Array.from({ length: MAX_QUEUED_JOBS }, (_, k) =>
    jobAt(init.queueAddress + (QUEUE_HEADER_WORDS + k * BLOCK_WORDS) * 4),
  );
  const run = (job: Job) => {
    const values: number[] = [];
    for (let k = 0; k < job.words[ARGC]; k++) values.push(job.args[ARGS_F64 + k]);
    const fn = job.words[FN];
    try {
      functions[fn](...values);
    } catch (error) {
      post({ type: 'failed', message: `kernel ${init.functions[fn]} failed in a worker: ${String(error)}` });
    }
  };
  // Jobs are numbered from 1: one may already be waiting when this loop starts.
  let seen = 0;
  for (;;) {
    Atomics.wait(words, SEQ, seen);
    const seq = Atomics.load(words, SEQ);
    // jobs seen + 1 .. seq in order: the next one may have been posted while one ran
    while (seen !== seq) {
      const next = (seen + 1) | 0;
      const job = own[next & (BLOCKS_PER_WORKER - 1)];
      const fn = job.words[FN];
      if (fn === QUIT) return;
      if (fn === TAKE) {
        const count = queue[QUEUE_COUNT];
        for (let k = Atomics.add(queue, QUEUE_NEXT, 1); k < count; k = Atomics.add(queue, QUEUE_NEXT, 1)) {
          run(entries[k]);
        }
      } else {
        run(job);
      }
      seen = next;
      Atomics.store(words, DONE, seen);
      Atomics.add(bell, 0, 1);
      Atomics.notify(bell, 0);
      if (init.doneByMessage) post({ type: 'done' });
    }
  }
}
