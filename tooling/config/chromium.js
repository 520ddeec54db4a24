// Debian's Chromium for the browser tests of every package: installed with apt-get when
// /usr/bin/chromium is missing (non-interactive; root or passwordless sudo needed), launched
// headless through playwright-core with WebGPU on SwiftShader and everything that would reach
// the network turned off.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** The Chromium binary, installed first when missing. */
export function ensureChromium(log = () => {}) {
  if (existsSync(CHROMIUM)) return CHROMIUM;
  log('installing Debian chromium (apt-get)...');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
  const run = (args) => {
    const argv = [...sudo, ...args];
    execFileSync(argv[0], argv.slice(1), { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });
  };
  run(['apt-get', 'update', '-q']);
  run(['apt-get', 'install', '-y', '-q', '--no-install-recommends', 'chromium']);
  if (!existsSync(CHROMIUM)) throw new Error('apt-get install chromium did not provide /usr/bin/chromium');
  return CHROMIUM;
}

/** A fresh profile directory per launch (given to launchPersistentContext). */
export function freshUserDataDir() {
  return mkdtempSync(join(tmpdir(), 'softmax-kit-chromium-'));
}

/** Headless is set by playwright-core itself. */
export function chromiumArgs() {
  return [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--enable-features=Vulkan',
    '--use-webgpu-adapter=swiftshader',
    '--use-angle=swiftshader',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
    '--disable-default-apps',
    '--disable-domain-reliability',
    '--metrics-recording-only',
  ];
}
