// Time to train with failures: the training model's failure-free time turned into wall time by the goodput model.
import type { Scenario } from "../scenario/load.js";
import type { TrainingEstimate } from "../training/estimate.js";
import { type Expectation, expectedOutcome } from "./closed-form.js";
import { reliabilitySetup } from "./scenario.js";

/**
 * Closed-form expected goodput of a training job whose failure-free time and step time come from `estimate`
 * (which must have `timeToTrainS`, i.e. the scenario set training.trainTokens). The scenario's `reliability`
 * section, when present, sets rates, recovery and checkpoints; defaults otherwise. Cost: microseconds.
 */
export function trainingWithFailures(sc: Scenario, estimate: TrainingEstimate): Expectation | undefined {
  if (estimate.timeToTrainS === undefined) return undefined;
  const setup = reliabilitySetup(sc, {
    idealTrainingS: estimate.timeToTrainS,
    stepTimeS: estimate.stepTimeS,
  });
  return expectedOutcome(setup.model, { idealTrainingS: setup.run.idealTrainingS });
}
