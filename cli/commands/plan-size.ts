// `zettasim plan size`: the cluster of each system that trains a model by a deadline (failures counted), and the systems side by side at equal power or floor area.
import type { Command } from "commander";
import { resolveModel } from "../../src/catalog/models-resolve.js";
import { systemIds } from "../../src/catalog/resolve.js";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtDuration, fmtInt } from "../../src/core/units.js";
import {
  DEFAULT_SIZE_SYSTEMS,
  planSize,
  type SizedCluster,
  type SizePlanResult,
} from "../../src/plan/size.js";
import type { TrainChunkResult, TrainTask } from "../../src/plan/train-search.js";
import { deriveSpec } from "../../src/report/derive.js";
import type { Scenario } from "../../src/scenario/load.js";
import { issuesFromZod } from "../../src/schema/issues.js";
import type { ModelConfig } from "../../src/schema/model.js";
import { type PlanConfig, planFile } from "../../src/schema/plan.js";
import { type TrainingConfig, trainingFile } from "../../src/schema/training.js";
import { action, numberFlag, printJson, readScenario } from "../io.js";
import { table } from "../table.js";
import { choiceFlag, planExecutor, stopControls } from "./plan.js";

interface Flags {
  model?: string;
  tokens?: string;
  deadlineDays?: string;
  systems?: string;
  seq?: string;
  gbs?: string;
  precision?: string;
  minimize?: string;
  equal?: string;
  budgetMw?: string;
  budgetM2?: string;
  price?: string;
  threads?: string;
  timeLimit?: string;
  json?: boolean;
}

interface Question {
  name: string;
  model: ModelConfig;
  training: TrainingConfig;
  systems: unknown[];
  plan: PlanConfig;
  reliability?: Scenario["file"]["reliability"];
}

/** The sizing question from a scenario (model, training, plan.size, reliability) and flags on top. */
function question(arg: string | undefined, flags: Flags): Question {
  const sc = arg === undefined ? undefined : readScenario(arg);
  const file = sc?.name;
  let model = sc?.model;
  if (flags.model !== undefined) model = resolveModel(flags.model, ["--model"]);
  if (!model) {
    throw new ZettasimError([
      {
        path: ["--model"],
        message: "no model given",
        expected: "a `model` in the scenario or --model <catalog id>",
      },
    ]);
  }
  const t: Record<string, unknown> = { seqLength: 4096, ...(sc?.file.training ?? {}) };
  const seq = numberFlag("seq", flags.seq, { integer: true, min: 1 });
  if (seq !== undefined) t.seqLength = seq;
  const gbs = numberFlag("gbs", flags.gbs, { integer: true, min: 1 });
  if (gbs !== undefined) t.globalBatchSize = gbs;
  const tokens = numberFlag("tokens", flags.tokens, { positive: true });
  if (tokens !== undefined) t.trainTokens = tokens;
  if (t.globalBatchSize === undefined) {
    throw new ZettasimError([
      {
        path: ["training", "globalBatchSize"],
        message: "no global batch size",
        expected: "training.globalBatchSize in the scenario or --gbs <sequences>",
      },
    ]);
  }
  // The layout, chips and system of a scenario are the planner's to choose here.
  for (const k of ["tp", "pp", "dp", "cp", "ep", "etp", "vpp", "chips"]) delete t[k];
  const tr = trainingFile.safeParse(t, { reportInput: true });
  if (!tr.success) throw new ZettasimError(issuesFromZod(tr.error, ["training"], trainingFile), file);
  const plan: Record<string, unknown> = { ...(sc?.file.plan ?? {}) };
  const size: Record<string, unknown> = { ...((plan.size as object) ?? {}) };
  const days = numberFlag("deadline-days", flags.deadlineDays, { positive: true });
  if (days !== undefined) size.deadlineDays = days;
  if (flags.systems !== undefined) {
    size.systems =
      flags.systems.trim() === "all" ? systemIds() : flags.systems.split(",").map((s) => s.trim());
  }
  const min = choiceFlag("minimize", flags.minimize, ["chips", "cost", "power"]);
  if (min) size.minimize = min;
  const eq = choiceFlag("equal", flags.equal, ["power", "floor"]);
  if (eq) size.equalBy = eq;
  const mw = numberFlag("budget-mw", flags.budgetMw, { positive: true });
  if (mw !== undefined) size.budgetMW = mw;
  const m2 = numberFlag("budget-m2", flags.budgetM2, { positive: true });
  if (m2 !== undefined) size.budgetM2 = m2;
  if (size.deadlineDays === undefined) {
    throw new ZettasimError([
      {
        path: ["plan", "size", "deadlineDays"],
        message: "no deadline",
        expected: "plan.size.deadlineDays or --deadline-days <days>",
      },
    ]);
  }
  plan.size = size;
  const price = numberFlag("price", flags.price, { positive: true });
  if (price !== undefined) plan.pricePerChipHourUsd = price;
  if (flags.precision !== undefined) {
    const list = flags.precision
      .split(",")
      .map((p) => choiceFlag("precision", p.trim(), ["bf16", "fp8", "fp4"]));
    plan.space = { ...((plan.space as object) ?? {}), precision: list };
  }
  const pr = planFile.safeParse(plan, { reportInput: true });
  if (!pr.success) throw new ZettasimError(issuesFromZod(pr.error, ["plan"], planFile), file);
  const systems = pr.data.size?.systems ?? DEFAULT_SIZE_SYSTEMS;
  return {
    name: sc?.name ?? model.id ?? "model",
    model,
    training: tr.data,
    systems,
    plan: pr.data,
    reliability: sc?.file.reliability,
  };
}

