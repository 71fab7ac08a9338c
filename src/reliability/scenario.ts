// Reads a scenario's `reliability` section (plus model and training) into a reliability model and a run length.
import { requireArgument, SCENARIO_ARG, SCENARIO_KEYS, ZettasimError } from "../core/errors.js";
import { DAY, GB, HOUR } from "../core/units.js";
import type { Scenario } from "../scenario/load.js";
import { estimateTraining, type TrainingEstimate } from "../training/estimate.js";
import { modelShape } from "../training/shape.js";
import type { RunLength } from "./closed-form.js";
import { LEMON_EVIDENCE, type LemonNodes } from "./lemon-nodes.js";
import { buildModel, type ReliabilityModel, type ReliabilityOptions } from "./model.js";

/** Everything needed to evaluate a scenario's reliability. */
export interface ReliabilitySetup {
  model: ReliabilityModel;
  run: RunLength;
  trials: number;
  seed: number;
  /** Where the run length came from, in words. */
  runFrom: string;
  /** Where the checkpoint size came from, in words. */
  checkpointFrom: string;
}

/** Values that take precedence over the scenario file (CLI flags, or a caller that knows the step time). */
export interface SetupOverrides {
  /** Failure-free time to train, s (e.g. step time x steps from the training model). */
  idealTrainingS?: number;
  /** Step time, s, from the training model (checkpoints fall between steps). */
  stepTimeS?: number;
  idealTrainingDays?: number;
  wallDays?: number;
  trials?: number;
  seed?: number;
}

const MINUTE = 60;
/** Default checkpoint bytes per parameter: bf16 weights (2) + fp32 master weights (4) + fp32 Adam m and v (8). */
export const DEFAULT_BYTES_PER_PARAM = 14;
/** Parameters assumed for the checkpoint size when the scenario has neither a model nor checkpoint.sizeGB (A). */
export const DEFAULT_PARAMS = 1e12;
/** Default aggregate storage bandwidth for checkpoints, bytes/s (A: Llama 3's storage sustained 2 TB/s, peak 7 TB/s). */
export const DEFAULT_STORAGE_BYTES_PER_S = 1000 * GB;
/** Default per-chip copy bandwidth for in-memory checkpoints, bytes/s (A: PCIe Gen5 x16 device-to-host). */
export const DEFAULT_IN_MEMORY_BYTES_PER_S = 25 * GB;

/**
 * Builds the reliability model and run length for a scenario. The run length is, first found: an override, the
 * section's wallDays / idealTrainingDays. Throws ZettasimError naming the missing field. Cost: O(tiers).
 */
