// Topology kind `full-mesh`: every member linked directly to every other (a one-dimensional UB-Mesh); traits, template, words.
import { crossingPairs, none } from "./common.js";
import { NdFullMeshNet } from "./nd-full-mesh.js";
import type { TopologyKindModule, TopologyTraits } from "./types.js";

/**
 * Full mesh of m members, each of g = N/m chips: a member spreads g.b over m-1 peers, so a balanced cut crosses
 * floor(m/2).ceil(m/2) pairs of g.b/(m-1) each (N.b/2 at m = 2, tending to N.b/4).
 */
const traits: TopologyTraits = {
  summary: "every member linked directly to every other; bisection about N.b.m/(4(m-1))",
  bisectionBytesPerS: (s) => {
    const m = s.members;
    if (m < 2) return 0;
    const g = s.chips / m;
    return crossingPairs(m) * ((g * s.bandwidthBytesPerS) / (m - 1));
  },
  linksPerMember: (s) => s.members - 1,
  diameterHops: (s) => (s.members > 1 ? 1 : 0),
  switches: none,
  opticalModules: none,
  check: () => undefined,
};

export const FULL_MESH: TopologyKindModule = {
  kind: "full-mesh",
  traits,
  linksReroute: true,
  multipaths: ["minimal", "all-path"],
  // Free-form mesh words read as the n-D mesh (the registry asks that kind); only the exact name is this one.
  readsWord: () => false,
  astraSim: { name: "FullyConnected", linksPerNpu: (n) => n - 1, linksPerHop: 1 },
  tierNet: (p) =>
    new NdFullMeshNet(
      "full-mesh",
      p.members,
      p.memberSize,
      p.chipPayloadBytesPerS,
      [p.members],
      p.multipath ?? "minimal",
    ),
};
