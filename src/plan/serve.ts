// `plan serve`: colocated against prefill/decode-disaggregated deployments, pool layouts and sizes screened with the serving cost model, the best re-checked with the request simulator.
import { requireArgument, ZettasimError } from "../core/errors.js";
import { Rng } from "../core/rng.js";
import { MS } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import type { ServingConfig } from "../schema/serving.js";
import { type PoolPlan, servingPlan } from "../serving/config.js";
import { runPlan, type ServingResult } from "../serving/simulate.js";
import { generateRequests } from "../serving/workload.js";
import { facilityPowerW } from "../training/estimate.js";
import { type Executor, inProcess } from "./executor.js";

type PoolFile = NonNullable<ServingConfig["decode"]>;
type Role = "prefill" | "decode" | "colocated";

/** A serving search: the scenario (system, model, `serving` with workload and SLO) and its plan section. */
export interface ServeProblem {
  scenario: Scenario;
}

/** One pool of a candidate deployment, as the scenario's `serving` section writes it. */
export interface PoolChoice {
  role: Role;
  pool: PoolFile;
  chips: number;
  /** Analytic step time at the chosen load, s. */
  stepS: number;
  /** Analytic utilisation of the pool at the workload's rate. */
  utilisation: number;
  /** Facility power per chip of the pool (its chip, its share of the system's per-group items, PUE), W. */
  wattsPerChip: number;
  /** Catalog id of the pool's chip (for prices). */
  chipId: string;
}

/** A candidate deployment with its analytic screening figures and, once re-checked, its simulation. */
export interface ServeCandidate {
  mode: "colocated" | "disaggregated";
  pools: PoolChoice[];
  chips: number;
  /** Objective denominator: chips, USD per hour or facility watts. */
  spend: number;
  /** Analytic estimates: TTFT and TPOT at the targets' percentile, s. */
  ttftS: number;
  tpotS: number;
  /** The `serving` section that runs this deployment. */
  serving: ServingConfig;
  simulated?: {
    ttftMs: number;
    tpotMs: number;
    goodputPerS: number;
    meetsTargets: boolean;
    /** Goodput per unit of spend (requests/s per chip, per USD/h or per W). */
    score: number;
    requests: number;
    rounds: number;
  };
}

export interface ServePlanResult {
  objective: string;
  percentile: number;
  targets: { ttftMs: number; tpotMs: number };
  ratePerS: number;
  /** Layouts screened analytically, and deployments that passed the screen. */
  screened: number;
  feasible: number;
  /** Best deployments by the analytic screen (fewest spend first). */
  candidates: ServeCandidate[];
  /** Re-checked with the request simulator, best first; the winner is the first that meets the targets. */
  rechecked: ServeCandidate[];
  winner: ServeCandidate | null;
  cancelled: boolean;
}

/** One simulation of the re-check phase (runs in a worker). */
export interface ServeCheckTask {
  kind: "serve-check";
  scenario: Scenario;
  serving: ServingConfig;
  requests: number;
}

export interface ServeCheckResult {
  result: Pick<ServingResult, "ttftMs" | "tpotMs" | "goodput" | "chips" | "requests">;
}

/** Runs one re-check simulation. Cost: the simulation's, about a millisecond per request. */
export function runServeCheck(t: ServeCheckTask): ServeCheckResult {
  const sc: Scenario = { ...t.scenario, file: { ...t.scenario.file, serving: t.serving } };
  const plan = servingPlan(sc);
  plan.workload = { ...plan.workload, requests: t.requests };
  const r = runPlan(plan, sc.seed);
  return {
    result: { ttftMs: r.ttftMs, tpotMs: r.tpotMs, goodput: r.goodput, chips: r.chips, requests: r.requests },
  };
}

/** Workload figures the screen needs, from the scenario's own request stream (same seed as the simulator). */
interface WorkloadStats {
  ratePerS: number;
  meanIn: number;
  meanOut: number;
  /** New (uncached) prompt tokens per request, mean and at the percentile. */
  meanNew: number;
  newAtP: number;
  /** Causal (query, key) pairs per new prompt token, averaged over tokens. */
  pairsPerToken: number;
}

