// Extracts vLLM 0.19.0's measured fused-MoE layer times (H200 SXM, B200 SXM; balanced routing) from NVIDIA's
// aiconfigurator into data/kernels/vllm-moe-aiconfigurator-2026.json and src/catalog/families/vllm-moe-aiconfigurator.data.ts.
// Usage: npx tsx scripts/extract/vllm-moe-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
// Then `npx biome check --write src/catalog/families/vllm-moe-aiconfigurator.data.ts`.
import { writeFileSync } from "node:fs";
import {
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

/** The snapshot the data file was extracted from (its `source` names the full hash). */
export const COMMIT = "095f58a51c4ca8e61b66ec108d86f223f8d559ce";
const FILE = "moe_perf.parquet";
/** Table key -> aiconfigurator system dir; framework vllm, version 0.19.0. */
const TABLES = { "h200/vllm-0.19.0": "h200_sxm", "b200/vllm-0.19.0": "b200_sxm" } as const;
const VERSION = "0.19.0";
/**
 * Tokens kept: the collector's powers of two up to 4,096 (decode batches and prefill chunks of one rank; the points in
 * between are left out to keep the table small in the web app's bundle: the lookup reads the largest kept point at or
 * below a token count, a lower bound of the call at any count since a call over more tokens does not finish sooner).
 */
export const TOKENS = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
/** Layouts kept: expert TP x expert EP up to 8 (the layouts of one 8-GPU server; larger EP groups are left to the model). */
export const MAX_MOE_RANKS = 8;
/**
 * The collector's moe_dtype -> the routed experts' format as the serving model names it (src/serving/grouped-moe.ts).
 * Left out: int4 (Marlin W4A16; no serving precision) and w4a16_mxfp4 (gpt-oss's MXFP4 experts), whose series do not
 * measure a serving call: at every token count their times at expert EP 2, 4 and 8 are within 5% of EP 1 (the
 * block-FP8 and NVFP4 series of the same tables fall 2-4x as EP spreads the experts, as they must: each rank holds
 * experts / EP of them), so the collector's MXFP4 module did not split its experts, and the B200 series is 1.7-3x
 * slower than the H200 one at 8-1,024 tokens (data file, section `excludedMxfp4`).
 */
const FORMATS: Record<string, string> = {
  bfloat16: "bf16",
  fp8: "fp8",
  fp8_block: "fp8-block",
  nvfp4: "fp4",
};
/** The MXFP4 series' points at 1-1,024 tokens, kept in the data file to show why they are left out (us). */
const EXCLUDED = "w4a16_mxfp4";

/** One measured series: a model shape and MoE layout at one format, latency by TOKENS (us, NaN where unmeasured). */
export interface Series {
  hidden: number;
  inter: number;
  experts: number;
  topK: number;
  moeTp: number;
  moeEp: number;
  format: string;
  kernel: string;
  us: (number | null)[];
}

/** The series of one table's balanced rows, in a stable order; a shape with two rows at one point is an error. */
export function seriesOf(rows: readonly Row[], formats: Record<string, string> = FORMATS): Series[] {
  const by = new Map<string, Series>();
  for (const r of rows) {
    if (str(r, "distribution") !== "balanced") continue;
    const format = formats[str(r, "moe_dtype")];
    if (format === undefined) continue;
    const tokens = num(r, "num_tokens");
    const at = TOKENS.indexOf(tokens);
    if (at < 0) continue;
    if (num(r, "moe_tp_size") * num(r, "moe_ep_size") > MAX_MOE_RANKS) continue;
    const s = {
      hidden: num(r, "hidden_size"),
      inter: num(r, "inter_size"),
      experts: num(r, "num_experts"),
      topK: num(r, "topk"),
      moeTp: num(r, "moe_tp_size"),
      moeEp: num(r, "moe_ep_size"),
      format,
    };
    const key = Object.values(s).join("|");
    let series = by.get(key);
    if (series === undefined) {
      series = { ...s, kernel: str(r, "kernel_source"), us: TOKENS.map(() => null) };
      by.set(key, series);
    }
    if (series.kernel !== str(r, "kernel_source"))
      throw new ExtractError(`${key}: kernels ${series.kernel} and ${str(r, "kernel_source")} at one format`);
    const us = Math.round(num(r, "latency") * 1000 * 10) / 10;
    // Duplicate rows (the H200 table repeats some MXFP4 points): the smaller, as a lower bound of the call.
    const prev = series.us[at];
    series.us[at] = prev === null ? us : Math.min(prev, us);
  }
  return [...by.values()].sort(
    (a, b) =>
      a.hidden - b.hidden ||
      a.inter - b.inter ||
      a.experts - b.experts ||
      a.topK - b.topK ||
      a.format.localeCompare(b.format) ||
      a.moeTp - b.moeTp ||
      a.moeEp - b.moeEp,
  );
}

async function main(): Promise<void> {
  const source = openSource(process.argv[2], COMMIT, "vllm-moe-aiconfigurator.ts <aiconfigurator git dir>");
  const tables: Record<string, unknown> = {};
  const tsTables: Record<string, Series[]> = {};
  const excluded: Record<string, Series[]> = {};
  for (const [key, sys] of Object.entries(TABLES)) {
    const path = `${AICONFIGURATOR_DATA}/${sys}/moe/vllm/${VERSION}/${FILE}`;
    const rows = await readParquet(readSourceFile(source, path));
    for (const r of rows) {
      if (str(r, "op_name") !== "moe") throw new ExtractError(`${path}: op ${str(r, "op_name")}`);
    }
    const series = seriesOf(rows);
    excluded[key] = seriesOf(
      rows.filter((r) => str(r, "moe_dtype") === EXCLUDED),
      { [EXCLUDED]: "mxfp4" },
    ).map((x) => ({ ...x, us: x.us.slice(0, TOKENS.indexOf(1024) + 1) }));
    tables[key] = {
      chip: str(rows[0], "device"),
      framework: str(rows[0], "framework"),
      versions: [...new Set(rows.map((r) => str(r, "version")))].sort(),
      file: path,
      series,
    };
    tsTables[key] = series;
  }
  const doc = {
    format: "zettasim-kernel-measurements/1",
    device: {
      name: "NVIDIA H200 SXM and B200 SXM: vLLM 0.19.0's FusedMoE layer forward (routing top-k and the fused experts, not the router GEMM or the all-reduce) at balanced routing, as NVIDIA's aiconfigurator measured it",
    },
    source: `ai-dynamo/aiconfigurator repository snapshot (commit ${COMMIT}), ${AICONFIGURATOR_DATA}/{h200_sxm,b200_sxm}/moe/vllm/${VERSION}/${FILE}; collector collector/vllm/collect_moe.py (FusedMoE built with the model's shape, tp_size and ep_size, reduce_results False, the quantisation method's process_weights_after_loading choosing the backend vLLM picks on the chip; MXFP4 added by aiconfigurator PR 673, 2026-04-02), timing collector/helper.py benchmark_with_power (CUDA-graph capture and replay, 3 warm-ups, 6 runs); extracted by scripts/extract/vllm-moe-aiconfigurator.ts (hyparquet with the zstd tool)`,
    note: "What one value is: one call of vLLM's FusedMoE module (moe_module(hidden_states, router_logits): top-k selection from given router logits, the fused routed-expert kernels of the backend vLLM selects for the format on that chip, the combine; not the router GEMM, not the all-reduce or EP dispatch) for num_tokens tokens entering the layer on one rank, with the layer's experts split by moe_tp (each expert's intermediate width sharded) and moe_ep (experts per rank = experts / moe_ep; every token is seen by every rank, as under vLLM's tensor-parallel attention), router logits drawn so that every expert receives the same number of tokens (distribution 'balanced'). Units: us (the parquet's latency in ms x 1000, 1 decimal; the smaller of duplicate rows). format: the routed experts' weight format as the serving model names it (bf16; fp8 per-tensor; fp8-block = 128 x 128 block-scaled FP8; fp4 = nvfp4, FlashInfer's TRT-LLM NVFP4 MoE, B200 only); kernel: the collector's kernel_source. Shapes (hidden/expert intermediate/experts/top-k): 4096/14336/8/2 Mixtral 8x7B, 6144/16384/8/2 Mixtral 8x22B, 7168/2048/256/8 DeepSeek-V3/R1, 7168/2048/384/8 Kimi K2, 6144/2048/256/8 and 6144/2560/160/8 (the collector's other large MoE shapes), 2048/768/128/8 Qwen3-30B-A3B, 4096/1536/128/8 Qwen3-235B-A22B, 3072/1536/256/8 MiniMax-M2/M2.5, 2688/1856/128/6, 4096/2688/512/22, 4096/1024/512/10, (2880/2880/32/4 gpt-oss-20b and 2880/2880/128/4 gpt-oss-120b only at MXFP4, left out: see excludedMxfp4). Tokens kept: the powers of two up to 4,096; layouts: moe_tp x moe_ep up to 8 (one 8-GPU server).",
    units: "us",
    tokens: TOKENS,
    tables,
    excludedMxfp4: {
      note: "Not used: the w4a16_mxfp4 series (gpt-oss-20b 2880/2880/32/4 and gpt-oss-120b 2880/2880/128/4), tokens 1-1,024 (the first 11 of `tokens`). At expert EP 2-8 they take the time of EP 1 (the collector's MXFP4 module did not split its experts as a serving rank does), and B200 is slower than H200; see scripts/extract/vllm-moe-aiconfigurator.ts.",
      tables: excluded,
    },
  };
  writeFileSync("data/kernels/vllm-moe-aiconfigurator-2026.json", `${JSON.stringify(doc, null, 1)}\n`);

  const ts = (v: number | null) => (v === null ? "NaN" : String(v));
  const lines = [
    "// vLLM 0.19.0's measured fused-MoE layer times (H200, B200; balanced routing) by model shape, layout and tokens, us:",
    "// generated from data/kernels/vllm-moe-aiconfigurator-2026.json by scripts/extract/vllm-moe-aiconfigurator.ts (do not edit).",
    "",
    'import type { FusedMoeCallSeries } from "./types.js";',
    "",
    `export const VLLM_MOE_TOKENS: readonly number[] = ${JSON.stringify(TOKENS)};`,
    "",
    "/** Series by table: [hidden, expert intermediate, experts, top-k, moe TP, moe EP, format, us by VLLM_MOE_TOKENS (NaN: unmeasured)]. */",
    "export const VLLM_MOE_SERIES: Readonly<Record<string, readonly FusedMoeCallSeries[]>> = {",
  ];
  for (const [key, series] of Object.entries(tsTables)) {
    lines.push(`  "${key}": [`);
    for (const s of series)
      lines.push(
        `    [${s.hidden}, ${s.inter}, ${s.experts}, ${s.topK}, ${s.moeTp}, ${s.moeEp}, "${s.format}", [${s.us.map(ts).join(", ")}]],`,
      );
    lines.push("  ],");
  }
  lines.push("};");
  writeFileSync("src/catalog/families/vllm-moe-aiconfigurator.data.ts", `${lines.join("\n")}\n`);
}

if (isMain(import.meta.url)) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).message}\n`);
    process.exit(1);
  });
}
