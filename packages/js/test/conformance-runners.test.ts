/**
 * The conformance suite under two more test runners, node:test and Mocha, against the built js
 * backend (test/runners/*.mjs): each must register the suite synchronously, start the backend
 * in its `before` hook and run every case it registered, all passing. Both run the same subset
 * (cases up to 5,000 elements, see conformance-options.mjs); Vitest runs the whole suite.
 * Their machine-readable reports (TAP, Mocha's JSON) are read back here, and a broken
 * backend (runners/broken-backend.mjs) shows that both report failing cases.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = mkdtempSync(join(tmpdir(), 'softmax-kit-runners-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

function run(args: readonly string[]): { status: number | null; output: string } {
  const result = spawnSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8', timeout: 240_000 });
  return { status: result.status, output: `${result.stdout}\n${result.stderr}` };
}

/** The counts of node:test's TAP summary (`# pass 3035` ...). */
function tapCounts(tap: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const match of tap.matchAll(/^# (tests|pass|fail|cancelled|skipped|todo) (\d+)$/gm)) {
    counts[match[1]] = Number(match[2]);
  }
  return counts;
}

function runNodeTest(file: string): { status: number | null; output: string; tap: string } {
  const tapFile = join(outDir, `${file}.tap`);
  const { status, output } = run([
    '--test',
    '--test-reporter=tap',
    `--test-reporter-destination=${tapFile}`,
    `test/runners/${file}`,
  ]);
  return { status, output, tap: readFileSync(tapFile, 'utf8') };
}

interface MochaReport {
  readonly stats: { tests: number; passes: number; pending: number; failures: number };
  readonly failures: readonly { title: string }[];
}

function runMocha(file: string): { status: number | null; output: string; report: MochaReport } {
  const jsonFile = join(outDir, `${file}.json`);
  const mocha = join(dirname(createRequire(import.meta.url).resolve('mocha/package.json')), 'bin/mocha.js');
  const { status, output } = run([
    mocha,
    '--timeout',
    '120000',
    '--reporter',
    'json',
    '--reporter-option',
    `output=${jsonFile}`,
    `test/runners/${file}`,
  ]);
  return { status, output, report: JSON.parse(readFileSync(jsonFile, 'utf8')) };
}

const registered: { nodeTest?: number; mocha?: number } = {};

describe('the conformance suite under other test runners', () => {
  it('runs under node:test: every registered case passes or is skipped for the size subset', () => {
    const { status, output, tap } = runNodeTest('node-test.mjs');
    expect(status, output + tap.slice(-3000)).toBe(0);
    const counts = tapCounts(tap);
    expect(counts.fail).toBe(0);
    expect(counts.cancelled).toBe(0);
    expect(counts.pass).toBeGreaterThan(1000);
    expect(counts.pass + counts.skipped).toBe(counts.tests);
    // The backend started in the before hook and its declaration check ran as the first case.
    expect(tap).toMatch(/ok \d+ - the started backend declares what its factory declared/);
    registered.nodeTest = counts.tests;
  }, 300_000);

  it('runs under Mocha: every registered case passes or is skipped for the size subset', () => {
    const { status, output, report } = runMocha('mocha.mjs');
    expect(status, output).toBe(0);
    const { stats } = report;
    expect(stats.failures).toBe(0);
    expect(stats.passes).toBeGreaterThan(1000);
    expect(stats.passes + stats.pending).toBe(stats.tests);
    // The plan and the summary the suite prints, with the subset's skip reason.
    expect(output).toMatch(/softmax-kit conformance 'js': \d+ cases \(async \+ sync\), \d+ skipped/);
    expect(output).toContain("skipped: async: larger than the run's maxElements option (5000)");
    expect(output).toContain(
      "softmax-kit conformance 'js' finished: 0 failed as expected, 0 unexpected passes",
    );
    registered.mocha = stats.tests;
  }, 300_000);

  it('registers the same cases under both', () => {
    expect(registered.nodeTest).toBeDefined();
    expect(registered.mocha).toBe(registered.nodeTest);
  });

  it('reports the failing cases of a broken softmax kernel under both, and only those', () => {
    const node = runNodeTest('broken-node-test.mjs');
    const mocha = runMocha('broken-mocha.mjs');
    expect(node.status).not.toBe(0);
    expect(mocha.status).not.toBe(0);
    const counts = tapCounts(node.tap);
    expect(counts.fail).toBeGreaterThan(0);
    expect(mocha.report.stats.failures).toBe(counts.fail);
    expect(mocha.report.stats.passes).toBe(counts.pass);
    for (const { title } of mocha.report.failures) expect(title).toMatch(/softmax/);
  }, 300_000);
});
