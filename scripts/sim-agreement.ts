// Reruns the simulate-against-train comparison (src/sim/agreement.ts) over every training validation case and prints the agreement table and the worst cases.
//
// Usage: npx tsx scripts/sim-agreement.ts [--max-wall S] [--worst N] [--filter SUBSTR] [--json]
//   --max-wall S   leave out cases whose up-front simulation estimate exceeds S seconds (default 2; docs/simulator.md)
//   --worst N      how many worst cases to list (default 15)
//   --filter SUB   only cases whose id contains SUB
//   --json         one JSON row per case instead of the table
// Each row: (simulate - train) / train, the tiers the job's collectives span, and the term (busiest stage against
// train, share of train's step) that moved most. Single-tier: every collective inside the innermost tier.
import { agreement } from "../src/sim/agreement.js";
import type { TrainingBreakdown } from "../src/training/estimate.js";
import { trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const maxWall = Number(opt("--max-wall", "2"));
const nWorst = Number(opt("--worst", "15"));
const filter = opt("--filter", "");
const asJson = args.includes("--json");

interface Row {
  id: string;
  relDiff: number;
  tiers: number;
  trainS: number;
  simS: number;
  term: string;
}
const rows: Row[] = [];
let skipped = 0;
let failed = 0;
for (const { case: c } of projectCases()) {
  if (c.kind !== "training" || !String(c.id).includes(filter)) continue;
  let a: ReturnType<typeof agreement>;
  try {
    const inp = trainingCaseInputs(c);
    a = agreement(inp.system, inp.model, inp.training, maxWall);
  } catch {
    failed++;
    continue;
  }
  if (!a) {
    skipped++;
    continue;
  }
  // The term whose busiest-stage figure differs most from train's (share of train's step).
  let term = "";
  let best = 0;
  for (const k of Object.keys(a.train) as (keyof TrainingBreakdown)[]) {
    const d = ((a.simBusiest[k] ?? 0) - (a.train[k] ?? 0)) / a.trainS;
    if (Math.abs(d) > Math.abs(best)) {
      best = d;
      term = `${k} ${(100 * d).toFixed(1)}%`;
    }
  }
  const row = {
    id: String(c.id),
    relDiff: a.relDiff,
    tiers: a.tiersSpanned,
    trainS: a.trainS,
    simS: a.simS,
    term,
  };
  rows.push(row);
  if (asJson) console.log(JSON.stringify(row));
}

const stat = (xs: Row[]) => {
  const d = xs.map((r) => Math.abs(r.relDiff)).sort((x, y) => x - y);
  if (!d.length) return "-";
  return `${(100 * d[d.length >> 1]).toFixed(1)}% / ${(100 * d[d.length - 1]).toFixed(1)}%`;
};
if (!asJson) {
  const single = rows.filter((r) => r.tiers <= 1);
  const multi = rows.filter((r) => r.tiers > 1);
  console.log(
    `|simulate - train| / train, median / max (${skipped} past --max-wall ${maxWall} s, ${failed} failed)`,
  );
  console.log(`  all          ${String(rows.length).padStart(4)}  ${stat(rows)}`);
  console.log(`  single-tier  ${String(single.length).padStart(4)}  ${stat(single)}`);
  console.log(`  multi-tier   ${String(multi.length).padStart(4)}  ${stat(multi)}`);
  console.log(`worst ${nWorst}:`);
  for (const r of [...rows].sort((x, y) => Math.abs(y.relDiff) - Math.abs(x.relDiff)).slice(0, nWorst))
    console.log(
      `  ${r.id.padEnd(48)} ${(100 * r.relDiff).toFixed(1).padStart(7)}%  tiers ${r.tiers}  train ${r.trainS.toFixed(3)} s  sim ${r.simS.toFixed(3)} s  ${r.term}`,
    );
}
