// The serving simulation's result: latency percentiles with intervals, rates over the measurement window, per-pool use and cost.

import { predictionBand } from "../catalog/families/bands.js";
import { assertFinite } from "../core/errors.js";
import { pow } from "../core/math.js";
import { HOUR, MS } from "../core/units.js";
import { PAGE_TOKENS, type ServingPlan } from "./config.js";
import { DRAIN_FRACTION, type Percentiles, WARMUP_FRACTION } from "./metrics.js";
import type { ServingSim } from "./simulate.js";
import type { Instance } from "./state.js";

export interface PoolReport {
  role: string;
  chip: string;
  instances: number;
  instanceChips: number;
  tp: number;
  attentionDp: number;
  ep: number;
  chips: number;
  weightGBPerChip: number;
  kvCapacityTokensPerRank: number;
  /** Time-averaged share of KV pages in use while instances ran. */
  kvUsedMeanFraction: number;
  kvUsedPeakFraction: number;
  /** Share of the simulated span that instances spent running steps. */
  busyFraction: number;
  steps: number;
  meanStepMs: number;
  /** Where the mean step's time goes, ms: compute (of which attention core and matmuls), all-to-all and TP traffic (of which exposed after overlap), fixed overheads. */
  meanStepBreakdownMs: {
    compute: number;
    attentionCore: number;
    matmul: number;
    communication: number;
    exposedCommunication: number;
    overhead: number;
  };
}

export interface ServingResult {
  mode: string;
  seed: number;
  requests: { arrived: number; completed: number; inFlight: number; rejected: number; preemptions: number };
  /**
   * Which requests the figures cover: the first `warmupRequests` and last `drainRequests` by arrival
   * are left out (they meet an empty or emptying system), so figures do not depend on how many
   * requests were simulated; `measuredRequests` completed inside the window.
   */
  measurement: { warmupRequests: number; drainRequests: number; measuredRequests: number };
  /** First arrival to last completion, s. */
  simulatedS: number;
  ttftMs: Percentiles;
  tpotMs: Percentiles;
  e2eMs: Percentiles;
  /**
   * Rates over the measurement window (arrival of the first to the last measured request) when the
   * offered load is steady; otherwise over the whole run. `halfWidth95`: 95% batch-means half-widths.
   */
  throughput: {
    over: "measurement window" | "whole run";
    windowS: number;
    requestsPerS: number;
    inputTokensPerS: number;
    outputTokensPerS: number;
    inputTokensPerSecondPerChip: number;
    outputTokensPerSecondPerChip: number;
    halfWidth95: { requestsPerS: number; inputTokensPerS: number; outputTokensPerS: number };
  };
  /** Requests meeting every given SLO per second, and their share (absent without an SLO). */
  goodput?: { requestsPerS: number; fractionMeetingSlo: number; ttftSloMs?: number; tpotSloMs?: number };
  kvTransfer?: { tier: string; meanMs: number };
  pools: PoolReport[];
  chips: number;
  costUsdPerMillionOutputTokens?: number;
  costUsdPerMillionTokens?: number;
  /** Simulator events processed (for benchmarks). */
  events: number;
  /**
   * Speculative decoding (when the scenario asks for it): drafts verified per sequence per step, the acceptance
   * rate given, the tokens a sequence gains per step on average in theory ((1 - a^(k+1)) / (1 - a)) and as
   * simulated (fewer near the end of outputs, where a step cannot gain more than is left).
   */
  speculative?: {
    draftTokens: number;
    acceptanceRate: number;
    expectedTokensPerStep: number;
    simulatedTokensPerStep: number;
  };
  /**
   * How far to trust the step-cost model behind these figures, per pool: the 80% band of its residuals
   * (predicted - measured) / measured on published serving runs of the pool's class (chip family, dense or
   * MoE, scale) that no fit saw, or saw only with their own source left out (src/catalog/families/bands.ts). Pools
   * whose class and coarser classes have too few cases have none.
   */
  uncertainty: ServingPoolBand[];
}