function workloadStats(sc: Scenario, c: ServingConfig, p: number, requests: number): WorkloadStats {
  const specs = generateRequests({ ...c.workload, requests }, new Rng(sc.seed));
  if (specs.length < 2) {
    throw new ZettasimError([
      {
        path: ["serving", "workload"],
        message: "planning needs a stream of at least 2 requests",
        value: specs.length,
        expected: "more requests",
      },
    ]);
  }
  const span = specs[specs.length - 1].arrivalS - specs[0].arrivalS;
  let sIn = 0;
  let sOut = 0;
  let sNew = 0;
  let sPairs = 0;
  const news: number[] = [];
  for (const r of specs) {
    const n = r.inputTokens - r.cachedTokens;
    sIn += r.inputTokens;
    sOut += r.outputTokens;
    sNew += n;
    sPairs += n * r.cachedTokens + (n * (n + 1)) / 2;
    news.push(n);
  }
  news.sort((a, b) => a - b);
  const k = specs.length;
  return {
    ratePerS: span > 0 ? (k - 1) / span : k,
    meanIn: sIn / k,
    meanOut: sOut / k,
    meanNew: sNew / k,
    newAtP: news[Math.min(k - 1, Math.ceil((p / 100) * k) - 1)],
    pairsPerToken: sPairs / Math.max(1, sNew),
  };
}

/** Largest utilisation a pool is planned at: queueing grows without bound near 1 (Kingman). */
const MAX_UTILISATION = 0.8;
/** Share of the TPOT target a planned decode step may take (the rest absorbs batch swings and prefill). */
const TPOT_MARGIN = 0.9;

interface Ctx {
  sc: Scenario;
  c: ServingConfig;
  w: WorkloadStats;
  ttftS: number;
  tpotS: number;
  screened: number;
}

/** Builds the simulator's own pool (cost model, KV pages) for a layout; undefined when it cannot exist. */
function poolPlan(ctx: Ctx, role: Role, pool: PoolFile): PoolPlan | undefined {
  const serving: ServingConfig =
    role === "colocated"
      ? { ...ctx.c, mode: "colocated", colocated: pool, prefill: undefined, decode: undefined }
      : { ...ctx.c, mode: "disaggregated", prefill: pool, decode: pool, colocated: undefined };
  try {
    const plan = servingPlan({ ...ctx.sc, file: { ...ctx.sc.file, serving } });
    return plan.pools[0];
  } catch (e) {
    if (e instanceof ZettasimError) return undefined;
    throw e;
  }
}

/** Decode load of one rank holding `b` sequences at the mean context. */
const decodeLoad = (w: WorkloadStats, b: number) => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: b,
  decodeKvTokens: b * (w.meanIn + w.meanOut / 2),
  logitTokens: b,
});

