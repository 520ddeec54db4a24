#!/usr/bin/env node
/**
 * softmax-kit bench CLI: `node dist/cli.js [flags]` (see --help). Progress on stderr; the table
 * on stdout (on stderr with --json, which prints the report as JSON on stdout); the HTML report
 * written to a path it prints.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runBench } from './coordinator.js';
import { HELP, parseFlags } from './flags.js';
import { BENCH_ROOT } from './node/load-module.js';
import { Progress } from './progress.js';
import { renderHtml } from './report-html.js';
import { renderTable } from './table.js';

async function main(): Promise<number> {
  let config: ReturnType<typeof parseFlags>;
  try {
    config = parseFlags(process.argv.slice(2), availableParallelism());
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (config.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const progress = new Progress();
  progress.log(
    `softmax-kit bench (${config.full ? 'full' : 'quick'}): ops ${config.ops.join(',')}; sizes ${config.sizes.map((s) => s.id).join(',')}; ${config.repeats} rounds`,
  );
  const report = await runBench(config, progress);
  const table = renderTable(report);
  if (config.json) {
    process.stderr.write(`${table}\n`);
    process.stdout.write(`${JSON.stringify(report, null, 1)}\n`);
  } else {
    process.stdout.write(`${table}\n`);
  }
  if (config.html !== null) {
    const stamp = report.startedAt.replace(/[:.]/g, '-');
    const path =
      config.html === 'default' ? join(BENCH_ROOT, 'reports', `bench-${stamp}.html`) : resolve(config.html);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderHtml(report));
    process.stderr.write(`HTML report: ${path}\n`);
  }
  return 0;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`bench failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
