// exp over any vector type (float: a degree-5 polynomial after a Cody-Waite reduction, about
// 2 ulp; double: degree-12 Taylor, about 1 ulp) and a scalar double log.
#ifndef SKK_MATH_H
#define SKK_MATH_H

#include "vec.h"

namespace SKK_NS {

constexpr float kInfF = __builtin_inff();
constexpr double kInfD = __builtin_inf();
constexpr float kLowestF = -3.40282347e38f;
constexpr double kLowestD = -1.7976931348623157e308;

template <class T>
struct Limits;
template <>
struct Limits<float> {
  static constexpr float inf() { return kInfF; }
  static constexpr float lowest() { return kLowestF; }
};
template <>
struct Limits<double> {
  static constexpr double inf() { return kInfD; }
  static constexpr double lowest() { return kLowestD; }
};

// exp(x) for x <= 88: exactly 0 below about -87.5 (and for -Infinity), NaN for NaN.
// Inputs are clamped at -127 ln2, where the exponent field 2^n is all zeros, so the result is
// exactly 0 without a compare: the clamp is the whole underflow path.
template <class V>
inline V vexp(V x, float, bool fast = false) {
  V xc = vmax(V::set1(-88.0296919311f), x);  // keeps NaN (second operand)
  if (!fast) xc = vmin(V::set1(88.3762626647949f), xc);
  const V magic = V::set1(12583039.0f);  // 1.5 * 2^23 + 127: t holds n + 127 (see pow2n)
  V t = fmadd(xc, V::set1(1.44269504088896341f), magic);
  V n = t - magic;
  V r;
  if (fast) {
    // One step with ln2 rounded to float, for one multiply-add less: r is off by |n| 1.9e-9, a
    // relative error of at most 2.4e-7 (|n| <= 127), far inside float32's bounds.
    r = fmadd(n, V::set1(-0.693147180559945309f), xc);
  } else {
    r = fmadd(n, V::set1(-0.693359375f), xc);  // Cody-Waite: ln2 = 0.693359375 - 2.12194440e-4
    r = fmadd(n, V::set1(2.12194440e-4f), r);
  }
  // exp(r) = 1 + r p(r), p a degree-4 minimax fit on [-ln2/2, ln2/2] (XNNPACK's p5 constants);
  // the result s + (r s) p(r), s = 2^n, keeps about 2 ulp.
  V p = fmadd(V::set1(0x1.0F9F9Cp-7f), r, V::set1(0x1.573A1Ap-5f));
  p = fmadd(p, r, V::set1(0x1.555A80p-3f));
  p = fmadd(p, r, V::set1(0x1.FFFDC6p-2f));
  p = fmadd(p, r, V::set1(0x1.FFFFF6p-1f));
  const V s = V::pow2n(t);
  return fmadd(r * s, p, s);
}

// exp(x) for x <= 709: exactly 0 below about -708.7 (and for -Infinity), NaN for NaN; the
// clamp at -1023 ln2 zeroes the exponent field, as for float.
template <class V>
inline V vexp(V x, double, bool fast = false) {
  V xc = vmax(V::set1(-709.089565712824), x);
  if (!fast) xc = vmin(V::set1(709.0), xc);
  const V magic = V::set1(6755399441056767.0);  // 1.5 * 2^52 + 1023: t holds n + 1023
  V t = fmadd(xc, V::set1(1.4426950408889634), magic);
  V n = t - magic;
  V r = fmadd(n, V::set1(-6.93147180369123816490e-01), xc);
  r = fmadd(n, V::set1(-1.90821492927058770002e-10), r);
  // Taylor to degree 12, Horner from the top.
  V p = V::set1(1.0 / 479001600.0);
  p = fmadd(p, r, V::set1(1.0 / 39916800.0));
  p = fmadd(p, r, V::set1(1.0 / 3628800.0));
  p = fmadd(p, r, V::set1(1.0 / 362880.0));
  p = fmadd(p, r, V::set1(1.0 / 40320.0));
  p = fmadd(p, r, V::set1(1.0 / 5040.0));
  p = fmadd(p, r, V::set1(1.0 / 720.0));
  p = fmadd(p, r, V::set1(1.0 / 120.0));
  p = fmadd(p, r, V::set1(1.0 / 24.0));
  p = fmadd(p, r, V::set1(1.0 / 6.0));
  p = fmadd(p, r, V::set1(0.5));
  p = fmadd(p, r, V::set1(1.0));
  p = fmadd(p, r, V::set1(1.0));
  return p * V::pow2n(t);
}

// exp(x) for x <= 88 with a 16-entry table (targets with V::kLut16): 2^(m/16) from the table
// and the exponent, m = round(16 x / ln2), then a degree-3 polynomial on |r| <= ln2 / 32.
// Two multiply-adds fewer than vexp; exactly 0 below -87.34 (and for -Infinity), NaN for NaN.
template <class V>
inline V vexp_lut16(V x) {
  const V magic = V::set1(786432.0f);  // 1.5 * 2^19: t - magic is m / 16
  V t = fmadd(x, V::set1(1.44269504088896341f), magic);
  V mf = t - magic;
  V r = fmadd(mf, V::set1(-0.693147180559945309f), x);  // one-step reduction, see vexp
  const V s = V::exp2_k16(t);
  // exp(r) - 1 = r + c2 r^2 + c3 r^3 (minimax on [-ln2/32, ln2/32]).
  V p = fmadd(V::set1(0x1.55561Cp-3f), r, V::set1(0x1.0001ECp-1f));
  p = p * r;
  p = fmadd(p, r, r);
  return select(lt(x, V::set1(-87.336544f)), V::set1(0.0f), fmadd(p, s, s));
}

// exp(x) for x <= 88 (float) / 709 (double), -Infinity or NaN (larger x give garbage: callers
// keep their arguments in range): vexp without the overflow clamp and, for float, with a
// one-step reduction, or the table form where the target has it.
template <class V>
inline V vexp_fast(V x) {
  if constexpr (V::kLut16) {
    return vexp_lut16(x);
  } else {
    return vexp(x, typename V::T(), true);
  }
}

template <class V>
inline V vexp(V x) {
  return vexp(x, typename V::T());
}

// Scalar exp through the one-lane type (the same bits as a wide lane).
inline double exp_d(double x) {
  D1 v = D1::set1(x);
  return vexp(v).v[0];
}

// Natural log in double, about 1 ulp: log(m 2^e) = e ln2 + 2 atanh((m - 1) / (m + 1)).
inline double log_d(double x) {
  if (x != x) return x;
  if (x < 0) return __builtin_nan("");
  if (x == 0) return -kInfD;
  if (x == kInfD) return kInfD;
  int64_t e = 0;
  if (x < 2.2250738585072014e-308) {
    x *= 18014398509481984.0;  // 2^54
    e = -54;
  }
  uint64_t bits;
  __builtin_memcpy(&bits, &x, 8);
  e += static_cast<int64_t>((bits >> 52) & 0x7ff) - 1023;
  bits = (bits & 0x000fffffffffffffull) | 0x3ff0000000000000ull;
  double m;
  __builtin_memcpy(&m, &bits, 8);
  if (m > 1.4142135623730951) {
    m *= 0.5;
    e += 1;
  }
  double s = (m - 1.0) / (m + 1.0);
  // p = sum of z^k / (2k + 3), k = 0..10, by Estrin's scheme: a short row's log of its sum
  // sits on its critical path, and Horner's chain of ten multiply-adds took about a fifth of a
  // 32768x128 cross-entropy.
  const double z = s * s, z2 = z * z, z4 = z2 * z2, z8 = z4 * z4;
  const double a0 = 1.0 / 3.0 + z * (1.0 / 5.0), a1 = 1.0 / 7.0 + z * (1.0 / 9.0);
  const double a2 = 1.0 / 11.0 + z * (1.0 / 13.0), a3 = 1.0 / 15.0 + z * (1.0 / 17.0);
  const double a4 = 1.0 / 19.0 + z * (1.0 / 21.0), a5 = 1.0 / 23.0;
  const double p = (a0 + z2 * a1) + z4 * (a2 + z2 * a3) + z8 * (a4 + z2 * a5);
  double logm = 2.0 * s + 2.0 * s * z * p;
  double de = static_cast<double>(e);
  return de * 6.93147180369123816490e-01 + (de * 1.90821492927058770002e-10 + logm);
}

}  // namespace SKK_NS

#endif
