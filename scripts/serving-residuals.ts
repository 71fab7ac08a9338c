// Out-of-sample serving decode cases: the model's TPOT broken into the components the per-step cost exposes, and the signed error grouped by feature (engine, chip, MoE or dense, concurrency, TP/EP, prompt length, speculation, closed-loop prefill charge), to find which mechanism the optimism comes from.
//
// Usage: npx tsx scripts/serving-residuals.ts [--role holdout|fit] [--max-seqs N] [--match SUBSTRING]
//   (--max-seqs keeps the decode cases with at most N sequences in flight per instance: the small-batch class.)
//   (default: aggregates only, which need no inspection note; --match also prints every out-of-sample decode case whose
//   id contains SUBSTRING, one line each: log each one printed in validation/inspections.jsonl, COMMON rule 4.)
// Reads validation/*.json and validation/declarations.json; changes nothing. Errors are (predicted - measured) / measured,
// % of the measured TPOT (or of the step implied by a published rate), as `validate` prints them.
import { readFileSync } from "node:fs";
import { median } from "../src/core/stats.js";
import { MS } from "../src/core/units.js";
import { evaluateServingCase, prepareServingCase, stepTimeErrorPct } from "../src/validate/serving.js";
import { projectCases } from "./validation-files.js";

const DIR = new URL("../validation/", import.meta.url);
const decl = JSON.parse(readFileSync(new URL("declarations.json", DIR), "utf8")) as {
  cases: Record<string, { role?: string; why?: string }>;
};

interface Row {
  id: string;
  errorPct: number;
  /** Shares of the predicted TPOT, %. */
  parts: Record<string, number>;
  tpotMs: number;
  features: Record<string, string>;
}

function bucket(x: number | undefined, edges: number[], unit = ""): string {
  if (x === undefined) return "null";
  for (const e of edges) if (x <= e) return `<=${e}${unit}`;
  return `>${edges[edges.length - 1]}${unit}`;
}

/** Which declared role to break down: "holdout" (default, the out-of-sample cases) or "fit" (`--role fit`). */
const roleAt = process.argv.indexOf("--role");
const ROLE = roleAt > 0 ? process.argv[roleAt + 1] : "holdout";
if (ROLE !== "holdout" && ROLE !== "fit") throw new Error(`--role must be holdout or fit, got ${ROLE}`);
/** Keep only decode cases with at most this many sequences per instance (`--max-seqs N`); all when absent. */
const maxSeqsAt = process.argv.indexOf("--max-seqs");
const MAX_SEQS = maxSeqsAt > 0 ? Number(process.argv[maxSeqsAt + 1]) : Number.POSITIVE_INFINITY;
if (!(MAX_SEQS > 0))
  throw new Error(`--max-seqs must be a positive number, got ${process.argv[maxSeqsAt + 1]}`);

