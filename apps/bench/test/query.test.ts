/** The page's query parameters are the CLI's flags: same parser, same defaults. */
import { describe, expect, it } from 'vitest';
import { parseFlags } from '../src/flags.js';
import { configFromQuery } from '../web/query.js';

describe('page query', () => {
  it('reads flags, camelCase names and bare keys', () => {
    const c = configFromQuery('?ops=softmax,ce&sizes=8x10&roundMs=3&warmup-ms=4&threads=1,2&no-gpu', 4);
    expect(c.ops).toEqual(['softmax', 'crossEntropy']);
    expect(c.sizes.map((s) => s.id)).toEqual(['8x10']);
    expect([c.roundMs, c.warmupMs, c.gpu]).toEqual([3, 4, false]);
    expect(c.threads).toEqual([1, 2]);
  });

  it('has the CLI defaults and rejects what the CLI rejects', () => {
    expect(configFromQuery('', 4)).toEqual(parseFlags([], 4));
    expect(() => configFromQuery('?sizes=8x10&bogus=1', 4)).toThrow(/unknown flag '--bogus'/);
    expect(() => configFromQuery('?repeats=0', 4)).toThrow(/--repeats/);
  });
});
