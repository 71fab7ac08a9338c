// Predicts a published training measurement (validation case of kind "training") from its inputs alone.
import type { System } from "../catalog/types.js";
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { issuesFromZod } from "../schema/issues.js";
import { type ModelConfig, modelFile } from "../schema/model.js";
import { type TrainingConfig, trainingFile } from "../schema/training.js";
import type { EfficiencyOverride } from "../training/efficiency.js";
import { estimateTraining, type TrainingEstimate } from "../training/estimate.js";
import { systemFromCaseHardware } from "./hardware.js";

type Path = (string | number)[];

export interface TrainingPrediction {
  predicted: Record<string, number>;
  measured: Record<string, number>;
  metric: "stepTimeS";
  errorPct: number;
  estimate: TrainingEstimate;
}

/** A training case parsed once: what its prediction reads, and the step time it is compared with. */
export interface TrainingCaseInputs {
  system: System;
  model: ModelConfig;
  training: TrainingConfig;
  measured: Record<string, number>;
  measuredStepTimeS: number;
}

function withCase(id: string, issues: InputIssue[]): never {
  throw new ZettasimError(issues.map((i) => ({ ...i, message: `case ${id}: ${i.message}` })));
}

/**
 * Parses one training case's hardware, model, training and measured fields. Throws ZettasimError naming the
 * case id and the field path. Cost: one zod parse per block, O(tiers).
 */
export function trainingCaseInputs(c: unknown, path: Path = []): TrainingCaseInputs {
  if (!c || typeof c !== "object" || Array.isArray(c)) {
    throw new ZettasimError([
      {
        path,
        message: "a case must be an object",
        value: c,
        expected: "{id, kind, hardware, model, training, measured}",
      },
    ]);
  }
  const raw = c as Record<string, unknown>;
  const id = typeof raw.id === "string" ? raw.id : "(no id)";
  const md = modelFile.safeParse(raw.model, { reportInput: true });
  if (!md.success) withCase(id, issuesFromZod(md.error, [...path, "model"], modelFile));
  // A case's training block may carry publication-only fields; keep those the schema knows.
  const tf = trainingFile.safeParse(raw.training, { reportInput: true });
  if (!tf.success) withCase(id, issuesFromZod(tf.error, [...path, "training"], trainingFile));
  let system: System;
  try {
    system = systemFromCaseHardware(raw.hardware, [...path, "hardware"]);
  } catch (e) {
    if (e instanceof ZettasimError) withCase(id, e.issues);
    throw e;
  }
  const measured: Record<string, number> = {};
  const m = raw.measured;
  if (m && typeof m === "object") {
    for (const [k, v] of Object.entries(m)) if (typeof v === "number" && Number.isFinite(v)) measured[k] = v;
  }
  const meas = measured.stepTimeS;
  if (meas === undefined || meas <= 0) {
    withCase(id, [
      {
        path: [...path, "measured", "stepTimeS"],
        message: "the measured step time to compare against is missing",
        value: (m as Record<string, unknown> | undefined)?.stepTimeS,
        expected: "a number > 0 (seconds per optimizer step)",
      },
    ]);
  }
  const training = { ...tf.data };
  if (training.chips === undefined) training.chips = system.chips;
  return { system, model: md.data, training, measured, measuredStepTimeS: meas };
}

/**
 * The estimate of a parsed case, with `override` (fitted figures under refit) layered over the case's own
 * `training.efficiency`. Throws ZettasimError naming the case id. Cost: one evaluation, microseconds.
 */
export function estimateCase(
  id: string,
  inp: TrainingCaseInputs,
  override?: EfficiencyOverride,
  path: Path = [],
): TrainingEstimate {
  const eff = override ? { ...(inp.training.efficiency ?? {}), ...override } : undefined;
  try {
    return estimateTraining(inp.system, inp.model, inp.training, eff);
  } catch (e) {
    if (e instanceof ZettasimError)
      withCase(
        id,
        e.issues.map((i) => ({ ...i, path: [...path, ...i.path] })),
      );
    throw e;
  }
}

/**
 * Predicts one training case's step time from its hardware, model and training fields, the chip
 * catalog and the chip family's efficiency profile; nothing else. Throws ZettasimError naming the
 * case id and the field path. Cost: one evaluation, microseconds.
 */
export function predictTrainingCase(c: unknown, path: Path = []): TrainingPrediction {
  const inp = trainingCaseInputs(c, path);
  const id =
    typeof (c as Record<string, unknown>).id === "string"
      ? ((c as Record<string, unknown>).id as string)
      : "(no id)";
  const est = estimateCase(id, inp, undefined, path);
  return {
    predicted: {
      stepTimeS: est.stepTimeS,
      tflopsPerChip: est.modelTflopsPerChip,
      tokensPerSecondPerChip: est.tokensPerSecondPerChip,
    },
    measured: inp.measured,
    metric: "stepTimeS",
    errorPct: ((est.stepTimeS - inp.measuredStepTimeS) / inp.measuredStepTimeS) * 100,
    estimate: est,
  };
}
