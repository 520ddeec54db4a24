/** Command-line flags of the bench (parsed without dependencies). Browser-safe. */
import { MODES, type Mode } from './impls/types.js';
import { OP_IDS, type OpId, parseWorkload, WORKLOADS, type Workload } from './workloads.js';

export interface Config {
  /** our backends to try (names from OUR_BACKENDS); empty = all */
  backends: string[] | null;
  /** peer / limit / baseline ids; null = all */
  peers: string[] | null;
  ops: OpId[];
  /** every workload some case uses */
  sizes: Workload[];
  /** what runs: (op, workload) pairs, workload-major */
  cases: { op: OpId; workload: Workload }[];
  modes: Mode[];
  /** thread counts for implementations with threads (onnxruntime-node) */
  threads: number[];
  /** rounds per case and mode */
  repeats: number;
  /** target time of one implementation's round, ms */
  roundMs: number;
  /** warm-up per implementation and case: at least this long, ms */
  warmupMs: number;
  full: boolean;
  json: boolean;
  /** HTML report path; null = none */
  html: string | null | 'default';
  gpu: boolean;
  seed: number;
  help: boolean;
  /** per-message timeout, ms */
  timeoutMs: number;
}

export const HELP = `softmax-kit bench: every softmax-kit backend side by side with TensorFlow.js,
ONNX Runtime and the machine's memory-copy rate.

Usage: pnpm --filter @softmax-kit/bench bench [flags]     (or: node dist/cli.js [flags])

  --full                 every op on every standard workload, more rounds (default: quick, 5-7 min)
  --backends LIST        softmax-kit backends to try: js,wasm,native,webgpu (default: all)
  --peers LIST           others to run: baseline,memcpy,tfjs-cpu,tfjs-wasm,tfjs-node,ort-node,
                         ort-web-wasm,tfjs-webgpu,ort-web-webgpu; 'none' for none (default: all).
                         baseline (plain 3-pass JS) and memcpy are always kept unless listed out
                         with --peers none
  --ops LIST             softmax,logSoftmax,maskedSoftmax,softmaxBackward,crossEntropy
                         (aliases: log-softmax, masked, backward, ce; default: all)
  --sizes LIST           ROWSxCOLS workloads, e.g. 4096x1024,1x1e6 (default quick: softmax on every
                         standard workload, the other ops on 4096x1024,1x10;
                         --full: 4096x1024,32768x128,64x32000,1x1e6,1x10)
  --modes LIST           e2e,kernel (default both)
  --threads LIST         thread counts swept where an implementation has threads
                         (onnxruntime-node intra-op; default: 1,<all cores>)
  --repeats N            interleaved rounds per case and mode (default 5; --full 9)
  --round-ms N           time per implementation per round, ms (default 25; --full 60)
  --warmup-ms N          warm-up per implementation per case, ms (default 40; --full 100)
  --no-gpu               skip WebGPU (no lavapipe set-up); the WebGPU rows say so
  --json                 print the full report as JSON on stdout (table and progress on stderr)
  --html PATH            write the HTML report there (default: apps/bench/reports/bench-<time>.html)
  --no-html              write no HTML report
  --seed N               input seed (default 1)
  --help                 this text

Bytes counted (GB/s = bytes / time): softmax, log-softmax 8 B/element; masked softmax 9;
softmax backward 12; cross-entropy 8 B/element + 4 B/row. See apps/bench/README.md.
`;

const OP_ALIASES: Record<string, OpId> = {
  'log-softmax': 'logSoftmax',
  logsoftmax: 'logSoftmax',
  masked: 'maskedSoftmax',
  'masked-softmax': 'maskedSoftmax',
  backward: 'softmaxBackward',
  'softmax-backward': 'softmaxBackward',
  ce: 'crossEntropy',
  'cross-entropy': 'crossEntropy',
};

export const QUICK_SIZES = ['4096x1024', '1x10'];