const days = (s: number | undefined) => (s === undefined ? "-" : `${(s / 86400).toFixed(1)} d`);
const mw = (w: number) => `${(w / 1e6).toFixed(1)}`;

function layoutText(c: SizedCluster): string {
  const d = c.best?.estimate.degrees;
  return d ? `${d.tp}/${d.cp}/${d.pp}/${d.dp}/${d.ep}` : "-";
}

function row(system: string, precision: string, c: SizedCluster | null, extra: string[] = []): string[] {
  if (!c) return [system, precision, "none", ...Array(9).fill("-"), ...extra.map(() => "-")];
  const e = c.best?.estimate;
  return [
    system,
    precision,
    fmtInt(c.chips),
    layoutText(c),
    e ? fmtDuration(e.stepTimeS) : "-",
    e ? `${(100 * e.mfu).toFixed(1)}%` : "-",
    days(c.timeToTrainS),
    days(c.effectiveTimeToTrainS),
    c.goodput === undefined ? "-" : `${(100 * c.goodput).toFixed(1)}%`,
    mw(c.facilityPowerW),
    c.energyJ === undefined ? "-" : (c.energyJ / 3.6e12).toFixed(1),
    c.costUsd === undefined ? "-" : `$${(c.costUsd / 1e6).toFixed(1)}M`,
    ...extra,
  ];
}

const HEAD = [
  "system",
  "precision",
  "chips",
  "tp/cp/pp/dp/ep",
  "step",
  "MFU",
  "failure-free",
  "with failures",
];
HEAD.push("goodput", "facility MW", "energy GWh", "cost");

function render(q: Question, r: SizePlanResult, wallS: number): string {
  const t = q.training;
  const out: string[] = [];
  out.push(
    `plan size: ${q.name}, ${fmtInt((t.trainTokens ?? 0) / 1e9)}B tokens (batch ${fmtInt(t.globalBatchSize)} x ${fmtInt(t.seqLength)}) within ${r.deadlineDays} days, failures and checkpoints counted`,
  );
  out.push(
    `  ${r.searches} exact layout searches in ${wallS.toFixed(1)} s${r.cancelled ? " (stopped early)" : ""}`,
  );
  out.push(
    "",
    `  ${r.minimize === "chips" ? "smallest" : r.minimize === "cost" ? "cheapest" : "least-power"} cluster of each system that meets the deadline:`,
  );
  out.push(
    table([HEAD, ...r.systems.map((s) => row(s.system, s.precision, s.choice))], { header: true, indent: 4 }),
  );
  out.push(
    "    sizes searched (whole units of the chips shown; + meets the deadline, - misses, x no layout):",
  );
  for (const s of r.systems) {
    const tried = s.sizes
      .map(
        (c) =>
          `${fmtInt(c.chips)}${c.meetsDeadline ? "+" : c.best || c.slowerThanDeadline || c.skipped?.startsWith("even") ? "-" : "x"}`,
      )
      .join(" ");
    out.push(`      ${s.system} (units of ${s.unitsChips.map(fmtInt).join(", then ")}): ${tried || "none"}`);
  }
  for (const s of r.systems) {
    if (s.choice) continue;
    const tried = s.sizes.filter((c) => c.best);
    const last = tried.at(-1);
    out.push(
      `    ${s.system}: none of the sizes searched (up to ${fmtInt(s.maxChips)} chips) meets it${last ? ` (${fmtInt(last.chips)} chips: ${days(last.effectiveTimeToTrainS)})` : ""}${s.extensible ? "" : "; the catalog system does not grow beyond its own size"}`,
    );
  }
  const b = r.budget;
  const budget = b.by === "power" ? `${mw(b.value)} MW of facility power` : `${fmtInt(b.value)} m2 of floor`;
  out.push("", `  side by side at equal ${b.by === "power" ? "power" : "floor area"} (${budget}):`);
  out.push(
    table(
      [
        [...HEAD, "floor m2"],
        ...r.systems.map((s) =>
          row(s.system, s.precision, s.atBudget, [s.atBudget ? fmtInt(s.atBudget.floorM2) : "-"]),
        ),
      ],
      { header: true, indent: 4 },
    ),
  );
  return `${out.join("\n")}\n`;
}

