/**
 * How the main thread and the workers talk. Set-up goes through postMessage; each job goes
 * through a control block in shared linear memory (no message per job): the main thread writes
 * the function index and arguments, bumps SEQ and notifies; the worker runs the export, stores
 * DONE = SEQ, bumps the shared BELL word and notifies it (the main thread waits on BELL with
 * Atomics.waitAsync, or, without it, on a 'done' message). Each worker has two job blocks (job
 * SEQ in block SEQ & 1; SEQ and DONE live in the first): the main thread may post the next job
 * while one runs, and the worker starts it without waiting for the main thread to wake.
 * A job of FN = TAKE runs jobs from the shared queue instead: every worker claims the next entry
 * (an Atomics.add on NEXT) until COUNT are claimed, so a worker slowed down by anything else on
 * its core takes fewer of them (a static split waits for the slowest).
 */

/** Int32 words per job block (64-byte aligned, holds the arguments as float64). */
export const BLOCK_WORDS = 64;
/** Job blocks per worker (a power of two): the one running and the one posted next. */
export const BLOCKS_PER_WORKER = 2;
export const SEQ = 0;
export const DONE = 1;
export const FN = 2;
export const ARGC = 3;
/** First argument, in float64 slots from the block start. */
export const ARGS_F64 = 4;
export const MAX_ARGS = BLOCK_WORDS / 2 - ARGS_F64;
/** FN value that ends the worker's loop. */
export const QUIT = -1;
/** FN value that runs jobs from the shared queue until none is left. */
export const TAKE = -2;
/**
 * The queue: int32 words NEXT (the next entry to claim) and COUNT, then its entries, each laid
 * out as a control block.
 */
export const QUEUE_NEXT = 0;
export const QUEUE_COUNT = 1;
/** Int32 words before the first entry (keeps entries 64-byte aligned). */
export const QUEUE_HEADER_WORDS = 16;
export const MAX_QUEUED_JOBS = 64;
export const QUEUE_BYTES = (QUEUE_HEADER_WORDS + MAX_QUEUED_JOBS * BLOCK_WORDS) * 4;

export interface InitMessage {
  readonly type: 'init';
  readonly module: WebAssembly.Module;
  readonly memory: WebAssembly.Memory;
  /** The top of this worker's own C stack region (stacks grow down). */
  readonly stackTop: number;
  /** Byte address of the shared BELL word. */
  readonly bellAddress: number;
  /** Byte address of this worker's first job block (BLOCKS_PER_WORKER follow). */
  readonly blockAddress: number;
  /** Byte address of the shared job queue. */
  readonly queueAddress: number;
  /** The export called for each FN index. */
  readonly functions: readonly string[];
  /** Post { type: 'done' } after each job (when the main thread has no Atomics.waitAsync). */
  readonly doneByMessage: boolean;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done' }
  | { readonly type: 'failed'; readonly message: string };
