/** Runs Node and the workspace's TypeScript compiler inside the temporary consumer project. */
import { execFileSync, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { workspace } from './workspace.js';

/** Runs an inline script as an ES module (or CommonJS) in `cwd`; returns its stdout parsed as JSON. */
export function nodeJson(
  cwd: string,
  script: string,
  inputType: 'module' | 'commonjs' = 'module',
  env: NodeJS.ProcessEnv = process.env,
): unknown {
  return JSON.parse(
    execFileSync('node', [`--input-type=${inputType}`, '-e', script], { cwd, encoding: 'utf8', env }),
  );
}

const tscBin = join(workspace, 'node_modules', 'typescript', 'bin', 'tsc');

/** tsc -p `tsconfig`; returns its exit status and output (diagnostics name files relative to its folder). */
export function tsc(tsconfig: string): { status: number | null; output: string } {
  const result = spawnSync('node', [tscBin, '-p', tsconfig, '--pretty', 'false'], {
    cwd: dirname(tsconfig),
    encoding: 'utf8',
  });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}
