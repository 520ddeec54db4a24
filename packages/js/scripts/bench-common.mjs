// Shared by the dev microbenchmarks: option parsing, inputs, and the interleaved timing loop.

const argv = process.argv.slice(2);

/** The value after `--name` on the command line, else dflt. */
export const opt = (name, dflt) => {
  const k = argv.indexOf(`--${name}`);
  return k >= 0 ? argv[k + 1] : dflt;
};

/** True when `--name` is on the command line. */
export const flag = (name) => argv.includes(`--${name}`);

/** len float32 values uniform in [-scale, scale), from a fixed LCG seed (same inputs every run). */
export function randomF32(len, seed, scale) {
  let a = seed >>> 0;
  const out = new Float32Array(len);
  for (let k = 0; k < len; k++) {
    a = (a * 1664525 + 1013904223) >>> 0;
    out[k] = (a / 4294967296 - 0.5) * 2 * scale;
  }
  return out;
}

export const median = (a) => [...a].sort((p, q) => p - q)[a.length >> 1];

/**
 * Runs the functions in rotating order each round (for two: A B, then B A, ...) after three
 * warm-up rounds; returns their median times in ms.
 */
export function race(fns, rounds) {
  for (let w = 0; w < 3; w++) for (const f of fns) f();
  const t = fns.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let q = 0; q < fns.length; q++) {
      const k = (q + r) % fns.length;
      const t0 = performance.now();
      fns[k]();
      t[k].push(performance.now() - t0);
    }
  }
  return t.map(median);
}
