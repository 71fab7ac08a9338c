// The scenario file: a system, a model and what to run on them (training, serving, reliability, simulation).
import * as z from "zod";
import { MAX_SEED } from "../core/rng.js";
import { systemRef } from "./hardware.js";
import { modelRef } from "./model.js";
import { planFile } from "./plan.js";
import { reliabilityFile } from "./reliability.js";
import { servingFile } from "./serving.js";
import { simulationFile } from "./simulation.js";
import { trainingFile } from "./training.js";

/**
 * The sections (training, serving, reliability, simulation, plan) are `z.lazy` schemas, built on the first
 * parse that meets one (memoised): a command reading `{ system: id }`, such as `spec`, never builds them.
 */
export const scenarioFile = z.strictObject({
  $schema: z.string().optional(),
  name: z.string().optional(),
  description: z.string().optional(),
  /** Seed for every random draw (Monte Carlo, arrivals, sampling). */
  seed: z
    .number()
    .int({ error: "must be a whole number" })
    .min(0)
    .max(MAX_SEED, { error: "must be at most 2^53 - 1" })
    .optional(),
  system: systemRef,
  model: modelRef.optional(),
  training: trainingFile.optional(),
  serving: servingFile.optional(),
  reliability: reliabilityFile.optional(),
  simulation: simulationFile.optional(),
  /** What `zettasim plan train | serve | size` searches (space, objective, limits). */
  plan: planFile.optional(),
});
export type ScenarioFile = z.input<typeof scenarioFile>;

/** JSON Schema (draft 2020-12) of the scenario file, for editors. */
export function scenarioJsonSchema(): object {
  return z.toJSONSchema(scenarioFile, { io: "input", unrepresentable: "any" });
}
