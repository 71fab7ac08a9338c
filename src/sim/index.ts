// Flow-level network simulator: public entry points (topology fabric, CSR link graph, event queue, network back ends, collectives, iteration, scenario runner).

export { AnalyticalNetwork } from "../engine/analytical.js";
export { FlowNetwork } from "../engine/flow.js";
export type {
  LinkLoad,
  LinkTopology,
  NetworkBackend,
  NetworkStats,
  Path,
  WeightedPath,
} from "../engine/network.js";
export { EventQueue } from "../engine/queue.js";
export type { SimulationConfig, SimulationFile } from "../schema/simulation.js";
export { simulationFile } from "../schema/simulation.js";
export { ALGORITHMS } from "./collectives/algorithms.js";
export { algorithmCostS, chooseAlgorithm, linkModel } from "./collectives/choose.js";
export type { AlgorithmSpec, CollectiveRequest, PhaseRecord } from "./collectives/run.js";
export { runCollective } from "./collectives/run.js";
export type { CollectiveAlgorithm, CollectiveCall, CollectiveOp, LinkModel } from "./collectives/types.js";
export { bandwidthLowerBoundS, latencyLowerBoundS } from "./collectives/types.js";
export type { IterationOptions, IterationResult, SimBreakdown, TraceEvent } from "./iteration/iteration.js";
export { oneFOneB, simulateIteration } from "./iteration/iteration.js";
export type { BackendId, Network } from "./network.js";
export { makeNetwork } from "./network.js";
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
