/**
 * The `GPU` the tests run on: Dawn from the `webgpu` package, on lavapipe where the global set-up
 * made it available (then an adapter is required, and a missing one fails the tests). Without
 * any adapter elsewhere, `testGpu()` returns null and the suites skip with a loud message.
 */

/** a variable, so TypeScript does not load the package's own (older) @webgpu/types copy */
const WEBGPU_PACKAGE = 'webgpu';

export interface TestGpu {
  readonly gpu: GPU;
  readonly adapter: string;
}

let cached: Promise<TestGpu | null> | undefined;

async function find(): Promise<TestGpu | null> {
  const required = process.env.SOFTMAX_KIT_REQUIRE_WEBGPU === '1';
  const { create } = (await import(WEBGPU_PACKAGE)) as { create(options: string[]): GPU };
  const gpu = create(process.platform === 'linux' ? ['backend=vulkan'] : []);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    const why = `no WebGPU adapter (VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'unset'})`;
    if (required) throw new Error(`${why}: lavapipe was set up, so an adapter is required`);
    console.warn(`\n!!! ${why}: THE WEBGPU TESTS ARE SKIPPED on this machine !!!\n`);
    return null;
  }
  const i = adapter.info;
  return { gpu, adapter: `${i.description || i.device} (${i.vendor}, ${i.architecture})` };
}

export function testGpu(): Promise<TestGpu | null> {
  cached ??= find();
  return cached;
}
