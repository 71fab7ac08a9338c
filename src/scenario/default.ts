// The built-in default scenario: a 2T-parameter MoE trained on the whole Atlas 950 SuperCluster.
import type { ScenarioFile } from "../schema/scenario.js";

/**
 * What `zettasim` shows with no arguments, and what `scenarioFromValue(DEFAULT_SCENARIO)` gives a library user.
 * The parallel layout keeps TP inside a 64-NPU cabinet, experts across 64 ranks of a SuperPoD, and enough
 * micro-batches per pipeline (16 with 4 virtual stages) to keep the bubble small; 30T tokens is a frontier run.
 */
export const DEFAULT_SCENARIO: ScenarioFile = {
  name: "default: moe-2t on atlas-950-supercluster",
  seed: 1,
  system: "atlas-950-supercluster",
  model: "moe-2t",
  training: {
    seqLength: 4096,
    globalBatchSize: 65536,
    microBatchSize: 1,
    tp: 8,
    pp: 8,
    ep: 64,
    vpp: 4,
    sequenceParallel: true,
    precision: "fp8",
    zero: 1,
    trainTokens: 3e13,
  },
};
