import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runClang, runLLVM } from '@yowasp/clang';

await runLLVM(null, {}, { fetchProgress: () => {} });
const kernels = {};
for (const f of readdirSync('../native/kernels'))
  if (/\.(h|cc)$/.test(f)) kernels[f] = readFileSync('../native/kernels/' + f, 'utf8');
kernels.include = {
  'softmax-kit-kernels.h': readFileSync('../native/kernels/include/softmax-kit-kernels.h', 'utf8'),
};
const src = process.argv[2] ?? 'softmax.cc';
const r = await runClang(
  [
    'clang++',
    '--target=wasm32',
    '-std=c++17',
    '-O3',
    '-ffreestanding',
    '-fno-exceptions',
    '-fno-rtti',
    '-nostdinc++',
    '-DSKK_ISA_WASM',
    '-ffp-contract=off',
    '-msimd128',
    '-S',
    `kernels/${src}`,
    '-o',
    'out.s',
  ],
  { kernels },
);
writeFileSync('/tmp/wz/out.s', r['out.s']);
