#!/usr/bin/env node
// Dev micro-benchmark of the forward kernels on data already on the GPU (no transfers), for
// tuning the variants. Not a figure: the bench app (apps/bench) measures. Needs a build first and,
// on lavapipe, its environment:  eval "$(node ../../tooling/scripts/setup-lavapipe.mjs | sed 's/^/export /')"
//   node scripts/kernel-bench.mjs [ROWSxCOLS ...] [--op softmax|logSoftmax|logSumExp] [--ms 1000]
import { create } from 'webgpu';
import { deviceClassOf } from '../dist/device.js';
import { GpuContext } from '../dist/gpu-context.js';
import { encodeForward, LOG_SOFTMAX, LOG_SUM_EXP, SOFTMAX } from '../dist/ops/forward.js';

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const [value] = args.splice(i, 2).slice(1);
  return value;
};
const op = { softmax: SOFTMAX, logSoftmax: LOG_SOFTMAX, logSumExp: LOG_SUM_EXP }[flag('--op', 'softmax')];
const ms = Number(flag('--ms', '1000'));
const sizes = (args.length > 0 ? args : ['4096x1024', '32768x128', '64x32000', '1x1e6']).map((s) =>
  s.split('x').map(Number),
);

const gpu = create(['backend=vulkan']);
const adapter = await gpu.requestAdapter();
const device = await adapter.requestDevice({
  requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
});
// keep gpu alive
const ctx = new GpuContext(device, process.env.DEVICE_CLASS ?? deviceClassOf(adapter.info));
for (const [rows, cols] of sizes) {
  const n = rows * cols;
  const host = new Float32Array(n).map(() => Math.random() * 8 - 4);
  const setup = ctx.call();
  const x = setup.input(host);
  const outBytes = op === LOG_SUM_EXP ? rows * 4 : n * 4;
  const out = { buffer: ctx.pool.acquire(outBytes, 0x84), size: outBytes };
  const view = { outer: rows, n: cols, inner: 1 };
  const once = async () => {
    const call = ctx.call();
    await encodeForward(call, op, { view, mask: null, invTemperature: 1, x, out });
    await call.run();
    await device.queue.onSubmittedWorkDone();
  };
  for (let i = 0; i < 3; i++) await once();
  let iterations = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await once();
    iterations++;
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000 / iterations;
  const gbs = (8 * n * iterations) / seconds / 1e9;
  console.log(
    `${rows}x${cols}: ${((seconds / iterations) * 1e3).toFixed(3)} ms/call, ${gbs.toFixed(2)} GB/s wall, ${cpuMs.toFixed(2)} CPU-ms/call (all threads)`,
  );
}
device.destroy();
