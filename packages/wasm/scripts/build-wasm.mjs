#!/usr/bin/env node
// Compiles the shared C++ kernels (packages/native/kernels) and this package's export table
// (csrc/) to four .wasm files with clang 22 from npm (@yowasp/clang, itself WebAssembly): no
// system compiler, no downloads, the same bytes on every machine.
//   softmax-simd.wasm             SIMD128, private memory (one thread)
//   softmax-relaxed.wasm          + relaxed SIMD (fused multiply-add in exp only)
//   softmax-simd-shared.wasm      SIMD128, shared memory (worker threads)
//   softmax-relaxed-shared.wasm   + relaxed SIMD, shared memory
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runClang, runLLVM } from '@yowasp/clang';
import { BUILDS, INITIAL_MEMORY_BYTES, STACK_BYTES, WASM32_MAX_BYTES } from './wasm-layout.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = join(here, '..');
const kernelsDir = join(pkg, '..', 'native', 'kernels');
// --out DIR and --only FILE (the build test rebuilds one file elsewhere and compares bytes).
const argv = process.argv.slice(2);
const flag = (name) => {
  const at = argv.indexOf(name);
  return at >= 0 ? argv[at + 1] : undefined;
};
const outDir = flag('--out') ?? join(pkg, 'dist');
const only = flag('--only');

/** Every file under dir (relative names) whose name passes keep. */
function filesUnder(dir, keep) {
  const found = [];
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (keep(entry.name)) found.push(relative(dir, full));
    }
  };
  walk(dir);
  return found.sort();
}

/** The virtual file tree clang runs in: csrc/ and kernels/ (sources and headers). */
function sourceTree() {
  const tree = { csrc: {}, kernels: {} };
  const put = (root, base, name) => {
    const parts = name.split('/');
    let node = root;
    for (const p of parts.slice(0, -1)) node = node[p] ??= {};
    node[parts.at(-1)] = readFileSync(join(base, name), 'utf8');
  };
  const isSource = (n) => /\.(cc|h|inc)$/.test(n);
  for (const f of filesUnder(join(pkg, 'csrc'), isSource)) put(tree.csrc, join(pkg, 'csrc'), f);
  let kernelFiles = [];
  try {
    kernelFiles = filesUnder(kernelsDir, isSource);
  } catch {
    // the shared kernels are not there (yet): csrc alone must build
  }
  for (const f of kernelFiles) put(tree.kernels, kernelsDir, f);
  const units = [
    ...filesUnder(join(pkg, 'csrc'), (n) => n.endsWith('.cc')).map((f) => `csrc/${f}`),
    ...kernelFiles.filter((f) => f.endsWith('.cc') && !f.includes('/')).map((f) => `kernels/${f}`),
  ];
  return { tree, units };
}

function clangArgs(build, units, output) {
  const simd = ['-msimd128', ...(build.relaxed ? ['-mrelaxed-simd'] : [])];
  const shared = build.shared
    ? ['-matomics', '-mbulk-memory', '-Wl,--shared-memory', `-Wl,--max-memory=${WASM32_MAX_BYTES}`]
    : ['-mbulk-memory'];
  return [
    'clang++',
    '--target=wasm32',
    '-std=c++17',
    '-O3',
    '-ffreestanding',
    '-fno-exceptions',
    '-fno-rtti',
    '-nostdlib',
    '-nostdinc++',
    '-Wall',
    '-Werror',
    '-Ikernels',
    '-Icsrc',
    `-DSK_WASM_RELAXED=${build.relaxed ? 1 : 0}`,
    build.relaxed ? '-DSKK_ISA_WASM_RELAXED' : '-DSKK_ISA_WASM',
    '-ffp-contract=off',
    ...simd,
    ...shared,
    '-Wl,--no-entry',
    '-Wl,--import-memory',
    `-Wl,--initial-memory=${INITIAL_MEMORY_BYTES}`,
    `-Wl,-z,stack-size=${STACK_BYTES}`,
    '-Wl,--export=__stack_pointer',
    '-Wl,--export=__heap_base',
    '-Wl,--strip-all',
    ...units,
    '-o',
    output,
  ];
}

// Load the compiler's resources once, quietly (its default progress lines go to stdout).
await runLLVM(null, {}, { fetchProgress: () => {} });
const { tree, units } = sourceTree();
mkdirSync(outDir, { recursive: true });
for (const build of BUILDS.filter((b) => only === undefined || b.file === only)) {
  const output = build.file;
  let result;
  try {
    result = await runClang(clangArgs(build, units, output), structuredClone(tree), {
      stderr: (bytes) => bytes && process.stderr.write(bytes),
    });
  } catch (error) {
    process.stderr.write(`clang failed for ${build.file}: ${error.message}\n`);
    process.exit(1);
  }
  const bytes = result[output];
  writeFileSync(join(outDir, build.file), bytes);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  process.stdout.write(`${build.file}: ${bytes.length} bytes, sha256 ${hash}\n`);
}