/** Best decode (or decode part of colocated) pool of one layout: the largest batch cap within the TPOT target. */
function screenPool(
  ctx: Ctx,
  role: Role,
  base: PoolFile,
  caps: number[],
  chunks: number[],
): PoolChoice | undefined {
  const { w } = ctx;
  let best: PoolChoice | undefined;
  for (const chunk of role === "decode" ? [0] : chunks) {
    for (const cap of role === "prefill" ? [1] : caps) {
      ctx.screened++;
      const pool: PoolFile = { ...base, instances: 1 };
      if (role !== "prefill") pool.maxBatchPerRank = cap;
      if (role !== "decode") pool.chunkTokens = chunk;
      const p = poolPlan(ctx, role, pool);
      if (!p) continue;
      const a = p.layout.attentionDp;
      // Sequences that fit a rank's KV cache at their full length.
      const kvCap = Math.floor(p.cost.kvCapacityTokensPerRank(w.meanIn + w.meanOut) / (w.meanIn + w.meanOut));
      const b = role === "prefill" ? 0 : Math.min(cap, kvCap);
      if (role !== "prefill" && b < 1) continue;
      const load = role === "prefill" ? decodeLoad(w, 0) : decodeLoad(w, b);
      if (role !== "decode") {
        load.prefillTokens = chunk;
        load.prefillPairs = chunk * w.pairsPerToken;
        load.logitTokens += chunk / Math.max(1, w.meanNew);
      }
      const stepS = p.cost.step(load, (load.prefillTokens + load.decodeSeqs) * a).timeS;
      if (role !== "prefill" && stepS > TPOT_MARGIN * ctx.tpotS) continue;
      // Instances for the rate: decode holds rate x output x step sequences (Little); prefill serves the
      // new prompt tokens at most MAX_UTILISATION busy.
      const needDecode = role === "prefill" ? 0 : (w.ratePerS * w.meanOut * stepS) / (b * a);
      const needPrefill =
        role === "decode" ? 0 : (w.ratePerS * w.meanNew * stepS) / (chunk * a) / MAX_UTILISATION;
      const instances = Math.max(1, Math.ceil(Math.max(needDecode, needPrefill)));
      // A prompt at the percentile runs its chunks one after another on one rank.
      if (role !== "decode" && Math.ceil(w.newAtP / chunk) * stepS > ctx.ttftS) continue;
      const chips = instances * p.layout.chips;
      const choice: PoolChoice = {
        role,
        pool: { ...pool, instances },
        chips,
        stepS,
        utilisation: Math.max(needDecode, needPrefill * MAX_UTILISATION) / instances,
        wattsPerChip: facilityPowerW(p.system, p.layout.chips) / p.layout.chips,
        chipId: p.system.chip.id,
      };
      if (!best || chips < best.chips || (chips === best.chips && stepS < best.stepS)) best = choice;
    }
  }
  return best;
}

/** Layouts of one instance: chips per instance, tensor parallel, expert parallel (all chips for an MoE). */
function layouts(ctx: Ctx, chip: PoolFile["chip"]): PoolFile[] {
  const o = ctx.sc.file.plan?.serve ?? {};
  const sys = ctx.sc.system;
  const heads = ctx.sc.model?.heads ?? 1;
  const moe = ctx.sc.model?.moe !== undefined;
  const maxInstance = Math.min(sys.chips, 1024);
  const sizes = o.instanceChips ?? [...Array(11).keys()].map((i) => 2 ** i).filter((x) => x <= maxInstance);
  const tps = o.tp ?? [1, 2, 4, 8];
  const out: PoolFile[] = [];
  for (const n of sizes) {
    for (const tp of tps) {
      if (n % tp !== 0 || heads % tp !== 0) continue;
      const pool: PoolFile = { instances: 1, instanceChips: n, tp, attentionDp: n / tp, ep: moe ? n : 1 };
      if (chip !== undefined) pool.chip = chip;
      out.push(pool);
    }
  }
  return out;
}

/** Spend of a deployment for the objective: chips, USD per hour, or facility watts. */
function spendOf(ctx: Ctx, pools: PoolChoice[]): number {
  const o = ctx.sc.file.plan?.serve?.objective ?? "perChip";
  const prices = ctx.c.pricePerChipHourUsd ?? {};
  let s = 0;
  for (const p of pools) {
    if (o === "perChip") s += p.chips;
    else if (o === "perDollar") {
      const price = prices[p.chipId] ?? prices.default;
      if (price === undefined) {
        throw new ZettasimError([
          {
            path: ["serving", "pricePerChipHourUsd", p.chipId],
            message: `no price for ${p.chipId}`,
            value: prices,
            expected: `a price for ${p.chipId} or a default`,
          },
        ]);
      }
      s += p.chips * price;
    } else s += p.wattsPerChip * p.chips;
  }
  return s;
}

function candidate(ctx: Ctx, mode: ServeCandidate["mode"], pools: PoolChoice[]): ServeCandidate {
  const serving: ServingConfig =
    mode === "colocated"
      ? { ...ctx.c, mode, colocated: pools[0].pool, prefill: undefined, decode: undefined }
      : { ...ctx.c, mode, prefill: pools[0].pool, decode: pools[1].pool, colocated: undefined };
  const pre = pools[0];
  const dec = pools[mode === "colocated" ? 0 : 1];
  const chunk = pre.pool.chunkTokens ?? 1;
  return {
    mode,
    pools,
    chips: pools.reduce((a, p) => a + p.chips, 0),
    spend: spendOf(ctx, pools),
    ttftS: Math.ceil(ctx.w.newAtP / chunk) * pre.stepS,
    tpotS: dec.stepS,
    serving,
  };
}

