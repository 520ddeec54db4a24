/** Every group of the suite, in the order they are registered. */
import type { BackendInfo, CaseGroup } from './case.js';
import { badInputGroup } from './groups/badInput.js';
import { capabilitiesGroup } from './groups/capabilities.js';
import { specialValueGroup, workedExampleGroup } from './groups/examples.js';

export function allGroups(backend: BackendInfo): CaseGroup[] {
  return [workedExampleGroup(), specialValueGroup(), badInputGroup(backend), capabilitiesGroup(backend)];
}
