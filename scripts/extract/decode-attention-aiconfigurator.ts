// Extracts data/kernels/decode-attention-aiconfigurator-2026.json from NVIDIA's aiconfigurator: SGLang 0.5.10's GQA/MHA
// decode-attention call times at small KV reads (H200 fa3, B200 trtllm_mha) with their median and 10th/90th
// percentiles (attentionCallFixedS.gqa), and the two check sections (small-M GEMM weight-streaming fits, the Qwen3
// fused-MoE rows). The file's prose keys are kept as they are.
// Usage: npx tsx scripts/extract/decode-attention-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { median } from "../../src/core/stats.js";
import { PyFloat, type PyJson, parsePreserving, pyDumps, pyRound, pyRoundFloat } from "./lib/py-json.js";
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
const OUT = "data/kernels/decode-attention-aiconfigurator-2026.json";
const BASE = AICONFIGURATOR_DATA;
/** KV bytes read per call (batch x step x kvHeads x 128 x 2 (K and V) x 2 bytes) at most this: under 0.5 us of HBM. */
export const MAX_KV_BYTES = 2e6;
const SECTIONS: Record<string, { system: string; kernel: string }> = {
  decode_attention_h200: { system: "h200_sxm", kernel: "flash_attention" },
  decode_attention_b200: { system: "b200_sxm", kernel: "trtllm_mha" },
};

/**
 * The rows of bf16 KV, head dim 128, no sliding window (window_size absent or 0) and KV reads <= maxKvBytes, one per
 * (heads, kvHeads, batch, step) (the B200 table repeats some with the same latency; the first is kept), in that order.
 */
export function decodeAttentionRows(rows: readonly Row[], kernel: string, maxKvBytes: number): Row[] {
  const key = (r: Row) => [r.num_heads, r.num_key_value_heads, r.batch_size, r.step].map(Number);
  const seen = new Map<string, Row>();
  for (const r of rows) {
    if (r.kernel_source !== kernel || r.kv_cache_dtype !== "bfloat16" || r.head_dim !== 128) continue;
    if ((r.window_size ?? 0) !== 0) continue;
    if (num(r, "batch_size") * num(r, "step") * num(r, "num_key_value_heads") * 128 * 2 * 2 > maxKvBytes)
      continue;
    const k = key(r).join(",");
    const first = seen.get(k);
    if (first === undefined) seen.set(k, r);
    else if (first.latency !== r.latency)
      throw new ExtractError(`${kernel}: rows ${k} repeat with different latencies`);
  }
  return [...seen.values()].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return 0;
  });
}

/** The file's p10/p90: the sorted value at index floor(n x fraction), no interpolation. */
export function rankValue(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new ExtractError("rank value of no values");
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length * fraction)];
}

/** The small-M GEMM tables fitted, with their chip's datasheet HBM bandwidth (bytes/s). */
const GEMM_TABLES: [string, number][] = [
  ["b200_sxm/gemm/sglang/0.5.10/gemm_perf.parquet", 8e12],
  ["b200_sxm/gemm/trtllm/1.3.0rc20/gemm_perf.parquet", 8e12],
  ["h200_sxm/gemm/sglang/0.5.10/gemm_perf.parquet", 4.8e12],
  ["h200_sxm/gemm/trtllm/1.3.0rc10/gemm_perf.parquet", 4.8e12],
];
/** gemm_dtype -> bytes per weight. */
const GEMM_BYTES: [string, number][] = [
  ["bfloat16", 2],
  ["fp8", 1],
];
/** Weights of at least this many bytes (N x K x bytes per weight) enter the fit. */
export const MIN_WEIGHT_BYTES = 4e6;

/**
 * Ordinary least squares of latency (us) on weight bytes over the rows with M 1-16 and weights >= MIN_WEIGHT_BYTES:
 * latency = fixedUs + bytes / (streamFractionOfHbm x hbmBytesPerS); fixedUs to 2 decimals, the fraction to 3.
 */
