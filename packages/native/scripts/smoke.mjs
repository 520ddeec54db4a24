#!/usr/bin/env node
// A short smoke run (not a benchmark: figures come from apps/bench on a quiet machine).
// Prints GB/s (8 bytes per float32 element: one read, one write) for the workloads.
//   node scripts/smoke.mjs [--threads 1,2] [--isa avx2]
import { createSoftmax, labels, tensor } from '@softmax-kit/core';
import { jsBackend } from '@softmax-kit/js';
import { nativeBackend } from '../dist/index.js';

const arg = (name, fallback) => {
  const k = process.argv.indexOf(name);
  return k < 0 ? fallback : process.argv[k + 1];
};
const threadList = arg('--threads', '1,2').split(',').map(Number);
const isa = arg('--isa', undefined);

function random(n) {
  const a = new Float32Array(n);
  for (let k = 0; k < n; k++) a[k] = Math.sin(k * 12.9898) * 6;
  return a;
}

function best(fn, rounds = 15) {
  let best = Infinity;
  for (let r = 0; r < rounds; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

for (const threads of threadList) {
  const sm = await createSoftmax(nativeBackend({ threads, isa }));
  const row = (name, rows, cols, call, reps = 1) => {
    const ms =
      best(() => {
        for (let k = 0; k < reps; k++) call();
      }) / reps;
    console.log(
      `${threads}t ${name.padEnd(20)} ${rows}x${cols}: ${((rows * cols * 8) / ms / 1e6).toFixed(1)} GB/s (${(ms * 1000).toFixed(0)} us)`,
    );
  };
  for (const [rows, cols] of [
    [4096, 1024],
    [4096, 4096],
    [1, 10_000_000],
  ]) {
    const x = tensor(random(rows * cols), { shape: [rows, cols] });
    const out = new Float32Array(rows * cols);
    row('softmax', rows, cols, () => sm.sync.softmax(x, { out }));
    if (rows === 4096 && cols === 1024) {
      const y = sm.sync.softmax(x);
      row('logSoftmax', rows, cols, () => sm.sync.logSoftmax(x, { out }));
      row('softmaxBackward', rows, cols, () => sm.sync.softmaxBackward(y, x, { out }));
      const ys = labels(Int32Array.from({ length: rows }, (_, k) => k % cols));
      row('crossEntropy', rows, cols, () => sm.sync.softmaxCrossEntropy(x, ys, { gradOut: out }));
    }
  }
  await sm.dispose();
}
const tiny = tensor(random(10), { shape: [1, 10] });
const out = new Float32Array(10);
for (const [name, factory] of [
  ['native', nativeBackend({ threads: 1, isa })],
  ['js', jsBackend()],
]) {
  const sm = await createSoftmax(factory);
  const ms = best(() => {
    for (let k = 0; k < 100_000; k++) sm.sync.softmax(tiny, { out });
  }, 5);
  console.log(`1x10 sync softmax latency, ${name}: ${((ms / 100_000) * 1e6).toFixed(0)} ns`);
  await sm.dispose();
}
