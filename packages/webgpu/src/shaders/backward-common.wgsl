// The per-element rules of softmaxBackward (op 0: term dy * y) and logSoftmaxBackward (op 1:
// term dy), shared by backward.wgsl and backward-rows.wgsl. Special values travel as flags so
// that no driver may drop them: bit 0 a +Infinity term, bit 1 a -Infinity term, bit 2 a NaN.
// A slice whose sum is not finite gives NaN at every position that counts.

// Flags of one counted element's term (0 when the term is finite).
fn termFlags(op: u32, aBits: u32, g: f32) -> u32 {
  let term = select(g, g * bitcast<f32>(aBits), op == 0u);
  let tBits = bitcast<u32>(term);
  if ((op == 0u && isNanBits(aBits)) || isNanBits(bitcast<u32>(g)) || isNanBits(tBits)) {
    return 4u;
  }
  if ((tBits & ABS_MASK) == POS_INF_BITS) {
    return select(1u, 2u, tBits == NEG_INF_BITS);
  }
  return 0u;
}

// The output bits of one counted element, from the slice's sum (finite = no flags were set).
fn backwardBits(op: u32, aBits: u32, g: f32, total: f32, finite: bool, invT: f32) -> u32 {
  let gBits = bitcast<u32>(g);
  if (!finite || isNanBits(aBits) || isNanBits(gBits) || (aBits & ABS_MASK) == POS_INF_BITS || (gBits & ABS_MASK) == POS_INF_BITS) {
    return NAN_BITS;
  }
  let av = bitcast<f32>(aBits);
  if (op == 0u) {
    return bitcast<u32>(av * (g - total) * invT);
  }
  return bitcast<u32>((g - expNonPositive(min(av, 0.0)) * total) * invT);
}