/**
 * Screens every layout analytically and returns deployments that fit the system and meet the targets on
 * paper, least spend first. Cost: about a thousand cost-model evaluations.
 */
export function screenServing(problem: ServeProblem): {
  ctx: Ctx;
  candidates: ServeCandidate[];
} {
  const sc = problem.scenario;
  const c = sc.file.serving;
  const slo = c?.slo;
  if (!c || slo?.ttftMs === undefined || slo.tpotMs === undefined) {
    throw new ZettasimError([
      {
        path: c ? ["serving", "slo"] : ["serving"],
        message: "plan serve needs a serving section with TTFT and TPOT targets",
        value: slo,
        expected: "serving.slo: { ttftMs, tpotMs }",
      },
    ]);
  }
  const o = sc.file.plan?.serve ?? {};
  if (o.objective === "perDollar" && c.pricePerChipHourUsd === undefined) {
    throw new ZettasimError([
      {
        path: ["serving", "pricePerChipHourUsd"],
        message: "goodput per dollar needs chip prices",
        value: undefined,
        expected: "serving.pricePerChipHourUsd: { default: <USD per chip-hour>, <chip id>: ... }",
      },
    ]);
  }
  const p = o.percentile ?? 90;
  const requests = Math.min(o.requests ?? c.workload.requests ?? 2000, 4000);
  const ctx: Ctx = {
    sc,
    c,
    w: workloadStats(sc, c, p, requests),
    ttftS: slo.ttftMs * MS,
    tpotS: slo.tpotMs * MS,
    screened: 0,
  };
  const caps = o.maxBatchPerRank ?? [8, 16, 32, 64, 128, 256];
  const modes = o.modes ?? ["colocated", "disaggregated"];
  const out: ServeCandidate[] = [];
  const fits = (chips: number) => chips <= sc.system.chips;
  if (modes.includes("disaggregated")) {
    const pre = layouts(ctx, c.prefill?.chip)
      .map((l) => screenPool(ctx, "prefill", l, caps, [4096, 8192, 16384, 32768]))
      .filter((x): x is PoolChoice => x !== undefined)
      .sort((a, b) => a.chips - b.chips || a.stepS - b.stepS)
      .slice(0, 6);
    const dec = layouts(ctx, c.decode?.chip)
      .map((l) => screenPool(ctx, "decode", l, caps, []))
      .filter((x): x is PoolChoice => x !== undefined)
      .sort((a, b) => a.chips - b.chips || a.stepS - b.stepS)
      .slice(0, 6);
    for (const a of pre)
      for (const b of dec) if (fits(a.chips + b.chips)) out.push(candidate(ctx, "disaggregated", [a, b]));
  }
  if (modes.includes("colocated")) {
    for (const l of layouts(ctx, c.colocated?.chip)) {
      const x = screenPool(ctx, "colocated", l, caps, [256, 512, 1024, 2048, 4096]);
      if (x && fits(x.chips)) out.push(candidate(ctx, "colocated", [x]));
    }
  }
  out.sort((a, b) => a.spend - b.spend || a.ttftS + a.tpotS - b.ttftS - b.tpotS);
  return { ctx, candidates: out };
}

/** Grows the pool whose latency missed its target by a quarter (at least one instance). */
function grow(cand: ServeCandidate, ctx: Ctx, ttftMiss: boolean, tpotMiss: boolean): ServeCandidate {
  const pools = cand.pools.map((p) => {
    const hit = p.role === "colocated" || (p.role === "prefill" ? ttftMiss : tpotMiss);
    if (!hit) return p;
    const n = p.pool.instances;
    const more = Math.max(n + 1, Math.ceil(n * 1.25));
    return { ...p, pool: { ...p.pool, instances: more }, chips: (p.chips / n) * more };
  });
  return candidate(ctx, cand.mode, pools);
}

