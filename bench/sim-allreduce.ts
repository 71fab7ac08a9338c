// Benchmark: a 1 GiB all-reduce across all 524,288 NPUs of the Atlas 950 SuperCluster, hierarchical, symmetric flow simulation.
import { resolveSystem } from "../src/catalog/resolve.js";
import { GiB } from "../src/core/units.js";
import { runOneCollective } from "../src/sim/testing.js";

const system = resolveSystem(process.argv[2] ?? "atlas-950-supercluster");
const t0 = performance.now();
const run = runOneCollective(system, "all-reduce", GiB, { algorithm: "hierarchical" });
const wallS = (performance.now() - t0) / 1000;
const rss = process.resourceUsage().maxRSS / 1024;
for (const p of run.phases)
  console.log(
    `  tier ${p.tier} ${p.op.padEnd(14)} ${p.algorithm.padEnd(18)} ${String(p.ranks).padStart(5)} ranks  ${(p.bytes / 2 ** 20).toFixed(3).padStart(10)} MiB  ${((p.endS - p.startS) * 1e3).toFixed(3)} ms`,
  );
console.log(`all-reduce 1 GiB on ${system.chips.toLocaleString("en-US")} NPUs (${system.id})`);
console.log(`simulated time ${(run.timeS * 1e3).toFixed(3)} ms`);
console.log(
  `wall ${wallS.toFixed(3)} s, peak RSS ${rss.toFixed(0)} MiB, ${run.events} events, ${(run.events / wallS).toFixed(0)} events/s`,
);
