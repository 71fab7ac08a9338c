// Extracts SGLang's MLA decode-attention call tables (B200 trtllm_mla, H200 fa3; SGLang 0.5.10) from NVIDIA's
// aiconfigurator into data/kernels/mla-decode-aiconfigurator-2026.json (its prose keys kept) and
// src/catalog/families/mla-decode-aiconfigurator.data.ts (formatted with biome afterwards by this script).
// Usage: npx tsx scripts/extract/mla-decode-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { median } from "../../src/core/stats.js";
import {
  type PyFloat,
  type PyJson,
  parsePreserving,
  pyDumps,
  pyFloatRepr,
  pyRoundFloat,
} from "./lib/py-json.js";
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
const OUT = "data/kernels/mla-decode-aiconfigurator-2026.json";
const OUT_TS = "src/catalog/families/mla-decode-aiconfigurator.data.ts";
const BASE = AICONFIGURATOR_DATA;
/** chip key -> aiconfigurator system and the one kernel_source its table must hold. */
const CHIPS: Record<string, { system: string; kernel: string }> = {
  b200: { system: "b200_sxm", kernel: "trtllm_mla" },
  h200: { system: "h200_sxm", kernel: "flash_attention" },
};
export const HEADS = [16, 32, 64, 128];
export const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
export const STEPS = [127, 255, 511, 1023, 2047, 4095, 8191, 16383, 32767, 65535, 131071];

/**
 * grid[batch index][step index] in us (median latency x 1000, 2 decimals), null where no row: the rows of one KV dtype
 * and local head count at the smallest tp_size that gives that head count (every tp labels the same call).
 */
export function mlaGrid(rows: readonly Row[], kvDtype: string, heads: number): (PyFloat | null)[][] {
  const s = rows.filter((r) => r.kv_cache_dtype === kvDtype && r.num_heads === heads);
  if (s.length === 0) throw new ExtractError(`no rows with kv_cache_dtype ${kvDtype} and num_heads ${heads}`);
  const tp = Math.min(...s.map((r) => num(r, "tp_size")));
  const atTp = s.filter((r) => r.tp_size === tp);
  return BATCHES.map((b) =>
    STEPS.map((st) => {
      const cell = atTp.filter((r) => r.batch_size === b && r.step === st).map((r) => num(r, "latency"));
      return cell.length > 0 ? pyRoundFloat(median(cell) * 1000, 2) : null;
    }),
  );
}

type Grids = Record<string, Record<string, Record<string, (PyFloat | null)[][]>>>;

/** The TypeScript module the serving model imports (before biome formats it). */
export function gridsModule(grids: Grids): string {
  const tsGrid = (g: (PyFloat | null)[][]) =>
    `[\n${g.map((row) => `      [${row.map((v) => (v === null ? "NaN" : pyFloatRepr(v.value))).join(", ")}],\n`).join("")}    ]`;
  const lines = [
    "// SGLang 0.5.10's MLA decode-attention call times on B200 (trtllm_mla) and H200 (fa3) by batch and KV length, us:",
    "// generated from data/kernels/mla-decode-aiconfigurator-2026.json by scripts/extract/mla-decode-aiconfigurator.ts (do not edit).",
    "",
    `export const MLA_DECODE_BATCHES: readonly number[] = ${JSON.stringify(BATCHES).replaceAll(",", ", ")};`,
    `export const MLA_DECODE_STEPS: readonly number[] = ${JSON.stringify(STEPS).replaceAll(",", ", ")};`,
    "",
    "/** grids[chip][kv dtype][local heads]: rows by MLA_DECODE_BATCHES, columns by MLA_DECODE_STEPS, us; NaN where unmeasured. */",
    'export const MLA_DECODE_GRIDS_US: Readonly<Record<"b200" | "h200", Readonly<Record<"bf16" | "fp8", Readonly<Record<number, readonly (readonly number[])[]>>>>>> = {',
  ];
  for (const [chip, byKv] of Object.entries(grids)) {
    lines.push(`  ${chip}: {`);
    for (const [kv, byHeads] of Object.entries(byKv)) {
      lines.push(`    ${kv}: {`);
      for (const [h, g] of Object.entries(byHeads)) lines.push(`    ${h}: ${tsGrid(g)},`);
      lines.push("    },");
    }
    lines.push("  },");
  }
  lines.push("};");
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<void> {
  const source = openSource(process.argv[2], COMMIT, "mla-decode-aiconfigurator.ts <aiconfigurator git dir>");
  const grids: Grids = {};
  for (const [chip, { system, kernel }] of Object.entries(CHIPS)) {
    const path = `${BASE}/${system}/mla/sglang/0.5.10/generation_mla_perf.parquet`;
    const rows = await readParquet(readSourceFile(source, path));
    const kernels = [...new Set(rows.map((r) => r.kernel_source))];
    if (kernels.length !== 1 || kernels[0] !== kernel) {
      throw new ExtractError(`${path}: kernel_source ${JSON.stringify(kernels)}, expected only ${kernel}`);
    }
    grids[chip] = {};
    for (const kv of ["bfloat16", "fp8"]) {
      const byHeads: Record<string, (PyFloat | null)[][]> = {};
      for (const h of HEADS) byHeads[String(h)] = mlaGrid(rows, kv, h);
      grids[chip][kv === "bfloat16" ? "bf16" : "fp8"] = byHeads;
    }
  }
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as Record<string, PyJson>;
  doc.batches = BATCHES;
  doc.steps = STEPS;
  doc.grids = grids;
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
  writeFileSync(OUT_TS, gridsModule(grids));
  execFileSync("npx", ["biome", "check", "--write", OUT_TS], { stdio: "inherit" });
}

if (isMain(import.meta.url)) await main();
