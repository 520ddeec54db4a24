import { describe, expect, it } from 'vitest';
import { parseFlags, selected } from '../src/flags.js';
import type { ImplKind } from '../src/impls/types.js';
import { renderHtml } from '../src/report-html.js';
import { analyseCase, type BenchReport, newCase } from '../src/results.js';
import { renderTable } from '../src/table.js';

function fakeReport(): BenchReport {
  const kinds = new Map<string, ImplKind>([
    ['ours:js', 'ours'],
    ['baseline', 'baseline'],
    ['memcpy', 'limit'],
    ['peer-a', 'peer'],
    ['peer-b', 'peer'],
  ]);
  const c = newCase('softmax', { id: '4x1000', rows: 4, cols: 1000 });
  const rounds = (ms: number) => [
    [ms, ms * 1.01],
    [ms * 2, ms * 2.02],
    [ms, ms],
  ];
  for (const mode of ['e2e', 'kernel'] as const) {
    c.cells.push({
      impl: 'ours:js',
      mode,
      status: 'ok',
      rounds: rounds(1),
      gate: { pass: true, strict: true, maxAbsErr: 0, maxRelErr: 0, relL2: 0 },
    });
    c.cells.push({ impl: 'baseline', mode, status: 'ok', rounds: rounds(2.5) });
    c.cells.push({ impl: 'memcpy', mode, status: 'ok', rounds: rounds(0.1) });
    c.cells.push({ impl: 'peer-a', mode, status: 'ok', rounds: rounds(4) });
  }
  c.cells.push({ impl: 'peer-b', mode: 'e2e', status: 'ok', rounds: rounds(0.5) });
  c.cells.push({
    impl: 'peer-b',
    mode: 'kernel',
    status: 'wrong',
    note: 'out[0] = 0, expected 0.001 <script>',
  });
  analyseCase(c, kinds);
  return {
    tool: '@softmax-kit/bench',
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    durationS: 60,
    environment: { node: 'v20', cpu: 'test cpu', cores: 2 },
    config: { mode: 'quick', modes: ['e2e', 'kernel'] },
    reference: { source: 'core' },
    impls: [
      {
        id: 'ours:js',
        label: 'js (softmax-kit)',
        kind: 'ours',
        status: 'ok',
        detail: 'sync',
        modes: { e2e: 'a', kernel: 'b' },
      },
      { id: 'baseline', label: 'plain 3-pass JS', kind: 'baseline', status: 'ok' },
      { id: 'memcpy', label: 'memory copy', kind: 'limit', status: 'ok' },
      { id: 'peer-a', label: 'Peer A', kind: 'peer', status: 'ok' },
      { id: 'peer-b', label: 'Peer B', kind: 'peer', status: 'ok' },
      { id: 'peer-c', label: 'peer-c', kind: 'peer', status: 'unavailable', error: 'cannot install here' },
    ],
    cases: [c],
    notes: [],
  };
}

describe('analysis', () => {
  it('computes GB/s from the bytes counted and ratios per round', () => {
    const r = fakeReport();
    const c = r.cases[0];
    const js = c.cells.find((x) => x.impl === 'ours:js' && x.mode === 'kernel')!;
    expect(c.bytes).toBe(8 * 4000);
    // samples 1, 1.01, 2, 2.02, 1, 1 -> median 1.005 ms
    expect(js.summary!.median).toBeCloseTo(1.005);
    expect(js.gbps).toBeCloseTo(32000 / 1.005e6);
    const vsA = c.ratios.find((x) => x.impl === 'ours:js' && x.against === 'peer-a' && x.mode === 'kernel')!;
    expect(vsA.ratio.median).toBeCloseTo(4);
    const vsBase = c.ratios.find(
      (x) => x.impl === 'ours:js' && x.against === 'baseline' && x.mode === 'e2e',
    )!;
    expect(vsBase.ratio.median).toBeCloseTo(2.5);
    expect(js.ofCopy).toBeCloseTo(0.1);
    // a wrong cell is never timed nor compared
    expect(c.ratios.some((x) => x.against === 'peer-b' && x.mode === 'kernel')).toBe(false);
    // the baseline is compared with peers but not with ours
    expect(c.ratios.some((x) => x.impl === 'baseline' && x.against === 'ours:js')).toBe(false);
  });
});

