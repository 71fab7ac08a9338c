// Topology traits by kind, kept as an entry point for older imports: each kind now answers for itself in src/catalog/topologies/.
export type { TierShape, TopologyTraits } from "./topologies/index.js";
export { topologyKinds, topologyTraits } from "./topologies/index.js";
