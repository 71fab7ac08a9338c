// Megatron-Bridge's published same-run A/Bs of Qwen3-30B-A3B on 16 H100 (EP 16, BF16, GBS 1,024) against the model: each variant's step, its device-only step, and one MoE layer's host and device time per micro-batch.
//
// Usage: npx tsx scripts/h100-qwen3-ab.ts
// The runs are not validation cases (their predictions were read while looking for a cause: docs/training.md, "Small-expert
// MoE on H100, session 17"). The inputs are the in-sample row mb2606-qwen3-30b-a3b-16xh100-fp8 (same layout) with the
// A/B's precision, dispatcher, overlap and graph scope. "Device-only" sets every host cost to zero (hostOpTimeRelative 0,
// launch costs 0): the time the device is busy, comparable with an nsys GPU-active union. Changes nothing.

import type { TrainingConfig } from "../src/schema/training.js";
import { layerCosts } from "../src/training/analyze.js";
import { estimateTraining, prepareTraining } from "../src/training/estimate.js";
import { routerPreprocessHostS } from "../src/training/router-host.js";
import { splitAllocHostS } from "../src/training/split-quantize.js";
import { trainingCaseInputs } from "../src/validate/training.js";
import { projectCases } from "./validation-files.js";

const found = projectCases().find((x) => x.case.id === "mb2606-qwen3-30b-a3b-16xh100-fp8");
if (!found) throw new Error("case mb2606-qwen3-30b-a3b-16xh100-fp8 not found");
const inp = trainingCaseInputs(found.case);
const bf16 = { ...inp.training, precision: "bf16" } as TrainingConfig;

/** Variant, measured step (s) and its source. */
const VARIANTS: [string, TrainingConfig, string][] = [
  [
    "alltoall eager, no EP overlap",
    { ...bf16, moeDispatcher: "alltoall", moeOverlap: "none", cudaGraphs: false },
    "41.25 s (PR 3862) / 41.36 s (cuda-graphs.md)",
  ],
  [
    "alltoall, graphs attn+moe_router+moe_preprocess",
    { ...bf16, moeDispatcher: "alltoall", moeOverlap: "none", cudaGraphs: true, cudaGraphScope: "layers" },
    "42.00 s (cuda-graphs.md)",
  ],
  [
    "alltoall eager, EP overlap",
    { ...bf16, moeDispatcher: "alltoall", moeOverlap: "dualpipe", cudaGraphs: false },
    "31.31 s (PR 3862)",
  ],
  [
    "HybridEP, router+preprocess graphs, no EP overlap",
    { ...bf16, moeDispatcher: "hybridep", moeOverlap: "none", cudaGraphs: true, cudaGraphScope: "layers" },
    "24.71 s; nsys GPU-active union 22.82 s (moe-comm-overlap SKILL.md)",
  ],
  [
    "HybridEP, router+preprocess graphs, EP overlap",
    {
      ...bf16,
      moeDispatcher: "hybridep",
      moeOverlap: "dualpipe",
      cudaGraphs: true,
      cudaGraphScope: "layers",
    },
    "20.99 s; GPU-active union 21.22 s",
  ],
  ["mb2606 as entered (FP8 current scaling, HybridEP, eager)", inp.training, "29.70 s (26.06 table)"],
];

const noHost = { ...inp.system, chip: { ...inp.system.chip, hostOpTimeRelative: 0 } };
const noLaunch = { launchS: { eager: 0, graph: 0, gemmEager: 0 }, expertGemmHostS: 0 };
const ms = (s: number) => (s * 1e3).toFixed(2);

for (const [name, training, measured] of VARIANTS) {
  const e = estimateTraining(inp.system, inp.model, training);
  const dev = estimateTraining(noHost, inp.model, training, noLaunch);
  const p = prepareTraining(inp.system, inp.model, training);
  const { t, eff, system } = p;
  const l = layerCosts(p).moe;
  if (!l) throw new Error("no MoE layer");
  // One MoE layer's forward host time as stage.ts sums it (static part, then the routed part after the sync).
  const rel = system.chip.hostOpTimeRelative;
  const launch = t.cudaGraphs ? eff.launchS.graph : eff.launchS.eager * rel;
  const dynLaunch = t.graphsCoverExperts ? launch : eff.launchS.eager * rel;
  const gemmX = rel * Math.max(0, eff.launchS.gemmEager - eff.launchS.eager);
  const staticGemmX = t.cudaGraphs ? 0 : gemmX;
  const dynGemmX = t.graphsCoverExperts ? staticGemmX : gemmX;
  const expertH = t.graphsCoverExperts ? 0 : rel * (eff.expertGemmHostS ?? 0);
  const router = routerPreprocessHostS(
    t.framework.routerHostS,
    t.moeDispatcher,
    t.cudaGraphs,
    t.framework.routerKernels,
    eff.launchS.eager,
    rel,
  );
  const routedHostF =
    l.dynamicKernelsF * dynLaunch +
    l.dynamicGemmsF * dynGemmX +
    l.expertCallsF * expertH +
    l.expertAllocsF * splitAllocHostS(rel, t.graphsCoverExperts);
  const staticHostF =
    (l.kernelsF - l.dynamicKernelsF) * launch +
    (l.gemmsF - l.dynamicGemmsF) * staticGemmX +
    l.routerPassesF * router;
  const devF = l.gemmF + l.attnF + l.memF;
  console.log(`${name}\n  measured ${measured}`);
  console.log(
    `  model ${e.stepTimeS.toFixed(2)} s (device-only ${dev.stepTimeS.toFixed(2)} s; compute ${e.breakdownS.computeS.toFixed(2)}, exposed EP ${e.breakdownS.epCommS.toFixed(2)})`,
  );
  console.log(
    `  per MoE layer and micro-batch, ms: forward host static ${ms(staticHostF)} routed ${ms(routedHostF)}; forward device static ${ms(devF - l.dynamicDeviceF)} routed ${ms(l.dynamicDeviceF)}; exchange F/B ${ms(l.epF)}/${ms(l.epB)}; kernels F+B ${l.kernelsF + l.kernelsB}`,
  );
}