function list(v: string): string[] {
  return v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function positiveInt(flag: string, v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} needs a positive integer, got '${v}'`);
  return n;
}

export function parseFlags(argv: readonly string[], cores = 2): Config {
  const c: Config = {
    backends: null,
    peers: null,
    ops: [...OP_IDS],
    sizes: [],
    cases: [],
    modes: [...MODES],
    threads: [],
    repeats: 0,
    roundMs: 0,
    warmupMs: 0,
    full: false,
    json: false,
    html: 'default',
    gpu: true,
    seed: 1,
    help: false,
    timeoutMs: 240_000,
  };
  let sizes: string[] | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') continue;
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        c.help = true;
        break;
      case '--full':
        c.full = true;
        break;
      case '--json':
        c.json = true;
        break;
      case '--no-gpu':
        c.gpu = false;
        break;
      case '--no-html':
        c.html = null;
        break;
      case '--html':
        c.html = value();
        break;
      case '--backends':
        c.backends = list(value());
        break;
      case '--peers': {
        const v = list(value());
        c.peers = v.length === 1 && v[0] === 'none' ? [] : v;
        break;
      }
      case '--ops':
        c.ops = list(value()).map((o) => {
          const id = (OP_IDS as readonly string[]).includes(o) ? (o as OpId) : OP_ALIASES[o.toLowerCase()];
          if (!id) throw new Error(`unknown op '${o}' (known: ${OP_IDS.join(', ')})`);
          return id;
        });
        break;
      case '--sizes':
        sizes = list(value());
        break;
      case '--modes':
        c.modes = list(value()).map((m) => {
          if (!(MODES as readonly string[]).includes(m)) throw new Error(`unknown mode '${m}' (e2e, kernel)`);
          return m as Mode;
        });
        break;
      case '--threads':
        c.threads = list(value()).map((t) => (t === 'all' ? cores : positiveInt('--threads', t)));
        break;
      case '--repeats':
        c.repeats = positiveInt('--repeats', value());
        break;
      case '--round-ms':
        c.roundMs = positiveInt('--round-ms', value());
        break;
      case '--warmup-ms':
        c.warmupMs = positiveInt('--warmup-ms', value());
        break;
      case '--seed':
        c.seed = positiveInt('--seed', value());
        break;
      default:
        throw new Error(`unknown flag '${a}' (see --help)`);
    }
  }
  c.sizes = (sizes ?? (c.full ? WORKLOADS.map((w) => w.id) : QUICK_SIZES)).map(parseWorkload);
  // The quick default still shows every standard workload for the headline op, softmax.
  const quickDefault = sizes === null && !c.full;
  if (quickDefault && c.ops.includes('softmax')) c.sizes = WORKLOADS.map((w) => parseWorkload(w.id));
  const quickIds = new Set(QUICK_SIZES);
  c.cases = c.sizes.flatMap((workload) =>
    c.ops
      .filter((op) => !quickDefault || op === 'softmax' || quickIds.has(workload.id))
      .map((op) => ({ op, workload })),
  );
  if (c.threads.length === 0) c.threads = [...new Set([1, cores])];
  if (!c.repeats) c.repeats = c.full ? 9 : 5;
  if (!c.roundMs) c.roundMs = c.full ? 60 : 25;
  if (!c.warmupMs) c.warmupMs = c.full ? 100 : 40;
  if (c.ops.length === 0) throw new Error('--ops selects nothing');
  if (c.modes.length === 0) throw new Error('--modes selects nothing');
  return c;
}

/** Whether the spec id is selected by --backends / --peers. */
export function selected(c: Config, id: string, kind: string): boolean {
  if (kind === 'ours') {
    // ours:NAME, or ours:NAME:Tt for a backend swept over thread counts
    const name = id.replace(/^ours:/, '').replace(/:.*$/, '');
    return c.backends === null || c.backends.includes(name);
  }
  if (c.peers === null) return true;
  // the baseline and the memory copy are the yardsticks: kept unless --peers none
  if (kind === 'baseline' || kind === 'limit') return c.peers.length > 0;
  const family = id.replace(/:.*$/, '');
  return c.peers.includes(id) || c.peers.includes(family);
}
