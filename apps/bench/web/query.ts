/**
 * The page's settings: its query parameters are the CLI's flags (src/flags.ts), so the page and
 * the CLI share defaults and meaning: `?ops=softmax&sizes=256x1000&repeats=3&round-ms=10`
 * (camelCase also accepted: roundMs, warmupMs), a flag without a value as a bare key (`?full`).
 */
import { type Config, parseFlags } from '../src/flags.js';

/** Flags that mean nothing in a page (output files, help). */
const IGNORED = new Set(['--json', '--html', '--no-html', '--help']);

export function configFromQuery(search: string, cores: number): Config {
  const argv: string[] = [];
  for (const [key, value] of new URLSearchParams(search)) {
    const flag = `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    if (IGNORED.has(flag)) continue;
    argv.push(flag);
    if (value !== '') argv.push(value);
  }
  return parseFlags(argv, cores);
}
