// Elementary functions that give the same bits in every JavaScript engine: log, exp, expm1, pow, cos.
//
// Math.log, Math.exp, Math.pow and Math.cos are not specified to the bit, and V8 builds differ (Node 20 and a current
// Chromium disagree in the last bit of Math.log on about 7% of inputs). These are written from the published
// fdlibm algorithms (Sun Microsystems, 1993: e_log.c, e_exp.c, s_expm1.c, k_cos.c, k_sin.c): argument reduction,
// then a fixed minimax polynomial, using only +, -, *, / and exact bit operations, which IEEE 754 makes identical
// everywhere (JavaScript never fuses a multiply-add). Each is within 1 ulp of the exact value (checked against
// 200-bit references in math.test.ts); most results are correctly rounded. No library was taken: the npm
// candidates either wrap Math.* or are far larger than the five functions the core needs.

const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
/** Index of the high (sign, exponent, top mantissa) word of F64 in U32, by the platform's byte order. */
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

const highWord = (x: number): number => {
  F64[0] = x;
  return U32[HI] | 0;
};
const fromWords = (hi: number, lo: number): number => {
  U32[HI] = hi;
  U32[LO] = lo;
  return F64[0];
};
/** x with its high word replaced (low word kept). */
const withHighWord = (x: number, hi: number): number => {
  F64[0] = x;
  U32[HI] = hi;
  return F64[0];
};

/** ln 2 split so that k * LN2_HI is exact for |k| < 2^11. */
const LN2_HI = 0.6931471803691238;
const LN2_LO = 1.9082149292705877e-10;
const INV_LN2 = Math.LOG2E;
const TWO54 = 18014398509481984;

// log(1+f) = f - f^2/2 + s(f^2/2 + R(s^2)), s = f/(2+f): minimax coefficients of R on [0, 0.1716] (fdlibm e_log.c).
const LG1 = 0.6666666666666735;
const LG2 = 0.3999999999940942;
const LG3 = 0.2857142874366239;
const LG4 = 0.22222198432149784;
const LG5 = 0.1818357216161805;
const LG6 = 0.15313837699209373;
const LG7 = 0.14798198605116586;

/**
 * Natural logarithm, identical in every engine, within 1 ulp. x = 2^k (1+f) with 1+f in [sqrt(2)/2, sqrt(2)),
 * then log(1+f) from an odd polynomial in s = f/(2+f). NaN for x < 0 or NaN; -Infinity at 0. Cost: ~20 flops.
 */
export function log(x: number): number {
  if (!(x > 0)) return x === 0 ? Number.NEGATIVE_INFINITY : Number.NaN;
  if (x === Number.POSITIVE_INFINITY) return x;
  let k = 0;
  let hx = highWord(x);
  if (hx < 0x00100000) {
    // Subnormal: scale into the normal range first.
    k -= 54;
    x *= TWO54;
    hx = highWord(x);
  }
  k += (hx >> 20) - 1023;
  hx &= 0x000fffff;
  // i is 0x100000 when the mantissa is at least sqrt(2): then halve into [sqrt(2)/2, 1) and bump k.
  const i = (hx + 0x95f64) & 0x100000;
  x = withHighWord(x, hx | (i ^ 0x3ff00000));
  k += i >> 20;
  const f = x - 1;
  const dk = k;
  if ((0x000fffff & (2 + hx)) < 3) {
    // |f| < 2^-20: a short series suffices.
    if (f === 0) return dk * LN2_HI + dk * LN2_LO;
    const r = f * f * (0.5 - 0.3333333333333333 * f);
    return dk * LN2_HI - (r - dk * LN2_LO - f);
  }
  const s = f / (2 + f);
  const z = s * s;
  const w = z * z;
  const t1 = w * (LG2 + w * (LG4 + w * LG6));
  const t2 = z * (LG1 + w * (LG3 + w * (LG5 + w * LG7)));
  const r = t2 + t1;
  // Near 1+f = 1.5 the f^2/2 split keeps the error below 1 ulp; elsewhere the plain form does.
  const far = (hx - 0x6147a) | (0x6b851 - hx);
  if (far > 0) {
    const hfsq = 0.5 * f * f;
    return dk * LN2_HI - (hfsq - (s * (hfsq + r) + dk * LN2_LO) - f);
  }
  return dk * LN2_HI - (s * (f - r) - dk * LN2_LO - f);
}

// exp(r) = 1 + r + r c / (2 - c), c = r - r^2 (P1 + ... + P5 r^8): minimax on [-ln2/2, ln2/2] (fdlibm e_exp.c).
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 0.00006613756321437934;
const P4 = -0.0000016533902205465252;
const P5 = 4.1381367970572385e-8;
const EXP_OVERFLOW = 709.782712893384;
const EXP_UNDERFLOW = -745.1332191019411;

/** 2^k for whole k in [-1022, 1023], built from its bits. */
const twoTo = (k: number): number => fromWords((k + 1023) << 20, 0);

