// Simulated against analytical step time for one training job: both back ends on the same plan, term by term, for the agreement test and report.
import type { System } from "../catalog/types.js";
import { EventQueue } from "../engine/queue.js";
import type { Scenario } from "../scenario/load.js";
import type { ModelConfig } from "../schema/model.js";
import type { TrainingConfig } from "../schema/training.js";
import type { TrainingBreakdown } from "../training/estimate.js";
import { estimateTraining, planTraining, segmentPlacement } from "../training/index.js";
import { estimateSimulation } from "./estimate.js";
import { simulateIteration } from "./iteration/iteration.js";
import { makeNetwork } from "./network.js";
import { Fabric } from "./topology/fabric.js";

/** One job's step time and breakdown from `train` and from `simulate` (the stage that ends last, and the busiest). */
export interface Agreement {
  trainS: number;
  simS: number;
  /** (simulate - train) / train. */
  relDiff: number;
  train: TrainingBreakdown;
  /** The stage that ends last (parts sum to simS). */
  sim: TrainingBreakdown;
  /** The stage with the most compute (what train's closed form charges). */
  simBusiest: TrainingBreakdown;
  /** Tiers the job's collectives span (max over the plan's ops + 1). */
  tiersSpanned: number;
}

/**
 * Runs `train` and the flow simulator (symmetric, default routing and algorithms) on one job; undefined when the
 * simulator's up-front estimate (estimate.ts) puts the run past `maxWallS` seconds (jobs whose groups sit unevenly
 * over the tiers run every rank). Throws ZettasimError for jobs either cannot handle. Cost: one analytical
 * evaluation and one simulated iteration.
 */
export function agreement(
  system: System,
  model: ModelConfig,
  training: TrainingConfig,
  maxWallS = Number.POSITIVE_INFINITY,
): Agreement | undefined {
  const plan = planTraining(system, model, training);
  // The job's ranks as the launcher places them (segment-placement.ts): every group inside the domain its span fits.
  const fabric = new Fabric(segmentPlacement(system, plan.degrees), {});
  if (Number.isFinite(maxWallS)) {
    const sc: Scenario = {
      file: { training } as Scenario["file"],
      system,
      model,
      seed: 0,
      name: "agreement",
    };
    if (estimateSimulation(sc, { run: "iteration" }, fabric).wallS > maxWallS) return undefined;
  }
  const est = estimateTraining(system, model, training);
  const net = makeNetwork("flow", fabric, new EventQueue());
  const r = simulateIteration(net, plan, {});
  let tiers = 0;
  for (const op of plan.comm) tiers = Math.max(tiers, op.tierIndex + 1);
  return {
    trainS: est.stepTimeS,
    simS: r.stepTimeS,
    relDiff: (r.stepTimeS - est.stepTimeS) / est.stepTimeS,
    train: { ...est.breakdownS },
    sim: r.breakdownS,
    simBusiest: r.stageBreakdownS[r.busiestStage],
    tiersSpanned: tiers,
  };
}
