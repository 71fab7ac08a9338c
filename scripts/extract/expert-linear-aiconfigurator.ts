// Extracts data/kernels/expert-linear-h100-trtllm-published.json (whole file) from NVIDIA's aiconfigurator: TensorRT-LLM
// 1.3.0rc20's H100 GEMM table at the routed-expert linear shapes of Qwen3-30B-A3B and Qwen3-235B-A22B, BF16 and per-tensor FP8.
// Usage: npx tsx scripts/extract/expert-linear-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>

import { writeFileSync } from "node:fs";
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

const OUT = "data/kernels/expert-linear-h100-trtllm-published.json";
const TABLE = "h100_sxm/gemm/trtllm/1.3.0rc20/gemm_perf.parquet";
/** Rows per expert: the balanced counts of the published H100 layouts (4,096 tokens x top-8 over EP 8-32) and around. */
export const MS = [1024, 2048, 4096, 8192];
/** (n, k) of the gated first expert linear (2 x width out, hidden in) and the second (hidden out, width in). */
export const SHAPES: Record<string, [number, number][]> = {
  "qwen3-30b-a3b": [
    [1536, 2048],
    [2048, 768],
  ],
  "qwen3-235b-a22b": [
    [3072, 4096],
    [4096, 1536],
  ],
};
export const DTYPES = ["bfloat16", "fp8"];

export interface LinearRow {
  model: string;
  dtype: string;
  m: number;
  n: number;
  k: number;
  latencyMs: number;
}

/** The table's rows at SHAPES x MS x DTYPES, latency to 6 decimals; a named error when one is missing or doubled. */
export function expertLinearRows(rows: readonly Row[]): LinearRow[] {
  const out: LinearRow[] = [];
  for (const [model, shapes] of Object.entries(SHAPES))
    for (const dtype of DTYPES)
      for (const [n, k] of shapes)
        for (const m of MS) {
          const hit = rows.filter(
            (r) =>
              str(r, "gemm_dtype") === dtype && num(r, "m") === m && num(r, "n") === n && num(r, "k") === k,
          );
          if (hit.length !== 1)
            throw new ExtractError(`${TABLE}: ${dtype} m ${m} n ${n} k ${k} appears ${hit.length} times`);
          out.push({ model, dtype, m, n, k, latencyMs: Number(num(hit[0], "latency").toFixed(6)) });
        }
  return out;
}

const METHOD =
  "ai-dynamo/aiconfigurator at commit 095f58a51c4c, " +
  `${AICONFIGURATOR_DATA}/${TABLE} (TensorRT-LLM's own linear op under CUDA-graph replay, so device time only; ` +
  "gemm_dtype bfloat16 and fp8, the latter per-tensor scaled with TensorRT-LLM's dynamic activation-scale step included " +
  "(the weights carry no input scale: data/kernels/fp8-call-fixed-published.json), i.e. an amax, a scale and a cast " +
  "before the FP8 GEMM, as Transformer Engine's current scaling runs them). Rows kept: m (rows per expert) in " +
  `${MS.join(", ")}; (n, k) of the routed-expert linears: Qwen3-30B-A3B (2 x 768, 2048) and (2048, 768), Qwen3-235B-A22B ` +
  "(2 x 1536, 4096) and (4096, 1536) (Qwen/Qwen3-30B-A3B and Qwen/Qwen3-235B-A22B config.json). Extracted by " +
  "scripts/extract/expert-linear-aiconfigurator.ts.";

/** The whole file. */
export function fileText(rows: readonly LinearRow[]): string {
  const doc = {
    format: "zettasim-kernel-measurements/1",
    device: {
      name: "NVIDIA H100 SXM: one expert linear (BF16, and per-tensor FP8 with its activation quantisation)",
    },
    source:
      "Published kernel-level measurements; no measurement was run here. src/training/expert-linear-h100.test.ts " +
      "holds the training model's per-expert linear (grouped GEMM plus the current-scaling cast) against these rows.",
    sections: {
      expert_linear_h100_trtllm: {
        method: METHOD,
        usedBy:
          "src/training/expert-linear-h100.test.ts; docs/training.md, 'Small-expert MoE on H100, session 17'",
        rows,
      },
    },
  };
  return `${JSON.stringify(doc, null, 1)}\n`;
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    AICONFIGURATOR_COMMIT,
    "expert-linear-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const rows = await readParquet(readSourceFile(source, `${AICONFIGURATOR_DATA}/${TABLE}`));
  writeFileSync(OUT, fileText(expertLinearRows(rows)));
  process.stderr.write(`wrote ${OUT}\n`);
}

if (isMain(import.meta.url)) await main();
