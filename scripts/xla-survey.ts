// Survey of the XLA-compiled training class (MaxText, AXLearn, Levanter, Pax, torchprime and torchax on TPU and GPU): each case's signed error beside the features the brief asks about (chip, model width, tokens per chip, FSDP width, slices, offload), and the median signed error per group (docs/training.md, "The XLA-compiled training class, session 16").
//
// Usage: npx tsx scripts/xla-survey.ts   Reads validation/*.json; changes nothing. Errors are (predicted - measured) /
// measured, % as `validate` prints them (negative: predicted too fast). Holdouts printed here must be logged in
// validation/inspections.jsonl (COMMON rule 4).
import { prepareTraining } from "../src/training/estimate.js";
import { predictTrainingCase, trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

/**
 * Framework profiles whose whole step XLA compiles (frameworks.ts: `compiler: "xla"` or a JAX stack); torchprime
 * (PyTorch/XLA) and torchax joined in session 17 (s17-torchxla), after the session-16 table in docs/training.md.
 */
const XLA_FRAMEWORKS = new Set(["maxtext", "axlearn", "levanter", "pax", "torchprime", "torchax"]);

interface Row {
  id: string;
  err: number;
  chip: string;
  framework: string;
  hidden: number;
  tokensPerChip: number;
  shardWidth: number;
  slices: number;
  offload: boolean;
}

const rows: Row[] = [];
for (const { case: raw } of projectCases("training")) {
  const inp = trainingCaseInputs(raw);
  const p = prepareTraining(inp.system, inp.model, inp.training);
  const t = p.t;
  if (!XLA_FRAMEWORKS.has(t.framework.id)) continue;
  const network = (raw.hardware as { network?: { name?: string }[] }).network ?? [];
  const dcn = network.some((n) => /dcn/i.test(n.name ?? ""));
  const slices = dcn ? Number(/(\d+)slices/.exec(raw.id as string)?.[1] ?? 2) : 1;
  rows.push({
    id: raw.id as string,
    err: predictTrainingCase(raw).errorPct,
    chip: inp.system.chip.id,
    framework: t.framework.id,
    hidden: p.shape.hidden,
    tokensPerChip: (t.microBatchSize * t.seqLength * t.microBatches) / (t.degrees.tp * t.degrees.cp),
    shardWidth: t.zero >= 3 ? t.degrees.dp : 1,
    slices,
    offload: (raw.training as { offload?: unknown } | undefined)?.offload != null,
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
rows.sort((a, b) => a.err - b.err);
console.log("   err%  chip          framework  hidden tok/chip shard slices offload  id");
for (const r of rows)
  console.log(
    `${r.err.toFixed(1).padStart(7)}  ${r.chip.padEnd(13)} ${r.framework.padEnd(10)}${String(r.hidden).padStart(7)}${String(r.tokensPerChip).padStart(9)}${String(r.shardWidth).padStart(6)}${String(r.slices).padStart(7)}  ${r.offload ? "yes" : "no "}      ${r.id}`,
  );

const groups: [string, (r: Row) => string][] = [
  ["framework", (r) => r.framework],
  ["chip", (r) => r.chip],
  [
    "hidden",
    (r) =>
      r.hidden < 2048 ? "< 2048" : r.hidden < 4096 ? "2048-4095" : r.hidden < 8192 ? "4096-8191" : ">= 8192",
  ],
  [
    "tokens per chip",
    (r) => (r.tokensPerChip <= 4096 ? "<= 4K" : r.tokensPerChip <= 16384 ? "4K-16K" : "> 16K"),
  ],
  ["slices", (r) => (r.slices > 1 ? "multi-slice" : "one slice")],
  ["offload", (r) => (r.offload ? "offload" : "none")],
];
for (const [name, key] of groups) {
  const by = new Map<string, number[]>();
  for (const r of rows) by.set(key(r), [...(by.get(key(r)) ?? []), r.err]);
  console.log(`\nby ${name}: group  cases  median signed err%  min  max`);
  for (const [k, errs] of [...by].sort())
    console.log(
      `  ${k.padEnd(16)}${String(errs.length).padStart(4)}${median(errs).toFixed(1).padStart(9)}${Math.min(
        ...errs,
      )
        .toFixed(1)
        .padStart(8)}${Math.max(...errs)
        .toFixed(1)
        .padStart(7)}`,
    );
}
