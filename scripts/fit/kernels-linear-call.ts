// Fits each NVIDIA family's fixed cost of one 16-bit decode linear call (`serving.linearCallFixedS`) to aiconfigurator's published M = 1 BF16 GEMM tables. Run: npx tsx scripts/fit/kernels-linear-call.ts
import { pathToFileURL } from "node:url";
import { leastSquaresLine } from "../../src/core/fit.js";
import { kernelFile, roundSig } from "./lib.js";

/** aiconfigurator's BF16 GEMM rows at M = 1, 2 MiB-2 GiB of weights, one table per chip and framework (data/kernels/gemv-call-fixed-published.json). */
const GEMV_FILE = "gemv-call-fixed-published.json";

/** One table of the file: a chip's rows under one framework, with the intercept the extraction script recorded. */
export interface GemvTable {
  chip: string;
  table: string;
  interceptUs: number;
  rows: { n: number; k: number; latencyMs: number }[];
}

/** The chips whose tables set each family's figure. */
const FAMILY_CHIPS: Record<string, readonly string[]> = {
  hopper: ["h100-sxm", "h200-sxm"],
  blackwell: ["b200"],
  ampere: ["a100-sxm-80gb"],
};

/** The file's tables (section gemv_m1_bf16_small). */
export function gemvTables(): GemvTable[] {
  return (kernelFile(GEMV_FILE).gemv_m1_bf16_small as unknown as { tables: GemvTable[] }).tables;
}

/** Intercept, in seconds, of the least-squares line latency = a + b x weight bytes (n x k x 2 B) through a table's rows. */
export function gemvInterceptS(t: GemvTable): number {
  return leastSquaresLine(
    t.rows.map((r) => r.n * r.k * 2),
    t.rows.map((r) => r.latencyMs * 1e-3),
  ).intercept;
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * Fitted values by parameter path (relative to families): per family, the median over its chips' tables (SGLang,
 * vLLM and TensorRT-LLM) of each table's least-squares intercept, rounded to 3 significant digits. Cost O(rows).
 */
export function fitLinearCallFixed(): Record<string, number> {
  const tables = gemvTables();
  const out: Record<string, number> = {};
  for (const [family, chips] of Object.entries(FAMILY_CHIPS))
    out[`${family}.serving.linearCallFixedS`] = roundSig(
      median(tables.filter((t) => chips.includes(t.chip)).map(gemvInterceptS)),
      3,
    );
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitLinearCallFixed(), null, 2)}\n`);
}
