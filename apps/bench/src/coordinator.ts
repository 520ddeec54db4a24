/**
 * The CLI's run: every implementation of the registry in its own worker process (JIT state,
 * heaps, thread pools and process flags never mix), driven by the shared case driver
 * (src/driver.ts). Node-specific parts only: the lavapipe set-up for the WebGPU workers,
 * forking the workers, the reference as files, the machine's description.
 */
import { type Candidate, runCases } from './driver.js';
import { type Config, selected } from './flags.js';
import { nodeEnvironment } from './node/environment.js';
import { ExpectedFileStore } from './node/expected-files.js';
import { type GpuEnv, setupLavapipe } from './node/lavapipe.js';
import { startWorker } from './node/worker-runner.js';
import type { Progress } from './progress.js';
import { registry } from './registry.js';
import type { BenchReport } from './results.js';

export async function runBench(config: Config, progress: Progress): Promise<BenchReport> {
  const specs = registry({ threads: config.threads });

  // WebGPU: the lavapipe set-up once; a failure makes the GPU rows unavailable, nothing else
  let gpuEnv: GpuEnv | null = null;
  let gpuError: string | null = null;
  if (specs.some((s) => s.gpu && selected(config, s.id, s.kind))) {
    if (!config.gpu) gpuError = 'skipped (--no-gpu)';
    else {
      try {
        gpuEnv = setupLavapipe((l) => progress.log(l));
      } catch (e) {
        gpuError = `WebGPU set-up failed: ${(e as Error).message}`;
      }
    }
  }

  const store = new ExpectedFileStore();
  const candidates: Candidate[] = specs.map((spec) => ({
    id: spec.id,
    kind: spec.kind,
    ...(spec.gpu ? { gpu: true } : {}),
    start: () => startWorker(spec, { ...process.env, ...(spec.gpu && gpuEnv ? gpuEnv : {}) }, store),
  }));
  try {
    return await runCases(config, candidates, {
      progress,
      environment: nodeEnvironment(),
      gpuError,
      loadConcurrency: 2,
    });
  } finally {
    store.dispose();
    progress.done();
  }
}
