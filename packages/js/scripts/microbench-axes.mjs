#!/usr/bin/env node
// Dev microbenchmark for axes other than the last (View inner > 1): this build's kernels vs a
// baseline build (optional) vs the plain row-ordered column loop with Math.exp, float32,
// interleaved in one process (rotating order each round), median of many rounds, because the
// machine is shared. The last-axis standard workloads are included to catch regressions there.
// Run after `pnpm build`:
//   node scripts/microbench-axes.mjs [--rounds 15] [--base /tmp/js-old] [--only softmax,...]
//   (ops: softmax, logSoftmax, logSumExp, backward, logBackward, masked, crossEntropy)
//   (--base: a copy of an older dist/ to compare side by side; --poly: warm every kernel with
//   float64 and masks first, as an application mixing dtypes would)
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, opt, race, randomF32 } from './bench-common.mjs';

const ROUNDS = Number(opt('rounds', 15));
const ONLY = opt('only', 'softmax,logSoftmax,logSumExp,backward,logBackward,masked,crossEntropy').split(',');
const BASE = opt('base', '');
const POLY = flag('poly');

const cur = await (await import('../dist/index.js')).jsBackend().start();
const base = BASE
  ? await (await import(pathToFileURL(resolve(BASE, 'index.js')).href)).jsBackend().start()
  : null;

// [label, view, bytes per element, ops]
const FWD = [
  ['[1024,4096] ax0', { outer: 1, n: 1024, inner: 4096 }],
  ['[4096,1024] ax0', { outer: 1, n: 4096, inner: 1024 }],
  ['[21,65536] ax0', { outer: 1, n: 21, inner: 65536 }],
  ['[128,32768] ax0', { outer: 1, n: 128, inner: 32768 }],
  ['[8,512,256] ax1', { outer: 8, n: 512, inner: 256 }],
  ['4096x1024 last', { outer: 4096, n: 1024, inner: 1 }],
  ['32768x128 last', { outer: 32768, n: 128, inner: 1 }],
];
const OTHER = [['[1024,4096] ax0', { outer: 1, n: 1024, inner: 4096 }]];

// ---- the plain loops (the yardstick): row-ordered over the [n, inner] block, per-column state ----
function plainSoftmax(x, out, { outer, n, inner }) {
  const m = new Float64Array(inner);
  const s = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const b = o * n * inner;
    m.fill(-Infinity);
    s.fill(0);
    for (let j = 0; j < n; j++)
      for (let i = 0; i < inner; i++) if (x[b + j * inner + i] > m[i]) m[i] = x[b + j * inner + i];
    for (let j = 0; j < n; j++)
      for (let i = 0; i < inner; i++) {
        const e = Math.exp(x[b + j * inner + i] - m[i]);
        out[b + j * inner + i] = e;
        s[i] += e;
      }
    for (let j = 0; j < n; j++) for (let i = 0; i < inner; i++) out[b + j * inner + i] /= s[i];
  }
}

if (POLY) {
  // Mixed dtypes and masks, as in the test suite or an application using both.
  for (const be of [cur, base]) {
    if (!be) continue;
    for (const [, v] of [...FWD, ['', { outer: 2, n: 3, inner: 1100 }]]) {
      const N = 2 * 3 * 1100;
      const view = { outer: 2, n: 3, inner: v.inner === 1 ? 1 : 1100 };
      const x = new Float64Array(N).map((_, k) => Math.sin(k));
      const md = new Uint8Array(N).fill(1);
      const mask = {
        data: md,
        outerOffsets: new Int32Array([0, 3300]),
        nStride: view.inner,
        innerOffsets: new Int32Array(view.inner).map((_, k) => k),
        dense: true,
      };
      for (const m of [null, mask]) {
        be.kernels.softmax({ view, mask: m, invTemperature: 1, x, out: new Float64Array(N) });
        be.kernels.logSoftmax({ view, mask: m, invTemperature: 1, x, out: new Float64Array(N) });
        be.kernels.logSumExp({ view, mask: m, invTemperature: 1, x, out: new Float64Array(N / 3) });
        be.kernels.softmaxBackward({
          view,
          mask: m,
          invTemperature: 1,
          y: x,
          dy: x,
          out: new Float64Array(N),
        });
      }
    }
  }
}

