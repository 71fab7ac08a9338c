// Signed step-time error of every MoE training case grouped by what the model resolved for it (chip family, precision, dispatcher, graphs, EP span, ...), and a least-squares fit of the error on those indicators: where many cases miss together, not one source.
//
// Usage: npx tsx scripts/moe-residuals.ts [--cases] [--host-scan]
//   --cases: also one line per case
//   --host-scan: each case's error with every eager host cost of its chip (kernel launches, GEMM host paths, per-expert
//     and router host work, allocations: everything `hostOpTimeRelative` scales) multiplied by 1, 2, 3 and 4, and the
//     multiple at which the error would cross zero. A diagnostic of where host time could close a miss, never a value
//     to adopt (it would be a fit on the cases; docs/training.md, "MoE training misses, session 15").
// Reads validation/*.json; changes nothing. Errors are (predicted - measured) / measured, %, as `validate` prints them.

import { median } from "../src/core/stats.js";
import { estimateTraining, prepareTraining } from "../src/training/estimate.js";
import { predictTrainingCase, trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

interface Row {
  id: string;
  errorPct: number;
  features: Record<string, string>;
}

const rows: Row[] = [];
for (const { case: c } of projectCases()) {
  if (c.kind !== "training") continue;
  const inp = trainingCaseInputs(c);
  if (inp.model.moe == null) continue;
  const p = predictTrainingCase(c);
  const t = prepareTraining(inp.system, inp.model, inp.training).t;
  const d = t.degrees;
  const domain = inp.system.tiers[0]?.groupSize ?? 1;
  const local = (inp.model.moe.experts ?? 1) / d.ep;
  const tokens = (t.seqLength * t.microBatchSize) / d.cp;
  rows.push({
    id: c.id as string,
    errorPct: p.errorPct,
    features: {
      family: inp.system.chip.family,
      precision: t.recipe.matmul === "bf16" ? "bf16" : "low",
      framework: t.framework.id,
      dispatcher: d.ep > 1 ? t.moeDispatcher : "ep1",
      graphs: t.graphsCoverExperts ? "whole step" : t.cudaGraphs ? "partial" : "eager",
      epSpan: d.ep * d.etp * d.tp <= domain ? "scale-up" : "scale-out",
      localExperts: local <= 2 ? "<=2" : local <= 8 ? "3-8" : ">8",
      tokensPerMicroBatch: tokens <= 4096 ? "<=4K" : tokens <= 16384 ? "4-16K" : ">16K",
      pp: d.pp > 1 ? "pp>1" : "pp1",
      recompute: t.recompute,
    },
  });
}

const fmt = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
console.log(
  `MoE training cases: ${rows.length}, median signed error ${fmt(median(rows.map((r) => r.errorPct)))}%`,
);
const names = Object.keys(rows[0]?.features ?? {});
for (const f of names) {
  const groups = new Map<string, number[]>();
  for (const r of rows) groups.set(r.features[f], [...(groups.get(r.features[f]) ?? []), r.errorPct]);
  const parts = [...groups].map(([v, e]) => `${v} ${e.length} @ ${fmt(median(e))}%`);
  console.log(`  ${f}: ${parts.join(", ")}`);
}

// Least squares of the error on one indicator per value of a few features (the most common value of each is the
// baseline; framework, expert count and recompute are left out: with 92 cases they mostly restate the chip family
// and the source), plus the two interactions the grouped medians point at; normal equations by Gaussian elimination.
const REGRESSED = ["family", "precision", "dispatcher", "graphs", "epSpan", "pp", "tokensPerMicroBatch"];
const columns: { label: string; on: (r: Row) => boolean }[] = [];
for (const f of REGRESSED) {
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.features[f], (counts.get(r.features[f]) ?? 0) + 1);
  const base = [...counts].sort((a, b) => b[1] - a[1])[0][0];
  for (const v of counts.keys())
    if (v !== base) columns.push({ label: `${f}=${v}`, on: (r) => r.features[f] === v });
}
columns.push({
  label: "blackwell x alltoall",
  on: (r) => r.features.family === "blackwell" && r.features.dispatcher === "alltoall",
});
columns.push({
  label: "blackwell x bf16",
  on: (r) => r.features.family === "blackwell" && r.features.precision === "bf16",
});
const X = rows.map((r) => [1, ...columns.map((c) => (c.on(r) ? 1 : 0))]);
const y = rows.map((r) => r.errorPct);
const n = columns.length + 1;
const A = Array.from({ length: n }, (_, i) =>
  Array.from({ length: n + 1 }, (_, j) => X.reduce((s, x, k) => s + x[i] * (j < n ? x[j] : y[k]), 0)),
);
const ridge = 1e-6 * rows.length; // keeps columns no case separates from the rest solvable
for (let i = 0; i < n; i++) A[i][i] += ridge;
for (let i = 0; i < n; i++) {
  let p = i;
  for (let r = i + 1; r < n; r++) if (Math.abs(A[r][i]) > Math.abs(A[p][i])) p = r;
  [A[i], A[p]] = [A[p], A[i]];
  for (let r = 0; r < n; r++) {
    if (r === i || A[i][i] === 0) continue;
    const k = A[r][i] / A[i][i];
    for (let j = i; j <= n; j++) A[r][j] -= k * A[i][j];
  }
}
const coef = A.map((row, i) => (row[i] === 0 ? 0 : row[n] / row[i]));
const fitted = X.map((x) => x.reduce((s, v, j) => s + v * coef[j], 0));
const mean = y.reduce((s, v) => s + v, 0) / y.length;
const ssRes = y.reduce((s, v, k) => s + (v - fitted[k]) ** 2, 0);
const ssTot = y.reduce((s, v) => s + (v - mean) ** 2, 0);
console.log(
  `least squares (percentage points; baseline = each feature's most common value), R^2 ${(1 - ssRes / ssTot).toFixed(2)}:`,
);
console.log(`  intercept ${fmt(coef[0])}`);
const effects = columns
  .map((c, j) => ({ label: c.label, b: coef[j + 1], count: rows.filter(c.on).length }))
  .sort((a, b) => a.b - b.b);
