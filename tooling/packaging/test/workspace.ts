/** Where the workspace is, which of its packages are published, and how to read their manifests. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const here = dirname(fileURLToPath(import.meta.url));
export const workspace = join(here, '..', '..', '..');
export const fixtures = join(here, '..', 'fixtures');

export interface Manifest {
  name: string;
  private?: boolean;
  license?: string;
  repository?: { type?: string; url?: string; directory?: string };
  homepage?: string;
  bugs?: { url?: string };
  exports?: Record<string, unknown>;
  files?: string[];
  sideEffects?: boolean;
  engines?: { node?: string };
  types?: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

export function readJson(file: string): Manifest {
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** Every package under packages/ that is not private: what npm would publish. */
export const publishable = readdirSync(join(workspace, 'packages'))
  // A folder without a manifest (a package being started) is not a package yet.
  .filter((dir) => existsSync(join(workspace, 'packages', dir, 'package.json')))
  .map((dir) => ({
    dir: join(workspace, 'packages', dir),
    folder: `packages/${dir}`,
    manifest: readJson(join(workspace, 'packages', dir, 'package.json')),
  }))
  .filter(({ manifest }) => manifest.private !== true);
