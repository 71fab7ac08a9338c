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
      fc.assert(
        fc.property(fc.integer({ min: 0, max: groups.length - 1 }), (gi) => {
          const g = groups[gi];
          const tail = ps.space.tails[g.tail];
          const run = tail.map((c) => {
            const prep = prepareTraining(p.system, p.model, ps.space.trainingConfig(g, c));
            const a = analyze(prep);
            return { c, a, mem: analysisMemoryBytes(a) };
          });
          const probes = ps.probes(g);
          // Compute floor of the group (bound phase): no layout's step is below it.
          let timeFloor = 0;
          const memFloor = new Map<number, number>();
          for (const { zero, index } of probes) {
            const { a, mem } = run[index];
            timeFloor = Math.max(timeFloor, computeFloor(a, g.microBatches, false));
            memFloor.set(zero, Math.min(memFloor.get(zero) ?? Number.POSITIVE_INFINITY, mem));
          }
          for (const { c, a, mem } of run) {
            expect(a.stepTimeS).toBeGreaterThanOrEqual(timeFloor);
            // Memory floor per ZeRO stage (where stages coincide, the first stage's floor holds for all).
            const f = memFloor.get(g.hasDp ? c.zero : ps.space.d.zero[0]);
            expect(f).toBeDefined();
            expect(mem).toBeGreaterThanOrEqual(f ?? 0);
            checked++;
          }
          // Recompute floor from a layout without EP overlap holds for every layout with that recompute.
          const rFloor = new Map<string, number>();
          const rMin = new Map<string, number>();
          // A block (recompute, schedule, TP and EP overlap) shares one pipeline time, below every step;
          // overlap never changes memory; without data-parallel traffic every ZeRO stage is the same layout.
          const block = new Map<string, { pipelineS: number; stepTimeS: number; mem: Map<number, number> }>();
          for (const { c, a, mem } of run) {
            if (!(g.ep > 1 && c.overlap.epComm)) {
              rFloor.set(
                c.recompute,
                Math.max(rFloor.get(c.recompute) ?? 0, computeFloor(a, g.microBatches, true)),
              );
            }
            rMin.set(c.recompute, Math.min(rMin.get(c.recompute) ?? Number.POSITIVE_INFINITY, a.stepTimeS));
            const key = `${c.recompute}/${c.sched}/${c.overlap.tpComm}/${c.overlap.epComm}`;
            const b = block.get(key);
            if (!b) {
              block.set(key, {
                pipelineS: a.pipelineS,
                stepTimeS: a.stepTimeS,
                mem: new Map([[c.zero, mem]]),
              });
              continue;
            }
            expect(a.pipelineS).toBe(b.pipelineS);
            expect(a.stepTimeS).toBeGreaterThanOrEqual(b.pipelineS);
            if (!g.hasDp) expect(a.stepTimeS).toBe(b.stepTimeS);
            const m = b.mem.get(c.zero);
            if (m !== undefined) expect(mem).toBe(m);
            else b.mem.set(c.zero, mem);
            if (!g.hasDp) expect(mem).toBe([...b.mem.values()][0]);
          }
          for (const [r, f] of rFloor) expect(rMin.get(r)).toBeGreaterThanOrEqual(f);
          // Memory is the same for every block with the same (recompute, schedule, ZeRO): the search's
          // over-memory memo relies on it.
          const byTriple = new Map<string, number>();
          for (const { c, mem } of run) {
            const key = `${c.recompute}/${c.sched}/${c.zero}`;
            const m = byTriple.get(key);
            if (m === undefined) byTriple.set(key, mem);
            else expect(mem).toBe(m);
          }
        }),
        { numRuns: 15, seed: 3 },
      );
      expect(checked).toBeGreaterThan(200);
    });
  }
});
