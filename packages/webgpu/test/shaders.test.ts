import { describe, expect, it } from 'vitest';
import { SHADERS, type ShaderName } from '../src/shaders/sources.js';
import { testGpu } from './gpu.js';

const found = await testGpu();
const device = found ? await (await found.gpu.requestAdapter())?.requestDevice() : undefined;

describe.skipIf(!device)('every WGSL shader compiles without errors or warnings', () => {
  for (const name of Object.keys(SHADERS) as ShaderName[]) {
    it(name, async () => {
      const module = (device as GPUDevice).createShaderModule({ code: SHADERS[name].code });
      const info = await module.getCompilationInfo();
      const messages = info.messages.map((m) => `${m.type} at ${m.lineNum}:${m.linePos}: ${m.message}`);
      expect(messages).toEqual([]);
    });
  }
  it('releases the device', () => device?.destroy());
});
