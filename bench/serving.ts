// Benchmark: simulated requests per second of wall time for DeepSeek-V3 serving on an Atlas 950 SuperPoD, small and full-pod.
import { readFileSync } from "node:fs";
import { loadScenarioText } from "../src/scenario/load.js";
import { servingPlan } from "../src/serving/config.js";
import { runPlan } from "../src/serving/simulate.js";

const example = new URL("../../examples/deepseek-v3-atlas-950-disaggregated.yaml", import.meta.url);
const exampleSrc = new URL("../examples/deepseek-v3-atlas-950-disaggregated.yaml", import.meta.url);
let text: string;
try {
  text = readFileSync(exampleSrc, "utf8");
} catch {
  text = readFileSync(example, "utf8"); // when run from dist/bench
}
const scenario = loadScenarioText(text, "deepseek-v3-atlas-950-disaggregated.yaml");

interface Case {
  name: string;
  requests: number;
  ratePerS: number;
  prefillInstances: number;
  decodeInstances: number;
}

const cases: Case[] = [
  { name: "example, 192 chips", requests: 12000, ratePerS: 150, prefillInstances: 4, decodeInstances: 1 },
  {
    name: "full pod, 8,192 chips",
    requests: 100000,
    ratePerS: 6000,
    prefillInstances: 160,
    decodeInstances: 48,
  },
];

console.log(
  "serving simulation: DeepSeek-V3, 950PR prefill (EP32 instances) + 950DT decode (EP64 instances)",
);
for (const c of cases) {
  const plan = servingPlan(scenario);
  plan.pools[0].instances = c.prefillInstances;
  plan.pools[0].chips = c.prefillInstances * plan.pools[0].layout.chips;
  plan.pools[1].instances = c.decodeInstances;
  plan.pools[1].chips = c.decodeInstances * plan.pools[1].layout.chips;
  plan.workload = {
    ...plan.workload,
    requests: c.requests,
    arrival: { kind: "poisson", ratePerS: c.ratePerS },
  };
  const t0 = performance.now();
  const r = runPlan(plan, 1);
  const wallS = (performance.now() - t0) / 1000;
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    `  ${c.name.padEnd(22)} ${r.chips.toLocaleString("en-US").padStart(6)} chips  ${c.requests.toLocaleString("en-US").padStart(7)} requests  ` +
      `${r.events.toLocaleString("en-US").padStart(9)} events  wall ${wallS.toFixed(2)} s  ` +
      `${Math.round(c.requests / wallS).toLocaleString("en-US")} simulated requests/s  ` +
      `${Math.round(r.events / wallS).toLocaleString("en-US")} events/s  peak RSS ${rss.toFixed(0)} MiB  ` +
      `(TTFT p50 ${r.ttftMs.p50.toFixed(0)} ms, TPOT p50 ${r.tpotMs.p50.toFixed(1)} ms)`,
  );
}
