/**
 * Loads a package by name: a normal import when it is a dependency of the bench, otherwise
 * (a softmax-kit backend added to the workspace after the bench was written) from the
 * workspace folder whose package.json has that name, so new backends need no bench change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const BENCH_ROOT = resolve(here, '..', '..');
export const REPO_ROOT = resolve(BENCH_ROOT, '..', '..');

function findInWorkspace(pkg: string): string | null {
  for (const group of ['packages', 'apps']) {
    const dir = join(REPO_ROOT, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const pj = join(dir, name, 'package.json');
      if (!existsSync(pj)) continue;
      try {
        const meta = JSON.parse(readFileSync(pj, 'utf8')) as {
          name?: string;
          main?: string;
          exports?: Record<string, unknown>;
        };
        if (meta.name !== pkg) continue;
        const dot = meta.exports?.['.'] as Record<string, string> | string | undefined;
        const entry =
          typeof dot === 'string'
            ? dot
            : (dot?.import ?? dot?.default ?? dot?.node ?? meta.main ?? 'index.js');
        const file = join(dir, name, entry);
        if (!existsSync(file))
          throw new Error(`${pkg} found at ${join(group, name)} but ${entry} is not built`);
        return file;
      } catch (e) {
        if ((e as Error).message.includes('not built')) throw e;
      }
    }
  }
  return null;
}

export async function loadModule(pkg: string): Promise<Record<string, unknown>> {
  try {
    return (await import(pkg)) as Record<string, unknown>;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'ERR_MODULE_NOT_FOUND') throw e;
    const file = findInWorkspace(pkg);
    if (!file)
      throw new Error(`not installed and not in this workspace (${(e as Error).message.split('\n')[0]})`);
    return (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  }
}
