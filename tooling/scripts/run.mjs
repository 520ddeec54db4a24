#!/usr/bin/env node
// The README's two commands land here: `npm test` -> `run.mjs test`, `npm run bench` -> `run.mjs bench`.
// Each does its own set-up on a fresh machine with only Node and npm: pnpm, dependencies, builds.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PNPM_VERSION = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.split(
  '@',
)[1];

function step(title) {
  process.stderr.write(`\n==> ${title}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function must(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) {
    process.stderr.write(`\nFailed (exit ${status}): ${command} ${args.join(' ')}\n`);
    process.exit(status);
  }
}

/** pnpm itself: the global one when it is the pinned major, else fetched through npx. */
function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().split('.')[0] === PNPM_VERSION.split('.')[0])
    return ['pnpm', []];
  return ['npx', ['--yes', `pnpm@${PNPM_VERSION}`]];
}

const [pnpm, pnpmPrefix] = pnpmCommand();
const pn = (args, options) => must(pnpm, [...pnpmPrefix, ...args], options);

/** Whether a command runs here (e.g. `g++ --version`). */
function hasCommand(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * The native addon's build needs a C++ compiler, make and Python (node-gyp). Debian images
 * usually have them; when one is missing, apt-get installs them (root or passwordless sudo).
 */
function ensureNativeToolchain() {
  const missing = ['g++', 'make', 'python3'].filter((c) => !hasCommand(c));
  if (missing.length === 0) return;
  step(`Installing the native addon's build tools (missing: ${missing.join(', ')})`);
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args) => {
    const argv = [...sudo, 'apt-get', ...args];
    must(argv[0], argv.slice(1), { env });
  };
  apt(['update', '-q']);
  apt(['install', '-y', '-q', '--no-install-recommends', 'g++', 'make', 'python3']);
}

function setUp() {
  ensureNativeToolchain();
  step(`Installing dependencies (pnpm ${PNPM_VERSION})`);
  pn(['install', ...(process.env.CI ? ['--frozen-lockfile'] : [])]);
  step('Building every package');
  pn(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
}

/** Every workspace package folder (packages/*, apps/*, tooling/*). */
function packageDirs() {
  return ['packages', 'apps', 'tooling']
    .map((group) => join(root, group))
    .filter((dir) => existsSync(dir))
    .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)));
}

/** Where each package's vitest run leaves its JSON results (the shared vitest config). */
const resultsDir = (dir) => join(dir, '.vitest');

/** Sums the JSON results every vitest run left behind. */
function summarizeTests() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const dir of packageDirs()) {
    const file = join(resultsDir(dir), 'results.json');
    if (!existsSync(file)) continue;
    const results = JSON.parse(readFileSync(file, 'utf8'));
    passed += results.numPassedTests ?? 0;
    failed += results.numFailedTests ?? 0;
    skipped += (results.numPendingTests ?? 0) + (results.numTodoTests ?? 0);
  }
  return { passed, failed, skipped };
}

function clearTestResults() {
  for (const dir of packageDirs()) rmSync(resultsDir(dir), { recursive: true, force: true });
}

function test() {
  setUp();
  step('Lint and format check (biome)');
  pn(['exec', 'biome', 'check', '.']);
  step('Typecheck');
  pn(['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only']);
  step('Tests (every package, including the conformance suite per backend and the packaging test)');
  clearTestResults();
  const status = run(pnpm, [...pnpmPrefix, 'exec', 'turbo', 'run', 'test', '--concurrency=1', '--continue']);
  const { passed, failed, skipped } = summarizeTests();
  process.stdout.write(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  process.exit(status !== 0 ? status : failed > 0 ? 1 : 0);
}

function bench(args) {
  setUp();
  step('Benchmark');
  pn(['--filter', '@softmax-kit/bench', 'run', 'bench', ...(args.length > 0 ? ['--', ...args] : [])]);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'test') test();
else if (command === 'bench') bench(rest);
else {
  process.stderr.write('usage: node tooling/scripts/run.mjs test | bench [bench flags]\n');
  process.exit(2);
}
