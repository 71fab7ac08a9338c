// Benchmark: materialising link graphs (CSR) of whole systems, BFS on them, and how many equal-cost paths the templates use.
import { resolveSystem } from "../src/catalog/resolve.js";
import { crossCheckRoutes, testSystem } from "../src/sim/testing.js";
import {
  bfs,
  buildFatTreeGraph,
  buildLinkGraph,
  type LinkGraph,
  linkGraphBytes,
} from "../src/sim/topology/csr.js";
import { Fabric, type RoutingOptions } from "../src/sim/topology/fabric.js";

const MiB = 2 ** 20;
const fmt = (x: number) => x.toLocaleString("en-US");

/** Best of `n` runs of f, ms (the machine is shared and noisy). */
function best<T>(n: number, f: () => T): { ms: number; value: T } {
  let ms = Number.POSITIVE_INFINITY;
  let value: T | undefined;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    value = f();
    ms = Math.min(ms, performance.now() - t0);
  }
  return { ms, value: value as T };
}

function line(name: string, build: () => LinkGraph) {
  const { ms, value: g } = best(3, build);
  const bfsMs = best(3, () => bfs(g, 0)).ms;
  const bytes = linkGraphBytes(g);
  console.log(
    `${name.padEnd(52)} ${fmt(g.nodes).padStart(10)} nodes ${fmt(g.links).padStart(10)} links  build ${ms.toFixed(0).padStart(5)} ms  BFS ${bfsMs.toFixed(0).padStart(4)} ms  ${(bytes / MiB).toFixed(1).padStart(6)} MiB (${(bytes / g.links).toFixed(1)} B/link)`,
  );
}

console.log("link graphs (CSR, typed arrays), best of 3:");
for (const id of ["atlas-950-superpod", "atlas-950-superpod-ubmesh", "atlas-950-supercluster"]) {
  const sys = resolveSystem(id);
  line(`${id} (${fmt(sys.chips)} NPUs, all tiers)`, () => buildLinkGraph(sys));
}
line("atlas-950-supercluster, first group per tier", () =>
  buildLinkGraph(resolveSystem("atlas-950-supercluster"), { groups: "first" }),
);
for (const k of [64, 128])
  line(`k-ary fat tree, k ${k}, 3 levels (${fmt(k ** 3 / 4)} chips)`, () =>
    buildFatTreeGraph({ radix: k, levels: 3, portBytesPerS: 100e9 }),
  );
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);

console.log("\ntemplate routes against BFS on the graph (outermost tier, group 0):");
const cases: [string, ReturnType<typeof testSystem>, RoutingOptions?, number?][] = [
  ["switch, 64", testSystem(64, [{ topology: "switch", bandwidthGBps: 100 }])],
  [
    "fat-tree radix 16, 64, spray",
    testSystem(64, [{ topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 100 }]),
  ],
  [
    "fat-tree radix 16, 64, ECMP (union over 64 tags)",
    testSystem(64, [{ topology: { kind: "fat-tree", radix: 16 }, bandwidthGBps: 100 }]),
    { "*": "ecmp" },
    64,
  ],
  ["2D torus 8x8", testSystem(64, [{ topology: { kind: "torus", dims: [8, 8] }, bandwidthGBps: 100 }])],
  ["3D torus 4x4x4", testSystem(64, [{ topology: { kind: "torus", dims: [4, 4, 4] }, bandwidthGBps: 100 }])],
  [
    "nd-full-mesh [4,4] of 16-chip [4,4] meshes, 256",
    testSystem(256, [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, groupSize: 16, bandwidthGBps: 400 },
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: 100 },
    ]),
  ],
  [
    "  the same, all-path routing",
    testSystem(256, [
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, groupSize: 16, bandwidthGBps: 400 },
      { topology: { kind: "nd-full-mesh", dims: [4, 4] }, bandwidthGBps: 100 },
    ]),
    { "*": "all-path" },
  ],
  [
    "nd-full-mesh [4,4,4], 64",
    testSystem(64, [{ topology: { kind: "nd-full-mesh", dims: [4, 4, 4] }, bandwidthGBps: 100 }]),
  ],
  [
    "rail-optimized 32 x 8, 2:1, 256",
    testSystem(256, [
      { topology: "switch", groupSize: 8, bandwidthGBps: 400 },
      { topology: "rail-optimized", bandwidthGBps: 100, oversubscription: 2 },
    ]),
  ],
];
for (const [name, sys, routing, salts] of cases) {
  const f = new Fabric(sys, routing);
  const r = crossCheckRoutes(f, f.tiers.length - 1, salts ?? 1);
  console.log(
    `  ${name.padEnd(48)} ${fmt(r.pairs).padStart(6)} pairs  template ${fmt(r.templatePaths).padStart(7)} / BFS ${fmt(r.bfsPaths).padStart(7)} paths (${((100 * r.templatePaths) / r.bfsPaths).toFixed(1)}%), all paths for ${((100 * r.completePairs) / r.pairs).toFixed(1)}% of pairs${r.detours ? `, ${fmt(r.detours)} detours` : ""}${r.mismatches.length ? `, MISMATCH ${r.mismatches[0]}` : ""}`,
  );
}