const sizedJson = (c: SizedCluster | null) =>
  c && {
    chips: c.chips,
    facilityPowerW: c.facilityPowerW,
    floorM2: c.floorM2,
    exact: c.exact,
    timeToTrainS: c.timeToTrainS ?? null,
    effectiveTimeToTrainS: c.effectiveTimeToTrainS ?? null,
    goodput: c.goodput ?? null,
    energyJ: c.energyJ ?? null,
    costUsd: c.costUsd ?? null,
    meetsDeadline: c.meetsDeadline,
    skipped: c.skipped ?? null,
    slowerThanDeadline: c.slowerThanDeadline ?? false,
    stepTimeS: c.best?.estimate.stepTimeS ?? null,
    mfu: c.best?.estimate.mfu ?? null,
    training: c.best?.training ?? null,
  };

export function registerPlanSize(plan: Command): void {
  plan
    .command("size")
    .description(
      "the smallest / cheapest / least-power cluster of each system that trains a model by a deadline, and the systems at equal power or floor",
    )
    .argument(
      "[scenario]",
      "scenario file with `model`, `training` (seqLength, globalBatchSize, trainTokens) and plan.size",
    )
    .option("--model <id>", "catalog model")
    .option("--tokens <n>", "tokens to train on")
    .option(
      "--deadline-days <d>",
      "the run must finish within this many days, failures and checkpoints counted",
    )
    .option(
      "--systems <list>",
      `catalog systems, comma-separated, or all (default ${DEFAULT_SIZE_SYSTEMS.join(",")})`,
    )
    .option("--seq <n>", "sequence length, tokens (default 4096)")
    .option("--gbs <n>", "global batch size, sequences")
    .option(
      "--precision <list>",
      "precisions allowed, e.g. fp8,bf16 (each system uses the first its chip has)",
    )
    .option("--minimize <what>", "chips, cost or power (default chips)")
    .option("--equal <what>", "power or floor: the side-by-side budget (default power)")
    .option("--budget-mw <mw>", "the power budget (default: the first system's whole footprint)")
    .option("--budget-m2 <m2>", "the floor budget")
    .option("--price <usd>", "USD per chip-hour (cost columns, --minimize cost)")
    .option("--threads <n>", "worker threads (default: every core)")
    .option("--time-limit <s>", "stop after this many seconds with the sizes planned so far")
    .option("--json", "print JSON")
    .action(
      action(async (arg: string | undefined, flags: Flags) => {
        const q = question(arg, flags);
        const run = planExecutor<TrainTask, TrainChunkResult>(true, flags.threads);
        const stop = stopControls(numberFlag("time-limit", flags.timeLimit, { positive: true }));
        const t0 = performance.now();
        let r: SizePlanResult;
        try {
          r = await planSize(
            {
              model: q.model,
              training: q.training,
              systems: q.systems,
              plan: q.plan,
              reliability: q.reliability,
            },
            {
              footprint: (system) => {
                const spec = deriveSpec(system);
                return { facilityPowerW: spec.facilityPowerW, floorM2: spec.floorAreaM2 };
              },
              executor: run.executor,
              signal: stop.signal,
              onProgress: (w) => {
                if (!flags.json && process.stderr.isTTY) process.stderr.write(`\r  planning ${w}\u001b[K`);
              },
            },
          );
        } finally {
          if (!flags.json && process.stderr.isTTY) process.stderr.write("\r\u001b[K");
          stop.done();
          await run.close();
        }
        const wallS = (performance.now() - t0) / 1000;
        if (flags.json) {
          printJson({
            model: q.model.id ?? q.name,
            wallS,
            ...r,
            systems: r.systems.map((s) => ({
              ...s,
              sizes: s.sizes.map(sizedJson),
              choice: sizedJson(s.choice),
              atBudget: sizedJson(s.atBudget),
            })),
          });
        } else process.stdout.write(render(q, r, wallS));
      }),
    );
}
