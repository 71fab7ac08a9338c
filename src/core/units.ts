// Unit conversions: user-facing keys carry units (GBps, us, kW); everything inside is SI base units.

export const KB = 1e3;
export const MB = 1e6;
export const GB = 1e9;
export const TB = 1e12;
export const PB = 1e15;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const TiB = 2 ** 40;

export const TFLOPS = 1e12;
export const PFLOPS = 1e15;
export const EFLOPS = 1e18;
export const ZFLOPS = 1e21;

export const US = 1e-6;
export const NS = 1e-9;
export const MS = 1e-3;
export const HOUR = 3600;
export const DAY = 86400;

export const KW = 1e3;
export const MW = 1e6;

/** Formats an SI quantity with a metric prefix: fmtSI(1.6e16, "B/s") -> "16.0 PB/s". */
export function fmtSI(x: number, unit: string, digits = 3): string {
  if (!Number.isFinite(x)) return `${x} ${unit}`;
  const prefixes: [number, string][] = [
    [1e21, "Z"],
    [1e18, "E"],
    [1e15, "P"],
    [1e12, "T"],
    [1e9, "G"],
    [1e6, "M"],
    [1e3, "k"],
    [1, ""],
    [1e-3, "m"],
    [1e-6, "u"],
    [1e-9, "n"],
  ];
  const a = Math.abs(x);
  if (a === 0) return `0 ${unit}`;
  for (const [scale, p] of prefixes) {
    if (a >= scale) return `${(x / scale).toPrecision(digits)} ${p}${unit}`;
  }
  return `${x.toExponential(digits - 1)} ${unit}`;
}

/**
 * Memory per chip for people: "x.y GB" up to 10 TB (the scale every chip's HBM is read in, one decimal), with an SI
 * prefix beyond (an infeasible layout's demand reads "23.0 PB", not a 17-digit GB figure).
 */
export function fmtMemory(bytes: number): string {
  return Math.abs(bytes) < 1e13 ? `${(bytes / GB).toFixed(1)} GB` : fmtSI(bytes, "B");
}

/**
 * Formats a ratio with an "x": one decimal from 10 up, two from 0.01 up, and below that two significant digits
 * (scientific under 1e-6), so a small ratio never reads as 0.00x: fmtRatio(0.000137) -> "0.00014x".
 */
export function fmtRatio(r: number): string {
  if (!Number.isFinite(r)) return `${r}x`;
  const a = Math.abs(r);
  if (a === 0) return "0x";
  if (a >= 10) return `${r.toFixed(1)}x`;
  if (a >= 0.01) return `${r.toFixed(2)}x`;
  return `${a >= 1e-6 ? String(Number(r.toPrecision(2))) : r.toExponential(1)}x`;
}

/**
 * Formats a count with thousands separators: 524288 -> "524,288". Written out rather than toLocaleString, whose
 * first call loads the locale data (a tenth of a second at start-up) and whose output depends on the host's ICU.
 */
export function fmtInt(n: number): string {
  const r = Math.round(n);
  if (!Number.isFinite(r)) return String(r);
  if (Math.abs(r) >= 1e21) return String(r);
  const digits = String(Math.abs(r));
  let out = "";
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) out += ",";
    out += digits[i];
  }
  return r < 0 ? `-${out}` : out;
}

/** Formats seconds as the largest sensible unit: 0.0123 -> "12.3 ms", 90000 -> "1.04 d". */
export function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return String(s);
  const a = Math.abs(s);
  if (a >= DAY) return `${(s / DAY).toPrecision(3)} d`;
  if (a >= HOUR) return `${(s / HOUR).toPrecision(3)} h`;
  if (a >= 60) return `${(s / 60).toPrecision(3)} min`;
  if (a >= 1) return `${s.toPrecision(3)} s`;
  if (a >= MS) return `${(s / MS).toPrecision(3)} ms`;
  if (a >= US) return `${(s / US).toPrecision(3)} us`;
  return `${(s / NS).toPrecision(3)} ns`;
}
