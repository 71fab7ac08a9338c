// Extracts measured MLA attention-module decode times (vLLM 0.19.0, TensorRT-LLM 1.3.0rc10; H200 and B200) from
// NVIDIA's aiconfigurator into data/kernels/mla-module-aiconfigurator-2026.json and
// src/catalog/families/mla-module-aiconfigurator.data.ts.
// Usage: npx tsx scripts/extract/mla-module-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
// Then `npx biome check --write src/catalog/families/mla-module-aiconfigurator.data.ts`.
import { writeFileSync } from "node:fs";
import { median } from "../../src/core/stats.js";
import { AICONFIGURATOR_DATA, openSource, readParquet, readSourceFile } from "./lib/source.js";

/** The snapshot the data file was extracted from (its `source` names the full hash). */
export const COMMIT = "095f58a51c4ca8e61b66ec108d86f223f8d559ce";
const BASE = AICONFIGURATOR_DATA;
const FILE = "mla_generation_module_perf.parquet";
/** Table key -> (aiconfigurator system dir, framework dir, version dir). */
const TABLES = {
  "h200/vllm-0.19.0": ["h200_sxm", "vllm", "0.19.0"],
  "b200/vllm-0.19.0": ["b200_sxm", "vllm", "0.19.0"],
  "h200/trtllm-1.3.0rc10": ["h200_sxm", "trtllm", "1.3.0rc10"],
  "b200/trtllm-1.3.0rc10": ["b200_sxm", "trtllm", "1.3.0rc10"],
} as const;
/** Local heads kept: 128-head models at TP 1-16 and 64-head ones (Kimi K2) at TP 1-8. */
const HEADS = [128, 64, 32, 16, 8];
const BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];
/** seq_len per sequence (KV cached seq_len - 1 plus the new token); the collector's sweep from 64 up. */
const STEPS = [64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072];
const GEMMS: Record<string, string> = { bfloat16: "bf16", fp8_block: "fp8_block", nvfp4: "nvfp4" };
const KVS: Record<string, string> = { bfloat16: "bf16", fp8: "fp8" };

const source = openSource(process.argv[2], COMMIT, "mla-module-aiconfigurator.ts <aiconfigurator git dir>");

interface Row {
  framework: string;
  version: string;
  device: string;
  op_name: string;
  kernel_source: string;
  model: string;
  mla_dtype: string;
  kv_cache_dtype: string;
  gemm_type: string;
  num_heads: number;
  batch_size: number;
  isl: number;
  tp_size: number;
  step: number;
  latency: number | string;
}

type Grid = (number | null)[][];
const tables: Record<string, unknown> = {};
for (const [key, [sys, fw, ver]] of Object.entries(TABLES)) {
  const path = `${BASE}/${sys}/mla/${fw}/${ver}/${FILE}`;
  const rows = (await readParquet(readSourceFile(source, path))) as unknown as Row[];
  // Every row is one module call of DeepSeek-V3's shape in decode (isl 1), at TP 1, with the shipped kernel choice.
  for (const r of rows) {
    if (
      r.op_name !== "mla_generation_module" ||
      r.isl !== 1 ||
      r.tp_size !== 1 ||
      r.model !== "deepseek-ai/DeepSeek-V3"
    )
      throw new Error(`${path}: unexpected row ${JSON.stringify(r)}`);
    if (r.version !== ver) throw new Error(`${path}: version ${r.version}, expected ${ver}`);
  }
  const grids: Record<string, Record<string, Record<string, Grid>>> = {};
  for (const [gSrc, g] of Object.entries(GEMMS)) {
    for (const [kSrc, k] of Object.entries(KVS)) {
      for (const h of HEADS) {
        const sel = rows.filter(
          (r) => r.gemm_type === gSrc && r.kv_cache_dtype === kSrc && r.num_heads === h,
        );
        if (sel.length === 0) continue;
        const grid: Grid = BATCHES.map((b) =>
          STEPS.map((st) => {
            const at = sel.filter((r) => r.batch_size === b && r.step === st).map((r) => Number(r.latency));
            return at.length === 0 ? null : Math.round(median(at) * 1000 * 100) / 100;
          }),
        );
        grids[g] ??= {};
        grids[g][k] ??= {};
        grids[g][k][String(h)] = grid;
      }
    }
  }
  tables[key] = {
    chip: rows[0].device,
    framework: rows[0].framework,
    version: ver,
    file: path,
    kernelSource: [...new Set(rows.map((r) => r.kernel_source))].join(","),
    grids,
  };
}

