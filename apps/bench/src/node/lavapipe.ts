/**
 * The software Vulkan driver lavapipe for Dawn: the repo's own set-up script
 * (tooling/scripts/setup-lavapipe.mjs, which a user can also run by hand) fetches and unpacks it
 * under <repo>/.cache/lavapipe once. Returns the environment GPU workers need, or throws with
 * the reason.
 */
import { type LavapipeEnv, setupLavapipe as setUp } from '../../../../tooling/scripts/setup-lavapipe.mjs';

export type GpuEnv = LavapipeEnv;

export function setupLavapipe(log: (line: string) => void = () => {}): GpuEnv {
  return setUp(log);
}
