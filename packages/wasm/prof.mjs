import { readFileSync } from 'node:fs';

const m = new WebAssembly.Module(readFileSync('dist/softmax-simd.wasm'));
const mem = new WebAssembly.Memory({ initial: 32, maximum: 16384 });
const inst = new WebAssembly.Instance(m, { env: { memory: mem } });
const e = inst.exports;
const rows = 4096,
  cols = 1024,
  N = rows * cols;
mem.grow(Math.ceil((N * 8 + 4e6) / 65536));
const base = 2 * 1024 * 1024;
const f32 = new Float32Array(mem.buffer);
for (let i = 0; i < N; i++) f32[base / 4 + i] = Math.random() * 8;
const x = base,
  out = base + N * 4;
for (const [r, label] of [
  [rows, 'all rows'],
  [32, '32 rows'],
]) {
  e.sk_softmax_f32(x, out, r, cols, 1, 0, 0, 0, 0, 0, 1);
  const reps = label === 'all rows' ? 5 : 500;
  const t0 = performance.now();
  for (let k = 0; k < reps; k++) e.sk_softmax_f32(x, out, r, cols, 1, 0, 0, 0, 0, 0, 1);
  const ms = (performance.now() - t0) / reps;
  console.log(label, ms.toFixed(3), 'ms', ((r * cols * 8) / ms / 1e6).toFixed(2), 'GB/s (smoke)');
}