export function reliabilitySetup(sc: Scenario, over: SetupOverrides = {}): ReliabilitySetup {
  requireArgument(sc, "scenario", "object", SCENARIO_ARG, SCENARIO_KEYS);
  const r = sc.file.reliability ?? {};
  const path = ["reliability"];
  const jobChips = r.jobChips ?? sc.file.training?.chips ?? sc.system.chips;
  if (jobChips > sc.system.chips) {
    throw new ZettasimError([
      {
        path: [...path, "jobChips"],
        message: "the job cannot use more chips than the system has",
        value: jobChips,
        expected: `at most ${sc.system.chips}`,
      },
    ]);
  }
  const ck = r.checkpoint ?? {};
  let sizeBytes: number;
  let checkpointFrom: string;
  if (ck.sizeGB !== undefined) {
    sizeBytes = ck.sizeGB * GB;
    checkpointFrom = "reliability.checkpoint.sizeGB";
  } else if (sc.model) {
    const shape = modelShape(sc.model);
    const params = shape.totalParams + shape.mtpParams;
    const bpp = ck.bytesPerParam ?? DEFAULT_BYTES_PER_PARAM;
    sizeBytes = params * bpp;
    checkpointFrom = `${(params / 1e9).toFixed(1)}B parameters x ${bpp} bytes`;
  } else {
    sizeBytes = DEFAULT_PARAMS * (ck.bytesPerParam ?? DEFAULT_BYTES_PER_PARAM);
    checkpointFrom = "no model given: a 1T-parameter model assumed";
  }

  const wallDays = over.wallDays ?? (over.idealTrainingDays === undefined ? r.wallDays : undefined);
  const ownLength = over.idealTrainingS ?? over.idealTrainingDays ?? r.idealTrainingDays ?? wallDays;
  // A caller that already has the training model's time to train and step time (train) needs no second estimate.
  const known = over.idealTrainingS !== undefined && over.stepTimeS !== undefined;
  const est = known ? undefined : trainingEstimate(sc, ownLength !== undefined);
  let idealS = over.idealTrainingS ?? (over.idealTrainingDays ?? r.idealTrainingDays ?? 0) * DAY;
  let runFrom =
    over.idealTrainingS !== undefined
      ? "ideal time to train from the training model"
      : over.idealTrainingDays !== undefined
        ? "--days"
        : "reliability.idealTrainingDays";
  if (idealS === 0 && wallDays === undefined && est?.timeToTrainS !== undefined) {
    idealS = est.timeToTrainS;
    runFrom = `training model: ${est.stepTimeS.toPrecision(3)} s steps to training.trainTokens`;
  }
  if (wallDays !== undefined) {
    runFrom = over.wallDays !== undefined ? "--wall-days" : "reliability.wallDays";
    if (idealS === 0) idealS = wallDays * DAY;
  }
  if (idealS <= 0) {
    throw new ZettasimError([
      {
        path: [...path, "idealTrainingDays"],
        message: "the run length is unknown",
        expected:
          "reliability.idealTrainingDays or reliability.wallDays (or --days N), or model + training.trainTokens",
      },
    ]);
  }
  const rec = r.recovery ?? {};
  const pol = r.policy ?? {};
  const opts: ReliabilityOptions = {
    jobChips,
    chipsPerHost: r.chipsPerHost,
    counts: r.counts,
    rates: r.rates,
    recovery: {
      detectionS: mul(rec.detectionMinutes, MINUTE),
      restartS: mul(rec.restartMinutes, MINUTE),
      migrationS: mul(rec.migrationMinutes, MINUTE),
      reconfigureS: mul(rec.reconfigureMinutes, MINUTE),
      repairS: mul(rec.repairHours, HOUR),
    },
    checkpoint: {
      sizeBytes,
      writeBytesPerS: ck.writeGBps !== undefined ? ck.writeGBps * GB : DEFAULT_STORAGE_BYTES_PER_S,
      readBytesPerS: ck.readGBps !== undefined ? ck.readGBps * GB : DEFAULT_STORAGE_BYTES_PER_S,
      inMemory: ck.inMemory ?? false,
      inMemoryBytesPerSPerChip:
        ck.inMemoryGBpsPerChip !== undefined ? ck.inMemoryGBpsPerChip * GB : DEFAULT_IN_MEMORY_BYTES_PER_S,
      intervalS: mul(ck.intervalMinutes, MINUTE),
      stepS: over.stepTimeS ?? r.stepTimeS ?? est?.stepTimeS,
    },
    policy: pol,
  };
  if (r.lemonNodes) opts.lemonNodes = lemonNodesOf(r.lemonNodes);
  return {
    model: buildModel(sc.system, opts),
    run: { idealTrainingS: idealS, wallS: wallDays !== undefined ? wallDays * DAY : undefined },
    trials: over.trials ?? r.trials ?? 1000,
    seed: over.seed ?? sc.seed,
    runFrom,
    checkpointFrom,
  };
}

/**
 * The training model's step time and time to train for the scenario's model + training section, when it has
 * both. An infeasible training setup is an error only when nothing else gives the run length.
 */
function trainingEstimate(sc: Scenario, haveLength: boolean): TrainingEstimate | undefined {
  if (!sc.model || !sc.file.training) return undefined;
  try {
    return estimateTraining(sc.system, sc.model, sc.file.training);
  } catch (e) {
    if (haveLength && e instanceof ZettasimError) return undefined;
    throw e;
  }
}

/**
 * A scenario's `reliability.lemonNodes` with its defaults: the share from Kang et al. 2026 (LEMON_EVIDENCE, a lower
 * bound) and no detection, and where the share came from. Cost: O(1).
 */
export function lemonNodesOf(l: Partial<LemonNodes>): LemonNodes & { source: string } {
  return {
    share: l.share ?? LEMON_EVIDENCE.failureShare,
    detection: l.detection ?? 0,
    source: l.share === undefined ? LEMON_EVIDENCE.source : "reliability.lemonNodes.share",
  };
}

const mul = (x: number | undefined, k: number) => (x === undefined ? undefined : x * k);