export function smallMGemmFit(
  rows: readonly Row[],
  dtype: string,
  bytesPerWeight: number,
  hbmBytesPerS: number,
): { rows: number; fixedUs: number; streamFractionOfHbm: number } {
  const sel = rows.filter(
    (r) =>
      r.gemm_dtype === dtype &&
      num(r, "m") >= 1 &&
      num(r, "m") <= 16 &&
      num(r, "n") * num(r, "k") * bytesPerWeight >= MIN_WEIGHT_BYTES,
  );
  if (sel.length < 2) throw new ExtractError(`small-M ${dtype}: ${sel.length} rows, need at least 2`);
  const x = sel.map((r) => num(r, "n") * num(r, "k") * bytesPerWeight);
  const y = sel.map((r) => num(r, "latency") * 1000);
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const usPerByte = sxy / sxx;
  return {
    rows: sel.length,
    fixedUs: pyRound(my - usPerByte * mx, 2),
    streamFractionOfHbm: pyRound(1 / (usPerByte * 1e-6 * hbmBytesPerS), 3),
  };
}

/** The Qwen3-235B-A22B TP 8 fused-MoE call (SGLang Triton, bf16, balanced) at up to 128 tokens, us to 2 decimals. */
export function qwen3MoeRows(rows: readonly Row[]): PyJson[] {
  const sel = rows.filter(
    (r) =>
      r.kernel_source === "sglang_fused_moe_triton" &&
      r.hidden_size === 4096 &&
      r.inter_size === 1536 &&
      r.num_experts === 128 &&
      r.topk === 8 &&
      r.moe_tp_size === 8 &&
      r.moe_ep_size === 1 &&
      r.distribution === "balanced" &&
      r.moe_dtype === "bfloat16" &&
      num(r, "num_tokens") <= 128,
  );
  sel.sort((a, b) => num(a, "num_tokens") - num(b, "num_tokens"));
  sel.forEach((r, i) => {
    if (i > 0 && r.num_tokens === sel[i - 1].num_tokens) {
      throw new ExtractError(`qwen3 fused MoE: two rows at num_tokens ${r.num_tokens}`);
    }
  });
  return sel.map((r) => ({
    tokens: num(r, "num_tokens"),
    dtype: "bfloat16",
    us: pyRoundFloat(num(r, "latency") * 1000, 2),
  }));
}

async function main(): Promise<void> {
  const source = openSource(
    process.argv[2],
    COMMIT,
    "decode-attention-aiconfigurator.ts <aiconfigurator git dir>",
  );
  const doc = parsePreserving(readFileSync(OUT, "utf8")) as {
    sections: Record<string, Record<string, PyJson>>;
  };
  for (const [section, { system, kernel }] of Object.entries(SECTIONS)) {
    const path = `${BASE}/${system}/attention/sglang/0.5.10/generation_attention_perf.parquet`;
    const sel = decodeAttentionRows(await readParquet(readSourceFile(source, path)), kernel, MAX_KV_BYTES);
    if (sel.length === 0) throw new ExtractError(`${section}: no rows`);
    const us = sel.map((r) => pyRound(num(r, "latency") * 1000, 3));
    doc.sections[section].rows = sel.map((r, i) => [
      num(r, "batch_size"),
      num(r, "step"),
      num(r, "num_heads"),
      num(r, "num_key_value_heads"),
      pyRoundFloat(us[i], 3),
    ]);
    doc.sections[section].derived = {
      medianUs: pyRoundFloat(median(us), 4),
      p10Us: new PyFloat(rankValue(us, 0.1)),
      p90Us: new PyFloat(rankValue(us, 0.9)),
      n: us.length,
    };
  }
  const fits: PyJson[] = [];
  for (const [table, hbm] of GEMM_TABLES) {
    const rows = await readParquet(readSourceFile(source, `${BASE}/${table}`));
    for (const [dtype, bytes] of GEMM_BYTES) {
      const fit = smallMGemmFit(rows, dtype, bytes, hbm);
      fits.push({
        rows: fit.rows,
        fixedUs: new PyFloat(fit.fixedUs),
        streamFractionOfHbm: new PyFloat(fit.streamFractionOfHbm),
        table,
        dtype,
        hbmBytesPerS: new PyFloat(hbm),
      });
    }
  }
  doc.sections.gemm_small_m_check.rows = fits;
  const moe = await readParquet(
    readSourceFile(source, `${BASE}/b200_sxm/moe/sglang/0.5.10/moe_perf.parquet`),
  );
  doc.sections.fused_moe_qwen3_235b_tp8_b200.rows = qwen3MoeRows(moe);
  const inline = (path: string) => /^\/sections\/decode_attention_\w+\/rows\/\d+$/.test(path);
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1, inline })}\n`);
}

if (isMain(import.meta.url)) await main();
