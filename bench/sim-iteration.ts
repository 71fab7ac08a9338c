// Benchmark: one training iteration of examples/atlas-950-supercluster-train.yaml (2T MoE on 524,288 NPUs), symmetric flow simulation.
import { readFileSync } from "node:fs";
import { loadScenarioText } from "../src/scenario/load.js";
import { simulateScenario } from "../src/sim/simulate.js";

const file = process.argv[2] ?? "examples/atlas-950-supercluster-train.yaml";
const sc = loadScenarioText(readFileSync(file, "utf8"), file);
const t0 = performance.now();
const r = simulateScenario(sc);
const wallS = (performance.now() - t0) / 1000;
const rssMiB = process.resourceUsage().maxRSS / 1024;
console.log(`${file}: ${sc.system.chips.toLocaleString("en-US")} NPUs, ${sc.system.id}`);
console.log(
  `step time simulated ${r.stepTimeS.toFixed(4)} s, analytical ${r.analytical?.stepTimeS.toFixed(4)} s (${r.analytical?.differencePct.toFixed(1)}%)`,
);
console.log(
  `collectives simulated ${r.stats.collectivesSimulated}, replayed ${r.stats.collectivesReplayed}, messages ${r.stats.messages}`,
);
console.log(
  `wall ${wallS.toFixed(3)} s, peak RSS ${rssMiB.toFixed(0)} MiB, ${r.stats.events} events, ${(r.stats.events / wallS).toFixed(0)} events/s`,
);
