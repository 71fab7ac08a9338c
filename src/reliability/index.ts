// Public entry points of the failure and goodput model.

export type { ReliabilityConfig, ReliabilityFile } from "../schema/reliability.js";
export { reliabilityFile } from "../schema/reliability.js";
export type { EffectCounts, Expectation, KindSummary, RunLength } from "./closed-form.js";
export {
  availabilityFromMtbf,
  erlangB,
  expectedOutcome,
  kindSummaries,
  meanTimesBetween,
  spareBusyProbability,
} from "./closed-form.js";
export { FLEET_BAND } from "./fleet-band.data.js";
export type { FleetBandStats, FleetSpread, RateRatio } from "./fleet-band.js";
export { fleetBandStats, fleetSpread, withRateFactor } from "./fleet-band.js";
export type { Inventory, InventoryOptions, TierInventory } from "./inventory.js";
export { inventory } from "./inventory.js";
export type { LemonNodes } from "./lemon-nodes.js";
export { LEMON_EVIDENCE, LEMON_NODE_KINDS, lemonNodesMultiplier, withLemonNodes } from "./lemon-nodes.js";
export type {
  AppliedLemonNodes,
  CheckpointOptions,
  Effect,
  EventClass,
  Policy,
  Recovery,
  ReliabilityModel,
  ReliabilityOptions,
} from "./model.js";
export { buildModel, DEFAULT_POLICY, DEFAULT_RECOVERY, youngDalyIntervalS } from "./model.js";
export type { Simulation, SimulationOptions, SimulationResult, Spread } from "./monte-carlo.js";
export { simulateReliability, startSimulation, summarizeTrials } from "./monte-carlo.js";
export type { BlastRadius, ComponentKind, FailureRate } from "./rates.js";
export { COMPONENT_KINDS, DEFAULT_RATES, LLAMA3_EXPOSURE, ratesWithOverrides } from "./rates.js";
export type { GoodputOptions, ReliabilityReport, ReportOptions } from "./report.js";
export { assembleReport, expectedGoodput, reliabilityReport, simulateJobReliability } from "./report.js";
export type { ReliabilitySetup, SetupOverrides } from "./scenario.js";
export { reliabilitySetup } from "./scenario.js";
