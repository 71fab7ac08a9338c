// Predicts a published training measurement (validation case of kind "training") from its inputs alone.
import { type InputIssue, ZettasimError } from "../core/errors.js";
import { issuesFromZod } from "../schema/issues.js";
import { modelFile } from "../schema/model.js";
import { trainingFile } from "../schema/training.js";
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

function withCase(id: string, issues: InputIssue[]): never {
  throw new ZettasimError(issues.map((i) => ({ ...i, message: `case ${id}: ${i.message}` })));
}

/**
 * Predicts one training case's step time from its hardware, model and training fields, the chip
 * catalog and the chip family's efficiency profile; nothing else. Throws ZettasimError naming the
 * case id and the field path. Cost: one evaluation, microseconds.
 */
export function predictTrainingCase(c: unknown, path: Path = []): TrainingPrediction {
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
  if (!md.success) withCase(id, issuesFromZod(md.error, [...path, "model"]));
  // A case's training block may carry publication-only fields; keep those the schema knows.
  const tr = raw.training;
  const tf = trainingFile.safeParse(tr, { reportInput: true });
  if (!tf.success) withCase(id, issuesFromZod(tf.error, [...path, "training"]));
  let system: ReturnType<typeof systemFromCaseHardware>;
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
  let est: TrainingEstimate;
  try {
    est = estimateTraining(system, md.data, training);
  } catch (e) {
    if (e instanceof ZettasimError)
      withCase(
        id,
        e.issues.map((i) => ({ ...i, path: [...path, ...i.path] })),
      );
    throw e;
  }
  const predicted: Record<string, number> = {
    stepTimeS: est.stepTimeS,
    tflopsPerChip: est.modelTflopsPerChip,
    tokensPerSecondPerChip: est.tokensPerSecondPerChip,
  };
  return {
    predicted,
    measured,
    metric: "stepTimeS",
    errorPct: ((est.stepTimeS - meas) / meas) * 100,
    estimate: est,
  };
}
