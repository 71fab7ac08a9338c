// Extracts the "hopper_sglang_deepgemm_aiconfigurator" section of data/kernels/block-fp8-gemm-decode-published.json
// from NVIDIA's aiconfigurator (SGLang 0.5.6.post2 block-FP8 GEMM tables, H100 and H200): its rows and derivedLines. The
// rest of that hand-written file is kept byte for byte; only the text of those two keys is rewritten, in its layout.
// Usage: npx tsx scripts/extract/block-fp8-gemm-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>

import { readFileSync, writeFileSync } from "node:fs";
import { leastSquaresLine } from "../../src/core/fit.js";
import { pyFloatRepr, pyRound } from "./lib/py-json.js";
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
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/block-fp8-gemm-decode-published.json";
const BASE = AICONFIGURATOR_DATA;
const SECTION = "hopper_sglang_deepgemm_aiconfigurator";
const CHIPS: Record<string, string> = { h100: "h100_sxm", h200: "h200_sxm" };
/** The latency-bound narrow outputs (weights at most 4 MB up to K 16,384). */
export const NS = [128, 256];
/** Decode token counts whose median is taken (the latency is flat across them). */
export const MS = [1, 2, 4, 8];

export interface KRow {
  n: number;
  k: number;
  /** The median as written: 2 decimals. */
  us: number;
  /** The median unrounded, which the line is fitted to. */
  medianUs: number;
}

/** Per (n, k) of the fp8_block rows at n in NS: the median latency over m in MS, us (2 decimals and unrounded); by n then k. */
export function blockFp8Rows(rows: readonly Row[]): KRow[] {
  const cells = new Map<string, { n: number; k: number; ms: Map<number, number> }>();
  for (const r of rows) {
    if (r.gemm_dtype !== "fp8_block" || !NS.includes(num(r, "n")) || !MS.includes(num(r, "m"))) continue;
    const key = `${r.n},${r.k}`;
    const cell = cells.get(key) ?? { n: num(r, "n"), k: num(r, "k"), ms: new Map<number, number>() };
    if (cell.ms.has(num(r, "m")))
      throw new ExtractError(`fp8_block n ${r.n} k ${r.k}: m ${r.m} appears twice`);
    cell.ms.set(num(r, "m"), num(r, "latency"));
    cells.set(key, cell);
  }
  const out = [...cells.values()].map(({ n, k, ms }) => {
    if (ms.size !== MS.length)
      throw new ExtractError(`fp8_block n ${n} k ${k}: ${ms.size} of m ${MS} present`);
    const s = [...ms.values()].sort((a, b) => a - b);
    const median = (s[1] + s[2]) / 2;
    return { n, k, us: pyRound(median * 1000, 2), medianUs: median * 1000 };
  });
  return out.sort((a, b) => a.n - b.n || a.k - b.k);
}

export interface KLoopLine {
  fixedUs: number;
  perKStepUs: number;
  maxResidualUs: number;
}

/**
 * Ordinary least squares of the unrounded median us on ceil(k / 128) (K steps): intercept to 2 decimals, slope to 4,
 * largest |residual| to 2 (the committed figures were fitted to the unrounded medians).
 */
export function kLoopLine(rows: readonly Pick<KRow, "k" | "medianUs">[]): KLoopLine {
  if (rows.length < 2) throw new ExtractError(`kLoopLine: ${rows.length} rows, need at least 2`);
  const x = rows.map((r) => Math.ceil(r.k / 128));
  const y = rows.map((r) => r.medianUs);
  const { slope, intercept } = leastSquaresLine(x, y);
  const maxResidual = Math.max(...x.map((xi, i) => Math.abs(y[i] - (intercept + slope * xi))));
  return {
    fixedUs: pyRound(intercept, 2),
    perKStepUs: pyRound(slope, 4),
    maxResidualUs: pyRound(maxResidual, 2),
  };
}

const f = (v: number) => (Number.isInteger(v) ? String(v) : pyFloatRepr(v));

/** The "rows" and "derivedLines" keys in the file's layout (two-space indent, one object per line). */
export function sectionText(rows: Record<string, KRow[]>, lines: Record<string, KLoopLine>): string {
  const chipRows = Object.entries(rows).map(
    ([chip, rs]) =>
      `        "${chip}": [\n${rs.map((r) => `          { "n": ${r.n}, "k": ${r.k}, "us": ${f(r.us)} }`).join(",\n")}\n        ]`,
  );
  const chipLines = Object.entries(lines).map(
    ([chip, l]) =>
      `        "${chip}": { "fixedUs": ${f(l.fixedUs)}, "perKStepUs": ${f(l.perKStepUs)}, "maxResidualUs": ${f(l.maxResidualUs)} }`,
  );
  return `      "rows": {\n${chipRows.join(",\n")}\n      },\n      "derivedLines": {\n${chipLines.join(",\n")}\n      },\n`;
}

/** The file with the section's rows/derivedLines text replaced; a named error if the layout is not the expected one. */
export function replaceSection(text: string, replacement: string): string {
  const start = text.indexOf(`    "${SECTION}": {\n`);
  if (start < 0) throw new ExtractError(`${OUT}: section ${SECTION} not found`);
  const rowsAt = text.indexOf('      "rows": {', start);
  const usedByAt = text.indexOf('      "usedBy": ', start);
  if (rowsAt < 0 || usedByAt < rowsAt)
    throw new ExtractError(`${OUT}: ${SECTION} has not "rows" then "usedBy"`);
  return text.slice(0, rowsAt) + replacement + text.slice(usedByAt);
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "block-fp8-gemm-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const rows: Record<string, KRow[]> = {};
  const lines: Record<string, KLoopLine> = {};
  for (const [chip, system] of Object.entries(CHIPS)) {
    const path = `${BASE}/${system}/gemm/sglang/0.5.6.post2/gemm_perf.parquet`;
    rows[chip] = blockFp8Rows(await readParquet(readSourceFile(source, path)));
    lines[chip] = kLoopLine(rows[chip]);
  }
  const text = readFileSync(OUT, "utf8");
  const next = replaceSection(text, sectionText(rows, lines));
  JSON.parse(next); // still JSON
  writeFileSync(OUT, next);
}

if (isMain(import.meta.url)) await main();
