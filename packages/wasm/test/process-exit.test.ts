/** A process that starts worker threads and never disposes still exits, with its result printed. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));

it('exits without dispose() after a threaded call', () => {
  const script = `
    import { createSoftmax, tensor } from '@softmax-kit/core';
    import { wasmBackend } from ${JSON.stringify(entry)};
    const sm = await createSoftmax(wasmBackend({ threads: 2, inlineElements: 0 }));
    const y = await sm.softmax(tensor(new Float32Array(200000).fill(1), { shape: [100, 2000] }));
    console.log('sum', y.data.slice(0, 2000).reduce((a, b) => a + b, 0).toFixed(4), sm.capabilities.threads);
  `;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: fileURLToPath(new URL('..', import.meta.url)),
    encoding: 'utf8',
    timeout: 30_000,
  });
  expect(result.error).toBeUndefined();
  expect(result.stderr).toBe('');
  expect(result.stdout.trim()).toBe('sum 1.0000 2');
  expect(result.status).toBe(0);
});