const rows = [];
const backends = base ? [cur, base] : [cur];
for (const [label, view] of FWD) {
  const N = view.outer * view.n * view.inner;
  const x = randomF32(N, 1, 4);
  const outs = [new Float32Array(N), new Float32Array(N), new Float32Array(N)];
  const lse = view.outer * view.inner;
  for (const op of ['softmax', 'logSoftmax', 'logSumExp']) {
    if (!ONLY.includes(op)) continue;
    if (op !== 'softmax' && view.inner === 1) continue;
    const fns = backends.map((be, k) => {
      const out = op === 'logSumExp' ? new Float32Array(lse) : outs[k];
      return () => be.kernels[op]({ view, mask: null, invTemperature: 1, x, out });
    });
    if (op === 'softmax') fns.push(() => plainSoftmax(x, outs[2], view));
    rows.push([op, label, race(fns, ROUNDS), 8 * N]);
  }
}
for (const [label, view] of OTHER) {
  const N = view.outer * view.n * view.inner;
  const x = randomF32(N, 1, 4);
  if (ONLY.includes('backward')) {
    const y = new Float32Array(N);
    cur.kernels.softmax({ view, mask: null, invTemperature: 1, x, out: y });
    const dy = randomF32(N, 2, 1);
    const outs = [new Float32Array(N), new Float32Array(N)];
    const fns = backends.map(
      (be, k) => () =>
        be.kernels.softmaxBackward({ view, mask: null, invTemperature: 1, y, dy, out: outs[k] }),
    );
    rows.push(['softmaxBackward', label, race(fns, ROUNDS), 12 * N]);
  }
  if (ONLY.includes('logBackward')) {
    const logp = new Float32Array(N);
    cur.kernels.logSoftmax({ view, mask: null, invTemperature: 1, x, out: logp });
    const dy = randomF32(N, 2, 1);
    const outs = [new Float32Array(N), new Float32Array(N)];
    const fns = backends.map(
      (be, k) => () =>
        be.kernels.logSoftmaxBackward({ view, mask: null, invTemperature: 1, logp, dy, out: outs[k] }),
    );
    rows.push(['logSoftmaxBwd', label, race(fns, ROUNDS), 12 * N]);
  }
  if (ONLY.includes('masked')) {
    // A dense padding-like mask: column i takes part in rows j < n - (i % 64).
    const md = new Uint8Array(N);
    for (let j = 0; j < view.n; j++)
      for (let i = 0; i < view.inner; i++) md[j * view.inner + i] = j < view.n - (i % 64) ? 1 : 0;
    const mask = {
      data: md,
      outerOffsets: Int32Array.of(0),
      nStride: view.inner,
      innerOffsets: Int32Array.from({ length: view.inner }, (_, i) => i),
      dense: true,
    };
    const outs = [new Float32Array(N), new Float32Array(N)];
    const fns = backends.map(
      (be, k) => () => be.kernels.softmax({ view, mask, invTemperature: 1, x, out: outs[k] }),
    );
    rows.push(['softmax masked', label, race(fns, ROUNDS), 8 * N]);
  }
  if (ONLY.includes('crossEntropy')) {
    const S = view.outer * view.inner;
    const labels = new Int32Array(S);
    for (let r = 0; r < S; r++) labels[r] = (r * 7919) % view.n;
    const target = { kind: 'labels', labels, ignoreIndex: -100 };
    const outs = [new Float32Array(N), new Float32Array(N)];
    const fns = backends.map(
      (be, k) => () =>
        be.kernels.softmaxCrossEntropy({
          view,
          logits: x,
          target,
          labelSmoothing: 0,
          weights: null,
          gradScale: 1 / S,
          lossOut: new Float32Array(S),
          gradOut: outs[k],
        }),
    );
    rows.push(['crossEntropy', label, race(fns, ROUNDS), 8 * N]);
  }
}

const fmt = (v, w = 8, d = 2) => v.toFixed(d).padStart(w);
console.log(
  `${new Date().toISOString()}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}${POLY ? ', kernels warmed with float64 + masks' : ''}`,
);
console.log(`${ROUNDS} rotated rounds, median; float32. GB/s: 8 bytes/element (12 for backward)`);
console.log(
  `${'op'.padEnd(16)}${'shape'.padEnd(17)}${'new ms'.padStart(8)}${'GB/s'.padStart(7)}` +
    (base ? `${'base ms'.padStart(9)}${'GB/s'.padStart(7)}${'new/base'.padStart(10)}` : '') +
    `${'plain ms'.padStart(10)}${'GB/s'.padStart(7)}${'vs plain'.padStart(10)}`,
);
for (const [op, label, t, bytes] of rows) {
  const gb = (ms) => fmt(bytes / ms / 1e6, 7);
  let line = `${op.padEnd(16)}${label.padEnd(17)}${fmt(t[0])}${gb(t[0])}`;
  if (base) line += `${fmt(t[1], 9)}${gb(t[1])}${fmt(t[1] / t[0], 9)}x`;
  const p = t[base ? 2 : 1];
  line += p === undefined ? '' : `${fmt(p, 10)}${gb(p)}${fmt(p / t[0], 9)}x`;
  console.log(line);
}
cur.dispose();
base?.dispose();