/**
 * y * 2^k for y in [0.5, 2) and whole k in [-1080, 1024], rounded once: a result below the normal range is
 * scaled up by 2^54 first and down at the end, so only the last multiplication rounds.
 */
function scale2(y: number, k: number): number {
  if (k > 1023) return y * twoTo(1023) * 2;
  if (k < -1021) return y * twoTo(k + 54) * twoTo(-54);
  return y * twoTo(k);
}

/**
 * e^x, identical in every engine, within 1 ulp. x = k ln2 + r with |r| <= ln2/2 (ln2 in two parts, so r is exact
 * to ~1e-20), then a rational approximation of e^r, scaled by 2^k. Cost: ~20 flops.
 */
export function exp(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_OVERFLOW) return Number.POSITIVE_INFINITY;
  if (x < EXP_UNDERFLOW) return 0;
  const ax = Math.abs(x);
  if (ax < 3.725290298461914e-9) return 1 + x; // |x| < 2^-28: e^x rounds to 1 + x
  let hi: number;
  let lo: number;
  let k: number;
  if (ax > 0.5 * LN2_HI) {
    k = ax < 1.5 * LN2_HI ? (x > 0 ? 1 : -1) : Math.trunc(INV_LN2 * x + (x > 0 ? 0.5 : -0.5));
    hi = x - k * LN2_HI;
    lo = k * LN2_LO;
  } else {
    k = 0;
    hi = x;
    lo = 0;
  }
  const r = hi - lo;
  const t = r * r;
  const c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  if (k === 0) return 1 - ((r * c) / (c - 2) - r);
  const y = 1 - (lo - (r * c) / (2 - c) - hi);
  return scale2(y, k);
}

// expm1 on [-ln2/2, ln2/2]: a rational form with minimax coefficients Q1..Q5 (fdlibm s_expm1.c).
const Q1 = -0.03333333333333313;
const Q2 = 0.0015873015872548146;
const Q3 = -0.0000793650757867488;
const Q4 = 0.000004008217827329362;
const Q5 = -2.0109921818362437e-7;

/**
 * e^x - 1 without the cancellation of exp(x) - 1 near 0, identical in every engine, within 1 ulp. Same reduction
 * as exp, with the rounding error of r carried in c; cost ~25 flops.
 */
export function expm1(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > EXP_OVERFLOW) return Number.POSITIVE_INFINITY;
  if (x < -38.816242111356935) return -1; // below -56 ln2, e^x - 1 rounds to -1
  const ax = Math.abs(x);
  let k = 0;
  let c = 0;
  let r = x;
  if (ax > 0.5 * LN2_HI) {
    let hi: number;
    let lo: number;
    if (ax < 1.5 * LN2_HI) {
      k = x > 0 ? 1 : -1;
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    } else {
      k = Math.trunc(INV_LN2 * x + (x > 0 ? 0.5 : -0.5));
      hi = x - k * LN2_HI;
      lo = k * LN2_LO;
    }
    r = hi - lo;
    c = hi - r - lo;
  } else if (ax < 5.551115123125783e-17) {
    return x; // |x| < 2^-54
  }
  const hfx = 0.5 * r;
  const hxs = r * hfx;
  const r1 = 1 + hxs * (Q1 + hxs * (Q2 + hxs * (Q3 + hxs * (Q4 + hxs * Q5))));
  const t = 3 - r1 * hfx;
  let e = hxs * ((r1 - t) / (6 - r * t));
  if (k === 0) return r - (r * e - hxs);
  e = r * (e - c) - c;
  e -= hxs;
  if (k === -1) return 0.5 * (r - e) - 0.5;
  if (k === 1) return r < -0.25 ? -2 * (e - (r + 0.5)) : 1 + 2 * (r - e);
  if (k <= -2 || k > 56) {
    // 2^k (1 + r - e) - 1 where the final -1 no longer loses digits.
    const y = 1 - (e - r);
    return scale2(y, k) - 1;
  }
  const twoK = twoTo(k);
  if (k < 20) {
    const tk = fromWords(0x3ff00000 - (0x200000 >> k), 0); // 1 - 2^-k
    return (tk - (e - r)) * twoK;
  }
  const tk = fromWords((0x3ff - k) << 20, 0); // 2^-k
  return (r - (e + tk) + 1) * twoK;
}

/** Veltkamp split of a (|a| < 2^996) into a 26-bit head and the rest, so products of halves are exact. */
function splitHead(a: number): number {
  const t = a * 134217729;
  return t - (t - a);
}

/** (ah + al) * (bh + bl) in double-double arithmetic (Dekker): returns the head and stores the tail in DD[0]. */
const DD = new Float64Array(1);
function ddMul(ah: number, al: number, bh: number, bl: number): number {
  const p = ah * bh;
  const a1 = splitHead(ah);
  const b1 = splitHead(bh);
  const err = a1 * b1 - p + a1 * (bh - b1) + (ah - a1) * b1 + (ah - a1) * (bh - b1);
  const tail = err + (ah * bl + al * bh);
  const head = p + tail;
  DD[0] = tail - (head - p);
  return head;
}

