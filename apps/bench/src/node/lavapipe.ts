/**
 * Sets up the software Vulkan driver lavapipe for Dawn without installing anything system-wide:
 * Debian bookworm-backports' mesa-vulkan-drivers (the stock bookworm lavapipe is too old for
 * Dawn) and the Vulkan loader are fetched with `apt-get download` through a private apt
 * configuration (its sources derived from the machine's own apt sources, its lists under the
 * cache), unpacked with `dpkg-deb -x` under <repo>/.cache/lavapipe, and an ICD json pointing at
 * the unpacked driver is written. Idempotent: a second call only checks the files.
 * Returns the environment GPU workers need, or throws with the reason.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from './load-module.js';

export interface GpuEnv {
  VK_ICD_FILENAMES: string;
  LD_LIBRARY_PATH: string;
}

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

export function lavapipeDir(): string {
  return join(REPO_ROOT, '.cache', 'lavapipe');
}

function envFor(dir: string): GpuEnv {
  const lib = join(dir, 'root', 'usr', 'lib', 'x86_64-linux-gnu');
  return {
    VK_ICD_FILENAMES: join(dir, 'lvp_icd.json'),
    LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
  };
}

/** The Debian mirror URI of the machine's own apt sources (deb822 or one-line format). */
export function debianMirror(): string {
  const files: string[] = [];
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

function installed(pkg: string): boolean {
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

export function setupLavapipe(log: (line: string) => void = () => {}): GpuEnv {
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new Error(`lavapipe set-up supports linux x64 only (this is ${process.platform} ${process.arch})`);
  }
  const dir = lavapipeDir();
  const stamp = join(dir, 'ready.json');
  const env = envFor(dir);
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
  const opts = [
    '-o',
    `Dir::Etc::SourceList=${join(apt, 'sources.list')}`,
    '-o',
    'Dir::Etc::SourceParts=/dev/null',
    '-o',
    `Dir::State::Lists=${join(apt, 'lists')}`,
    '-o',
    `Dir::Cache::archives=${join(apt, 'archives')}`,
    '-o',
    'Debug::NoLocking=1',
    '-o',
    'APT::Sandbox::User=root',
    '-q',
  ];
  const run = (args: string[], cwd?: string) =>
    execFileSync('apt-get', [...opts, ...args], { cwd, stdio: 'pipe', encoding: 'utf8', timeout: 300_000 });
  try {
    run(['update']);
    const wanted = [...PACKAGES, ...MAYBE_MISSING.filter((p) => !installed(p))];
    run(['download', ...wanted], join(dir, 'debs'));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw new Error(`apt-get failed: ${(err.stderr || err.message).trim().split('\n').slice(-2).join(' ')}`);
  }
  const root = join(dir, 'root');
  mkdirSync(root, { recursive: true });
  for (const deb of readdirSync(join(dir, 'debs'))) {
    if (deb.endsWith('.deb')) execFileSync('dpkg-deb', ['-x', join(dir, 'debs', deb), root]);
  }
  if (!existsSync(driver)) throw new Error('mesa-vulkan-drivers unpacked but libvulkan_lvp.so is missing');
  const icd = JSON.parse(
    readFileSync(join(root, 'usr', 'share', 'vulkan', 'icd.d', 'lvp_icd.json'), 'utf8'),
  ) as {
    ICD: { library_path: string };
  };
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
