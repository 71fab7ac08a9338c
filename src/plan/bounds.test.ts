// Every pruning rule of plan train is safe: on random groups, no layout it would exclude beats the bound that excludes it.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { analyze } from "../training/analyze.js";
import { analysisMemoryBytes, prepareTraining } from "../training/estimate.js";
import { computeFloor, PreparedSearch } from "./train-search.js";
import type { TrainProblem } from "./train-space.js";

const problems: [string, TrainProblem][] = [
  [
    "GPT-3 175B on 256 A100 (unfused attention)",
    {
      system: resolveSystem("dgx-a100-superpod"),
      model: resolveModel("gpt3-175b"),
      training: { seqLength: 2048, globalBatchSize: 512 },
      plan: { chips: 256 },
    },
  ],
  [
    "DeepSeek-V3 on 1,024 Atlas 950 NPUs, bf16 and fp8",
    {
      system: resolveSystem("atlas-950-superpod"),
      model: resolveModel("deepseek-v3"),
      training: { seqLength: 4096, globalBatchSize: 1024 },
      plan: { chips: 1024, space: { precision: ["bf16", "fp8"] } },
    },
  ],
  [
    "DeepSeek-V3 on 256 H100: fp8 recipes, MoE dispatchers, EP overlap schemes, CUDA graphs",
    {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("deepseek-v3"),
      training: { seqLength: 4096, globalBatchSize: 512, framework: "megatron-lm" },
      plan: {
        chips: 256,
        space: {
          precision: ["fp8"],
          precisionRecipe: ["fp8-blockwise", "fp8-delayed"],
          moeDispatcher: ["alltoall", "deepep"],
          moeOverlap: ["deepep", "two-batch", "dualpipe"],
          cudaGraphs: [false, true],
          cp: [1],
          microBatchSize: [1],
        },
      },
    },
  ],
  [
    "Mixtral 8x22B on 128 H100, interleaved and DualPipe only",
    {
      system: resolveSystem("dgx-h100-superpod"),
      model: resolveModel("mixtral-8x22b"),
      training: { seqLength: 8192, globalBatchSize: 256 },
      plan: {
        chips: 128,
        space: { schedule: ["interleaved", "dualpipe"], recompute: ["selective", "none"] },
      },
    },
  ],
];

describe("pruning bounds never exclude a better layout", () => {
  for (const [name, p] of problems) {
    it(name, () => {
      const ps = new PreparedSearch(p);
      const groups = ps.space.groups;
      let checked = 0;
      const check = (gi: number) => {
        const g = groups[gi];
        const tail = ps.space.tails[g.tail];
        const run = tail.map((c) => {
          const prep = prepareTraining(p.system, p.model, ps.space.trainingConfig(g, c));
          const a = analyze(prep);
          return { c, a, mem: analysisMemoryBytes(a) };
        });
        const probes = ps.probes(g);
        const searched = ps.searchedVariants(g);
        // Without data-parallel traffic, every ZeRO variant is one layout: the first stands for them.
        const stand = (zv: number) => (searched.includes(zv) ? zv : 0);
        // Compute floor of the group (bound phase): no layout's step is below it.
        let timeFloor = 0;
        const memFloor = new Map<number, number>();
        for (const { zv, index } of probes) {
          const { a, mem } = run[index];
          timeFloor = Math.max(timeFloor, computeFloor(a, g.microBatches, false));
          memFloor.set(zv, Math.min(memFloor.get(zv) ?? Number.POSITIVE_INFINITY, mem));
        }
        for (const { c, a, mem } of run) {
          expect(a.stepTimeS).toBeGreaterThanOrEqual(timeFloor);
          // Memory floor per ZeRO variant.
          const f = memFloor.get(stand(c.zv));
          expect(f).toBeDefined();
          expect(mem).toBeGreaterThanOrEqual(f ?? 0);
          checked++;
        }
        // Symmetry: the layout a skipped ZeRO variant stands for has the same step and memory.
        const byKnobs = new Map<string, { stepTimeS: number; mem: number }>();
        const knobs = (c: (typeof run)[number]["c"], zv: number) =>
          `${c.recompute}/${c.sched}/${c.overlap.tpComm}/${c.overlap.epComm}/${c.moeOverlap}/${c.overlap.dpComm}/${c.off}/${zv}`;
        for (const { c, a, mem } of run)
          if (searched.includes(c.zv)) byKnobs.set(knobs(c, c.zv), { stepTimeS: a.stepTimeS, mem });
        for (const { c, a, mem } of run) {
          if (searched.includes(c.zv)) continue;
          const twin = byKnobs.get(knobs(c, stand(c.zv)));
          expect(twin).toBeDefined();
          expect(a.stepTimeS).toBe(twin?.stepTimeS);
          expect(mem).toBe(twin?.mem);
        }
        // Recompute floor from a layout without EP overlap holds for every layout with that recompute.
        const rFloor = new Map<string, number>();
        const rMin = new Map<string, number>();
        // A block (recompute, schedule, TP and EP overlap) shares one pipeline time, below every step.
        const block = new Map<number, number>();
        for (const { c, a } of run) {
          if (!(g.ep > 1 && c.overlap.epComm)) {
            rFloor.set(
              c.recompute,
              Math.max(rFloor.get(c.recompute) ?? 0, computeFloor(a, g.microBatches, true)),
            );
          }
          rMin.set(c.recompute, Math.min(rMin.get(c.recompute) ?? Number.POSITIVE_INFINITY, a.stepTimeS));
          const b = block.get(c.block);
          if (b === undefined) block.set(c.block, a.pipelineS);
          else expect(a.pipelineS).toBe(b);
          expect(a.stepTimeS).toBeGreaterThanOrEqual(a.pipelineS);
        }
        for (const [r, f] of rFloor) expect(rMin.get(r)).toBeGreaterThanOrEqual(f);
        // One memory figure per (recompute, schedule, ZeRO variant, offload): overlap never changes memory,
        // which the search's over-memory memo relies on.
        const byMem = new Map<number, number>();
        for (const { c, mem } of run) {
          const m = byMem.get(c.mem);
          if (m === undefined) byMem.set(c.mem, mem);
          else expect(mem).toBe(m);
        }
        // Offload only adds time: each layout is no faster than its twin without offload (just before it).
        run.forEach(({ c, a }, i) => {
          if (c.off > 0) expect(a.stepTimeS).toBeGreaterThanOrEqual(run[i - c.off].a.stepTimeS);
        });
      };
      fc.assert(fc.property(fc.integer({ min: 0, max: groups.length - 1 }), check), { numRuns: 15, seed: 3 });
      // Groups without data-parallel traffic (their ZeRO variants settled by symmetry) are rare: two always checked.
      const noDp = groups.flatMap((g, i) => (g.hasDp ? [] : [i]));
      for (const gi of noDp.slice(0, 2)) check(gi);
      expect(checked).toBeGreaterThan(200);
    });
  }
});
