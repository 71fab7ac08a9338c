// Prints, for every decode validation case, the KV cache its published batch and concurrency need against the chip's memory (src/serving/kv-demand.ts).
//
// Usage: npx tsx scripts/kv-demand.ts [--filter SUBSTR] [--json]
// Each row, per attention rank (a multi-die package counts as one rank): usable memory M and weights W (GB), KV bytes per
// token, mean demand (published batch x mean context) and peak demand (concurrency per rank x prompt + output, where
// published), and the shares those need in each engine family's meaning of its memory setting:
//   static = (W + KV) / M   SGLang --mem-fraction-static; vLLM --gpu-memory-utilization (its activations come on top)
//   free   = KV / (M - W)   TensorRT-LLM kv_cache_free_gpu_mem_fraction (its activations come on top)
// A row fits when its share is below the engine's setting (the case notes quote the ones its source states). No
// prediction or error is printed: this is the demand side only (docs/serving.md, "KV capacity of the decode cases").
import { chipUsableMemoryBytes } from "../src/catalog/families/index.js";
import { InstanceCost } from "../src/serving/cost.js";
import { kvDemand } from "../src/serving/kv-demand.js";
import { prepareServingCase } from "../src/validate/serving.js";
import { projectCases } from "./validation-files.js";

const args = process.argv.slice(2);
const fi = args.indexOf("--filter");
const filter = fi >= 0 ? args[fi + 1] : "";
const asJson = args.includes("--json");

interface Row {
  id: string;
  engine: string;
  memoryGB: number;
  weightsGB: number;
  kvBytesPerToken: number;
  batchPerRank: number;
  concurrencyPerRank: number | null;
  fullTokens: number | null;
  meanKTokens: number;
  peakKTokens: number;
  staticAtMean: number;
  staticAtPeak: number;
  freeAtPeak: number;
}
const rows: Row[] = [];
for (const { case: c } of projectCases()) {
  const sv = c.serving as Record<string, unknown> | undefined;
  if (c.kind !== "inference" || sv?.phase !== "decode" || !String(c.id).includes(filter)) continue;
  const p = prepareServingCase(c);
  const s = p.serving;
  const cost = new InstanceCost(p.model, p.system, p.layout, p.opts);
  const hw = c.hardware as { chips: number };
  const instances = Math.max(1, hw.chips / s.instanceChips);
  const conc = s.concurrency === undefined ? undefined : s.concurrency / instances / p.layout.attentionDp;
  const ctx = s.contextTokens as number;
  // Full length: prompt + output; with only the output published, the mean context (prompt + half the output) + half.
  const full =
    s.outputTokens === undefined
      ? undefined
      : s.inputTokens !== undefined
        ? s.inputTokens + s.outputTokens
        : ctx + s.outputTokens / 2;
  const batch = (s.batchPerChip as number) * p.layout.tp;
  const d = kvDemand({
    memoryBytes: chipUsableMemoryBytes(p.system.chip),
    weightBytes: cost.weightBytesPerChip(),
    kvBytesPerToken: cost.kvBytesPerToken(),
    batchPerRank: batch,
    meanContextTokens: ctx,
    concurrencyPerRank: conc,
    fullSequenceTokens: full,
  });
  const row: Row = {
    id: String(c.id),
    engine: p.engine,
    memoryGB: chipUsableMemoryBytes(p.system.chip) / 1e9,
    weightsGB: cost.weightBytesPerChip() / 1e9,
    kvBytesPerToken: cost.kvBytesPerToken(),
    batchPerRank: batch,
    concurrencyPerRank: conc ?? null,
    fullTokens: full ?? null,
    meanKTokens: d.meanTokens / 1e3,
    peakKTokens: d.peakTokens / 1e3,
    staticAtMean: d.staticShareAtMean,
    staticAtPeak: d.staticShareAtPeak,
    freeAtPeak: d.freeShareAtPeak,
  };
  rows.push(row);
  if (asJson) console.log(JSON.stringify(row));
}
if (!asJson) {
  rows.sort((a, b) => b.staticAtPeak - a.staticAtPeak);
  const n = (x: number | null, d = 1) => (x === null ? "-" : x.toFixed(d));
  console.log(
    "| case | engine | M GB | W GB | KV B/token | batch/rank | conc/rank | full tokens | mean ktok | peak ktok | static mean | static peak | free peak |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.id} | ${r.engine} | ${n(r.memoryGB, 0)} | ${n(r.weightsGB)} | ${n(r.kvBytesPerToken, 0)} | ${n(r.batchPerRank)} | ${n(r.concurrencyPerRank)} | ${n(r.fullTokens, 0)} | ${n(r.meanKTokens, 0)} | ${n(r.peakKTokens, 0)} | ${n(r.staticAtMean, 2)} | ${n(r.staticAtPeak, 2)} | ${n(r.freeAtPeak, 2)} |`,
    );
  }
}
