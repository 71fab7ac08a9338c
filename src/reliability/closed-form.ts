// Closed-form expectation of goodput, interruptions and availability for a job under a reliability model.
import { require_, requireArgument, ZettasimError } from "../core/errors.js";
import { expm1 } from "../core/math.js";
import { failureSites } from "./inventory.js";
import { type Effect, type EventClass, type ReliabilityModel, requireReliabilityModel } from "./model.js";
import { COMPONENT_KINDS, type ComponentKind } from "./rates.js";

/** How long the run is: a fixed amount of useful work, or a fixed wall-clock window (as in a published snapshot). */
export interface RunLength {
  /** Failure-free time to train, s (step time x steps). */
  idealTrainingS: number;
  /** When set, the run is this wall-clock window instead of "until the work is done", s. */
  wallS?: number;
}

/** Counts by what the job had to do. */
export type EffectCounts = Record<Effect, number>;

export interface KindSummary {
  kind: ComponentKind;
  /** Components of this kind in the job's footprint. */
  count: number;
  failuresPerMillionHours: number;
  source: string;
  confidence: string;
  note: string;
  /** Failures of this kind per hour of job up-time. */
  jobFailuresPerHour: number;
  /** Expected failures over the run, split by effect. */
  expected: EffectCounts;
}

/** Expected outcome of a run; every duration in s. */
export interface Expectation {
  idealTrainingS: number;
  /** Wall-clock time the run takes (work mode) or the window (wall mode), s. */
  wallS: number;
  /** Useful work done, s of failure-free training. */
  workS: number;
  /** workS / wallS. */
  goodput: number;
  /** idealTrainingS / goodput: time to train with failures and checkpoints. */
  effectiveTimeToTrainS: number;
  /** Fraction of wall time the job is not down for recovery. */
  availability: number;
  /** Events that stop the job (restart + migrate + shrink). */
  interruptions: { unexpected: number } & EffectCounts;
  downtimeS: number;
  lostWorkS: number;
  checkpointOverheadS: number;
  degradedS: number;
  checkpoints: number;
}

/** Erlang's loss formula: probability all `servers` are busy with offered load `a` (arrivals x holding time). */
export function erlangB(servers: number, a: number): number {
  let b = 1;
  // Once b underflows it stays 0, so the recursion stops there: O(min(servers, a + ~750)) steps.
  for (let k = 1; k <= servers && b > 0; k++) b = (a * b) / (k + a * b);
  return b;
}

/** Probability a spare-needing failure finds every spare of its group in use (Erlang B, per group). */
export function spareBusyProbability(model: ReliabilityModel): number {
  const sp = model.policy.hotSpares;
  if (!sp || model.spareGroups === 0) return 0;
  const rate = model.classes.reduce((a, c) => a + (c.needsSpare ? c.ratePerS : 0), 0);
  return erlangB(sp.spares, (rate / model.spareGroups) * model.recovery.repairS);
}

/** Expected downtime of one event of a class, including the fallback to a restart when no spare is free, s. */
function meanDowntime(c: EventClass, pBusy: number): number {
  return c.needsSpare ? (1 - pBusy) * c.downtimeS + pBusy * c.fallbackDowntimeS : c.downtimeS;
}

/**
 * Expected goodput and interruptions. Work-losing failures reset progress to the last checkpoint; with exponential
 * failures at total rate L, checkpoint cycle s = interval + write, and mean downtime D, a cycle takes
 * (1/L + D)(e^{Ls} - 1) of wall time (no failures while down); other events add their downtime and degraded
 * time per unit of up-time. Exact for this model, which the Monte Carlo also simulates. Cost: O(classes).
 */
