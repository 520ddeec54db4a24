/**
 * Runs once before the test workers start: on linux x64 the software Vulkan driver lavapipe is
 * REQUIRED (set up by the repo's own script; a failure fails the run), and its environment is
 * exported so the workers' Dawn finds it. The WGSL strings are regenerated first. Elsewhere Dawn's own adapters are used, if any.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { setupLavapipe } from '../../../tooling/scripts/setup-lavapipe.mjs';

export default function setup(): void {
  // The shaders' TypeScript strings are generated from the .wgsl files: keep them current.
  execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/embed-wgsl.mjs', import.meta.url))]);
  if (process.platform !== 'linux' || process.arch !== 'x64') return;
  const env = setupLavapipe((line) => console.info(line));
  process.env.VK_ICD_FILENAMES = env.VK_ICD_FILENAMES;
  process.env.LD_LIBRARY_PATH = env.LD_LIBRARY_PATH;
  process.env.SOFTMAX_KIT_REQUIRE_WEBGPU = '1';
}
