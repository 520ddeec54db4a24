/** Every group of the suite, in the order they are registered. */
import type { BackendInfo, CaseGroup } from './case.js';
import { axesGroup } from './groups/axes.js';
import { badInputGroup } from './groups/bad-input.js';
import { capabilitiesGroup } from './groups/capabilities.js';
import { crossEntropyDifferencesGroup, crossEntropyGroup } from './groups/cross-entropy.js';
import { emptyAndSmallGroup } from './groups/empty-and-small.js';
import { specialValueGroup, workedExampleGroup } from './groups/examples.js';
import { extremesGroup } from './groups/extremes.js';
import { float64Group } from './groups/float64.js';
import { gradientsGroup } from './groups/gradients.js';
import { jacobianGroup } from './groups/jacobian.js';
import { largeGroup } from './groups/large.js';
import { longRowsGroup } from './groups/long-rows.js';
import { masksGroup } from './groups/masks.js';
import { propertiesGroup } from './groups/properties.js';
import { shiftEstimatesGroup } from './groups/shift-estimates.js';
import { temperatureGroup } from './groups/temperature.js';

/** Every non-empty group (some frameworks fail an empty describe). */
export function allGroups(backend: BackendInfo): CaseGroup[] {
  const groups = [
    workedExampleGroup(),
    specialValueGroup(),
    badInputGroup(backend),
    capabilitiesGroup(backend),
    axesGroup(),
    masksGroup(),
    temperatureGroup(),
    extremesGroup(),
    shiftEstimatesGroup(),
    emptyAndSmallGroup(),
    longRowsGroup(),
    largeGroup(),
    float64Group(),
    gradientsGroup(backend),
    jacobianGroup(backend),
    crossEntropyGroup(),
    crossEntropyDifferencesGroup(backend),
    propertiesGroup(),
  ];
  return groups.filter((group) => group.cases.length > 0);
}
