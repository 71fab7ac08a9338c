// Extracts the rows of data/kernels/aiconfigurator-2026-extract.json from NVIDIA's aiconfigurator: DeepEP low-latency
// dispatch/combine on H200, SGLang's whole MLA decode module on B200/H200 and TensorRT-LLM's MLA generation module on
// B200 (the file's prose keys are kept as they are).
// Usage: npx tsx scripts/extract/aiconfigurator-2026-extract.ts <aiconfigurator git dir, checkout or folder at the commit>
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
} from "./lib/source.js";

export const COMMIT = AICONFIGURATOR_COMMIT;
const OUT = "data/kernels/aiconfigurator-2026-extract.json";
const BASE = AICONFIGURATOR_DATA;

/** Rows sorted by the listed columns, numbers ascending and strings in code-unit order. */
function sortBy(rows: Row[], columns: readonly string[]): Row[] {
  return rows.sort((a, b) => {
    for (const c of columns) {
      const x = a[c] as number | string;
      const y = b[c] as number | string;
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  });
}

/** Exactly one row per key (a repeated key is an error, not a silent choice). */
function unique(rows: readonly Row[], columns: readonly string[], what: string): void {
  const seen = new Set<string>();
  for (const r of rows) {
    const k = columns.map((c) => String(r[c])).join(",");
    if (seen.has(k)) throw new ExtractError(`${what}: more than one row at ${columns.join(",")} = ${k}`);
    seen.add(k);
  }
}

/** DeepEP low latency: one and two nodes, at most 128 tokens per rank, us to 2 decimals; by nodes, experts, tokens. */
export function deepepRows(rows: readonly Row[]): PyJson[] {
  const sel = sortBy(
    rows.filter((r) => (r.node_num === 1 || r.node_num === 2) && num(r, "num_token") <= 128),
    ["node_num", "num_experts", "num_token"],
  );
  unique(sel, ["node_num", "num_experts", "num_token"], "deepep_ll_h200");
  return sel.map((r) => ({
    nodes: num(r, "node_num"),
    experts: num(r, "num_experts"),
    tokensPerRank: num(r, "num_token"),
    dispatchUs: pyRoundFloat(num(r, "dispatch_avg_t_us"), 2),
    combineUs: pyRoundFloat(num(r, "combine_avg_t_us"), 2),
  }));
}

export const MODULE_BATCHES = [1, 2, 4];
export const MODULE_CONTEXTS = [1, 1024, 4096, 8192, 16384];

/** SGLang's whole MLA module (fp8 KV): batches 1-4 at the listed contexts (isl), us to 1 decimal; by kernel, heads, batch, isl. */
export function mlaModuleRows(rows: readonly Row[], device: string): PyJson[] {
  const sel = sortBy(
    rows.filter(
      (r) =>
        r.kv_cache_dtype === "fp8" &&
        MODULE_BATCHES.includes(num(r, "batch_size")) &&
        MODULE_CONTEXTS.includes(num(r, "isl")),
    ),
    ["kernel_source", "num_heads", "batch_size", "isl"],
  );
  unique(sel, ["kernel_source", "num_heads", "batch_size", "isl"], `mla_decode_module ${device}`);
  return sel.map((r) => ({
    device,
    kernel: r.kernel_source as string,
    kvCache: r.kv_cache_dtype as string,
    headsPerRank: num(r, "num_heads"),
    batch: num(r, "batch_size"),
    contextTokens: num(r, "isl"),
    us: pyRoundFloat(num(r, "latency") * 1000, 1),
  }));
}

export const TRTLLM_HEADS = [16, 128];
export const TRTLLM_BATCHES = [1, 4];
export const TRTLLM_STEPS = [256, 1024, 2048, 4096, 8192];
const GEMM_ORDER = ["bfloat16", "fp8_block", "nvfp4"];

/** TensorRT-LLM's MLA generation module on B200: the listed heads, batches and KV lengths (step), us to 1 decimal. */
export function trtllmModuleRows(rows: readonly Row[]): PyJson[] {
  const sel = rows.filter(
    (r) =>
      GEMM_ORDER.includes(r.gemm_type as string) &&
      TRTLLM_HEADS.includes(num(r, "num_heads")) &&
      TRTLLM_BATCHES.includes(num(r, "batch_size")) &&
      TRTLLM_STEPS.includes(num(r, "step")),
  );
  sel.sort(
    (a, b) =>
      GEMM_ORDER.indexOf(a.gemm_type as string) - GEMM_ORDER.indexOf(b.gemm_type as string) ||
      num(a, "num_heads") - num(b, "num_heads") ||
      num(a, "batch_size") - num(b, "batch_size") ||
      num(a, "step") - num(b, "step"),
  );
  unique(sel, ["gemm_type", "num_heads", "batch_size", "step"], "trtllm_mla_generation_module_b200");
  return sel.map((r) => ({
    gemm: r.gemm_type as string,
    kvCache: r.kv_cache_dtype as string,
    headsPerRank: num(r, "num_heads"),
    batch: num(r, "batch_size"),
    contextTokens: num(r, "step"),
    us: pyRoundFloat(num(r, "latency") * 1000, 1),
  }));
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "aiconfigurator-2026-extract.ts <aiconfigurator git dir>",
  );
  const table = async (path: string) => readParquet(readSourceFile(source, `${BASE}/${path}`));
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  doc.sections.deepep_ll_h200.rows = deepepRows(
    await table("h200_sxm/comm/sglang/0.5.6.post2/wideep_deepep_ll_perf.parquet"),
  );
  doc.sections.mla_decode_module.rows = [
    ...mlaModuleRows(await table("b200_sxm/mla/sglang/0.5.10/wideep_generation_mla_perf.parquet"), "B200"),
    ...mlaModuleRows(await table("h200_sxm/mla/sglang/0.5.10/wideep_generation_mla_perf.parquet"), "H200"),
  ];
  doc.sections.trtllm_mla_generation_module_b200.rows = trtllmModuleRows(
    await table("b200_sxm/mla/trtllm/1.3.0rc10/mla_generation_module_perf.parquet"),
  );
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1 })}\n`);
}

if (isMain(import.meta.url)) await main();