export function expectedOutcome(model: ReliabilityModel, run: RunLength): Expectation {
  requireReliabilityModel(model);
  requireArgument(run, "run", "object", "a RunLength {idealTrainingS} or {wallS}");
  require_(
    run.idealTrainingS !== undefined || run.wallS !== undefined,
    ["run"],
    "needs idealTrainingS or wallS",
    run,
    "a RunLength {idealTrainingS} or {wallS}",
  );
  const tau = model.checkpoint.intervalS;
  const cw = model.checkpoint.writeS;
  const s = tau + cw;
  const pBusy = spareBusyProbability(model);
  let lam = 0;
  let dSum = 0;
  for (const c of model.classes) {
    if (!c.losesWork) continue;
    lam += c.ratePerS;
    dSum += c.ratePerS * meanDowntime(c, pBusy);
  }
  const dMean = lam > 0 ? dSum / lam : 0;
  const nSeg = lam > 0 ? expm1(lam * s) : 0;
  const upSeg = lam > 0 ? nSeg / lam : s;
  if (!Number.isFinite(nSeg) || nSeg > 1e12) {
    throw new ZettasimError([
      {
        path: ["reliability", "checkpoint"],
        message: "the job can never finish: failures come far more often than a checkpoint cycle completes",
        value: { checkpointIntervalS: tau, mtbfS: 1 / lam },
        expected: "a checkpoint interval well under the mean time between failures",
      },
    ]);
  }
  // Rerouted links slow the job while at least one is down: windows of the repair time R arriving at rate Ld
  // overlap, so each adds (1 - e^{-Ld R}) / (Ld R) of its full degraded time on average.
  let lamDeg = 0;
  for (const c of model.classes) if (c.effect === "degrade") lamDeg += c.ratePerS;
  const repairS = model.recovery.repairS;
  const overlap = lamDeg * repairS > 1e-12 ? -expm1(-lamDeg * repairS) / (lamDeg * repairS) : 1;
  const counts: EffectCounts = { restart: 0, migrate: 0, shrink: 0, degrade: 0 };
  let downSeg = nSeg * dMean;
  let degradedSeg = 0;
  for (const c of model.classes) {
    const n = c.losesWork ? (nSeg * c.ratePerS) / lam : c.ratePerS * upSeg;
    if (c.needsSpare) {
      counts.migrate += n * (1 - pBusy);
      counts.restart += n * pBusy;
    } else counts[c.effect] += n;
    degradedSeg += n * c.degradedS * (c.effect === "degrade" ? overlap : 1);
    if (!c.losesWork) downSeg += n * c.downtimeS;
  }
  const wallSeg = upSeg + downSeg + degradedSeg;
  const segments = run.wallS !== undefined ? run.wallS / wallSeg : run.idealTrainingS / tau;
  const wallS = segments * wallSeg;
  const workS = segments * tau;
  const goodput = workS / wallS;
  const scale = (x: number) => x * segments;
  const interruptions = {
    unexpected: scale(counts.restart + counts.migrate + counts.shrink),
    restart: scale(counts.restart),
    migrate: scale(counts.migrate),
    shrink: scale(counts.shrink),
    degrade: scale(counts.degrade),
  };
  return {
    idealTrainingS: run.idealTrainingS,
    wallS,
    workS,
    goodput,
    effectiveTimeToTrainS: run.idealTrainingS / goodput,
    availability: 1 - downSeg / wallSeg,
    interruptions,
    downtimeS: scale(downSeg),
    lostWorkS: scale(upSeg - s),
    checkpointOverheadS: scale(cw),
    degradedS: scale(degradedSeg),
    checkpoints: segments,
  };
}

/** Per-kind rates and expected event counts over a run of `upS` seconds of up-time. Cost: O(classes). */
export function kindSummaries(model: ReliabilityModel, upS: number): KindSummary[] {
  const pBusy = spareBusyProbability(model);
  const inv = model.inventory;
  const counts = Object.fromEntries(COMPONENT_KINDS.map((k) => [k, 0])) as Record<ComponentKind, number>;
  for (const site of failureSites(inv, model.rates)) counts[site.kind] += site.count;
  return COMPONENT_KINDS.map((kind) => {
    const r = model.rates[kind];
    const expected: EffectCounts = { restart: 0, migrate: 0, shrink: 0, degrade: 0 };
    let rate = 0;
    for (const c of model.classes) {
      if (c.kind !== kind) continue;
      rate += c.ratePerS;
      const n = c.ratePerS * upS;
      if (c.needsSpare) {
        expected.migrate += n * (1 - pBusy);
        expected.restart += n * pBusy;
      } else expected[c.effect] += n;
    }
    return {
      kind,
      count: counts[kind],
      failuresPerMillionHours: r.ratePerS * 3600 * 1e6,
      source: r.source,
      confidence: r.confidence,
      note: r.note,
      jobFailuresPerHour: rate * 3600,
      expected,
    };
  });
}

/**
 * Mean up-time between failures of any kind (mtbfS), between interruptions (mtbiS: restart, migrate or shrink)
 * and between full restarts (mtbRestartS, counting spare misses), s. 1e15 stands for "never".
 */
export function meanTimesBetween(model: ReliabilityModel): {
  mtbfS: number;
  mtbiS: number;
  mtbRestartS: number;
} {
  const pBusy = spareBusyProbability(model);
  let all = 0;
  let stop = 0;
  let restart = 0;
  for (const c of model.classes) {
    all += c.ratePerS;
    if (c.effect !== "degrade") stop += c.ratePerS;
    if (c.effect === "restart") restart += c.ratePerS;
    if (c.needsSpare) restart += c.ratePerS * pBusy;
  }
  const inv = (x: number) => (x > 0 ? 1 / x : 1e15);
  return { mtbfS: inv(all), mtbiS: inv(stop), mtbRestartS: inv(restart) };
}

/**
 * Availability from a mean time between failures and a mean time to repair (same unit): MTBF / (MTBF + MTTR).
 * Throws ZettasimError for an MTBF that is not a finite number > 0 or an MTTR that is not finite and >= 0 (it
 * returned NaN).
 */
export function availabilityFromMtbf(mtbf: number, mttr: number): number {
  const issues = [
    ...(typeof mtbf === "number" && Number.isFinite(mtbf) && mtbf > 0
      ? []
      : [
          {
            path: ["mtbf"],
            message: "bad mean time between failures",
            value: mtbf,
            expected: "a finite number > 0",
          },
        ]),
    ...(typeof mttr === "number" && Number.isFinite(mttr) && mttr >= 0
      ? []
      : [
          {
            path: ["mttr"],
            message: "bad mean time to repair",
            value: mttr,
            expected: "a finite number >= 0, in the MTBF's unit",
          },
        ]),
  ];
  if (issues.length > 0) throw new ZettasimError(issues);
  return mtbf / (mtbf + mttr);
}
