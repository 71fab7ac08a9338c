// Fits Hopper's and Blackwell's FP8 decode linear call lines per engine (`servingByEngine.<engine>.fp8LinearCall`) to aiconfigurator's published M = 1 FP8 GEMM tables. Run: npx tsx scripts/fit/kernels-fp8-call.ts
import { pathToFileURL } from "node:url";
import { resolveChip } from "../../src/catalog/resolve.js";
import { leastSquaresLine } from "../../src/core/fit.js";
import { kernelFile } from "./lib.js";

/** aiconfigurator's FP8 GEMM rows at M = 1, 2 MiB-2 GiB of weights, one line per chip, engine and scaling (data/kernels/fp8-call-fixed-published.json). */
const FP8_CALL_FILE = "fp8-call-fixed-published.json";

/** One table of the file with the least-squares line its extraction recorded (intercept, rate at the slope). */
export interface Fp8CallTable {
  chip: string;
  table: string;
  dtype: "fp8" | "fp8_block";
  interceptUs: number;
  bytesPerSAtSlope: number;
  /** The dynamic activation-scale step the rows include (TensorRT-LLM per-tensor), us. */
  computeScaleUs?: number;
  rows: { n: number; k: number; latencyMs: number }[];
}

/** The chips whose tables set each family's lines. */
const FAMILY_CHIPS: Record<string, readonly string[]> = {
  hopper: ["h100-sxm", "h200-sxm"],
  blackwell: ["b200"],
};
/** The engines with tables, and the scalings each has a CUDA-graph line for (vLLM's block-FP8 rows ran eager: none). */
const ENGINE_LINES: Record<string, readonly ["perTensor" | "blockScaled", Fp8CallTable["dtype"]][]> = {
  trtllm: [
    ["perTensor", "fp8"],
    ["blockScaled", "fp8_block"],
  ],
  sglang: [
    ["perTensor", "fp8"],
    ["blockScaled", "fp8_block"],
  ],
  vllm: [["perTensor", "fp8"]],
};

/** The file's tables (section fp8_call_m1). */
export function fp8CallTables(): Fp8CallTable[] {
  return (kernelFile(FP8_CALL_FILE).fp8_call_m1 as unknown as { tables: Fp8CallTable[] }).tables;
}

/** Least-squares line latency = intercept + weight bytes (n x k, one byte per FP8 weight) / rate through a table's rows. */
export function fp8CallLine(t: Fp8CallTable): { interceptUs: number; bytesPerS: number } {
  const { slope, intercept } = leastSquaresLine(
    t.rows.map((r) => r.n * r.k),
    t.rows.map((r) => r.latencyMs * 1e-3),
  );
  return { interceptUs: intercept * 1e6, bytesPerS: 1 / slope };
}

const median = (v: number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/**
 * One family's line for one engine and scaling: the medians over the family's chips of each table's least-squares
 * intercept less its dynamic-scale step (us) and of its rate at the slope over the chip's HBM bandwidth. Cost O(rows).
 */
export function fp8CallFigure(
  chips: readonly string[],
  engine: string,
  dtype: Fp8CallTable["dtype"],
): { fixedUs: number; hbmFraction: number; tables: number } {
  const ts = fp8CallTables().filter(
    (t) => chips.includes(t.chip) && t.table.includes(`/${engine}/`) && t.dtype === dtype,
  );
  const lines = ts.map(fp8CallLine);
  return {
    fixedUs: median(ts.map((t, i) => lines[i].interceptUs - (t.computeScaleUs ?? 0))),
    hbmFraction: median(ts.map((t, i) => lines[i].bytesPerS / resolveChip(t.chip).memoryBandwidthBytesPerS)),
    tables: ts.length,
  };
}

/**
 * Fitted values by parameter path (relative to families): per family, engine and scaling, `fixedS` to 0.01 us and
 * `hbmFraction` to 0.01. Cost O(tables).
 */
export function fitFp8CallLines(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [family, chips] of Object.entries(FAMILY_CHIPS))
    for (const [engine, lines] of Object.entries(ENGINE_LINES))
      for (const [scaling, dtype] of lines) {
        const f = fp8CallFigure(chips, engine, dtype);
        const at = `${family}.servingByEngine.${engine}.fp8LinearCall.${scaling}`;
        // Written as the code writes it ("7.58e-6"), so the parsed value is the literal's.
        out[`${at}.fixedS`] = Number(`${f.fixedUs.toFixed(2)}e-6`);
        out[`${at}.hbmFraction`] = Number(f.hbmFraction.toFixed(2));
      }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitFp8CallLines(), null, 2)}\n`);
}
