// Up-front cost of a reliability Monte Carlo (events, wall time, memory), so front ends can say how long a run will
// take and refuse one past the documented limits (docs/limits.md) before it starts.
import { ZettasimError } from "../core/errors.js";
import { fmtInt } from "../core/units.js";
import { expectedOutcome, type RunLength } from "./closed-form.js";
import type { ReliabilityModel } from "./model.js";

/** Limits on one Monte Carlo run (docs/limits.md). */
export const RELIABILITY_LIMITS = {
  /** Trials in one run: beyond this the spread is already exact to the printed digit. */
  maxTrials: 10_000_000,
  /** Failure events over all trials (about ten minutes at EVENTS_PER_WALL_S). */
  maxEvents: 3e9,
  /** Hot-spare slots tracked per trial (spare groups x spares per group). */
  maxSpareSlots: 10_000_000,
} as const;

/**
 * Failure events the Monte Carlo simulates per second of wall time on one core: `bench/reliability.ts` measures
 * 2-4e7 on a quiet core; a fifth of that is taken so the estimate holds on a loaded machine.
 */
export const EVENTS_PER_WALL_S = 5e6;

/** Per-trial bookkeeping, in events' worth of time (resetting spares, recording the trial). */
const EVENTS_PER_TRIAL = 4;

/** What a Monte Carlo will cost before it runs. */
export interface ReliabilityRunEstimate {
  trials: number;
  /** Failure events over every trial (the closed form's expectation). */
  events: number;
  /** Wall time at EVENTS_PER_WALL_S, s. */
  wallS: number;
  /** Working memory: spare slots and the streaming statistics, bytes (independent of the trial count). */
  memoryBytes: number;
}

/**
 * Estimates the events, wall time and memory of `trials` runs from the closed form (expected failures of every
 * class over the expected wall time). Throws ZettasimError when the job can never finish. Cost O(classes).
 */
export function estimateReliabilityRun(
  model: ReliabilityModel,
  run: RunLength,
  trials: number,
): ReliabilityRunEstimate {
  const cf = expectedOutcome(model, run);
  const rate = model.classes.reduce((a, c) => a + c.ratePerS, 0);
  const perTrial = rate * cf.wallS;
  const events = trials * perTrial;
  const slots = model.spareGroups * (model.policy.hotSpares?.spares ?? 0);
  return {
    trials,
    events,
    wallS: (events + trials * EVENTS_PER_TRIAL) / EVENTS_PER_WALL_S,
    memoryBytes: 8 * slots + 64 * 1024,
  };
}

/**
 * Throws a ZettasimError naming the field to lower when a run passes the limits: the trial count itself, or the
 * events it implies (too many trials, too long a run, or failures far more frequent than checkpoints). `where`
 * names the trial count and the run length as the user gave them (a flag or a scenario field).
 */
export function checkReliabilityRun(
  e: ReliabilityRunEstimate,
  where: { trials: (string | number)[]; run: (string | number)[] },
): void {
  if (e.trials > RELIABILITY_LIMITS.maxTrials) {
    throw new ZettasimError([
      {
        path: where.trials,
        message: "too many Monte Carlo trials",
        value: e.trials,
        expected: `at most ${fmtInt(RELIABILITY_LIMITS.maxTrials)} (docs/limits.md)`,
      },
    ]);
  }
  if (e.events > RELIABILITY_LIMITS.maxEvents) {
    const perTrial = e.events / e.trials;
    const fewer = Math.floor(RELIABILITY_LIMITS.maxEvents / perTrial);
    const message = `the run would simulate about ${e.events.toExponential(1)} failure events (${perTrial.toExponential(1)} per trial), about ${fmtInt(e.wallS / 60)} minutes`;
    const limit = `limit ${RELIABILITY_LIMITS.maxEvents.toExponential(0)} events`;
    throw new ZettasimError([
      fewer >= 1
        ? {
            path: where.trials,
            message,
            value: e.trials,
            expected: `at most ${fmtInt(fewer)} trials for this run (${limit})`,
          }
        : {
            path: where.run,
            message,
            expected: `a shorter run, or checkpoints and recovery that let it finish (${limit})`,
          },
    ]);
  }
}
