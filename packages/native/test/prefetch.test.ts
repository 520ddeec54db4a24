/**
 * The exp passes prefetch the next row (or chunk) while they compute; without it a 4096x1024
 * softmax ran 1.7-1.9x slower on AVX2. The compiler can silently drop __builtin_prefetch
 * (g++ 12 did once, for a helper that read its pointer through a reference), and no result
 * changes when it does, so this reads the built addon's machine code: every vector target's
 * forward kernels must contain prefetch instructions. Skipped where objdump is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bindingCandidates } from '../src/index.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const hasObjdump = spawnSync('objdump', ['--version']).status === 0;
const TARGETS = ['skk_scalar', 'skk_avx2', 'skk_avx512'];
/** The functions an exp pass may end up in, whatever the compiler inlines. */
const FORWARD = ['row_sum_exp_t', 'shifted_sum_exp', 'forward_entry', 'chunk_partial', 'row_partials'];

describe.skipIf(process.platform !== 'linux' || !hasObjdump)('the built addon', () => {
  it('prefetches in the forward kernels of every vector target', () => {
    const [prebuilt] = bindingCandidates(pkg);
    const code = execFileSync('objdump', ['-d', '-C', '--no-show-raw-insn', prebuilt], {
      maxBuffer: 1 << 28,
      encoding: 'utf8',
    });
    const prefetches = new Map(TARGETS.map((t) => [t, 0]));
    let current = '';
    for (const line of code.split('\n')) {
      const head = /^[0-9a-f]+ <(.*)>:$/.exec(line);
      if (head) current = head[1];
      else if (/\tprefetch/.test(line)) {
        const target = TARGETS.find((t) => current.includes(`${t}::`));
        if (target && FORWARD.some((f) => current.includes(`${target}::${f}<`))) {
          prefetches.set(target, (prefetches.get(target) ?? 0) + 1);
        }
      }
    }
    for (const target of TARGETS) expect(prefetches.get(target), target).toBeGreaterThan(0);
  });
});