/**
 * Plans a serving deployment: the analytic screen, then the best `recheck` candidates simulated (in
 * parallel on `executor`); one that misses a target at the percentile grows the pool at fault and is
 * simulated again (up to three rounds). The winner has the best simulated goodput per unit of spend
 * among those meeting the targets. Throws ZettasimError for a scenario without a serving section or SLO.
 */
export async function planServe(
  problem: ServeProblem,
  opts: {
    executor?: Executor<ServeCheckTask, ServeCheckResult>;
    signal?: AbortSignal;
    onProgress?: (done: number, total: number) => void;
  } = {},
): Promise<ServePlanResult> {
  requireArgument(problem, "problem", "object", "a ServeProblem {scenario, ...}", ["scenario"]);
  const { ctx, candidates } = screenServing(problem);
  const sc = problem.scenario;
  const o = sc.file.plan?.serve ?? {};
  const p = o.percentile ?? 90;
  const requests = Math.min(o.requests ?? ctx.c.workload.requests ?? 2000, 4000);
  const exec = opts.executor ?? inProcess(runServeCheck);
  // Distinct shapes first: the best of each mode, then the rest by spend.
  const n = o.recheck ?? 4;
  const pickList: ServeCandidate[] = [];
  for (const mode of ["disaggregated", "colocated"] as const) {
    const first = candidates.find((x) => x.mode === mode);
    if (first) pickList.push(first);
  }
  for (const x of candidates) if (pickList.length < n && !pickList.includes(x)) pickList.push(x);
  let pending = pickList.slice(0, n);
  const done: ServeCandidate[] = [];
  const at = (x: { p50: number; p90: number; p99: number }) => (p === 50 ? x.p50 : p === 99 ? x.p99 : x.p90);
  let cancelled = false;
  let checks = 0;
  for (let round = 1; round <= 3 && pending.length > 0 && !cancelled; round++) {
    const next: ServeCandidate[] = [];
    const tasks = pending.map((cand) => ({
      kind: "serve-check" as const,
      scenario: sc,
      serving: cand.serving,
      requests,
    }));
    const r = await exec.run(
      tasks,
      (res, i) => {
        checks++;
        opts.onProgress?.(checks, checks + (pending.length - i - 1));
        const cand = pending[i];
        const ttft = at(res.result.ttftMs);
        const tpot = at(res.result.tpotMs);
        const meets = ttft <= ctx.ttftS / MS && tpot <= ctx.tpotS / MS;
        // Steady-state goodput: the offered rate times the share meeting every target (the simulator's
        // own rate includes the drain after the last arrival, which short re-checks make long).
        const goodput = ctx.w.ratePerS * (res.result.goodput?.fractionMeetingSlo ?? 0);
        cand.simulated = {
          ttftMs: ttft,
          tpotMs: tpot,
          goodputPerS: goodput,
          meetsTargets: meets,
          score: goodput / cand.spend,
          requests,
          rounds: round,
        };
        if (meets || round === 3) done.push(cand);
        else {
          const g = grow(cand, ctx, ttft > ctx.ttftS / MS, tpot > ctx.tpotS / MS);
          if (g.chips <= sc.system.chips) next.push(g);
          else done.push(cand);
        }
      },
      opts.signal,
    );
    cancelled = r.cancelled;
    pending = next;
  }
  done.sort(
    (a, b) =>
      Number(b.simulated?.meetsTargets) - Number(a.simulated?.meetsTargets) ||
      (b.simulated?.score ?? 0) - (a.simulated?.score ?? 0),
  );
  const winner = done.find((x) => x.simulated?.meetsTargets) ?? null;
  return {
    objective: o.objective ?? "perChip",
    percentile: p,
    targets: { ttftMs: ctx.ttftS / MS, tpotMs: ctx.tpotS / MS },
    ratePerS: ctx.w.ratePerS,
    screened: ctx.screened,
    feasible: candidates.length,
    candidates: candidates.slice(0, 10),
    rechecked: done,
    winner,
    cancelled,
  };
}
