// Extracts the M = 1 BF16 GEMM rows of 2 MiB to 2 GiB of weights from NVIDIA's aiconfigurator per-chip GEMM tables into
// data/kernels/gemv-call-fixed-published.json, with the least-squares line latency = intercept + bytes / rate per table:
// the fixed cost of one decode-sized BF16 linear call beyond its weight bytes (src/serving/linear-call-fixed.ts).
// Usage: npx tsx scripts/extract/gemv-call-fixed-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { leastSquaresLine } from "../../src/core/fit.js";
import { gemvRows, gemvTable } from "./hbm-achieved-aiconfigurator.js";
import { type PyJson, parsePreserving, pyDumps, pyRoundFloat } from "./lib/py-json.js";
import {
  AICONFIGURATOR_COMMIT,
  AICONFIGURATOR_DATA,
  isMain,
  num,
  openSource,
  type Row,
  readParquet,
  readSourceFile,
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/gemv-call-fixed-published.json";
const BASE = AICONFIGURATOR_DATA;
/** Weights from 2 MiB (below: the call is all fixed cost) up to 2 GiB (the largest linear of the served models). */
export const MIN_BYTES = 2 * 2 ** 20;
export const MAX_BYTES = 2 * 2 ** 30;
const HOPPER_BLACKWELL = ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"];
/** catalog chip id -> aiconfigurator system and the tables (framework/version) read. */
const CHIPS: Record<string, { system: string; versions: string[] }> = {
  "a100-sxm-80gb": { system: "a100_sxm", versions: ["sglang/0.5.10", "vllm/0.14.0", "trtllm/1.0.0"] },
  "h100-sxm": { system: "h100_sxm", versions: HOPPER_BLACKWELL },
  "h200-sxm": { system: "h200_sxm", versions: HOPPER_BLACKWELL },
  b200: { system: "b200_sxm", versions: HOPPER_BLACKWELL },
};

/** One table's entry: gemvTable's fields with the line's intercept (us, 3 decimals) and rate (bytes/s) before the rows. */
export function callFixedTable(chip: string, table: string, sel: readonly Row[]): PyJson {
  const base = gemvTable(chip, table, sel) as Record<string, PyJson>;
  const { slope, intercept } = leastSquaresLine(
    sel.map((r) => num(r, "n") * num(r, "k") * 2),
    sel.map((r) => num(r, "latency") * 1e-3),
  );
  const { rows, ...head } = base;
  return {
    ...head,
    interceptUs: pyRoundFloat(intercept * 1e6, 3),
    bytesPerSAtSlope: Math.round(1 / slope),
    rows,
  };
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "gemv-call-fixed-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const tables: PyJson[] = [];
  for (const [chip, { system, versions }] of Object.entries(CHIPS))
    for (const v of versions) {
      const table = `${system}/gemm/${v}/gemm_perf.parquet`;
      const rows = await readParquet(readSourceFile(source, `${BASE}/${table}`));
      tables.push(callFixedTable(chip, table, gemvRows(rows, MIN_BYTES, MAX_BYTES)));
    }
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  const section = doc.sections.gemv_m1_bf16_small;
  section.minWeightBytes = MIN_BYTES;
  section.maxWeightBytes = MAX_BYTES;
  section.tables = tables;
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
}

if (isMain(import.meta.url)) await main();
