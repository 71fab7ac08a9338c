// Fits each family's fixed latency of one GQA/MHA decode-attention call (`serving.attentionCallFixedS.gqa`) to aiconfigurator's published SGLang decode-attention tables. Run: npx tsx scripts/fit/kernels-decode-attention.ts
import { pathToFileURL } from "node:url";
import { kernelFile, roundSig } from "./lib.js";

/** aiconfigurator's SGLang 0.5.10 decode-attention rows at KV reads under 2 MB (data/kernels/decode-attention-aiconfigurator-2026.json). */
const DECODE_ATTENTION_FILE = "decode-attention-aiconfigurator-2026.json";

/** A section that sets a family's figure: `family` named, rows of [batch, KV length, query heads, KV heads, us]. */
export interface DecodeAttentionSection {
  family?: string;
  rows: number[][];
  derived: { medianUs: number };
}

/** The file's sections that name a family (the others are recorded checks, not fits). */
export function decodeAttentionFitSections(): DecodeAttentionSection[] {
  return Object.values(
    kernelFile(DECODE_ATTENTION_FILE) as unknown as Record<string, DecodeAttentionSection>,
  ).filter((s) => s.family !== undefined);
}

/** Median of `xs`: the middle value, or the mean of the two middle ones. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Fitted values by parameter path (relative to families): per section that names a family, the median call latency
 * of its rows, in seconds, rounded to 4 significant digits. Cost O(rows log rows).
 */
export function fitDecodeAttentionCall(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of decodeAttentionFitSections())
    out[`${s.family}.serving.attentionCallFixedS.gqa`] = roundSig(median(s.rows.map((r) => r[4])) * 1e-6, 4);
  return out;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.stdout.write(`${JSON.stringify(fitDecodeAttentionCall(), null, 2)}\n`);
}
