import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = dirname(fileURLToPath(import.meta.url));
const ISOLATION = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The browser page: `vite build --config web/vite.config.ts` writes dist/web (opened by the
// browser test through a local static server); `vite --config web/vite.config.ts` serves it.
export default defineConfig({
  root: here,
  base: './',
  build: {
    outDir: resolve(here, '..', 'dist', 'web'),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
  },
  // cross-origin isolated: finer performance.now() and SharedArrayBuffer (wasm threads)
  server: { host: '127.0.0.1', headers: ISOLATION },
  preview: { host: '127.0.0.1', headers: ISOLATION },
});
