/**
 * Compute pipelines, created with createComputePipelineAsync and cached by shader and override
 * constants (op, workgroup size, lanes per slice, mask form...), never by shape. Shader modules
 * and layouts are created once per shader.
 */
import { SHADER_STAGE_COMPUTE } from './flags.js';
import { SHADERS, type ShaderName } from './shaders/sources.js';

export type Constants = Readonly<Record<string, number>>;

export interface Pipeline {
  readonly pipeline: GPUComputePipeline;
  readonly layout: GPUBindGroupLayout;
  readonly shader: ShaderName;
}

export class PipelineCache {
  private readonly modules = new Map<ShaderName, { module: GPUShaderModule; layout: GPUBindGroupLayout }>();
  private readonly pipelines = new Map<string, Promise<Pipeline>>();

  constructor(private readonly device: GPUDevice) {}

  /** How many distinct pipelines exist (tests check that shapes do not add any). */
  get size(): number {
    return this.pipelines.size;
  }

  get(shader: ShaderName, constants: Constants): Promise<Pipeline> {
    const key = `${shader}|${Object.keys(constants)
      .sort()
      .map((k) => `${k}=${constants[k]}`)
      .join(',')}`;
    let pending = this.pipelines.get(key);
    if (!pending) {
      pending = this.create(shader, constants);
      this.pipelines.set(key, pending);
      // A failed creation is not cached: the error goes to this caller only.
      pending.catch(() => this.pipelines.delete(key));
    }
    return pending;
  }

  private async create(shader: ShaderName, constants: Constants): Promise<Pipeline> {
    const { module, layout } = this.moduleFor(shader);
    const pipeline = await this.device.createComputePipelineAsync({
      label: `softmax-kit ${shader}`,
      layout: this.device.createPipelineLayout({ bindGroupLayouts: [layout] }),
      compute: { module, entryPoint: 'main', constants: { ...constants } },
    });
    return { pipeline, layout, shader };
  }

  private moduleFor(shader: ShaderName): { module: GPUShaderModule; layout: GPUBindGroupLayout } {
    let entry = this.modules.get(shader);
    if (!entry) {
      const spec = SHADERS[shader];
      entry = {
        module: this.device.createShaderModule({ label: `softmax-kit ${shader}`, code: spec.code }),
        layout: this.device.createBindGroupLayout({
          label: `softmax-kit ${shader}`,
          entries: spec.bindings.map(([binding, type]) => ({
            binding,
            visibility: SHADER_STAGE_COMPUTE,
            buffer: { type },
          })),
        }),
      };
      this.modules.set(shader, entry);
    }
    return entry;
  }
}
