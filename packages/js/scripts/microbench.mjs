#!/usr/bin/env node
// Dev microbenchmark: the js backend's kernels vs the plain typed-array loops people write,
// float32, last axis. Interleaved in one process (A B, then B A, ...), median of many rounds,
// because the machine is shared. Run after `pnpm build`:
//   node scripts/microbench.mjs [--rounds 21] [--only softmax,backward,crossEntropy]
import { cpus } from 'node:os';
import { jsBackend } from '../dist/index.js';
import { opt, race, randomF32 } from './bench-common.mjs';

const ROUNDS = Number(opt('rounds', 21));
const ONLY = opt('only', 'softmax,backward,crossEntropy').split(',');
const WORKLOADS = [
  [4096, 1024],
  [32768, 128],
  [64, 32000],
  [1, 1_000_000],
];

// ---- the plain loops (the yardstick) ----
function plainSoftmax(x, out, rows, n) {
  for (let r = 0; r < rows; r++) {
    const b = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (x[b + j] > m) m = x[b + j];
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(x[b + j] - m);
      out[b + j] = e;
      s += e;
    }
    for (let j = 0; j < n; j++) out[b + j] /= s;
  }
}
function plainBackward(y, dy, out, rows, n) {
  for (let r = 0; r < rows; r++) {
    const b = r * n;
    let s = 0;
    for (let j = 0; j < n; j++) s += y[b + j] * dy[b + j];
    for (let j = 0; j < n; j++) out[b + j] = y[b + j] * (dy[b + j] - s);
  }
}
function plainCrossEntropy(z, labels, loss, grad, rows, n) {
  for (let r = 0; r < rows; r++) {
    const b = r * n;
    let m = -Infinity;
    for (let j = 0; j < n; j++) if (z[b + j] > m) m = z[b + j];
    let s = 0;
    for (let j = 0; j < n; j++) {
      const e = Math.exp(z[b + j] - m);
      grad[b + j] = e;
      s += e;
    }
    const y = labels[r];
    loss[r] = Math.log(s) - (z[b + y] - m);
    const k = 1 / (s * rows);
    for (let j = 0; j < n; j++) grad[b + j] *= k;
    grad[b + y] -= 1 / rows;
  }
}

const backend = await jsBackend().start();
const K = backend.kernels;
const rowsOut = [];
const fmt = (v, d = 2) => v.toFixed(d).padStart(8);

for (const [rows, n] of WORKLOADS) {
  const N = rows * n;
  const view = { outer: rows, n, inner: 1 };
  const x = randomF32(N, 1, 4);
  const out = new Float32Array(N);
  const out2 = new Float32Array(N);
  if (ONLY.includes('softmax')) {
    const [ours, plain] = race(
      [
        () => K.softmax({ view, mask: null, invTemperature: 1, x, out }),
        () => plainSoftmax(x, out2, rows, n),
      ],
      ROUNDS,
    );
    rowsOut.push(['softmax', rows, n, ours, plain, 8 * N]);
  }
  if (ONLY.includes('backward')) {
    const y = new Float32Array(N);
    K.softmax({ view, mask: null, invTemperature: 1, x, out: y });
    const dy = randomF32(N, 2, 1);
    const [ours, plain] = race(
      [
        () => K.softmaxBackward({ view, mask: null, invTemperature: 1, y, dy, out }),
        () => plainBackward(y, dy, out2, rows, n),
      ],
      ROUNDS,
    );
    rowsOut.push(['softmaxBackward', rows, n, ours, plain, 12 * N]);
  }
  if (ONLY.includes('crossEntropy')) {
    const labels = new Int32Array(rows);
    for (let r = 0; r < rows; r++) labels[r] = (r * 7919) % n;
    const lossOut = new Float32Array(rows);
    const loss2 = new Float32Array(rows);
    const target = { kind: 'labels', labels, ignoreIndex: -100 };
    const [ours, plain] = race(
      [
        () =>
          K.softmaxCrossEntropy({
            view,
            logits: x,
            target,
            labelSmoothing: 0,
            weights: null,
            gradScale: 1 / rows,
            lossOut,
            gradOut: out,
          }),
        () => plainCrossEntropy(x, labels, loss2, out2, rows, n),
      ],
      ROUNDS,
    );
    rowsOut.push(['crossEntropy', rows, n, ours, plain, 8 * N]);
  }
}
backend.dispose();

console.log(
  `${new Date().toISOString()}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? 'unknown CPU'}`,
);
console.log(`${ROUNDS} interleaved rounds, median; float32, last axis`);
console.log(
  'GB/s counts bytes moved once: 8 per element (softmax, cross-entropy), 12 (backward: y, dy, out)',
);
console.log(
  `${'op'.padEnd(16)}${'shape'.padEnd(13)}${'js ms'.padStart(8)}${'GB/s'.padStart(8)}${'plain ms'.padStart(10)}${'GB/s'.padStart(8)}${'speedup'.padStart(9)}`,
);
for (const [op, rows, n, ours, plain, bytes] of rowsOut) {
  console.log(
    `${op.padEnd(16)}${`${rows}x${n}`.padEnd(13)}${fmt(ours)}${fmt(bytes / ours / 1e6)}${fmt(plain, 2).padStart(10)}${fmt(bytes / plain / 1e6)}${fmt(plain / ours).padStart(8)}x`,
  );
}