/** The 80% band of one pool's step-cost model. */
export interface ServingPoolBand {
  role: string;
  /** The residual class, e.g. "serving/hopper/moe/le64" (coarser when the finer class has too few cases). */
  classKey: string;
  /** Out-of-sample and cross-validated cases behind it. */
  cases: number;
  /** 10th and 90th percentile residuals, %: predictions ran this far from measurements. */
  residualLowPct: number;
  residualHighPct: number;
  /**
   * Multipliers of a predicted step time that bracket the measured one in 80% of the class's cases (a rate
   * such as tokens/s takes their reciprocals).
   */
  stepTimeLowFactor: number;
  stepTimeHighFactor: number;
}

/** Expected tokens a sequence gains per step with `k` drafts accepted in a chain with probability `a` each. */
export function expectedTokensPerStep(k: number, a: number): number {
  return a >= 1 ? k + 1 : (1 - pow(a, k + 1)) / (1 - a);
}

function speculativeReport(plan: ServingPlan, sim: ServingSim): ServingResult["speculative"] {
  const p = plan.pools.find((x) => x.draftTokens > 0);
  if (!p) return undefined;
  return {
    draftTokens: p.draftTokens,
    acceptanceRate: p.acceptanceRate,
    expectedTokensPerStep: expectedTokensPerStep(p.draftTokens, p.acceptanceRate),
    simulatedTokensPerStep: sim.specSeqSteps > 0 ? sim.specTokens / sim.specSeqSteps : 0,
  };
}

/** The uncertainty band of every pool of `plan` that has one. Cost O(pools). */
export function servingBands(plan: ServingPlan): ServingPoolBand[] {
  const out: ServingPoolBand[] = [];
  for (const p of plan.pools) {
    const b = predictionBand({
      family: p.system.chip.family,
      kind: "serving",
      moe: plan.model.moe != null,
      chips: p.layout.chips,
    });
    if (!b) continue;
    // Residuals are of TPOT (a time) and of prefill tokens/s (a rate): both read as the step time's here.
    out.push({
      role: p.role,
      classKey: b.classKey,
      cases: b.n,
      residualLowPct: b.lowPct,
      residualHighPct: b.highPct,
      stepTimeLowFactor: b.lowFactor,
      stepTimeHighFactor: b.highFactor,
    });
  }
  return out;
}

function perStep(insts: Instance[], steps: number, f: (x: Instance) => number): number {
  return steps > 0 ? insts.reduce((a, x) => a + f(x), 0) / steps / MS : 0;
}

function poolReports(plan: ServingPlan, sim: ServingSim, spanS: number): PoolReport[] {
  return plan.pools.map((p, pi) => {
    const mine = sim.instances.filter((x) => x.poolIndex === pi);
    const busy = mine.reduce((a, x) => a + x.busyS, 0);
    const steps = mine.reduce((a, x) => a + x.steps, 0);
    return {
      role: p.role,
      chip: p.system.chip.id,
      instances: p.instances,
      instanceChips: p.layout.chips,
      tp: p.layout.tp,
      attentionDp: p.layout.attentionDp,
      ep: p.layout.ep,
      chips: p.chips,
      weightGBPerChip: p.cost.weightBytesPerChip() / 1e9,
      kvCapacityTokensPerRank: p.kvPagesPerRank * PAGE_TOKENS,
      kvUsedMeanFraction: busy > 0 ? mine.reduce((a, x) => a + x.kvFracS, 0) / busy : 0,
      kvUsedPeakFraction: Math.max(0, ...mine.map((x) => x.kvPeak)),
      busyFraction: Math.min(1, busy / mine.length / spanS),
      steps,
      meanStepMs: steps > 0 ? busy / steps / MS : 0,
      meanStepBreakdownMs: {
        compute: perStep(mine, steps, (x) => x.computeS),
        attentionCore: perStep(mine, steps, (x) => x.attnS),
        matmul: perStep(mine, steps, (x) => x.gemmS),
        communication: perStep(mine, steps, (x) => x.commS),
        exposedCommunication: perStep(mine, steps, (x) => x.exposedS),
        overhead: perStep(mine, steps, (x) => x.overheadS),
      },
    };
  });
}

