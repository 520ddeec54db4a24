/** Files written into the temporary consumer project for the compiler checks. */
import { copyFileSync, existsSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fixtures, workspace } from './workspace.js';

/** Copies fixtures/<name> to <consumer>/<folder>/<name>; returns the copy's path. */
export function copyFixture(consumer: string, name: string, folder: string): string {
  const target = join(consumer, folder, name);
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(join(fixtures, name), target);
  return target;
}

/** Writes <consumer>/<name> as a tsconfig checking `files` under `compilerOptions` and strict. */
export function writeTsconfig(
  consumer: string,
  name: string,
  compilerOptions: Record<string, unknown>,
  files: string[],
): string {
  const file = join(consumer, name);
  const options = {
    strict: true,
    target: 'ES2022',
    lib: ['ES2022'],
    types: [],
    noEmit: true,
    ...compilerOptions,
  };
  writeFileSync(file, JSON.stringify({ compilerOptions: options, files }, null, 2));
  return file;
}

/** Where the workspace has third-party packages installed (the bench has the peers). */
const workspaceModules = [join(workspace, 'node_modules'), join(workspace, 'apps', 'bench', 'node_modules')];

/**
 * Makes a package the workspace has installed importable from the consumer project (e.g. the
 * test runner or a peer library a README example imports), by linking its installed folder.
 */
export function linkFromWorkspace(consumer: string, name: string): void {
  const target = join(consumer, 'node_modules', name);
  if (existsSync(target)) return;
  const source = workspaceModules.map((dir) => join(dir, name)).find((dir) => existsSync(dir));
  if (source === undefined)
    throw new Error(`${name} is not installed in the workspace (looked in ${workspaceModules.join(', ')})`);
  mkdirSync(dirname(target), { recursive: true });
  symlinkSync(realpathSync(source), target, 'dir');
}
