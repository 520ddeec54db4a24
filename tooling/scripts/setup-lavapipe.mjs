#!/usr/bin/env node
// Makes the software Vulkan driver lavapipe available to Dawn (the `webgpu` npm package) without
// installing anything system-wide: Debian bookworm-backports' mesa-vulkan-drivers (the stock
// bookworm lavapipe is too old for Dawn) and the Vulkan loader are fetched with `apt-get download`
// through a private apt configuration (its source line derived from the machine's own apt
// sources, its lists under the cache), unpacked with `dpkg-deb -x` under <repo>/.cache/lavapipe,
// and an ICD json pointing at the unpacked driver is written. Idempotent: a second run only checks
// the files.
//
//   node tooling/scripts/setup-lavapipe.mjs     # last line: VK_ICD_FILENAMES=<path to the ICD json>
//
// A process that uses the driver needs VK_ICD_FILENAMES and LD_LIBRARY_PATH (for the unpacked
// loader) set when it starts: see `lavapipeEnv`.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const PACKAGES = [
  'mesa-vulkan-drivers/bookworm-backports',
  'libdrm2/bookworm-backports',
  'libdrm-amdgpu1/bookworm-backports',
  'libvulkan1',
];
/** Libraries mesa-vulkan-drivers needs that a minimal system may lack (downloaded only then). */
const MAYBE_MISSING = [
  'libllvm15',
  'libwayland-client0',
  'libx11-xcb1',
  'libxcb-dri3-0',
  'libxcb-present0',
  'libxcb-randr0',
  'libxcb-shm0',
  'libxcb-sync1',
  'libxcb-xfixes0',
  'libxcb1',
  'libxshmfence1',
  'libelf1',
  'libexpat1',
  'libzstd1',
  'libx11-6',
  'libxau6',
  'libxdmcp6',
  'libbsd0',
  'libmd0',
  'libffi8',
  'libedit2',
  'libxml2',
  'libicu72',
  'libtinfo6',
  'libz3-4',
  'libsensors5',
];

/** Where the driver is unpacked. */
export function lavapipeDir() {
  return join(REPO_ROOT, '.cache', 'lavapipe');
}

/** The environment a process needs (set before it starts) to find the unpacked driver and loader. */
export function lavapipeEnv(dir = lavapipeDir()) {
  const lib = join(dir, 'root', 'usr', 'lib', 'x86_64-linux-gnu');
  return {
    VK_ICD_FILENAMES: join(dir, 'lvp_icd.json'),
    LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
}

/** The Debian mirror URI of the machine's own apt sources (deb822 or one-line format). */
export function debianMirror() {
  const files = [];
  if (existsSync('/etc/apt/sources.list')) files.push('/etc/apt/sources.list');
  if (existsSync('/etc/apt/sources.list.d')) {
    for (const f of readdirSync('/etc/apt/sources.list.d')) files.push(join('/etc/apt/sources.list.d', f));
  }
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    for (const m of text.matchAll(/^URIs:\s*(\S+)/gm)) if (/\/debian\/?$/.test(m[1])) return m[1];
    for (const m of text.matchAll(/^deb\s+(?:\[[^\]]*\]\s+)?(\S+)\s+bookworm\s/gm)) {
      if (/\/debian\/?$/.test(m[1])) return m[1];
    }
  }
  throw new Error('no Debian mirror found in /etc/apt/sources.list{,.d} to derive bookworm-backports from');
}

function installed(pkg) {
  try {
    const s = execFileSync('dpkg-query', ['-W', `-f=${'$'}{Status}`, pkg], {
      encoding: 'utf8',
      stdio: 'pipe',
    });
    return s.includes('install ok installed');
  } catch {
    return false;
  }
}

function aptOptions(apt) {
  return [
    ['Dir::Etc::SourceList', join(apt, 'sources.list')],
    ['Dir::Etc::SourceParts', '/dev/null'],
    ['Dir::State::Lists', join(apt, 'lists')],
    ['Dir::Cache::archives', join(apt, 'archives')],
    ['Debug::NoLocking', '1'],
    ['APT::Sandbox::User', 'root'],
  ].flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

/**
 * Fetches and unpacks lavapipe once; returns the environment a process needs, or throws with
 * the reason (not linux x64, no Debian apt sources, apt-get failing...).
 */
export function setupLavapipe(log = () => {}) {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`lavapipe set-up supports linux x64 only (this is ${process.platform} ${process.arch})`);
  }
  const dir = lavapipeDir();
  const env = lavapipeEnv(dir);
  const stamp = join(dir, 'ready.json');
  const driver = join(dir, 'root', 'usr', 'lib', 'x86_64-linux-gnu', 'libvulkan_lvp.so');
  if (existsSync(stamp) && existsSync(driver) && existsSync(env.VK_ICD_FILENAMES)) return env;

  log('setting up lavapipe (software Vulkan) under .cache/lavapipe ...');
  const apt = join(dir, 'apt');
  rmSync(dir, { recursive: true, force: true });
  for (const d of [join(apt, 'lists', 'partial'), join(apt, 'archives', 'partial'), join(dir, 'debs')]) {
    mkdirSync(d, { recursive: true });
  }
  const mirror = debianMirror();
  const keyring = '/usr/share/keyrings/debian-archive-keyring.gpg';
  const signed = existsSync(keyring) ? `[signed-by=${keyring}] ` : '';
  writeFileSync(
    join(apt, 'sources.list'),
    `deb ${signed}${mirror} bookworm main\ndeb ${signed}${mirror} bookworm-backports main\n`,
  );
  const run = (args, cwd) =>
    execFileSync('apt-get', [...aptOptions(apt), '-q', ...args], {
      cwd,
      stdio: 'pipe',
      encoding: 'utf8',
      timeout: 300_000,
    });
  try {
    run(['update']);
    const wanted = [...PACKAGES, ...MAYBE_MISSING.filter((p) => !installed(p))];
    run(['download', ...wanted], join(dir, 'debs'));
  } catch (e) {
    const text = (e.stderr || e.message || String(e)).trim().split('\n').slice(-2).join(' ');
    throw new Error(`apt-get failed: ${text}`);
  }
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  for (const deb of readdirSync(join(dir, 'debs'))) {
    if (deb.endsWith('.deb')) execFileSync('dpkg-deb', ['-x', join(dir, 'debs', deb), root]);
  }
  if (!existsSync(driver)) throw new Error('mesa-vulkan-drivers unpacked but libvulkan_lvp.so is missing');
  const icd = JSON.parse(readFileSync(join(root, 'usr', 'share', 'vulkan', 'icd.d', 'lvp_icd.json'), 'utf8'));
  icd.ICD.library_path = driver;
  writeFileSync(env.VK_ICD_FILENAMES, JSON.stringify(icd, null, 2));
  rmSync(apt, { recursive: true, force: true });
  writeFileSync(
    stamp,
    JSON.stringify({ created: new Date().toISOString(), packages: readdirSync(join(dir, 'debs')) }),
  );
  log('lavapipe ready');
  return env;
}

const invokedDirectly = process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  try {
    const env = setupLavapipe((line) => process.stderr.write(`${line}\n`));
    process.stdout.write(
      `LD_LIBRARY_PATH=${env.LD_LIBRARY_PATH}\nVK_ICD_FILENAMES=${env.VK_ICD_FILENAMES}\n`,
    );
  } catch (e) {
    process.stderr.write(`setup-lavapipe: ${e.message}\n`);
    process.exit(1);
  }
}
