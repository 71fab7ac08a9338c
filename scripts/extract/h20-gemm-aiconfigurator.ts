// Extracts the H20-3e GEMM rows of data/kernels/h20-gemm-aiconfigurator-2025.json from NVIDIA's aiconfigurator (the
// plain-text SGLang 0.5.1.post1 table at an older commit; the h20_sxm data were removed later). Prose keys are kept.
// Usage: npx tsx scripts/extract/h20-gemm-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { type PyJson, parsePreserving, pyDumps, pyRoundFloat } from "./lib/py-json.js";
import { ExtractError, isMain, num, openSource, type Row, readSourceFile } from "./lib/source.js";

export const COMMIT = "1641793066679a431b52c191b8358de2eea2527f";
const OUT = "data/kernels/h20-gemm-aiconfigurator-2025.json";
const TABLE = "src/aiconfigurator/systems/data/h20_sxm/sglang/0.5.1.post1/gemm_perf.txt.bak";
/** Table gemm_dtype -> the file's dtype label, in the file's order. */
export const DTYPES: [string, string][] = [
  ["float16", "bf16"],
  ["fp8_block", "fp8_block"],
  ["fp8", "fp8_per_tensor"],
];
/** (N, K) shapes kept, in the file's order: square and 3:1 grids, then Qwen3-32B's TP 1 linears (nearest grid shapes). */
export const SHAPES: [number, number][] = [
  [4096, 4096],
  [12288, 4096],
  [4096, 12288],
  [8192, 8192],
  [16384, 8192],
  [8192, 16384],
  [16384, 16384],
  [65536, 4096],
  [65536, 5120],
  [10240, 5120],
  [5120, 16384],
  [5120, 65536],
];
export const MS = [1, 2, 4, 8, 16, 32, 48, 64, 80, 128];

/** The rows of a comma-separated table with a header line; columns m, n, k and latency read as numbers. */
export function parseCsv(text: string): Row[] {
  const lines = text.split("\n").filter((l) => l.length > 0);
  if (lines.length === 0) throw new ExtractError("empty table");
  if (lines[0].startsWith("version https://git-lfs"))
    throw new ExtractError("the table is a Git LFS pointer");
  const header = lines[0].split(",");
  const numeric = new Set(["m", "n", "k", "latency"]);
  return lines.slice(1).map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== header.length) {
      throw new ExtractError(`line ${i + 2}: ${cells.length} cells, expected ${header.length}`);
    }
    const row: Row = {};
    header.forEach((h, j) => {
      const v = numeric.has(h) ? Number(cells[j]) : cells[j];
      if (typeof v === "number" && !Number.isFinite(v)) {
        throw new ExtractError(`line ${i + 2}, column ${h}: ${cells[j]} is not a number`);
      }
      row[h] = v;
    });
    return row;
  });
}

/** For each dtype, shape and M in the file's order, the one matching row's latency (ms, 6 decimals). */
export function h20Rows(rows: readonly Row[]): PyJson[] {
  const byKey = new Map<string, Row[]>();
  for (const r of rows) {
    const key = `${r.gemm_dtype},${r.m},${r.n},${r.k}`;
    byKey.set(key, [...(byKey.get(key) ?? []), r]);
  }
  const out: PyJson[] = [];
  for (const [dtype, label] of DTYPES) {
    for (const [n, k] of SHAPES) {
      for (const m of MS) {
        const match = byKey.get(`${dtype},${m},${n},${k}`) ?? [];
        if (match.length !== 1)
          throw new ExtractError(`${dtype} m ${m} n ${n} k ${k}: ${match.length} rows, expected 1`);
        out.push({ dtype: label, m, n, k, latencyMs: pyRoundFloat(num(match[0], "latency"), 6) });
      }
    }
  }
  return out;
}

function main(): void {
  const source = openSource(process.argv[2], COMMIT, "h20-gemm-aiconfigurator.ts <aiconfigurator git dir>");
  const rows = parseCsv(readSourceFile(source, TABLE).toString("utf8"));
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  doc.sections.h20_3e_sglang_0_5_1_gemm.rows = h20Rows(rows);
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
}

if (isMain(import.meta.url)) main();