describe('text table', () => {
  it('shows every implementation, the wrong one as WRONG with its reason, and the ratios', () => {
    const t = renderTable(fakeReport());
    expect(t).toContain('softmax 4x1000');
    expect(t).toContain('js (softmax-kit)');
    expect(t).toContain('UNAVAILABLE: cannot install here');
    expect(t).toMatch(/Peer B .*WRONG/);
    expect(t).toContain('out[0] = 0, expected 0.001');
    expect(t).toMatch(/softmax 4x1000\s+2\.50x\s+10%\s+4\.00x/);
  });
});

describe('HTML report', () => {
  it('is self-contained: inline SVG charts, no external resource, no executable script', () => {
    const html = renderHtml(fakeReport());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    // the only URL is the SVG namespace, which is a name, not a resource
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    expect(html.match(/<script\b[^>]*>/g)).toEqual(['<script type="application/json" id="bench-data">']);
  });
  it('escapes text and carries the data', () => {
    const html = renderHtml(fakeReport());
    expect(html).toContain('&lt;script&gt;');
    const json = /<script type="application\/json" id="bench-data">(.*)<\/script>/s.exec(html)![1];
    expect(JSON.parse(json).cases[0].op).toBe('softmax');
    expect(html).toContain('cannot install here');
  });
});

describe('flags', () => {
  it('has a quick default and --full', () => {
    const q = parseFlags([], 2);
    const quickCases = q.cases.map((c) => `${c.op} ${c.workload.id}`);
    for (const size of ['4096x1024', '32768x128', '64x32000', '1x1e6', '1x10']) {
      expect(quickCases).toContain(`softmax ${size}`);
    }
    expect(quickCases).toContain('crossEntropy 4096x1024');
    expect(quickCases).not.toContain('crossEntropy 1x1e6');
    expect(parseFlags(['--sizes', '1x10'], 2).cases).toHaveLength(5);
    expect(q.threads).toEqual([1, 2]);
    expect(q.modes).toEqual(['e2e', 'kernel']);
    const f = parseFlags(['--full'], 2);
    expect(f.sizes.map((s) => s.id)).toEqual(['4096x1024', '32768x128', '64x32000', '1x1e6', '1x10']);
    expect(f.cases).toHaveLength(25);
    expect(f.repeats).toBeGreaterThan(q.repeats);
  });
  it('parses lists, aliases and sizes, and rejects nonsense', () => {
    const c = parseFlags(
      [
        '--ops',
        'softmax,ce,masked',
        '--sizes=10x1e3',
        '--threads',
        '1,all',
        '--peers',
        'none',
        '--',
        '--json',
      ],
      4,
    );
    expect(c.ops).toEqual(['softmax', 'crossEntropy', 'maskedSoftmax']);
    expect(c.sizes[0]).toMatchObject({ rows: 10, cols: 1000 });
    expect(c.threads).toEqual([1, 4]);
    expect(c.peers).toEqual([]);
    expect(c.json).toBe(true);
    expect(() => parseFlags(['--ops', 'nope'])).toThrow(/unknown op/);
    expect(() => parseFlags(['--sizes', '10by10'])).toThrow(/bad size/);
    expect(() => parseFlags(['--repeats', '0'])).toThrow(/positive integer/);
    expect(() => parseFlags(['--frobnicate'])).toThrow(/unknown flag/);
  });
  it('selects implementations: families, the yardsticks kept unless none', () => {
    const c = parseFlags(['--peers', 'ort-node', '--backends', 'js'], 2);
    expect(selected(c, 'ort-node:1t', 'peer')).toBe(true);
    expect(selected(c, 'tfjs-cpu', 'peer')).toBe(false);
    expect(selected(c, 'baseline', 'baseline')).toBe(true);
    expect(selected(c, 'memcpy', 'limit')).toBe(true);
    expect(selected(c, 'ours:js', 'ours')).toBe(true);
    expect(selected(c, 'ours:wasm', 'ours')).toBe(false);
    expect(selected(c, 'ours:native:2t', 'ours')).toBe(false);
    expect(selected(parseFlags(['--backends', 'native'], 2), 'ours:native:2t', 'ours')).toBe(true);
    const none = parseFlags(['--peers', 'none'], 2);
    expect(selected(none, 'baseline', 'baseline')).toBe(false);
    expect(selected(none, 'ours:js', 'ours')).toBe(true);
  });
});
