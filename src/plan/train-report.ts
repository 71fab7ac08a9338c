// Figures for people from a training plan: a layout's knobs in one flat record, why the runner-up loses, and the winner as a scenario.
import { requireArgument } from "../core/errors.js";
import type { ScenarioFile } from "../schema/scenario.js";
import type { TrainingConfig } from "../schema/training.js";
import type { TrainingBreakdown } from "../training/estimate.js";
import type { PlannedLayout } from "./train.js";

/** A layout's knobs and headline figures, flat (what `plan train --json` lists). */
export interface LayoutSummary {
  rank: number;
  value: number;
  stepTimeS: number;
  mfu: number;
  tokensPerSecond: number;
  memoryPerChipBytes: number;
  chips: number;
  tp: number;
  pp: number;
  dp: number;
  cp: number;
  ep: number;
  etp: number;
  vpp: number;
  microBatchSize: number;
  sequenceParallel: boolean;
  recompute: string;
  zero: number;
  precision: string;
  /** Scaling recipe of the low-precision GEMMs (null in bf16). */
  precisionRecipe: string | null;
  schedule: string;
  overlap: { tpComm: boolean; dpComm: boolean; epComm: boolean };
  /** MoE with ep > 1: the dispatcher, and the scheme hiding expert all-to-all while overlap.epComm is on. */
  moeDispatcher: string | null;
  moeOverlap: string | null;
  cudaGraphs: boolean;
  /** ZeRO 3 / FSDP options (null below stage 3 or when left to the framework / to memory). */
  reshardAfterForward: boolean | null;
  shardGroupSize: number | null;
  /** Shares in host memory. */
  offload: { optimizer: number; weights: number; activations: number };
  bottleneck: string;
  timeToTrainS?: number;
  energyToTrainJ?: number;
}

/** The fields of a PlannedLayout that the reports read. */
const LAYOUT_KEYS = ["training", "estimate"] as const;

/** Flattens a planned layout. Cost O(1). */
export function layoutSummary(l: PlannedLayout): LayoutSummary {
  requireArgument(l, "layout", "object", "a PlannedLayout from planTrain", LAYOUT_KEYS);
  const t = l.training;
  const e = l.estimate;
  const out: LayoutSummary = {
    rank: l.rank,
    value: l.value,
    stepTimeS: e.stepTimeS,
    mfu: e.mfu,
    tokensPerSecond: e.tokensPerSecond,
    memoryPerChipBytes: e.memoryPerChipBytes,
    chips: e.chips,
    tp: e.degrees.tp,
    pp: e.degrees.pp,
    dp: e.degrees.dp,
    cp: e.degrees.cp,
    ep: e.degrees.ep,
    etp: e.degrees.etp,
    vpp: e.degrees.vpp,
    microBatchSize: t.microBatchSize ?? 1,
    sequenceParallel: t.sequenceParallel ?? false,
    recompute: t.recompute ?? "selective",
    zero: t.zero ?? 1,
    precision: t.precision ?? "bf16",
    precisionRecipe: t.precisionRecipe ?? null,
    schedule: e.schedule,
    overlap: {
      tpComm: t.overlap?.tpComm ?? false,
      dpComm: t.overlap?.dpComm ?? false,
      epComm: t.overlap?.epComm ?? false,
    },
    moeDispatcher: t.moeDispatcher ?? null,
    moeOverlap: t.overlap?.epComm ? (t.moeOverlap ?? null) : null,
    cudaGraphs: t.cudaGraphs ?? false,
    reshardAfterForward: t.reshardAfterForward ?? null,
    shardGroupSize: t.shardGroupSize ?? null,
    offload: {
      optimizer: t.offload?.optimizer ?? 0,
      weights: t.offload?.weights ?? 0,
      activations: t.offload?.activations ?? 0,
    },
    bottleneck: e.bottleneck.replace(/S$/, ""),
  };
  if (e.timeToTrainS !== undefined) out.timeToTrainS = e.timeToTrainS;
  if (e.energyToTrainJ !== undefined) out.energyToTrainJ = e.energyToTrainJ;
  return out;
}

/** Why the runner-up is slower than the winner: knobs that differ, time by cause, memory. */
export interface RunnerUpExplanation {
  slowerByS: number;
  slowerByFraction: number;
  /** Knobs whose values differ: name, winner's value, runner-up's value. */
  knobs: { knob: string; winner: unknown; runnerUp: unknown }[];
  /** Exposed time per cause, largest difference first (runner-up minus winner, s). */
  parts: { part: string; winnerS: number; runnerUpS: number; deltaS: number }[];
  memory: { winnerBytes: number; runnerUpBytes: number };
  /** One sentence. */
  summary: string;
}

const KNOBS: (keyof TrainingConfig)[] = [
  "chips",
  "tp",
  "pp",
  "dp",
  "cp",
  "ep",
  "etp",
  "vpp",
  "microBatchSize",
  "sequenceParallel",
  "recompute",
  "zero",
  "precision",
  "precisionRecipe",
  "schedule",
  "moeDispatcher",
  "moeOverlap",
  "cudaGraphs",
  "reshardAfterForward",
  "shardGroupSize",
];

