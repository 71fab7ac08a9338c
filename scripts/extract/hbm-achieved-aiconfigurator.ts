// Extracts the M = 1 BF16 GEMM rows (decode weight streaming) of NVIDIA's aiconfigurator per-chip GEMM tables into the
// "gemv_m1_bf16" section of data/kernels/hbm-achieved-published.json (the other sections of that file are kept as they are).
// Usage: npx tsx scripts/extract/hbm-achieved-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { type PyJson, parsePreserving, pyDumps, pyRoundFloat } from "./lib/py-json.js";
import {
  AICONFIGURATOR_COMMIT,
  AICONFIGURATOR_DATA,
  ExtractError,
  isMain,
  num,
  openSource,
  type Row,
  readParquet,
  readSourceFile,
  str,
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/hbm-achieved-published.json";
const BASE = AICONFIGURATOR_DATA;
/** Weights of at least 512 MiB: four times the largest L2 here (B200/B300 126 MB), so no repetition re-reads them from cache. */
export const MIN_BYTES = 512 * 2 ** 20;
const BLACKWELL_HOPPER = ["sglang/0.5.10", "vllm/0.19.0", "trtllm/1.3.0rc10"];
/** catalog chip id -> aiconfigurator system and the tables (framework/version) read. */
const CHIPS: Record<string, { system: string; versions: string[] }> = {
  "a100-sxm-80gb": { system: "a100_sxm", versions: ["sglang/0.5.10", "vllm/0.14.0", "trtllm/1.0.0"] },
  "h100-sxm": { system: "h100_sxm", versions: BLACKWELL_HOPPER },
  "h200-sxm": { system: "h200_sxm", versions: BLACKWELL_HOPPER },
  b200: { system: "b200_sxm", versions: BLACKWELL_HOPPER },
  gb200: { system: "gb200", versions: BLACKWELL_HOPPER },
  b300: { system: "b300_sxm", versions: BLACKWELL_HOPPER },
  gb300: { system: "gb300", versions: BLACKWELL_HOPPER },
};

/** The bf16 M = 1 rows whose weights (n x k x 2 bytes) are at least minBytes and below maxBytes, by n then k. */
export function gemvRows(rows: readonly Row[], minBytes: number, maxBytes = Number.POSITIVE_INFINITY): Row[] {
  const sel = rows.filter((r) => {
    const bytes = num(r, "n") * num(r, "k") * 2;
    return r.gemm_dtype === "bfloat16" && r.m === 1 && bytes >= minBytes && bytes < maxBytes;
  });
  return sel.sort((a, b) => num(a, "n") - num(b, "n") || num(a, "k") - num(b, "k"));
}

/** One table's entry of the section: its device and kernel columns (from the first row kept) and the rows. */
export function gemvTable(chip: string, table: string, sel: readonly Row[]): PyJson {
  if (sel.length === 0) throw new ExtractError(`${chip}: no bf16 m = 1 rows in ${table}`);
  return {
    chip,
    table,
    device: str(sel[0], "device"),
    kernelSource: str(sel[0], "kernel_source"),
    rows: sel.map((r) => ({ n: num(r, "n"), k: num(r, "k"), latencyMs: pyRoundFloat(num(r, "latency"), 6) })),
  };
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "hbm-achieved-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const tables: PyJson[] = [];
  for (const [chip, { system, versions }] of Object.entries(CHIPS)) {
    for (const v of versions) {
      const table = `${system}/gemm/${v}/gemm_perf.parquet`;
      const rows = await readParquet(readSourceFile(source, `${BASE}/${table}`));
      tables.push(gemvTable(chip, table, gemvRows(rows, MIN_BYTES)));
    }
  }
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  doc.sections.gemv_m1_bf16.minWeightBytes = MIN_BYTES;
  doc.sections.gemv_m1_bf16.tables = tables;
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
}

if (isMain(import.meta.url)) await main();
