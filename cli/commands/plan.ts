// `zettasim plan train | serve | size`: the best layout for a job, the best serving deployment, the cluster for a deadline.
import { writeFileSync } from "node:fs";
import type { Command } from "commander";
import { stringify } from "yaml";
import { defaultThreads, taskModuleUrl, WorkerPool } from "../../node/pool.js";
import { checkRedisUrl } from "../../node/sweep/queue.js";
import { type RerankRow, rerankLayouts } from "../../node/sweep/rerank.js";
import { ZettasimError } from "../../src/core/errors.js";
import { fmtDuration, fmtInt, fmtSI } from "../../src/core/units.js";
import type { Executor } from "../../src/plan/executor.js";
import { planTrain, THREADS_MIN_GROUPS, type TrainPlanResult } from "../../src/plan/train.js";
import { explainRunnerUp, layoutSummary, plannedScenario } from "../../src/plan/train-report.js";
import { PreparedSearch, type TrainChunkResult, type TrainTask } from "../../src/plan/train-search.js";
import type { TrainProblem } from "../../src/plan/train-space.js";
import { planTrainExtras, planTrainJson, trainingJob } from "../../src/report/results.js";
import type { Scenario } from "../../src/scenario/load.js";
import { issuesFromZod } from "../../src/schema/issues.js";
import { type PlanConfig, planFile } from "../../src/schema/plan.js";
import type { ScenarioFile } from "../../src/schema/scenario.js";
import { action, numberFlag, threadsFlag as parseThreads, printJson, readScenario } from "../io.js";
import { progressOnStderr } from "../progress.js";
import { table } from "../table.js";
import { registerPlanServe } from "./plan-serve.js";
import { registerPlanSize } from "./plan-size.js";

interface PlanTrainFlags {
  system?: string;
  model?: string;
  chips?: string;
  gbs?: string;
  seq?: string;
  tokens?: string;
  precision?: string;
  json?: boolean;
  objective?: string;
  top?: string;
  threads?: string;
  timeLimit?: string;
  emit?: string;
  rerank?: string;
  queue?: string;
  price?: string;
  maxPowerMw?: string;
  deadlineDays?: string;
}

/** Parses --chips: one count, a comma list, or a range "min-max" (powers of two times min). */
export function chipsFlag(raw: string | undefined): PlanConfig["chips"] | undefined {
  if (raw === undefined) return undefined;
  const range = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(raw);
  if (range) {
    const min = numberFlag("chips", range[1], { integer: true, min: 1 }) as number;
    const max = numberFlag("chips", range[2], { integer: true, min: 1 }) as number;
    return { min, max };
  }
  const list = raw.split(",").map((x) => numberFlag("chips", x.trim(), { integer: true, min: 1 }) as number);
  return list.length === 1 ? list[0] : list;
}

/** Checks one enumerated flag value. */
export function choiceFlag<T extends string>(name: string, value: string | undefined, allowed: readonly T[]) {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ZettasimError([
      { path: [`--${name}`], message: "unknown value", value, expected: allowed.join(", ") },
    ]);
  }
  return value as T;
}

/** The scenario's plan section with flags layered on top, validated (errors name plan.<field> or the flag). */
function planFrom(sc: Scenario | undefined, flags: PlanTrainFlags): PlanConfig {
  const plan: Record<string, unknown> = { ...(sc?.file.plan ?? {}) };
  const objective = choiceFlag("objective", flags.objective, ["stepTime", "timeToTrain", "cost", "energy"]);
  if (objective) plan.objective = objective;
  const top = numberFlag("top", flags.top, { integer: true, min: 1 });
  if (top !== undefined) plan.top = top;
  const chips = chipsFlag(flags.chips);
  if (chips !== undefined) plan.chips = chips;
  if (flags.precision !== undefined) {
    const list = flags.precision
      .split(",")
      .map((p) => choiceFlag("precision", p.trim(), ["bf16", "fp8", "fp4"]));
    plan.space = { ...((plan.space as object) ?? {}), precision: list };
  }
  const price = numberFlag("price", flags.price, { positive: true });
  if (price !== undefined) plan.pricePerChipHourUsd = price;
  const constraints: Record<string, unknown> = { ...((plan.constraints as object) ?? {}) };
  const mw = numberFlag("max-power-mw", flags.maxPowerMw, { positive: true });
  if (mw !== undefined) constraints.maxPowerMW = mw;
  const days = numberFlag("deadline-days", flags.deadlineDays, { positive: true });
  if (days !== undefined) constraints.deadlineDays = days;
  if (Object.keys(constraints).length) plan.constraints = constraints;
  const r = planFile.safeParse(plan, { reportInput: true });
  if (!r.success) throw new ZettasimError(issuesFromZod(r.error, ["plan"], planFile), sc?.name);
  return r.data;
}

