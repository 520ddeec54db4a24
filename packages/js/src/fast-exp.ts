/**
 * A table-driven exp for the float32 kernels, accurate to 6.6e-9 relative (float32 itself
 * rounds at 6e-8), several times cheaper than Math.exp, which V8 calls out of line.
 *
 * For d in [EXP_CUTOFF, EXP_CEILING]: d = -k * ln2 / 64 + r with k = round(-d * 64 / ln2) and
 * |r| <= ln2 / 128, so exp(d) = 2^(-k / 64) * exp(r): one lookup in a table of 2^(-k / 64) and a
 * degree-2 minimax polynomial for exp(r). Below the cutoff exp(d) is under float32's smallest
 * normal number and the result is 0 (exactly +0 for -Infinity); above the ceiling, where it
 * nears float32's largest, and for NaN, Math.exp takes over.
 */

// Private module constants: V8 folds these into the machine code wherever fastExp is inlined.
// Exported bindings live in cells that are reloaded each time, which measured ~30% slower in the
// softmax loop, so the exports below are copies and the kernels call fastExp.
const CUTOFF = -87.3; // exp(-87.3) ~ 1.2e-38, float32's smallest normal number
const CEILING = 88; // exp(88) ~ 1.7e38, below float32's largest (3.4e38)
// k ranges over [-8126, 8062]; the table is indexed by k + OFFSET, and adding OFFSET before the
// truncating `| 0` makes it round to nearest for negative k too.
const OFFSET = 8192;
const K_SCALE = -64 / Math.LN2;
const R_STEP = Math.LN2 / 64;
// Minimax coefficients of exp(r) ~ 1 + r * (P1 + r * P2) on [-ln2/128, ln2/128] (relative
// error 6.6e-9). The constant term is held at exactly 1 so that exp(0) = 1 exactly: the maximum
// of a slice weighs exactly 1 and a one-element log-softmax is exactly 0.
const P1 = 1.0000036629345301;
const P2 = 0.5000000616460579;
/** TABLE[i] = 2^(-(i - OFFSET) / 64), 127 KB. */
const TABLE = buildTable();

function buildTable(): Float64Array {
  const table = new Float64Array(OFFSET + 8064);
  for (let i = 0; i < table.length; i++) table[i] = 2 ** (-(i - OFFSET) / 64);
  return table;
}

/**
 * exp(d) for float32 results: relative error < 1e-8 on [EXP_CUTOFF, EXP_CEILING], 0 below it
 * (absolute error <= 1.22e-38), Math.exp above it and for NaN.
 */
export function fastExp(d: number): number {
  if (d >= CUTOFF && d <= CEILING) {
    const i = (d * K_SCALE + (OFFSET + 0.5)) | 0;
    const r = d + (i - OFFSET) * R_STEP;
    return TABLE[i] * (1 + r * (P1 + r * P2));
  }
  // Below float32's smallest normal number: flush to 0 (an absolute error of at most 1.22e-38) rather
  // than pay for Math.exp, so additive masks of -1e9 or -Infinity stay on the fast path.
  if (d < CUTOFF) return 0;
  return Math.exp(d); // NaN, or above the ceiling
}

/** Below this fastExp returns 0. */
export const EXP_CUTOFF = CUTOFF;
/** Above this fastExp hands over to Math.exp. */
export const EXP_CEILING = CEILING;
/** The table: EXP_TABLE[k + EXP_TABLE_OFFSET] = 2^(-k / 64), for tests. */
export const EXP_TABLE = TABLE;
export const EXP_TABLE_OFFSET = OFFSET;
