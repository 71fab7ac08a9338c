// Time to train with failures: the training model's failure-free time turned into wall time by the goodput model.
import { requireArgument, SCENARIO_ARG, SCENARIO_KEYS } from "../core/errors.js";
import type { Scenario } from "../scenario/load.js";
import type { TrainingEstimate } from "../training/estimate.js";
import { type Expectation, expectedOutcome } from "./closed-form.js";
import { type FleetSpread, fleetSpread } from "./fleet-band.js";
import type { ReliabilityModel } from "./model.js";
import { reliabilitySetup } from "./scenario.js";

/** A reliability model built for one system, model, sections and step time (run length apart). */
interface Built {
  system: Scenario["system"];
  model: Scenario["model"];
  reliability: Scenario["file"]["reliability"];
  chips: number | undefined;
  stepTimeS: number;
  built: ReliabilityModel;
}
/** The last few models built: a sweep's points mostly share system, sections and step time, not run length. */
const recent: Built[] = [];

/**
 * Closed-form expected goodput of a training job whose failure-free time and step time come from `estimate`
 * (which must have `timeToTrainS`, i.e. the scenario set training.trainTokens). The scenario's `reliability`
 * section, when present, sets rates, recovery and checkpoints; defaults otherwise. The reliability model does not
 * depend on the run length, so the last 16 built (by the identity of the system, model and reliability section,
 * the chips and the step time) are reused. `fleetSpread` is the same job if its fleet fails at either end of the
 * other failure studies' band (fleet-band.ts). Cost: microseconds (three closed forms).
 */
export function trainingWithFailures(
  sc: Scenario,
  estimate: TrainingEstimate,
): (Expectation & { fleetSpread: FleetSpread }) | undefined {
  requireArgument(sc, "scenario", "object", SCENARIO_ARG, SCENARIO_KEYS);
  requireArgument(estimate, "estimate", "object", "a TrainingEstimate from estimateTraining");
  if (estimate.timeToTrainS === undefined) return undefined;
  const idealTrainingS = estimate.timeToTrainS;
  const chips = sc.file.training?.chips;
  const hit =
    idealTrainingS > 0 &&
    recent.find(
      (b) =>
        b.system === sc.system &&
        b.model === sc.model &&
        b.reliability === sc.file.reliability &&
        b.chips === chips &&
        b.stepTimeS === estimate.stepTimeS,
    );
  if (hit) return withSpread(hit.built, { idealTrainingS });
  const setup = reliabilitySetup(sc, { idealTrainingS, stepTimeS: estimate.stepTimeS });
  if (recent.length >= 16) recent.shift();
  recent.push({
    system: sc.system,
    model: sc.model,
    reliability: sc.file.reliability,
    chips,
    stepTimeS: estimate.stepTimeS,
    built: setup.model,
  });
  return withSpread(setup.model, { idealTrainingS: setup.run.idealTrainingS });
}

/** The central closed form of a training run and its outcome at the cross-fleet band's ends. */
function withSpread(
  model: ReliabilityModel,
  run: { idealTrainingS: number },
): Expectation & { fleetSpread: FleetSpread } {
  return { ...expectedOutcome(model, run), fleetSpread: fleetSpread(model, run) };
}