/**
 * Progress on stderr with layouts settled, best so far and ETA: a bar on a terminal, occasional plain lines
 * otherwise (progress.ts).
 */
function progressBar(enabled: boolean) {
  return progressOnStderr(
    enabled,
    "plan",
    "layouts",
    "  plan [{bar}] {percentage}% | {value}/{total} {what} | best {best} | ETA {eta_formatted}",
    {
      fps: 8,
      etaBuffer: 20,
      formatValue: (v, _o, type) => (type === "value" || type === "total" ? fmtInt(v) : String(v)),
    },
  );
}

/**
 * Worker threads running the planner's task module, or none (this thread) when one thread is asked for.
 * `threads` defaults to every core when `large`, else one (starting threads costs more than it saves).
 */
export function planExecutor<I, O>(large: boolean, threadsFlag: string | undefined) {
  const asked = parseThreads(threadsFlag);
  const threads = asked ?? (large ? defaultThreads() : 1);
  if (threads <= 1) return { threads: 1, executor: undefined, close: async () => {} };
  const pool = new WorkerPool<I, O>(taskModuleUrl("../../src/plan/task", import.meta.url), threads);
  const executor: Executor<I, O> = {
    threads,
    run: (inputs, onResult, signal) => pool.run(inputs, { onResult, signal }),
  };
  return { threads, executor, close: () => pool.close() };
}

/**
 * Aborts on Ctrl-C (the search stops with the best found so far; a second Ctrl-C exits at once) or after
 * `limitS` seconds. Returns the signal and a function that removes the handlers.
 */
