// Extracts SGLang 0.5.10's GQA/MHA decode-attention call times at small KV reads (H200 fa3, B200 trtllm_mha) from
// NVIDIA's aiconfigurator into data/kernels/decode-attention-aiconfigurator-2026.json: the rows and their median and
// 10th/90th percentiles (attentionCallFixedS.gqa). The file's other keys and sections are kept as they are.
// Usage: npx tsx scripts/extract/decode-attention-aiconfigurator.ts <aiconfigurator git dir, checkout or folder at the commit>
import { readFileSync, writeFileSync } from "node:fs";
import { PyFloat, type PyJson, parsePreserving, pyDumps, pyRound, pyRoundFloat } from "./lib/py-json.js";
import {
  ExtractError,
  isMain,
  num,
  openSource,
  type Row,
  readParquet,
  readSourceFile,
} from "./lib/source.js";

export const COMMIT = "095f58a51c4c";
const OUT = "data/kernels/decode-attention-aiconfigurator-2026.json";
const BASE = "aic-core/src/aiconfigurator_core/systems/data";
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

/** The median (mean of the two middle values for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new ExtractError("median of no values");
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The file's p10/p90: the sorted value at index floor(n x fraction), no interpolation. */
export function rankValue(values: readonly number[], fraction: number): number {
  if (values.length === 0) throw new ExtractError("rank value of no values");
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length * fraction)];
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
  const inline = (path: string) => /^\/sections\/decode_attention_\w+\/rows\/\d+$/.test(path);
  writeFileSync(OUT, `${pyDumps(doc, { indent: 1, inline })}\n`);
}

if (isMain(import.meta.url)) await main();
