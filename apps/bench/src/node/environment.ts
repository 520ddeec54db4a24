/** The machine and runtime, as the CLI's report describes them. */
import { availableParallelism, cpus, freemem, totalmem } from 'node:os';

export function nodeEnvironment(): Record<string, string | number> {
  const cpu = cpus()[0];
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: cpu ? cpu.model : 'unknown',
    cores: availableParallelism(),
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    freeMemoryGiB: Math.round(freemem() / 2 ** 30),
  };
}
