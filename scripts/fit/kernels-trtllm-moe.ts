// Fits Hopper's and Blackwell's TensorRT-LLM fused-MoE figures by expert weight format (`servingByEngine.trtllm.groupedGemmByFormat`, `groupedWeightStreamingByFormat`) to aiconfigurator's published TensorRT-LLM 1.2.0rc5 MoE table. Run: npx tsx scripts/fit/kernels-trtllm-moe.ts
import { pathToFileURL } from "node:url";
import { resolveChip } from "../../src/catalog/resolve.js";
import { leastSquaresLine } from "../../src/core/fit.js";
import { BYTES_PER_PARAM } from "../../src/serving/cost.js";
import { kernelDoc } from "./lib.js";

/** aiconfigurator's TensorRT-LLM fused-MoE op times on H200 and B200 (data/kernels/trtllm-moe-aiconfigurator-2026.json). */
const TRTLLM_MOE_FILE = "trtllm-moe-aiconfigurator-2026.json";

/** One row of a table: tokens entering the op, its time. */
export interface TrtllmMoeRow {
  tokens: number;
  us: number;
}

/** DeepSeek-V3's expert shape as the table ran it: hidden 7,168, expert intermediate 2,048, 256 experts, top 8, EP 8. */
const EXPERT_PARAMS = 3 * 7168 * 2048;
const EXPERTS = 256;
const TOP_K = 8;
const EP = 8;
const LOCAL_EXPERTS = EXPERTS / EP;
/** Token counts where the op is compute-bound (1-2K rows per local expert) and where it streams its touched experts. */
const COMPUTE_MIN_TOKENS = 8192;
const STREAM_MAX_TOKENS = 1024;

/** The tables by family, chip and expert weight format (the serving model's format names). */
const TABLES: { family: string; chip: string; key: string; format: "bf16" | "fp8" | "fp8-block" | "fp4" }[] =
  [
    { family: "hopper", chip: "h200-sxm", key: "h200_bfloat16", format: "bf16" },
    { family: "hopper", chip: "h200-sxm", key: "h200_fp8", format: "fp8" },
    { family: "hopper", chip: "h200-sxm", key: "h200_fp8_block", format: "fp8-block" },
    { family: "blackwell", chip: "b200", key: "b200_bfloat16", format: "bf16" },
    { family: "blackwell", chip: "b200", key: "b200_fp8", format: "fp8" },
    { family: "blackwell", chip: "b200", key: "b200_nvfp4", format: "fp4" },
  ];

/** The file's tables by key (e.g. "h200_fp8"). */
export function trtllmMoeRows(): Record<string, TrtllmMoeRow[]> {
  return kernelDoc(TRTLLM_MOE_FILE).rows as Record<string, TrtllmMoeRow[]>;
}

/** Expert-row FLOPs of one GPU for `tokens` entering the op: tokens x top-k / EP rows through each expert's three linears. */
const rowFlops = (tokens: number) => ((tokens * TOP_K) / EP) * 2 * EXPERT_PARAMS;
/** Local experts a GPU's tokens touch under balanced random routing. */
const touched = (tokens: number) => LOCAL_EXPERTS * (1 - (1 - TOP_K / EXPERTS) ** tokens);

/** Compute fraction: 1 / least-squares slope of time on FLOPs over the rows at 8K tokens and more, over the peak. */
export function trtllmMoeComputeFraction(rows: readonly TrtllmMoeRow[], peakFlopsPerS: number): number {
  const big = rows.filter((r) => r.tokens >= COMPUTE_MIN_TOKENS);
  const { slope } = leastSquaresLine(
    big.map((r) => rowFlops(r.tokens)),
    big.map((r) => r.us * 1e-6),
  );
  return 1 / slope / peakFlopsPerS;
}

/** Further-expert streaming: 1 / least-squares slope of time on touched experts' weight bytes over 1-1,024 tokens, over HBM. */
export function trtllmMoeStreaming(
  rows: readonly TrtllmMoeRow[],
  bytesPerParam: number,
  hbmBytesPerS: number,
): number {
  const small = rows.filter((r) => r.tokens <= STREAM_MAX_TOKENS);
  const { slope } = leastSquaresLine(
    small.map((r) => touched(r.tokens) * EXPERT_PARAMS * bytesPerParam),
    small.map((r) => r.us * 1e-6),
  );
  return 1 / slope / hbmBytesPerS;
}

/**
 * Fitted values by parameter path (relative to families): per family and format, the compute fraction and the
 * further-expert streaming share of HBM, to 3 decimals, at the chip's catalog peak of the format's precision
 * (fp8-block at the FP8 peak) and the serving model's bytes per parameter. Cost O(rows).
 */
export function fitTrtllmMoe(): Record<string, number> {
  const rows = trtllmMoeRows();
  const out: Record<string, number> = {};
  for (const t of TABLES) {
    const chip = resolveChip(t.chip);
    const precision = t.format === "fp8-block" ? "fp8" : t.format;
    const at = `${t.family}.servingByEngine.trtllm`;
    out[`${at}.groupedGemmByFormat.${t.format}`] = Number(
      trtllmMoeComputeFraction(rows[t.key], chip.peakFlops[precision] as number).toFixed(3),
    );
    out[`${at}.groupedWeightStreamingByFormat.${t.format}`] = Number(
      trtllmMoeStreaming(rows[t.key], BYTES_PER_PARAM[precision], chip.memoryBandwidthBytesPerS).toFixed(3),
    );
  }
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitTrtllmMoe(), null, 2)}\n`);
}
