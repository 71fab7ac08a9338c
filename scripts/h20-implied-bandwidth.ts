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

// Per linear parameter, the three weight formats of the same page against one another and against the die's cuBLAS
// BF16 linear at 1, 32 and 64 rows (2026-12-03, s14-sdense): which kernel-level rate the BF16 rows' marginal time
// per parameter resembles. The page's AWQ-INT4 rows (awq_marlin, SGLang 0.4.6.post1 on the same H20 96GB, input
// length 1) are not cases: published Speed, tokens/s = (1 + 2,048) / time, from the stored speed_benchmark.md
// (QwenLM/Qwen2.5 commit ac7272455d45483d2f579a88295e81586d60ff6f): Qwen3-4B 199.71, 8B 144.11, 14B 96.49, 32B 47.67.
const awqSpeed: Record<string, number> = { "4b": 199.71, "8b": 144.11, "14b": 96.49, "32b": 47.67 };
const params = (c: Case): number => {
  const m = c.model;
  const q = m.heads * m.headDim;
  const kv = 2 * m.kvHeads * m.headDim;
  return m.layers * (m.hiddenSize * (q + kv) + q * m.hiddenSize + 3 * m.hiddenSize * m.ffnHiddenSize);
};
const size = (id: string) => /qwen3-(\w+?)-(bf16|fp8)-/.exec(id)?.[1] ?? "";
console.log(
  "\nMarginal time per linear parameter between consecutive sizes, ps (LM head left out: it is BF16 in every format):",
);
const series: Record<string, { size: string; p: number; ms: number }[]> = {
  bf16: [],
  fp8: [],
  "awq-int4": [],
};
for (const c of cases) {
  const s = size(c.id);
  series[c.serving.precision].push({ size: s, p: params(c), ms: c.measured.tpotMs });
  if (c.serving.precision === "bf16" && awqSpeed[s] !== undefined)
    series["awq-int4"].push({ size: s, p: params(c), ms: (2049 / awqSpeed[s] / 2048) * 1e3 });
}
for (const [fmt, rows] of Object.entries(series)) {
  rows.sort((a, b) => a.p - b.p);
  const cells = rows.map((r, i) =>
    i === 0
      ? `${r.size} ${r.ms.toFixed(2)} ms`
      : `${r.size} ${r.ms.toFixed(2)} ms (${(((r.ms - rows[i - 1].ms) / (r.p - rows[i - 1].p)) * 1e9).toFixed(2)})`,
  );
  console.log(`  ${fmt.padEnd(9)} ${cells.join(", ")}`);
}
console.log(
  "H20-3e cuBLAS BF16 linear, ps per parameter (weights >= 32 MB), median over shapes at M = 1 / 32 / 64:",
);
for (const m of [1, 32, 64]) {
  const v = gemm
    .filter((r) => r.dtype === "bf16" && r.m === m && r.n * r.k * 2 >= 32e6)
    .map((r) => (r.latencyMs * 1e9) / (r.n * r.k))
    .sort((a, b) => a - b);
  console.log(
    `  M = ${m}: ${v[Math.floor(v.length / 2)].toFixed(2)} (${v[0].toFixed(2)}-${v[v.length - 1].toFixed(2)}, ${v.length} shapes)`,
  );
}
