// Benchmark: failure events simulated per second by the reliability Monte Carlo, on 16K H100 and the 524,288-NPU Atlas 950 SuperCluster.
import { resolveSystem } from "../src/catalog/resolve.js";
import { DAY, GB } from "../src/core/units.js";
import { buildModel, type ReliabilityOptions } from "../src/reliability/model.js";
import { simulateReliability } from "../src/reliability/monte-carlo.js";

const checkpoint = {
  sizeBytes: 14e12,
  writeBytesPerS: 1000 * GB,
  readBytesPerS: 1000 * GB,
  inMemory: true,
  inMemoryBytesPerSPerChip: 25 * GB,
  stepS: 10,
};

interface Case {
  name: string;
  system: unknown;
  trials: number;
  opts: ReliabilityOptions;
}

const cases: Case[] = [
  {
    name: "16,384 H100, restarts only",
    system: { extends: "dgx-h100-superpod", chips: 16384 },
    trials: 20000,
    opts: { checkpoint },
  },
  {
    name: "524,288 NPUs UBoE, spares + rerouting",
    system: "atlas-950-supercluster-uboe",
    trials: 300,
    opts: {
      checkpoint,
      policy: {
        hotSpares: { groupChips: 64, spares: 1 },
        tierAbsorbFraction: { "cabinet-ub": 1, "superpod-ub": 1, "scale-out": 1 },
      },
    },
  },
];

console.log("reliability Monte Carlo: 30 failure-free days per trial");
for (const c of cases) {
  const model = buildModel(resolveSystem(c.system), c.opts);
  const run = { idealTrainingS: 30 * DAY };
  simulateReliability(model, run, { trials: Math.ceil(c.trials / 10), seed: 1 }); // warm up
  const t0 = performance.now();
  const r = simulateReliability(model, run, { trials: c.trials, seed: 2 });
  const wallS = (performance.now() - t0) / 1000;
  console.log(
    `  ${c.name.padEnd(40)} ${String(c.trials).padStart(6)} trials  ${r.events.toLocaleString("en-US").padStart(12)} events  ${wallS.toFixed(2)} s  ${(r.events / wallS / 1e6).toFixed(1)} M events/s`,
  );
}
console.log(`peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
