// Recomputes every fitted serving parameter (src/serving/fits.ts) by grid search on its validation cases; `--check` fails when a value moved.
import { readdirSync, readFileSync } from "node:fs";
import { SERVING_BAND, SERVING_FITS } from "../../src/serving/fits.js";
import { predictServingCase, type ServingOverrides } from "../../src/validate/serving.js";

const root = new URL("../../validation/", import.meta.url);
const cases = new Map<string, unknown>();
for (const f of readdirSync(root)) {
  if (!f.endsWith(".json")) continue;
  const d = JSON.parse(readFileSync(new URL(f, root), "utf8"));
  if (!Array.isArray(d.cases)) continue; // the declarations file
  for (const c of d.cases) if (c.kind === "inference") cases.set(c.id, c);
}

const grid = (lo: number, hi: number, step: number) => {
  const out: number[] = [];
  for (let i = 0; lo + i * step <= hi + 1e-9; i++) out.push(Math.round((lo + i * step) * 1000) / 1000);
  return out;
};

/** Mean |error| % of the named cases under the overrides. */
function loss(ids: string[], o: ServingOverrides): number {
  let s = 0;
  for (const id of ids) {
    const c = cases.get(id);
    if (c === undefined) throw new Error(`fit case ${id} is in no validation file`);
    s += Math.abs(predictServingCase(c, [], o).errorPct);
  }
  return s / ids.length;
}

/** The best point of a grid over one or more parameters (first minimum in grid order, so the result is deterministic). */
function search(
  axes: number[][],
  make: (v: number[]) => ServingOverrides,
  ids: string[],
): { v: number[]; loss: number } {
  let best = { v: [] as number[], loss: Number.POSITIVE_INFINITY };
  const walk = (i: number, v: number[]) => {
    if (i === axes.length) {
      const l = loss(ids, make(v));
      if (l < best.loss - 1e-12) best = { v: [...v], loss: l };
      return;
    }
    for (const x of axes[i]) walk(i + 1, [...v, x]);
  };
  walk(0, []);
  return best;
}

const casesOf = (p: string) => {
  const r = SERVING_FITS.find((f) => f.parameter === p);
  if (!r) throw new Error(`no fit record for ${p}`);
  return r.cases;
};

const found: Record<string, number> = {};
{
  const ids = casesOf("families.hopper.serving.overlapLowLatency");
  const r = search([grid(0.3, 1, 0.05)], ([x]) => ({ efficiency: { overlapLowLatency: x } }), ids);
  found["families.hopper.serving.overlapLowLatency"] = r.v[0];
  console.log(`hopper overlapLowLatency ${r.v[0]} (mean |error| ${r.loss.toFixed(2)}% on ${ids.length})`);
}
{
  const ids = casesOf("families.blackwell.serving.attentionCompute");
  const r = search(
    [grid(0.2, 0.6, 0.05), grid(0.3, 0.8, 0.05)],
    ([a, x]) => ({ efficiency: { attentionCompute: a, allToAll: x } }),
    ids,
  );
  found["families.blackwell.serving.attentionCompute"] = r.v[0];
  found["families.blackwell.serving.allToAll"] = r.v[1];
  console.log(
    `blackwell attentionCompute ${r.v[0]}, allToAll ${r.v[1]} (mean |error| ${r.loss.toFixed(2)}%)`,
  );
}
{
  // The batch-8 decode is bound by fixed per-kernel costs, the prefill and batch-96 decode by compute:
  // all four Ascend parameters are searched together over the three CloudMatrix-Infer cases.
  const ids = casesOf("engines.xdeepserve.kernelFactor");
  const r = search(
    [grid(0.4, 0.8, 0.05), grid(0.3, 0.7, 0.05), grid(0.4, 0.9, 0.05), grid(0.3, 1, 0.05)],
    ([g, gg, a, k]) => ({
      efficiency: { gemm: g, groupedGemm: gg, attentionCompute: a },
      engine: { kernelFactor: k },
    }),
    ids,
  );
  found["families.ascend-910.serving.gemm"] = r.v[0];
  found["families.ascend-910.serving.groupedGemm"] = r.v[1];
  found["families.ascend-910.serving.attentionCompute"] = r.v[2];
  found["engines.xdeepserve.kernelFactor"] = r.v[3];
  console.log(
    `ascend-910 gemm ${r.v[0]}, groupedGemm ${r.v[1]}, attentionCompute ${r.v[2]}, xDeepServe kernelFactor ${r.v[3]} (mean |error| ${r.loss.toFixed(2)}%)`,
  );
}

let moved = 0;
for (const f of SERVING_FITS) {
  const v = found[f.parameter];
  if (v === undefined) {
    console.log(`  ${f.parameter}: no fit in this script`);
    moved++;
  } else if (Math.abs(v - f.value) > 1e-9) {
    console.log(`  ${f.parameter}: recorded ${f.value}, fit gives ${v}`);
    moved++;
  }
}
console.log(
  moved === 0 ? "serving fits: every recorded value reproduced" : `serving fits: ${moved} value(s) differ`,
);
if (process.argv.includes("--check") && moved > 0) process.exit(1);

// The uncertainty band: errors on the serving cases no fit record lists.
{
  const used = new Set(SERVING_FITS.flatMap((f) => f.cases));
  const out = [...cases.keys()].filter((id) => !used.has(id)).sort();
  const errs = out.map((id) => Math.abs(predictServingCase(cases.get(id)).errorPct)).sort((a, b) => a - b);
  const n = errs.length;
  const med = n === 0 ? 0 : n % 2 ? errs[(n - 1) / 2] : (errs[n / 2 - 1] + errs[n / 2]) / 2;
  const band = {
    medianAbsErrorPct: Math.round(med * 10) / 10,
    maxAbsErrorPct: Math.round((errs[n - 1] ?? 0) * 10) / 10,
    cases: out,
  };
  console.log(
    `serving band: median ${band.medianAbsErrorPct}%, max ${band.maxAbsErrorPct}% on ${n} out-of-sample cases`,
  );
  const same =
    band.medianAbsErrorPct === SERVING_BAND.medianAbsErrorPct &&
    band.maxAbsErrorPct === SERVING_BAND.maxAbsErrorPct &&
    JSON.stringify(band.cases) === JSON.stringify(SERVING_BAND.cases);
  if (!same) {
    console.log(`  recorded band differs: ${JSON.stringify(band)}`);
    if (process.argv.includes("--check")) process.exit(1);
  }
}