const rows: Row[] = [];
for (const { case: c } of projectCases()) {
  if (c.kind !== "inference") continue;
  if (decl.cases[c.id as string]?.role !== ROLE) continue;
  let p: ReturnType<typeof prepareServingCase>;
  try {
    p = prepareServingCase(c);
  } catch {
    continue; // not modelled (validate reports it)
  }
  const s = p.serving;
  if (s.phase !== "decode") continue;
  const r = evaluateServingCase(p);
  const st = r.step;
  const gained = (s.speculativeTokens ?? 0) > 0 ? (s.acceptedTokensPerStep as number) : 1;
  const total = st.timeS + r.colocatedPrefillS;
  const e = p.opts.engine;
  const seqs = (s.batchPerChip as number) * p.layout.tp;
  if ((s.concurrency ?? (s.batchPerChip as number) * (s.instanceChips as number)) > MAX_SEQS) continue;
  const hostS = e.hostStepS + e.hostPerSeqS * 2 * seqs;
  const pct = (x: number) => (100 * x) / total;
  const other = st.computeS - st.gemmS - st.attentionCoreS - st.draftS;
  rows.push({
    id: c.id as string,
    errorPct: stepTimeErrorPct(r.metric, r.errorPct),
    tpotMs: total / gained / MS,
    parts: {
      gemm: pct(st.gemmS),
      attn: pct(st.attentionCoreS),
      elementwise: pct(other),
      draft: pct(st.draftS),
      exposedComm: pct(st.exposedCommS),
      // Kernel floors, eager launches and host time not hidden (the host part is shown apart where the engine does not overlap it).
      fixed: pct(st.overheadS),
      hostSerial: pct(e.hostOverlap ? 0 : hostS),
      closedLoopPrefill: pct(r.colocatedPrefillS),
    },
    features: {
      source: /^group ([^:]+):/.exec(decl.cases[c.id as string]?.why ?? "")?.[1] ?? "?",
      engine: p.engine,
      family: p.family,
      chip: p.system.chip.id,
      moe: p.model.moe ? "moe" : "dense",
      precision: s.precision ?? "null",
      concurrency: bucket(s.concurrency, [1, 4, 16, 64, 256]),
      batchPerChip: bucket(s.batchPerChip, [1, 4, 16, 64]),
      tp: `tp${p.layout.tp}`,
      ep: p.layout.ep > 1 ? `ep${p.layout.ep}` : "ep1",
      attentionDp: p.layout.attentionDp > 1 ? "dp-attn" : "no-dp-attn",
      inputTokens: bucket(s.inputTokens, [512, 1024, 2048, 4096, 16384]),
      outputTokens: bucket(s.outputTokens, [128, 512, 2048]),
      speculative: (s.speculativeTokens ?? 0) > 0 ? "spec" : "no-spec",
      colocatedCharge:
        s.colocated === true ? (r.colocatedPrefillS > 0 ? "charged" : "colocated,0") : "not-stated",
      graphs: e.decodeGraphs ? "graphs" : "eager",
      hostOverlap: e.hostOverlap ? "overlap" : "serial",
    },
  });
}

const MIN_GROUP = 3;
const fmt = (x: number) => `${x >= 0 ? "+" : ""}${x.toFixed(1)}`;
const abs = rows.map((r) => Math.abs(r.errorPct));
console.log(
  `${ROLE === "fit" ? "in-sample (fit)" : "out-of-sample"} decode cases: ${rows.length}; signed median ${fmt(median(rows.map((r) => r.errorPct)))}%, |error| median ${median(abs).toFixed(1)}%, max ${Math.max(...abs).toFixed(1)}%`,
);
const partNames = Object.keys(rows[0]?.parts ?? {});
const partsOf = (rs: Row[]) =>
  partNames.map((k) => `${k} ${median(rs.map((r) => r.parts[k])).toFixed(0)}`).join(" ");
console.log(`median share of the predicted TPOT, %: ${partsOf(rows)}`);
console.log(
  "by feature: value, cases, signed median error, share too fast (< -10%), median component shares of the predicted TPOT (%)",
);
for (const f of Object.keys(rows[0]?.features ?? {})) {
  const groups = new Map<string, Row[]>();
  for (const r of rows) groups.set(r.features[f], [...(groups.get(r.features[f]) ?? []), r]);
  console.log(`  ${f}:`);
  // Groups of fewer than MIN_GROUP cases are pooled, so that the aggregate never states one holdout case's error.
  const small = [...groups].filter(([, rs]) => rs.length < MIN_GROUP);
  for (const [v] of small) groups.delete(v);
  const pooled = small.flatMap(([, rs]) => rs);
  if (pooled.length > 0) groups.set(`(${small.length} smaller)`, pooled);
  for (const [v, rs] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
    if (rs.length < MIN_GROUP) continue;
    const e = rs.map((r) => r.errorPct);
    const fast = e.filter((x) => x < -10).length;
    console.log(
      `    ${v.slice(0, 60).padEnd(16)} ${String(rs.length).padStart(3)}  ${fmt(median(e)).padStart(6)}%  ${fast}/${rs.length} fast  ${partsOf(rs)}`,
    );
  }
}
const i = process.argv.indexOf("--match");
if (i > 0 && process.argv[i + 1]) {
  const m = process.argv[i + 1];
  for (const r of rows.filter((x) => x.id.includes(m)).sort((a, b) => a.errorPct - b.errorPct)) {
    const parts = partNames.map((k) => `${k} ${r.parts[k].toFixed(0)}`).join(" ");
    console.log(
      `${fmt(r.errorPct).padStart(7)}%  ${r.tpotMs.toFixed(2)} ms  ${r.id}  [${parts}]  ${Object.values(r.features).join(" ")}`,
    );
  }
}