const PART_NAMES: Record<keyof TrainingBreakdown, string> = {
  computeS: "compute",
  recomputeS: "recompute",
  tpCommS: "TP communication",
  cpCommS: "CP communication",
  epCommS: "EP all-to-all",
  ppCommS: "PP send/receive",
  dpCommS: "DP communication",
  bubbleS: "pipeline bubble",
  optimizerS: "optimizer",
  gradCheckS: "gradient NaN check",
  offloadS: "offload (host link)",
};

/** Compares the runner-up with the winner by exposed time per cause and memory. Cost O(1). */
export function explainRunnerUp(winner: PlannedLayout, runnerUp: PlannedLayout): RunnerUpExplanation {
  requireArgument(winner, "winner", "object", "a PlannedLayout from planTrain", LAYOUT_KEYS);
  requireArgument(runnerUp, "runnerUp", "object", "a PlannedLayout from planTrain", LAYOUT_KEYS);
  const w = winner.estimate;
  const r = runnerUp.estimate;
  const knobs: RunnerUpExplanation["knobs"] = [];
  for (const k of KNOBS) {
    const a = winner.training[k];
    const b = runnerUp.training[k];
    if (a !== b) knobs.push({ knob: k, winner: a, runnerUp: b });
  }
  for (const k of ["tpComm", "dpComm", "epComm"] as const) {
    const a = winner.training.overlap?.[k] ?? false;
    const b = runnerUp.training.overlap?.[k] ?? false;
    if (a !== b) knobs.push({ knob: `overlap.${k}`, winner: a, runnerUp: b });
  }
  for (const k of ["optimizer", "weights", "activations"] as const) {
    const a = winner.training.offload?.[k] ?? 0;
    const b = runnerUp.training.offload?.[k] ?? 0;
    if (a !== b) knobs.push({ knob: `offload.${k}`, winner: a, runnerUp: b });
  }
  const parts = (Object.keys(PART_NAMES) as (keyof TrainingBreakdown)[])
    .map((k) => ({
      part: PART_NAMES[k],
      winnerS: w.breakdownS[k],
      runnerUpS: r.breakdownS[k],
      deltaS: r.breakdownS[k] - w.breakdownS[k],
    }))
    .filter((p) => p.deltaS !== 0)
    .sort((a, b) => Math.abs(b.deltaS) - Math.abs(a.deltaS));
  const slowerByS = r.stepTimeS - w.stepTimeS;
  const worse = parts.filter((p) => p.deltaS > 0).slice(0, 2);
  const better = parts.filter((p) => p.deltaS < 0).slice(0, 1);
  const fmt = (s: number) => `${s >= 0 ? "+" : ""}${s.toPrecision(3)} s`;
  const knobText = knobs
    .map((k) => `${k.knob} ${String(k.runnerUp)} instead of ${String(k.winner)}`)
    .join(", ");
  let summary =
    slowerByS === 0
      ? "the runner-up ties the winner (ranked after it by canonical order)"
      : `the runner-up (${knobText || "same knobs"}) is ${((100 * slowerByS) / w.stepTimeS).toFixed(2)}% slower`;
  if (worse.length) summary += `: ${worse.map((p) => `${fmt(p.deltaS)} ${p.part}`).join(", ")}`;
  if (better.length) summary += `, against ${fmt(better[0].deltaS)} ${better[0].part}`;
  if (r.memoryPerChipBytes !== w.memoryPerChipBytes) {
    summary += `; memory ${(r.memoryPerChipBytes / 1e9).toFixed(1)} GB per chip against ${(w.memoryPerChipBytes / 1e9).toFixed(1)} GB`;
  }
  return {
    slowerByS,
    slowerByFraction: slowerByS / w.stepTimeS,
    knobs,
    parts,
    memory: { winnerBytes: w.memoryPerChipBytes, runnerUpBytes: r.memoryPerChipBytes },
    summary,
  };
}

/**
 * A scenario that runs `layout` as is with `zettasim train` and `zettasim simulate`: the source scenario's
 * system and model references (inline definitions kept), its reliability and simulation sections, and a
 * training section with every knob explicit. Cost O(1).
 */
export function plannedScenario(
  source: Pick<ScenarioFile, "system" | "model" | "name" | "seed" | "reliability" | "simulation">,
  layout: PlannedLayout,
): ScenarioFile {
  requireArgument(source, "source", "object", "the scenario file the plan came from {system, model, ...}", [
    "system",
    "model",
  ]);
  requireArgument(layout, "layout", "object", "a PlannedLayout from planTrain", LAYOUT_KEYS);
  const out: ScenarioFile = {
    name: `${source.name ?? "plan"} (planned layout, rank ${layout.rank})`,
    seed: source.seed,
    system: source.system,
    model: source.model,
    training: layout.training,
  };
  if (source.seed === undefined) delete out.seed;
  if (source.reliability !== undefined) out.reliability = source.reliability;
  if (source.simulation !== undefined) out.simulation = source.simulation;
  return out;
}
