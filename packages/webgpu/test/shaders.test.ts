import { describe, expect, it } from 'vitest';
import { SHADERS, type ShaderName } from '../src/shaders/sources.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
const adapter = found ? await found.gpu.requestAdapter() : null;
const hasSubgroups = adapter?.features.has('subgroups') ?? false;
const device = adapter
  ? await adapter.requestDevice({ requiredFeatures: hasSubgroups ? ['subgroups'] : [] })
  : undefined;

describe.skipIf(!device)('every WGSL shader compiles without errors or warnings', () => {
  for (const name of Object.keys(SHADERS) as ShaderName[]) {
    it.skipIf(name.endsWith('-subgroups') && !hasSubgroups)(name, async () => {
      const module = (device as GPUDevice).createShaderModule({ code: SHADERS[name].code });
      const info = await module.getCompilationInfo();
      const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`);
      expect(messages).toEqual([]);
    });
  }
  it('releases the device', () => device?.destroy());
});