export function stopControls(limitS: number | undefined): {
  signal: AbortSignal;
  why: () => string;
  done: () => void;
} {
  const ac = new AbortController();
  let why = "";
  const onInt = () => {
    if (ac.signal.aborted) process.exit(130);
    why = "stopped by Ctrl-C";
    process.stderr.write("\nzettasim: stopping; the best layout so far follows (Ctrl-C again to quit)\n");
    ac.abort();
  };
  process.on("SIGINT", onInt);
  const timer =
    limitS === undefined
      ? undefined
      : setTimeout(() => {
          why = `stopped at the ${limitS} s time limit`;
          ac.abort();
        }, limitS * 1000);
  return {
    signal: ac.signal,
    why: () => why,
    done: () => {
      process.off("SIGINT", onInt);
      if (timer) clearTimeout(timer);
    },
  };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const gb = (b: number) => `${(b / 1e9).toFixed(1)}`;
const onOff = (b: boolean) => (b ? "on" : "off");

function layoutRows(r: TrainPlanResult): string[][] {
  const head = [
    "#",
    "step",
    "MFU",
    "mem GB",
    "chips",
    "tp",
    "cp",
    "pp",
    "dp",
    "ep",
    "etp",
    "vpp",
    "mbs",
    "sp",
  ];
  head.push(
    "recompute",
    "zero",
    "precision",
    "schedule",
    "overlap tp/dp/ep, dispatch",
    "offload o/w/a",
    "bottleneck",
  );
  const rows = r.top.map((l) => {
    const s = layoutSummary(l);
    return [
      String(s.rank),
      fmtDuration(s.stepTimeS),
      pct(s.mfu),
      gb(s.memoryPerChipBytes),
      fmtInt(s.chips),
      String(s.tp),
      String(s.cp),
      String(s.pp),
      String(s.dp),
      String(s.ep),
      String(s.etp),
      String(s.vpp),
      String(s.microBatchSize),
      onOff(s.sequenceParallel),
      s.recompute,
      s.zero === 3
        ? `3${s.reshardAfterForward === false ? " keep" : ""}${s.shardGroupSize !== null ? ` /${s.shardGroupSize}` : ""}`
        : String(s.zero),
      s.precisionRecipe ? `${s.precision} ${s.precisionRecipe.replace(/^fp8-/, "")}` : s.precision,
      `${s.schedule}${s.cudaGraphs ? " +graphs" : ""}`,
      `${onOff(s.overlap.tpComm)}/${onOff(s.overlap.dpComm)}/${s.moeOverlap ?? onOff(s.overlap.epComm)}${s.moeDispatcher ? ` ${s.moeDispatcher}` : ""}`,
      `${s.offload.optimizer}/${s.offload.weights}/${s.offload.activations}`,
      s.bottleneck,
    ];
  });
  return [head, ...rows];
}

interface TrainReport {
  name: string;
  systemName: string;
  problem: TrainProblem;
  result: TrainPlanResult;
  wallS: number;
  threads: number;
  stoppedWhy: string;
  own?: { stepTimeS: number; fits: boolean };
  failures?: { goodput: number; effectiveTimeToTrainS: number };
  rerank?: RerankRow[];
}

function renderTrain(rep: TrainReport): string {
  const { result: r, problem: p } = rep;
  const t = p.training;
  const out: string[] = [];
  out.push(
    `plan train: ${rep.name} on ${rep.systemName}, ${r.space.domains.chips.map(fmtInt).join(" or ")} chips, batch ${fmtInt(t.globalBatchSize)} x ${fmtInt(t.seqLength)} tokens, objective ${r.objective}`,
  );
  const c = r.counts;
  out.push(
    `  space: ${fmtInt(r.space.layouts)} layouts in ${fmtInt(r.space.groups)} groups; searched in ${rep.wallS.toFixed(2)} s on ${rep.threads} thread${rep.threads > 1 ? "s" : ""}`,
  );
  out.push(
    `  ${fmtInt(r.considered)} considered: ${fmtInt(c.evaluated)} evaluated (${fmtInt(c.infeasible)} over memory or deadline), ${fmtInt(c.prunedCompute)} pruned by the compute bound, ${fmtInt(c.prunedMemory)} by memory floors, ${fmtInt(c.prunedSymmetry)} by symmetry`,
  );
  if (r.exact) out.push(`  -> exact: the best layout is the proven optimum of the model over this space`);
  else {
    const g = r.gap;
    const gapText =
      g?.relative != null
        ? `the optimum is at most ${pct(g.relative)} better than the best found`
        : "the gap is unknown (stopped before every group was bounded)";
    out.push(`  -> NOT exact (${rep.stoppedWhy || "stopped"}): ${gapText}`);
  }
  if (r.top.length === 0) {
    out.push(
      "",
      "  no layout fits in memory (and the deadline, if any): more chips, a larger batch split or fp8",
    );
    return `${out.join("\n")}\n`;
  }
  out.push("", table(layoutRows(r), { header: true, indent: 2 }));
  const w = r.top[0];
  const e = w.estimate;
  out.push(
    "",
    `  winner: ${fmtDuration(e.stepTimeS)} per step, ${pct(e.mfu)} MFU, ${fmtSI(e.tokensPerSecond, "tok/s")}`,
  );
  const b = e.breakdownS;
  out.push(
    table(
      (Object.keys(b) as (keyof typeof b)[])
        .filter((k) => b[k] > 0)
        .map((k) => [`    ${k.replace(/S$/, "")}`, fmtDuration(b[k]), pct(b[k] / e.stepTimeS)]),
    ),
  );
  const m = e.memoryBreakdownBytes;
  out.push(
    `    memory per chip ${gb(e.memoryPerChipBytes)} of ${gb(e.memoryCapacityBytes)} GB: weights ${gb(m.weightsBytes)}, gradients ${gb(m.gradientsBytes)}, optimizer ${gb(m.optimizerBytes)}, activations ${gb(m.activationsBytes)}, buffers ${gb(m.buffersBytes)}`,
  );
  if (e.timeToTrainS !== undefined) {
    let line = `    to train ${fmtSI(t.trainTokens ?? 0, "tokens")}: ${fmtDuration(e.timeToTrainS)}, ${fmtSI((e.energyToTrainJ ?? 0) / 3600, "Wh")}`;
    if (rep.failures)
      line += `; with failures and checkpoints ${fmtDuration(rep.failures.effectiveTimeToTrainS)} (${pct(rep.failures.goodput)} goodput)`;
    out.push(line);
  }
  if (r.top.length > 1) out.push(`  why not #2: ${explainRunnerUp(w, r.top[1]).summary}`);
  if (rep.own) {
    const gain = rep.own.stepTimeS / e.stepTimeS - 1;
    out.push(
      `  the scenario's own layout: ${fmtDuration(rep.own.stepTimeS)} per step${rep.own.fits ? "" : " (does not fit)"}; the plan's is ${pct(gain)} faster`,
    );
  }
  if (r.bestByChips.length > 1) {
    out.push("", "  best per chip count (Pareto front marked *):");
    const front = new Set(r.pareto.map((l) => l.index));
    out.push(
      table(
        [
          ["chips", "step", "MFU", "tokens/s", "facility MW", "value", "front"],
          ...r.bestByChips.map((l) => [
            fmtInt(l.estimate.chips),
            fmtDuration(l.estimate.stepTimeS),
            pct(l.estimate.mfu),
            fmtSI(l.estimate.tokensPerSecond, "tok/s"),
            (l.estimate.facilityPowerW / 1e6).toFixed(2),
            l.value.toPrecision(4),
            front.has(l.index) ? "*" : "",
          ]),
        ],
        { header: true, indent: 4 },
      ),
    );
  }
  if (rep.rerank) out.push("", renderRerank(rep.rerank));
  return `${out.join("\n")}\n`;
}

function renderRerank(rows: RerankRow[]): string {
  const sorted = [...rows].sort((a, b) => a.simulatedStepTimeS - b.simulatedStepTimeS || a.rank - b.rank);
  const lines = [
    `  re-checked with the flow simulator (best simulated: #${sorted[0].rank}):`,
    table(
      [
        ["#", "analytical step", "simulated step", "difference"],
        ...rows.map((x) => [
          String(x.rank),
          fmtDuration(x.analyticalStepTimeS),
          fmtDuration(x.simulatedStepTimeS),
          `${x.differencePct >= 0 ? "+" : ""}${x.differencePct.toFixed(1)}%`,
        ]),
      ],
      { header: true, indent: 4 },
    ),
  ];
  return lines.join("\n");
}

type SourceRefs = Pick<ScenarioFile, "system" | "model" | "name" | "seed" | "reliability" | "simulation">;

async function planTrainCommand(arg: string | undefined, flags: PlanTrainFlags) {
  const over: Record<string, unknown> = {};
  const gbs = numberFlag("gbs", flags.gbs, { integer: true, min: 1 });
  if (gbs !== undefined) over.globalBatchSize = gbs;
  const seq = numberFlag("seq", flags.seq, { integer: true, min: 1 });
  if (seq !== undefined) over.seqLength = seq;
  const tokens = numberFlag("tokens", flags.tokens, { positive: true });
  if (tokens !== undefined) over.trainTokens = tokens;
  const sc = arg === undefined ? undefined : readScenario(arg);
  const job = trainingJob(sc, { system: flags.system, model: flags.model, training: over });
  const plan = planFrom(job.scenario, flags);
  const queue = flags.queue === undefined ? undefined : checkRedisUrl(flags.queue, "--queue");
  if (queue !== undefined && flags.rerank === undefined)
    throw new ZettasimError([
      {
        path: ["--queue"],
        message: "only --rerank's simulations run on a queue",
        expected: "--rerank N with --queue",
      },
    ]);
  const problem: TrainProblem = { system: job.system, model: job.model, training: job.training, plan };
  const prepared = new PreparedSearch(problem);
  // Threads pay off once the bound phase alone is seconds of work (about 4 evaluations per group).
  const run = planExecutor<TrainTask, TrainChunkResult>(
    prepared.space.groups.length >= THREADS_MIN_GROUPS,
    flags.threads,
  );
  const stop = stopControls(numberFlag("time-limit", flags.timeLimit, { positive: true }));
  const bar = progressBar(!flags.json);
  bar?.start(prepared.space.groups.length, 0, { what: "groups bounded", best: "-" });
  let phase = "bound";
  const t0 = performance.now();
  let result: TrainPlanResult;
  try {
    result = await planTrain(problem, {
      prepared,
      executor: run.executor,
      signal: stop.signal,
      onProgress: (pr) => {
        const best = Number.isFinite(pr.bestStepTimeS) ? fmtDuration(pr.bestStepTimeS) : "-";
        if (pr.phase !== phase) {
          // Second bar: the search phase counts layouts settled (cli-progress restarts its ETA).
          phase = pr.phase;
          bar?.stop();
          bar?.start(pr.total, pr.considered, { what: "layouts settled", best });
        } else bar?.update(pr.phase === "bound" ? pr.groupsBounded : pr.considered, { best });
      },
    });
  } finally {
    bar?.stop();
    stop.done();
    await run.close();
  }
  const wallS = (performance.now() - t0) / 1000;
  const src: SourceRefs = job.scenario
    ? job.scenario.file
    : { system: job.system.id, model: job.model.id ?? job.model, name: job.name };
  const rep: TrainReport = {
    name: job.name,
    systemName: job.system.name,
    problem,
    result,
    wallS,
    threads: run.threads,
    stoppedWhy: stop.why(),
  };
  const w = result.top[0];
  Object.assign(rep, planTrainExtras(job, src, result));
  const n = numberFlag("rerank", flags.rerank, { integer: true, min: 1 });
  if (n !== undefined && result.top.length > 0) {
    // The scenario's references, with the flags' system and model when they replaced them.
    const refs = { ...src, system: flags.system ?? src.system, model: flags.model ?? src.model };
    const layouts = result.top.slice(0, n);
    process.stderr.write(
      `  simulating the top ${layouts.length} layout${layouts.length > 1 ? "s" : ""}${queue ? ` on ${queue}` : ""}...\n`,
    );
    const threads = numberFlag("threads", flags.threads, { integer: true, min: 1 }) ?? defaultThreads();
    rep.rerank = await rerankLayouts(refs, layouts, { queue, threads });
  }
  if (flags.emit !== undefined && w) {
    const file = plannedScenario(src, w);
    const head = `# Written by zettasim plan train: the best layout of ${job.name} (${fmtDuration(w.estimate.stepTimeS)} per step${result.exact ? ", proven optimal" : ""}).\n# Run it with: zettasim train ${flags.emit}   or   zettasim simulate ${flags.emit}\n`;
    writeFileSync(flags.emit, head + stringify(file));
  }
  if (flags.json) printJson(trainJson(rep));
  else process.stdout.write(renderTrain(rep));
  if (flags.emit !== undefined && !w) {
    throw new ZettasimError([
      {
        path: ["--emit"],
        message: "no layout fits, so nothing was written",
        value: flags.emit,
        expected: "a space with a feasible layout",
      },
    ]);
  }
}

function trainJson(rep: TrainReport) {
  return planTrainJson({ ...rep, systemId: rep.problem.system.id, result: rep.result });
}

export function registerPlan(program: Command): void {
  const plan = program
    .command("plan")
    .description("search: the best training layout, the best serving deployment, the cluster for a deadline");
  plan
    .command("train")
    .description(
      "exact search of every training layout (TP, PP, VPP, DP, EP, CP, micro-batch, recompute, ZeRO, SP, overlap, schedule, precision)",
    )
    .argument(
      "[scenario]",
      "scenario file with `system`, `model`, `training` (seqLength, globalBatchSize) and optionally `plan`",
    )
    .option("--system <id>", "catalog system (overrides the scenario's)")
    .option("--model <id>", "catalog model (overrides the scenario's)")
    .option("--chips <n>", "chips: one count, a list (512,1024) or a range (256-4096, powers of two)")
    .option("--gbs <n>", "global batch size, sequences")
    .option("--seq <n>", "sequence length, tokens")
    .option("--tokens <n>", "tokens to train on (time to train, timeToTrain objective, deadline)")
    .option("--precision <list>", "precisions the search may use, e.g. bf16,fp8")
    .option("--objective <o>", "stepTime, timeToTrain, cost or energy")
    .option("--price <usd>", "USD per chip-hour (cost objective)")
    .option("--max-power-mw <mw>", "facility power limit, MW (drops larger chip counts)")
    .option("--deadline-days <d>", "failure-free time to train must be within this (needs --tokens)")
    .option("--top <k>", "layouts listed (default 10)")
    .option("--threads <n>", "worker threads (default: every core for large spaces)")
    .option("--time-limit <s>", "stop after this many seconds with the best so far and its gap")
    .option("--emit <file>", "write the winner as a scenario that `train` and `simulate` run as is")
    .option("--rerank <n>", "re-check the top n layouts with the flow simulator (on all threads)")
    .option(
      "--queue <url>",
      "run --rerank's simulations as jobs on this Redis (redis://HOST:PORT) for `zettasim worker`s",
    )
    .option("--json", "print JSON")
    .action(action(planTrainCommand));
  registerPlanServe(plan);
  registerPlanSize(plan);
}
