// Benchmark: symmetry reduction on and off at 1,024 to 8,192 NPUs; the step times must differ by under 1%.
import { loadScenarioText } from "../src/scenario/load.js";
import { simulateScenario } from "../src/sim/simulate.js";

const scenario = (chips: number) => `
system: atlas-950-superpod
model: mixtral-8x22b
training:
  seqLength: 4096
  globalBatchSize: ${chips / 2}
  tp: 4
  pp: 4
  ep: 8
  chips: ${chips}
  zero: 1
`;

console.log("chips   symmetric step  wall     every-rank step  wall      messages on/off   difference");
let worst = 0;
for (const chips of [1024, 2048, 4096, 8192]) {
  const sc = loadScenarioText(scenario(chips), `mixtral-8x22b on ${chips}`);
  let t0 = performance.now();
  const on = simulateScenario(sc, { config: { symmetry: true } });
  const wOn = (performance.now() - t0) / 1000;
  t0 = performance.now();
  const off = simulateScenario(sc, { config: { symmetry: false } });
  const wOff = (performance.now() - t0) / 1000;
  const diff = (100 * Math.abs(on.stepTimeS - off.stepTimeS)) / off.stepTimeS;
  worst = Math.max(worst, diff);
  console.log(
    `${String(chips).padStart(5)}   ${on.stepTimeS.toFixed(6)} s  ${wOn.toFixed(2)} s   ${off.stepTimeS.toFixed(6)} s     ${wOff.toFixed(2)} s   ${String(on.stats.messages).padStart(7)}/${String(off.stats.messages).padEnd(8)}  ${diff.toFixed(4)}%`,
  );
}
console.log(
  `largest difference ${worst.toFixed(4)}% (must be < 1%); peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`,
);
if (worst >= 1) process.exitCode = 1;
