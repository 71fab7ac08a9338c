// Weight bytes per token over measured TPOT for the Qwen speed benchmark's dense batch-1 H20 rows, against the H20-3e's cuBLAS GEMV rate (docs/serving.md, Known gaps: dense decode).
//
// Usage: npx tsx scripts/h20-implied-bandwidth.ts
// Reads only the cases' inputs and measured TPOT (no prediction): per token a dense decode at batch 1 reads every
// linear weight once (attention projections, gated MLP) and the LM head; implied bandwidth = those bytes / TPOT, and
// the marginal rate between model sizes (difference of bytes over difference of TPOT) removes any fixed per-step cost.
// Then the achieved rate of aiconfigurator's cuBLAS BF16 linear at M = 1 on the H20-3e (same 78-SM die) for comparison.
import { readFileSync } from "node:fs";

interface Case {
  id: string;
  model: {
    layers: number;
    hiddenSize: number;
    ffnHiddenSize: number;
    heads: number;
    kvHeads: number;
    headDim: number;
    vocabSize: number;
    moe?: unknown;
  };
  serving: { precision: string; quantization?: string };
  measured: { tpotMs: number };
}

const cases = (
  JSON.parse(readFileSync("validation/serving-holdout-2026-12-02k.json", "utf8")).cases as Case[]
).filter((c) => c.id.startsWith("qwen3-speedbench-") && c.id.endsWith("-1xh20") && c.model.moe === undefined);

const bytesPerToken = (c: Case): number => {
  const m = c.model;
  const q = m.heads * m.headDim;
  const kv = 2 * m.kvHeads * m.headDim;
  const perLayer = m.hiddenSize * (q + kv) + q * m.hiddenSize + 3 * m.hiddenSize * m.ffnHiddenSize;
  const linearBytes = c.serving.precision === "bf16" ? 2 : 1;
  // The LM head stays BF16 in the FP8 checkpoints.
  return m.layers * perLayer * linearBytes + m.hiddenSize * m.vocabSize * 2;
};

for (const precision of ["bf16", "fp8"]) {
  const rows = cases
    .filter((c) => c.serving.precision === precision)
    .map((c) => ({ id: c.id, gb: bytesPerToken(c) / 1e9, ms: c.measured.tpotMs }))
    .sort((a, b) => a.gb - b.gb);
  console.log(
    `\n${precision}: weight GB per token, measured TPOT ms, implied TB/s, marginal TB/s from the row before`,
  );
  rows.forEach((r, i) => {
    const marginal = i === 0 ? "" : ((r.gb - rows[i - 1].gb) / (r.ms - rows[i - 1].ms)).toFixed(2);
    console.log(
      `  ${r.id.padEnd(70)} ${r.gb.toFixed(2).padStart(6)} ${r.ms.toFixed(2).padStart(7)} ${(r.gb / r.ms).toFixed(2)} ${marginal}`,
    );
  });
}

const gemm = JSON.parse(readFileSync("data/kernels/h20-gemm-aiconfigurator-2025.json", "utf8")).sections
  .h20_3e_sglang_0_5_1_gemm.rows as { dtype: string; m: number; n: number; k: number; latencyMs: number }[];
console.log(
  "\nH20-3e cuBLAS BF16 linear at M = 1, weights >= 256 MB (aiconfigurator, SGLang 0.5.1.post1): TB/s",
);
for (const r of gemm.filter((r) => r.dtype === "bf16" && r.m === 1 && r.n * r.k * 2 >= 256e6))
  console.log(`  ${r.n} x ${r.k}: ${((r.n * r.k * 2) / r.latencyMs / 1e9).toFixed(2)}`);
