// Extracts TensorRT-LLM 1.2.0rc5's fused-MoE op times for the DeepSeek-V3 expert shape (EP 8, balanced routing) on H200
// and B200 from NVIDIA's aiconfigurator into the "rows" of data/kernels/trtllm-moe-aiconfigurator-2026.json (prose and
// "derived" kept: src/serving/grouped-moe.test.ts recomputes the derived figures from the rows).
// Usage: npx tsx scripts/extract/trtllm-moe-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
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
const OUT = "data/kernels/trtllm-moe-aiconfigurator-2026.json";
const BASE = AICONFIGURATOR_DATA;
/** Token counts kept: powers of two to 16,384 and 12,288 (the three largest are the compute-bound fit's rows). */
export const TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 12288, 16384];
/** The DeepSeek-V3/R1 expert shape and placement. */
export const SHAPE = {
  hidden_size: 7168,
  inter_size: 2048,
  num_experts: 256,
  topk: 8,
  moe_ep_size: 8,
  moe_tp_size: 1,
  distribution: "balanced",
};
/** rows key -> system, the kernel_source kept and the moe_dtype. */
const SERIES: Record<string, { system: string; kernel: string; dtype: string }> = {
  h200_bfloat16: { system: "h200_sxm", kernel: "moe_torch_flow", dtype: "bfloat16" },
  h200_fp8: { system: "h200_sxm", kernel: "moe_torch_flow", dtype: "fp8" },
  h200_fp8_block: { system: "h200_sxm", kernel: "moe_torch_flow", dtype: "fp8_block" },
  b200_bfloat16: { system: "b200_sxm", kernel: "moe_torch_flow_cutlass", dtype: "bfloat16" },
  b200_fp8: { system: "b200_sxm", kernel: "moe_torch_flow_cutlass", dtype: "fp8" },
  b200_nvfp4: { system: "b200_sxm", kernel: "moe_torch_flow_cutlass", dtype: "nvfp4" },
};

/** One series: for each of TOKENS, the single matching row's latency in us (ms x 1000, 2 decimals). */
export function moeSeries(rows: readonly Row[], kernel: string, dtype: string): PyJson[] {
  const shaped = rows.filter(
    (r) =>
      r.kernel_source === kernel &&
      r.moe_dtype === dtype &&
      Object.entries(SHAPE).every(([column, value]) => r[column] === value),
  );
  return TOKENS.map((tokens) => {
    const match = shaped.filter((r) => r.num_tokens === tokens);
    if (match.length !== 1) {
      throw new ExtractError(`${kernel} ${dtype}: ${match.length} rows at num_tokens ${tokens}, expected 1`);
    }
    return { tokens, us: pyRoundFloat(num(match[0], "latency") * 1000, 2) };
  });
}

async function main(): Promise<void> {
  const source = openSource(process.argv[2], COMMIT, "trtllm-moe-aiconfigurator.ts <aiconfigurator git dir>");
  const tables = new Map<string, Row[]>();
  const out: Record<string, PyJson> = {};
  for (const [key, { system, kernel, dtype }] of Object.entries(SERIES)) {
    const path = `${BASE}/${system}/moe/trtllm/1.2.0rc5/moe_perf.parquet`;
    if (!tables.has(path)) tables.set(path, await readParquet(readSourceFile(source, path)));
    out[key] = moeSeries(tables.get(path)!, kernel, dtype);
  }
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as Record<string, PyJson>;
  doc.rows = out;
  writeFileSync(OUT, pyDumps(doc, { indent: 1 }));
}

if (isMain(import.meta.url)) await main();
