#!/usr/bin/env node
// Dev micro-benchmark of the forward kernels on data already on the GPU (no transfers), for
// tuning the variants. Not a figure: the bench app (apps/bench) measures. Needs a build first and,
// on lavapipe, its environment:  eval "$(node ../../tooling/scripts/setup-lavapipe.mjs | sed 's/^/export /')"
//   node scripts/kernel-bench.mjs [ROWSxCOLS ...] [--op softmax|logSoftmax|logSumExp] [--ms 1000] [--ceiling]
// SwiftShader (what headless Chromium runs) also loads here, through Chromium's own copy, e.g.
// on Debian: LD_LIBRARY_PATH=/usr/lib/chromium VK_ICD_FILENAMES=/usr/lib/chromium/vk_swiftshader_icd.json
// Prints wall time per call (submit to done) and, where the adapter has timestamp queries, GPU
// time. --ceiling also times plain copies with the segment kernels' dispatch shape
// (scripts/ceiling.wgsl): one read and one write, and two reads and one write.
import { readFileSync } from 'node:fs';
import { create, globals } from 'webgpu';
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
const ceiling = args.includes('--ceiling');
if (ceiling) args.splice(args.indexOf('--ceiling'), 1);
const op = { softmax: SOFTMAX, logSoftmax: LOG_SOFTMAX, logSumExp: LOG_SUM_EXP }[flag('--op', 'softmax')];
const ms = Number(flag('--ms', '1000'));
const sizes = (args.length > 0 ? args : ['4096x1024', '32768x128', '64x32000', '1x1e6']).map((s) =>
  s.split('x').map(Number),
);

Object.assign(globalThis, globals); // GPUBufferUsage, GPUMapMode
// unrounded timestamps (Dawn rounds them to 100 us by default)
const gpu = create(['backend=vulkan', 'disable-dawn-features=timestamp_quantization']);
const adapter = await gpu.requestAdapter();
const timed = adapter.features.has('timestamp-query');
const device = await adapter.requestDevice({
  requiredFeatures: timed ? ['timestamp-query'] : [],
  requiredLimits: { maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize },
});
let gpuMs = 0;
const ctx = new GpuContext(device, process.env.DEVICE_CLASS ?? deviceClassOf(adapter.info), {
  onGpuTime: (t) => {
    gpuMs += t;
  },
});

const SEGMENT = 256;
const copies = ceiling
  ? await Promise.all(
      [1, 2].map((reads) =>
        device.createComputePipelineAsync({
          layout: 'auto',
          compute: {
            module: device.createShaderModule({
              code: readFileSync(new URL('./ceiling.wgsl', import.meta.url), 'utf8'),
            }),
            entryPoint: 'main',
            constants: { WG: 16, READS: reads },
          },
        }),
      ),
    )
  : [];
const querySet = timed ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
const resolved = device.createBuffer({
  size: 16,
  usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
});
const readback = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });

/** One copy dispatch (timestamps around its pass where the adapter has them). */
async function copyOnce(pipeline, x, y, n) {
  const n4 = Math.ceil(n / 4);
  const segments = Math.ceil(n4 / SEGMENT);
  const uniforms = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  device.queue.writeBuffer(uniforms, 0, new Uint32Array([n4, SEGMENT, segments, 0]));
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass(
    querySet
      ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } }
      : undefined,
  );
  pass.setPipeline(pipeline);
  pass.setBindGroup(
    0,
    device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [
        { binding: 0, resource: { buffer: uniforms } },
        { binding: 1, resource: { buffer: x.buffer, size: x.size } },
        { binding: 2, resource: { buffer: y.buffer, size: y.size } },
      ],
    }),
  );
  pass.dispatchWorkgroups(Math.ceil(segments / 16));
  pass.end();
  if (querySet) {
    encoder.resolveQuerySet(querySet, 0, 2, resolved, 0);
    encoder.copyBufferToBuffer(resolved, 0, readback, 0, 16);
  }
  device.queue.submit([encoder.finish()]);
  if (querySet) {
    await readback.mapAsync(GPUMapMode.READ);
    const [start, end] = new BigUint64Array(readback.getMappedRange());
    readback.unmap();
    gpuMs += Number(end - start) / 1e6;
  } else {
    await device.queue.onSubmittedWorkDone();
  }
  uniforms.destroy();
}

async function measure(label, n, once) {
  for (let i = 0; i < 3; i++) await once();
  let iterations = 0;
  gpuMs = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    await once();
    iterations++;
  }
  const wallMs = (performance.now() - t0) / iterations;
  const rate = (t) => `${((8 * n) / t / 1e6).toFixed(2)} GB/s`;
  const gpuPart = timed ? `, GPU ${(gpuMs / iterations).toFixed(3)} ms = ${rate(gpuMs / iterations)}` : '';
  console.log(`  ${label.padEnd(22)} wall ${wallMs.toFixed(3)} ms = ${rate(wallMs)}${gpuPart}`);
}

for (const [rows, cols] of sizes) {
  const n = rows * cols;
  console.log(`${rows}x${cols}`);
  const host = new Float32Array(n).map(() => Math.random() * 8 - 4);
  const setup = ctx.call();
  const x = setup.input(host);
  const outBytes = op === LOG_SUM_EXP ? rows * 4 : n * 4;
  const out = { buffer: ctx.pool.acquire(Math.max(outBytes, n * 4), 0x84), size: outBytes };
  const view = { outer: rows, n: cols, inner: 1 };
  await measure('kernel', n, async () => {
    const call = ctx.call();
    await encodeForward(call, op, { view, mask: null, invTemperature: 1, x, out });
    await call.run();
    if (!timed) await device.queue.onSubmittedWorkDone();
  });
  const whole = { buffer: out.buffer, size: n * 4 };
  if (ceiling) {
    await measure('copy (1 read, 1 write)', n, () => copyOnce(copies[0], x, whole, n));
    await measure('copy (2 reads, 1 write)', n, () => copyOnce(copies[1], x, whole, n));
  }
}
device.destroy();
