// Helpers shared by the fit scripts: reading kernel measurement files, least-squares in log space, rounding as the code writes values.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { nelderMead, roundSig } from "../../src/validate/optimize.js";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** One section of a zettasim-kernel-measurements/1 file. */
export interface KernelSection {
  method: string;
  rows: Record<string, unknown>[];
}

/** A kernel measurement file under data/kernels/, whole (its sections and any derived figures beside them). */
export function kernelDoc(
  name: string,
): { sections: Record<string, KernelSection> } & Record<string, unknown> {
  const v = JSON.parse(readFileSync(join(ROOT, "data", "kernels", name), "utf8"));
  if (v.format !== "zettasim-kernel-measurements/1") throw new Error(`${name}: unknown format ${v.format}`);
  return v;
}

/** The sections of a kernel measurement file under data/kernels/. */
export function kernelFile(name: string): Record<string, KernelSection> {
  return kernelDoc(name).sections;
}

/**
 * Fits positive parameters `p` of `predict` to measured times by least squares on log(predicted / measured),
 * searching in log space from `p0`. `robust` uses |residual| (L1) instead of its square, so that a single
 * anomalous kernel choice does not pull the fit. Returns the parameters and the RMS log residual.
 */
export function fitLog(
  p0: number[],
  rows: { measured: number; predict: (p: number[]) => number }[],
  robust = false,
): { p: number[]; rms: number; max: number } {
  const loss = (lp: number[]) => {
    const p = lp.map(Math.exp);
    let s = 0;
    for (const r of rows) {
      const e = Math.log(r.predict(p) / r.measured);
      s += robust ? Math.abs(e) : e * e;
    }
    return s;
  };
  let best = nelderMead(loss, p0.map(Math.log), { maxIter: 20000, tol: 1e-14 });
  // Restart from the optimum: Nelder-Mead can stall on a ridge.
  for (let i = 0; i < 3; i++) best = nelderMead(loss, best.x, { maxIter: 20000, tol: 1e-14 });
  const p = best.x.map(Math.exp);
  const res = rows.map((r) => Math.log(r.predict(p) / r.measured));
  return {
    p,
    rms: Math.sqrt(res.reduce((a, e) => a + e * e, 0) / res.length),
    max: Math.max(...res.map(Math.abs)),
  };
}

export { roundSig };