const doc = {
  format: "zettasim-kernel-measurements/1",
  device: {
    name: "NVIDIA H200 SXM and B200 SXM: the whole MLA attention module of DeepSeek-V3 in decode under vLLM 0.19.0 and TensorRT-LLM 1.3.0rc10, as NVIDIA's aiconfigurator measured it",
  },
  source: `ai-dynamo/aiconfigurator repository snapshot (commit ${COMMIT}), ${BASE}/{h200_sxm,b200_sxm}/mla/{vllm/0.19.0,trtllm/1.3.0rc10}/${FILE}; collectors collector/vllm/collect_mla_module.py and collector/trtllm/collect_mla_module.py, timing collector/helper.py benchmark_with_power (same commit); extracted by scripts/extract/mla-module-aiconfigurator.ts (hyparquet with the zstd tool)`,
  note: "What one value is: one forward of the engine's own MLA attention module for DeepSeek-V3 (vLLM: DeepseekV2MLAAttention.forward(positions, hidden_states); TensorRT-LLM: its MLA module) in decode, one new token per sequence (isl 1), built at TP 1 with num_attention_heads overridden to the local head count, so it is the per-rank module of a TP-sharded deployment with heads / TP heads: fused q_a/kv_a down-projection (replicated at any TP), q_a and kv_a RMSNorms, q_b up-projection, RoPE, the latent-KV write into the paged cache, the absorbed W_UK/W_UV BMMs, the MLA decode kernel (the engine's default backend per chip) and o_proj; NOT the TP all-reduce after o_proj, the layer's input norm or residual. Captured in a CUDA graph and replayed (collector helper), dummy weights, KV cache prepopulated. Units: us (the parquet's latency in ms x 1000, median of any duplicate rows, 2 decimals). Axes: grids[gemm][kv][localHeads][batchIndex][stepIndex]; gemm = the projections' GEMM format (bf16 = bfloat16 weights, fp8_block = DeepSeek's 128 x 128 block-scaled FP8, nvfp4 where the table has it); kv = KV-cache dtype; batches = sequences per rank; steps = the collector's seq_len per sequence (the cache holds seq_len - 1 tokens before the new one). null where the collector dropped the case (KV pool would not fit, or b x s above its token cap). Local heads kept: 128, 64, 32, 16, 8; steps from 64.",
  units: "us",
  batches: BATCHES,
  steps: STEPS,
  heads: HEADS,
  tables,
};
writeFileSync("data/kernels/mla-module-aiconfigurator-2026.json", `${JSON.stringify(doc, null, 1)}\n`);

const ts = (v: number | null) => (v === null ? "NaN" : String(v));
const lines = [
  "// Measured MLA attention-module decode times (vLLM 0.19.0, TensorRT-LLM 1.3.0rc10; H200, B200) by batch and KV length, us:",
  "// generated from data/kernels/mla-module-aiconfigurator-2026.json by scripts/extract/mla-module-aiconfigurator.ts (do not edit).",
  "",
  'import type { MlaModuleTable } from "./types.js";',
  "",
  `export const MLA_MODULE_BATCHES: readonly number[] = ${JSON.stringify(BATCHES)};`,
  `export const MLA_MODULE_STEPS: readonly number[] = ${JSON.stringify(STEPS)};`,
  "",
  "/** grids[table][gemm][kv][local heads]: rows by MLA_MODULE_BATCHES, columns by MLA_MODULE_STEPS, us; NaN where unmeasured. */",
  'export const MLA_MODULE_GRIDS_US: Readonly<Record<string, MlaModuleTable["grids"]>> = {',
];
for (const [key, t] of Object.entries(tables) as [
  string,
  { grids: Record<string, Record<string, Record<string, Grid>>> },
][]) {
  lines.push(`  "${key}": {`);
  for (const [g, byKv] of Object.entries(t.grids)) {
    lines.push(`    ${g}: {`);
    for (const [k, byH] of Object.entries(byKv)) {
      lines.push(`      ${k}: {`);
      for (const [h, grid] of Object.entries(byH))
        lines.push(`        ${h}: [${grid.map((row) => `[${row.map(ts).join(", ")}]`).join(", ")}],`);
      lines.push("      },");
    }
    lines.push("    },");
  }
  lines.push("  },");
}
lines.push("};");
writeFileSync("src/catalog/families/mla-module-aiconfigurator.data.ts", `${lines.join("\n")}\n`);
