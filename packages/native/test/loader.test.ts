/**
 * The loader tries the prebuilt binary, then a local build; with neither, start() rejects with
 * an error that lists what to do, and createSoftmax falls through to the next backend.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BackendUnavailableError, createSoftmax, tensor } from '@softmax-kit/core';
import { jsBackend } from '@softmax-kit/js';
import { describe, expect, it } from 'vitest';
import { bindingCandidates, NativeAddonUnavailableError, nativeBackend } from '../src/index.js';
import { loadBinding } from '../src/load-binding.js';

describe('the loader', () => {
  it('looks for the prebuilt binary of this platform first, then a local build', () => {
    const [prebuilt, local] = bindingCandidates('/pkg');
    expect(prebuilt).toBe(
      join('/pkg', 'prebuilds', `${process.platform}-${process.arch}`, 'softmax-kit-native.node'),
    );
    expect(local).toBe(join('/pkg', 'addon', 'build', 'Release', 'softmax_kit_native.node'));
  });

  it('loads the real addon here and reports the vector targets the CPU runs', () => {
    const isas = loadBinding().isas();
    expect(isas.at(-1)).toBe('scalar');
    expect(['avx512', 'avx2', 'scalar']).toEqual(expect.arrayContaining(isas));
  });

  it('without any binary, throws an error naming each path tried and the solutions', () => {
    const empty = mkdtempSync(join(tmpdir(), 'softmax-kit-native-empty-'));
    mkdirSync(join(empty, 'dist'));
    try {
      let error: unknown;
      try {
        loadBinding(empty);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NativeAddonUnavailableError);
      const message = (error as Error).message;
      for (const path of bindingCandidates(empty)) expect(message).toContain(path);
      expect(message).toContain('createSoftmax([nativeBackend(), wasmBackend(), jsBackend()])');
      expect(message).toContain('scripts/build-addon.mjs');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('rejects a vector target the CPU lacks, and createSoftmax falls through to js', async () => {
    await expect(nativeBackend({ isa: 'sse9' }).start()).rejects.toThrow(/sse9.*not available/);
    const sm = await createSoftmax([nativeBackend({ isa: 'sse9' }), jsBackend()]);
    expect(sm.backend).toBe('js');
    expect(sm.sync.softmax(tensor([0, 0])).data).toEqual(Float32Array.of(0.5, 0.5));
    await sm.dispose();
    await expect(createSoftmax([nativeBackend({ isa: 'sse9' })])).rejects.toBeInstanceOf(
      BackendUnavailableError,
    );
  });

  it('refuses a bad thread count when the factory is made', () => {
    expect(() => nativeBackend({ threads: 0 })).toThrow(/options.threads/);
    expect(() => nativeBackend({ threads: 1.5 })).toThrow(/options.threads/);
  });

  it('reports the threads in use in its capabilities, before and after starting', async () => {
    const factory = nativeBackend({ threads: 3 });
    expect(factory.capabilities.threads).toBe(3);
    const sm = await createSoftmax(factory);
    expect(sm.capabilities.threads).toBe(3);
    expect(sm.backend).toBe('native');
    await sm.dispose();
  });
});
