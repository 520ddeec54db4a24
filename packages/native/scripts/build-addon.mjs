#!/usr/bin/env node
// Builds the native addon offline with node-gyp against the running Node's own headers, then
// copies it to prebuilds/<platform>-<arch>/softmax-kit-native.node (what the tarball ships).
//   node scripts/build-addon.mjs            build (skipped when the binary is newer than every source)
//   node scripts/build-addon.mjs --force    always rebuild
// SOFTMAX_KIT_NODEDIR=<dir> names a Node source/headers tree (with include/node) to use instead.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'prebuilds', `${process.platform}-${process.arch}`, 'softmax-kit-native.node');
const force = process.argv.includes('--force');

/** A directory with include/node/node_api.h for node-gyp's --nodedir, so it never downloads headers. */
function nodeDir() {
  const given = process.env.SOFTMAX_KIT_NODEDIR;
  if (given) return given;
  const prefix = dirname(dirname(process.execPath));
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) return prefix;
  for (const headers of ['/usr/include/node', '/usr/local/include/node']) {
    if (existsSync(join(headers, 'node_api.h'))) {
      // node-gyp wants <dir>/include/node: lay one out around the system headers.
      const dir = mkdtempSync(join(tmpdir(), 'softmax-kit-nodedir-'));
      mkdirSync(join(dir, 'include'));
      symlinkSync(headers, join(dir, 'include', 'node'));
      return dir;
    }
  }
  throw new Error(
    "Node's C headers (include/node/node_api.h) were not found next to this Node or in /usr/include/node. " +
      'Install them (e.g. the nodejs-dev / libnode-dev package, or use an official Node tarball) or set SOFTMAX_KIT_NODEDIR.',
  );
}

function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'build') walk(path);
      } else if (/\.(cc|h|gyp)$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  walk(join(root, 'kernels'));
  walk(join(root, 'addon'));
  return newest;
}

if (!force && existsSync(target) && statSync(target).mtimeMs >= newestSource()) {
  console.log(`native addon up to date: ${target}`);
  process.exit(0);
}

const require = createRequire(import.meta.url);
const gyp = require.resolve('node-gyp/bin/node-gyp.js');
const result = spawnSync(
  process.execPath,
  [gyp, 'rebuild', '--release', `--nodedir=${nodeDir()}`, '--jobs=max'],
  { cwd: join(root, 'addon'), stdio: 'inherit', env: { ...process.env, npm_config_loglevel: 'warn' } },
);
if (result.status !== 0) {
  console.error('native addon build failed: it needs a C++17 compiler, make and Python 3 (node-gyp).');
  process.exit(result.status ?? 1);
}
mkdirSync(dirname(target), { recursive: true });
copyFileSync(join(root, 'addon', 'build', 'Release', 'softmax_kit_native.node'), target);
console.log(`native addon built: ${target}`);
