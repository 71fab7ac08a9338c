// Benchmark: analytical training evaluations per second on one core, 1T dense and 2T MoE on the 524,288-NPU Atlas 950 SuperCluster.
import { resolveModel } from "../src/catalog/models-resolve.js";
import { resolveSystem, systemIds } from "../src/catalog/resolve.js";
import type { TrainingConfig } from "../src/schema/training.js";
import { estimateTraining, evaluateTraining, prepareTraining } from "../src/training/estimate.js";
import { modelShape } from "../src/training/shape.js";

const systemId = systemIds().includes("atlas-950-supercluster")
  ? "atlas-950-supercluster"
  : "atlas-950-superpod";
const system = resolveSystem(systemId);
const chips = system.chips;

interface Case {
  name: string;
  model: string;
  training: TrainingConfig;
}

const cases: Case[] = [
  {
    name: "dense 1T, tp 8 x pp 16, fp8",
    model: "dense-1t",
    training: {
      seqLength: 4096,
      globalBatchSize: (chips / 128) * 32,
      tp: 8,
      pp: 16,
      vpp: 2,
      precision: "fp8",
      recompute: "selective",
      zero: 1,
    },
  },
  {
    name: "MoE 2T, pp 16 x ep 64, fp8, DualPipe",
    model: "moe-2t",
    training: {
      seqLength: 4096,
      globalBatchSize: (chips / 16) * 32,
      tp: 1,
      pp: 16,
      ep: 64,
      precision: "fp8",
      schedule: "dualpipe",
      zero: 1,
    },
  },
];

/**
 * Runs `fn` for about `seconds` (after a warm-up) and returns calls per wall-clock second and per CPU second of
 * this process. On a loaded machine the wall-clock rate falls with the load while the CPU-time rate holds
 * (both stay noisy: caches and frequency are shared); the target is read on the CPU-time rate.
 */
function rate(fn: () => unknown, seconds = 1.5): { wall: number; cpu: number } {
  for (let i = 0; i < 2000; i++) fn();
  let n = 0;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < seconds * 1000) {
    for (let i = 0; i < 500; i++) fn();
    n += 500;
    t = performance.now();
  }
  const c = process.cpuUsage(c0);
  return { wall: n / ((t - t0) / 1000), cpu: n / ((c.user + c.system) / 1e6) };
}

const fmt = (x: number) => Math.round(x).toLocaleString("en-US");
const TARGET = 150_000;
// "prepared": evaluateTraining of one prepareTraining result, which holds the job's per-layer costs (computed once
// there, as a search computes them once per layer knobs: staged.ts); every call still assembles the pipeline stages,
// data parallelism, optimizer, memory and the summary. "end to end": estimateTraining (resolution, per-layer costs,
// evaluation and the finiteness check) per call.
process.stdout.write(
  `training evaluations per second, one core, ${system.name} (${chips.toLocaleString("en-US")} chips)\n`,
);
let worst = Number.POSITIVE_INFINITY;
for (const c of cases) {
  const shape = modelShape(resolveModel(c.model));
  const prepared = prepareTraining(system, shape, c.training);
  const r = evaluateTraining(prepared);
  const hot = rate(() => evaluateTraining(prepared));
  const full = rate(() => estimateTraining(system, shape, c.training));
  worst = Math.min(worst, hot.cpu);
  process.stdout.write(
    `  ${c.name.padEnd(40)} step ${r.stepTimeS.toFixed(2)} s, MFU ${(r.mfu * 100).toFixed(1)}%: ` +
      `${fmt(hot.cpu)} evals per CPU-second (${fmt(hot.wall)} per wall second) prepared, ` +
      `${fmt(full.cpu)} per CPU-second checked end to end\n`,
  );
}
process.stdout.write(
  `target >= ${fmt(TARGET)} evals per CPU-second per core: ${worst >= TARGET ? "met" : "NOT met"} (${fmt(worst)}); ` +
    "figures on a loaded machine are noisy\n",
);
