// Flow-level network simulator: public entry points (topology fabric, CSR link graph, event queue, network back ends, collectives, iteration, scenario runner).

export { EventQueue } from "../engine/queue.js";
export type { SimulationConfig, SimulationFile } from "../schema/simulation.js";
export { simulationFile } from "../schema/simulation.js";
export { ALGORITHMS } from "./collectives/algorithms.js";
export type { CollectiveRequest, PhaseRecord } from "./collectives/run.js";
export { chooseAlgorithm, linkModel, runCollective } from "./collectives/run.js";
export type { CollectiveAlgorithm, CollectiveCall, CollectiveOp, LinkModel } from "./collectives/types.js";
export { bandwidthLowerBoundS } from "./collectives/types.js";
export { AnalyticalNetwork, FlowNetwork } from "./engine/flows.js";
export type { LinkLoad, Network, NetworkStats } from "./engine/network.js";
export type { IterationOptions, IterationResult, SimBreakdown, TraceEvent } from "./iteration/iteration.js";
export { oneFOneB, simulateIteration } from "./iteration/iteration.js";
export type { HotLink, SimulateOptions, SimulationResult, TierUsage } from "./simulate.js";
export { chromeTrace, simulateScenario } from "./simulate.js";
export type { FatTreeGraphParams, LinkGraph, LinkGraphOptions } from "./topology/csr.js";
export {
  bfs,
  buildFatTreeGraph,
  buildLinkGraph,
  chipCutBytesPerS,
  cutBytesPerS,
  edgeSource,
  linkGraphBytes,
  ShortestPathRouter,
  transposeLinkGraph,
} from "./topology/csr.js";
export type { LinkInfo, Route, RoutingOptions } from "./topology/fabric.js";
export { Fabric } from "./topology/fabric.js";
export { TOPOLOGY_BUILDERS } from "./topology/kinds.js";
export type { LocalRoute, Multipath, TierNet, TierNetParams } from "./topology/types.js";
