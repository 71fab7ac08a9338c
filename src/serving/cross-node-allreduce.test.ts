// A TP all-reduce across nodes runs NCCL: the Hopper point against its data file, the lookup's scope, error paths, and the step's charge.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../test/fixtures/serving.js";
import { HOPPER_NCCL_ALLREDUCE_ACROSS_NODES } from "../catalog/families/hopper.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import { InstanceCost } from "./cost.js";
import { crossNodeAllReduceFixedS, crossNodeAllReducePointProblem } from "./cross-node-allreduce.js";
import { efficiencyFor } from "./efficiency.js";
import { servingEngine } from "./engines/index.js";

const data = JSON.parse(
  readFileSync(
    new URL("../../data/kernels/nccl-allreduce-across-nodes-published.json", import.meta.url),
    "utf8",
  ),
) as {
  sections: Record<
    string,
    { nodes: number; gpusPerNode: number; rows: { bytes: number; us: number }[]; derived: { fixedS: number } }
  >;
};

describe("the Hopper cross-node NCCL all-reduce point", () => {
  const s = data.sections.h20_2x8_ib_ndr_nvlstree;
  it("is the median of the data file's rows (16 H20 over two nodes: 46.6 us), a sound point", () => {
    const us = s.rows.map((r) => r.us).sort((a, b) => a - b);
    const median = (us[us.length / 2 - 1] + us[us.length / 2]) / 2;
    expect(median).toBeCloseTo(46.615, 3);
    const [p] = HOPPER_NCCL_ALLREDUCE_ACROSS_NODES;
    expect(HOPPER_NCCL_ALLREDUCE_ACROSS_NODES.length).toBe(1);
    expect(p.fixedS).toBeCloseTo(median * 1e-6, 7);
    expect(p.fixedS).toBe(s.derived.fixedS);
    expect([p.nodes, p.ranksPerNode]).toEqual([s.nodes, s.gpusPerNode]);
    expect(crossNodeAllReducePointProblem(p)).toBeUndefined();
  });
  it("is flat over the measured sizes (latency-bound: every row within 3% of the median)", () => {
    for (const r of s.rows) expect(Math.abs(r.us / 46.615 - 1)).toBeLessThan(0.03);
  });
  it("is about three times NCCL's call inside one node of 8 (16.0 us on H200) and nine the engines' custom call", () => {
    const fixed = HOPPER_NCCL_ALLREDUCE_ACROSS_NODES[0].fixedS;
    expect(fixed / 16.04e-6).toBeGreaterThan(2.5);
    expect(fixed / 5.1e-6).toBeGreaterThan(8);
  });
  it("reaches every Hopper engine profile, being NCCL's, not an engine's", () => {
    const h100 = resolveSystem("dgx-h100-superpod").chip;
    for (const e of ["vllm", "vllm-0.10", "sglang", "trtllm"])
      expect(efficiencyFor(h100, undefined, e).ncclAllReduceAcrossNodes).toBe(
        HOPPER_NCCL_ALLREDUCE_ACROSS_NODES,
      );
  });
});

describe("crossNodeAllReduceFixedS", () => {
  const pts = HOPPER_NCCL_ALLREDUCE_ACROSS_NODES;
  it("gives the point for a group that fills exactly its nodes, and nothing otherwise", () => {
    expect(crossNodeAllReduceFixedS(pts, 16, 8)).toBe(46.6e-6);
    expect(crossNodeAllReduceFixedS(pts, 8, 8)).toBeUndefined(); // one node: the engine's custom call
    expect(crossNodeAllReduceFixedS(pts, 4, 8)).toBeUndefined();
    expect(crossNodeAllReduceFixedS(pts, 32, 8)).toBeUndefined(); // four nodes: not measured
    expect(crossNodeAllReduceFixedS(pts, 16, 4)).toBeUndefined(); // four nodes of 4: not measured
    expect(crossNodeAllReduceFixedS(pts, 12, 8)).toBeUndefined(); // uneven
    expect(crossNodeAllReduceFixedS(undefined, 16, 8)).toBeUndefined();
  });
  it("names a bad group, a bad node size and a malformed point", () => {
    expect(() => crossNodeAllReduceFixedS(pts, 0, 8)).toThrow(ZettasimError);
    expect(() => crossNodeAllReduceFixedS(pts, 1.5, 8)).toThrow(/ncclAllReduceAcrossNodes\.tp/);
    expect(() => crossNodeAllReduceFixedS(pts, 16, 0)).toThrow(/ncclAllReduceAcrossNodes\.ranksPerNode/);
    const bad = [{ ...pts[0], fixedS: Number.NaN }];
    expect(() => crossNodeAllReduceFixedS(bad, 16, 8)).toThrow(/ncclAllReduceAcrossNodes\[0\]: fixedS/);
    expect(crossNodeAllReducePointProblem({ ...pts[0], nodes: 1 })).toMatch(/nodes/);
    expect(crossNodeAllReducePointProblem({ ...pts[0], ranksPerNode: 0 })).toMatch(/ranksPerNode/);
    expect(crossNodeAllReducePointProblem({ ...pts[0], source: "" })).toMatch(/source/);
  });
});

describe("a DeepSeek-V3 decode step on DGX H100 nodes (NVLink 8, InfiniBand between)", () => {
  const model = resolveModel("deepseek-v3");
  const system = resolveSystem("dgx-h100-superpod");
  const opts = {
    ...costOptions({ precision: "fp8" }),
    engine: servingEngine("vllm-0.10"),
    twoBatchOverlap: false,
  };
  const commS = (tp: number, seqs: number, across: boolean) =>
    new InstanceCost(
      model,
      system,
      { chips: tp, tp, attentionDp: 1, ep: 1 },
      opts,
      across ? {} : { ncclAllReduceAcrossNodes: undefined },
    ).step(decodeOnlyLoad(seqs, 1500), seqs).commS;
  it("charges NCCL's 46.6 us in place of the fixed part for each of the two all-reduces per layer at TP 16", () => {
    const eff = efficiencyFor(system.chip, undefined, "vllm-0.10");
    const ib = system.tiers[1];
    const formulaFixed = eff.allReduceFixedS + ib.latencyS + ib.protocol.staticLatencyS;
    for (const seqs of [1, 32]) {
      const extra = commS(16, seqs, true) - commS(16, seqs, false);
      expect(extra).toBeCloseTo(2 * model.layers * (46.6e-6 - formulaFixed), 9);
    }
    expect(commS(16, 1, true) - commS(16, 1, false)).toBeGreaterThan(2 * model.layers * 30e-6);
  });
  it("leaves a TP group inside one node, and an unmeasured four-node group, as they were", () => {
    for (const seqs of [1, 32]) {
      expect(commS(8, seqs, true)).toBe(commS(8, seqs, false));
      expect(commS(32, seqs, true)).toBe(commS(32, seqs, false));
    }
  });
});