for (const c of effects) console.log(`  ${c.label} (${c.count} cases): ${fmt(c.b)}`);
if (process.argv.includes("--cases"))
  for (const r of [...rows].sort((a, b) => a.errorPct - b.errorPct))
    console.log(`${fmt(r.errorPct).padStart(7)}%  ${r.id}  ${Object.values(r.features).join(" ")}`);

if (process.argv.includes("--host-scan")) {
  const MULTIPLES = [1, 2, 3, 4];
  console.log(`\nerror (%) with the eager host costs x ${MULTIPLES.join(" / ")}; zero crossing (x); id`);
  const scan: { id: string; errs: number[]; cross: string }[] = [];
  for (const { case: c } of projectCases()) {
    if (c.kind !== "training") continue;
    const inp = trainingCaseInputs(c);
    if (inp.model.moe == null) continue;
    const base = inp.system.chip.hostOpTimeRelative;
    const errs = MULTIPLES.map((m) => {
      const system = { ...inp.system, chip: { ...inp.system.chip, hostOpTimeRelative: base * m } };
      const e = estimateTraining(system, inp.model, inp.training);
      return (e.stepTimeS / inp.measuredStepTimeS - 1) * 100;
    });
    // Linear interpolation between the first pair of multiples whose errors straddle zero.
    let cross =
      errs[0] >= 0
        ? "<=1"
        : errs[errs.length - 1] - errs[0] < 1
          ? "host-insensitive"
          : `>${MULTIPLES.at(-1)}`;
    for (let i = 1; i < errs.length; i++)
      if (errs[i - 1] < 0 && errs[i] >= 0) {
        const f = -errs[i - 1] / (errs[i] - errs[i - 1]);
        cross = (MULTIPLES[i - 1] + f * (MULTIPLES[i] - MULTIPLES[i - 1])).toFixed(1);
        break;
      }
    scan.push({ id: c.id as string, errs, cross });
  }
  for (const r of scan.sort((a, b) => a.errs[0] - b.errs[0]))
    console.log(`${r.errs.map((e) => fmt(e).padStart(7)).join(" ")}  ${r.cross.padStart(16)}  ${r.id}`);
}
