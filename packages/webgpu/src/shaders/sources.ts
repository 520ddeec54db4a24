/**
 * The WGSL of each shader (common helpers, the slice shaders' uniform block, the mask lookup
 * where the shader takes a mask, then the shader's own file) and the bind group layout it is compiled against. Bindings 8 and 9 are
 * the mask's packed bytes and broadcast offsets (mask.wgsl).
 */
import {
  BACKWARD,
  BACKWARD_COMMON,
  BACKWARD_ROWS,
  BACKWARD_SEGMENTS,
  BACKWARD_VEC4,
  COMMON,
  CROSS_ENTROPY,
  FORWARD,
  FORWARD_MERGE,
  FORWARD_PARTIAL,
  FORWARD_ROWS,
  FORWARD_SEGMENTS,
  FORWARD_WRITE,
  JACOBIAN,
  LOSS_SUM,
  MASK,
  REDUCE_SUBGROUPS,
  REDUCE_WORKGROUP,
  SLICE_PARAMS,
  VEC4,
} from './wgsl.gen.js';

export type ShaderName =
  | 'forward-rows-subgroups'
  | 'backward-rows-subgroups'
  | 'backward-segments'
  | 'backward-rows'
  | 'forward'
  | 'forward-partial'
  | 'forward-rows'
  | 'forward-segments'
  | 'forward-merge'
  | 'forward-write'
  | 'backward'
  | 'jacobian'
  | 'cross-entropy'
  | 'loss-sum';

export interface ShaderSpec {
  readonly code: string;
  /** binding number -> how the shader declares it */
  readonly bindings: readonly (readonly [number, GPUBufferBindingType])[];
}

const R = 'read-only-storage';
const W = 'storage';
const U = 'uniform';
const MASK_BINDINGS = [
  [8, R],
  [9, R],
] as const;

/** The row kernels with subgroup reductions: `enable` must open the module. */
const SUBGROUPS = 'enable subgroups;';

export const SHADERS: Readonly<Record<ShaderName, ShaderSpec>> = {
  'forward-rows-subgroups': {
    code: [SUBGROUPS, COMMON, SLICE_PARAMS, VEC4, REDUCE_SUBGROUPS, FORWARD_ROWS].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [8, R],
    ],
  },
  'backward-rows-subgroups': {
    code: [
      SUBGROUPS,
      COMMON,
      SLICE_PARAMS,
      VEC4,
      REDUCE_SUBGROUPS,
      BACKWARD_COMMON,
      BACKWARD_VEC4,
      BACKWARD_ROWS,
    ].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [4, R],
      [8, R],
    ],
  },
  forward: {
    code: [COMMON, SLICE_PARAMS, MASK, FORWARD].join('\n'),
    bindings: [[0, U], [1, R], [2, W], ...MASK_BINDINGS],
  },
  'forward-rows': {
    code: [COMMON, SLICE_PARAMS, VEC4, REDUCE_WORKGROUP, FORWARD_ROWS].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [8, R],
    ],
  },
  'forward-segments': {
    code: [COMMON, SLICE_PARAMS, VEC4, FORWARD_SEGMENTS].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [3, W],
      [8, R],
    ],
  },
  'forward-partial': {
    code: [COMMON, SLICE_PARAMS, MASK, FORWARD_PARTIAL].join('\n'),
    bindings: [[0, U], [1, R], [3, W], ...MASK_BINDINGS],
  },
  'forward-merge': {
    code: [COMMON, SLICE_PARAMS, FORWARD_MERGE].join('\n'),
    bindings: [
      [0, U],
      [2, W],
      [3, W],
    ],
  },
  'forward-write': {
    code: [COMMON, SLICE_PARAMS, MASK, FORWARD_WRITE].join('\n'),
    bindings: [[0, U], [1, R], [2, W], [3, W], ...MASK_BINDINGS],
  },
  backward: {
    code: [COMMON, SLICE_PARAMS, MASK, BACKWARD_COMMON, BACKWARD].join('\n'),
    bindings: [[0, U], [1, R], [2, W], [4, R], ...MASK_BINDINGS],
  },
  'backward-rows': {
    code: [COMMON, SLICE_PARAMS, VEC4, REDUCE_WORKGROUP, BACKWARD_COMMON, BACKWARD_VEC4, BACKWARD_ROWS].join(
      '\n',
    ),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [4, R],
      [8, R],
    ],
  },
  'backward-segments': {
    code: [COMMON, SLICE_PARAMS, VEC4, BACKWARD_COMMON, BACKWARD_VEC4, BACKWARD_SEGMENTS].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [3, W],
      [4, R],
      [8, R],
    ],
  },
  jacobian: {
    code: [COMMON, SLICE_PARAMS, MASK, JACOBIAN].join('\n'),
    bindings: [[0, U], [1, R], [2, W], ...MASK_BINDINGS],
  },
  'cross-entropy': {
    code: [COMMON, CROSS_ENTROPY].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
      [3, W],
      [4, R],
      [5, R],
    ],
  },
  'loss-sum': {
    code: [COMMON, LOSS_SUM].join('\n'),
    bindings: [
      [0, U],
      [1, R],
      [2, W],
    ],
  },
};