/** x^n for whole n >= 1 by repeated squaring in double-double arithmetic: within 1 ulp while no step leaves [1e-290, 1e290]. */
function powWhole(x: number, n: number): number {
  let bh = x;
  let bl = 0;
  let ah = 1;
  let al = 0;
  for (let m = n; m > 0; m = Math.floor(m / 2)) {
    if (!(Math.abs(bh) < 1e290 && Math.abs(bh) > 1e-290 && Math.abs(ah) < 1e290 && Math.abs(ah) > 1e-290)) {
      // Near the ends of the range double-double splitting overflows: finish in plain doubles.
      let acc = ah + al;
      let base = bh + bl;
      for (; m > 0; m = Math.floor(m / 2)) {
        if (m % 2 === 1) acc *= base;
        base *= base;
      }
      return acc;
    }
    if (m % 2 === 1) {
      ah = ddMul(ah, al, bh, bl);
      al = DD[0];
    }
    if (m > 1) {
      bh = ddMul(bh, bl, bh, bl);
      bl = DD[0];
    }
  }
  return ah + al;
}

/**
 * x^y, identical in every engine. Whole exponents up to 2^31 in size by repeated squaring in double-double
 * arithmetic (within 1 ulp); others as exp(y log x) (within 2|y ln x| + 2 ulps, ample for sampling).
 * Special cases follow Math.pow: x^0 = 1, NaN in gives NaN, a negative x with a fractional y gives NaN.
 * Cost: at most ~60 flops.
 */
export function pow(x: number, y: number): number {
  if (y === 0) return 1;
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.NaN;
  if (Number.isInteger(y) && Math.abs(y) <= 2147483648) {
    if (x === 0 || !Number.isFinite(x)) return x ** y; // exact IEEE special cases, same everywhere
    const r = powWhole(x, Math.abs(y));
    return y < 0 ? 1 / r : r;
  }
  if (x < 0) return Number.NaN;
  if (x === 0) return y > 0 ? 0 : Number.POSITIVE_INFINITY;
  if (x === 1) return 1;
  if (x === Number.POSITIVE_INFINITY) return y > 0 ? x : 0;
  if (!Number.isFinite(y)) return x > 1 === y > 0 ? Number.POSITIVE_INFINITY : 0;
  return exp(y * log(x));
}

// cos and sin on [-pi/4, pi/4]: minimax polynomials (fdlibm k_cos.c, k_sin.c).
const C1 = 0.0416666666666666;
const C2 = -0.001388888888887411;
const C3 = 0.00002480158728947673;
const C4 = -2.7557314351390663e-7;
const C5 = 2.087572321298175e-9;
const C6 = -1.1359647557788195e-11;
const S1 = -0.16666666666666632;
const S2 = 0.00833333333332249;
const S3 = -0.0001984126982985795;
const S4 = 0.0000027557313707070068;
const S5 = -2.5050760253406863e-8;
const S6 = 1.58969099521155e-10;
/** pi/2 in three parts: each k * part is exact for |k| < 2^20. */
const PIO2_1 = 1.5707963267341256;
const PIO2_1T = 6.077100506506192e-11;
const PIO2_2 = 6.077100506303966e-11;
const PIO2_2T = 2.0222662487959506e-21;

function kernelCos(x: number, y: number): number {
  const z = x * x;
  const r = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
  const hz = 0.5 * z;
  const w = 1 - hz;
  return w + (1 - w - hz + (z * r - x * y));
}

function kernelSin(x: number, y: number): number {
  const z = x * x;
  const v = z * x;
  const r = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
  return x - (z * (0.5 * y - v * r) - y - v * S1);
}

/**
 * Cosine for |x| <= 2^20 (the core needs angles in [0, 2 pi)), identical in every engine, within 1 ulp: x = k pi/2 + r
 * with pi/2 in parts (a third when the first two cancel), then the kernel polynomial of r's quadrant. NaN beyond
 * the range. Cost: ~30 flops.
 */
export function cos(x: number): number {
  const ax = Math.abs(x);
  if (!(ax <= 1048576)) return Number.NaN;
  if (ax <= 0.7853981633974483) return kernelCos(ax, 0);
  const k = Math.trunc(ax * 0.6366197723675814 + 0.5);
  let r = ax - k * PIO2_1;
  let w = k * PIO2_1T;
  let head = r - w;
  // When r lost more than 16 bits to cancellation, take the next part of pi/2 too.
  if (((highWord(ax) >> 20) & 0x7ff) - ((highWord(head) >> 20) & 0x7ff) > 16) {
    const t = r;
    w = k * PIO2_2;
    r = t - w;
    w = k * PIO2_2T - (t - r - w);
    head = r - w;
  }
  const tail = r - head - w;
  switch (k & 3) {
    case 0:
      return kernelCos(head, tail);
    case 1:
      return -kernelSin(head, tail);
    case 2:
      return -kernelCos(head, tail);
    default:
      return kernelSin(head, tail);
  }
}