/** Builds the result of a finished simulation. Cost O(instances). */
export function servingReport(plan: ServingPlan, seed: number, sim: ServingSim): ServingResult {
  const m = sim.metrics;
  const s = m.summary();
  const span = Math.max(m.lastDoneS - Math.max(m.firstArrivalS, 0), 1e-9);
  const chips = plan.pools.reduce((a, p) => a + p.chips, 0);
  const completed = m.completed;
  const trimmed = m.firstMeasured > 0;
  const result: ServingResult = {
    mode: plan.mode,
    seed,
    requests: {
      arrived: sim.arrived,
      completed,
      inFlight: sim.arrived - completed - sim.rejected,
      rejected: sim.rejected,
      preemptions: sim.counts.preemptions,
    },
    measurement: {
      warmupRequests: trimmed ? Math.floor(WARMUP_FRACTION * m.totalRequests) : 0,
      drainRequests: trimmed ? Math.floor(DRAIN_FRACTION * m.totalRequests) : 0,
      measuredRequests: s.measuredRequests,
    },
    simulatedS: completed > 0 ? span : 0,
    ttftMs: s.ttft,
    tpotMs: s.tpot,
    e2eMs: s.e2e,
    throughput: {
      over: s.over,
      windowS: s.windowS,
      requestsPerS: s.requestsPerS.mean,
      inputTokensPerS: s.inputTokensPerS.mean,
      outputTokensPerS: s.outputTokensPerS.mean,
      inputTokensPerSecondPerChip: s.inputTokensPerS.mean / chips,
      outputTokensPerSecondPerChip: s.outputTokensPerS.mean / chips,
      halfWidth95: {
        requestsPerS: s.requestsPerS.halfWidth95,
        inputTokensPerS: s.inputTokensPerS.halfWidth95,
        outputTokensPerS: s.outputTokensPerS.halfWidth95,
      },
    },
    pools: poolReports(plan, sim, span),
    chips,
    events: sim.events,
    uncertainty: servingBands(plan),
    speculative: speculativeReport(plan, sim),
  };
  if (plan.ttftSloS !== undefined || plan.tpotSloS !== undefined) {
    result.goodput = {
      requestsPerS: result.throughput.requestsPerS * s.goodFraction,
      fractionMeetingSlo: s.goodFraction,
      ttftSloMs: plan.ttftSloS === undefined ? undefined : plan.ttftSloS / MS,
      tpotSloMs: plan.tpotSloS === undefined ? undefined : plan.tpotSloS / MS,
    };
  }
  if (plan.mode === "disaggregated") {
    result.kvTransfer = {
      tier: plan.kvLink.name,
      meanMs: sim.xferCount ? sim.xferSumS / sim.xferCount / MS : 0,
    };
  }
  const out = result.throughput.outputTokensPerS;
  if (plan.priceUsdPerChipHour.every((x) => x !== undefined) && out > 0) {
    // Dollars per second of the whole system over tokens per second in the window: independent of run length.
    const usdPerS = plan.pools.reduce(
      (a, p, i) => a + (p.chips * (plan.priceUsdPerChipHour[i] as number)) / HOUR,
      0,
    );
    result.costUsdPerMillionOutputTokens = (usdPerS / out) * 1e6;
    result.costUsdPerMillionTokens = (usdPerS / (out + result.throughput.inputTokensPerS)) * 1e6;
  }
  assertFinite(result, "serving simulation");
  return result;
}
