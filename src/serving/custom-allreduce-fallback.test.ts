// The custom all-reduce's 16-byte rule and its NCCL fallback: the tables against the data file, the rule, engine scoping, the step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad } from "../../test/fixtures/serving.js";
import {
  BLACKWELL_NCCL_ALLREDUCE,
  HOPPER_NCCL_ALLREDUCE,
} from "../catalog/families/nccl-allreduce-tables.js";
import { HOPPER_VLLM_TP_ALLREDUCE } from "../catalog/families/tp-allreduce-tables.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { ModelConfig } from "../schema/model.js";
import { InstanceCost } from "./cost.js";
import { allReduceCallTable, customAllReduceRefuses } from "./custom-allreduce-fallback.js";
import { efficiencyFor } from "./efficiency.js";
import { servingEngine } from "./engines/index.js";
import { tableAllReduceS, tpAllReduceTableProblem } from "./tp-allreduce-table.js";

const data = JSON.parse(
  readFileSync(new URL("../../data/kernels/nccl-small-allreduce-published.json", import.meta.url), "utf8"),
) as { sections: Record<string, { rows: { gpus: number; messageElements: number; us: number }[] }> };

describe("the NCCL all-reduce tables", () => {
  it("are the data file's rows (half elements as bytes, us as s), sound as call tables", () => {
    for (const [chip, t] of [
      ["h200", HOPPER_NCCL_ALLREDUCE],
      ["b200", BLACKWELL_NCCL_ALLREDUCE],
    ] as const) {
      expect(tpAllReduceTableProblem(t)).toBeUndefined();
      const rows = data.sections[chip].rows;
      for (const r of rows) {
        const i = t.bytes.indexOf(2 * r.messageElements);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(t.secondsByGroup[r.gpus][i]).toBeCloseTo(r.us * 1e-6, 12);
      }
      expect(rows.length).toBe(3 * t.bytes.length);
    }
  });
  it("are three to five times the engines' custom call at decode sizes (8 H200: 16.0 against vLLM's 4.6 us)", () => {
    expect(tableAllReduceS(HOPPER_NCCL_ALLREDUCE, 8, 8)).toBeCloseTo(16.04e-6, 12);
    expect(tableAllReduceS(BLACKWELL_NCCL_ALLREDUCE, 4, 8)).toBeCloseTo(15.22e-6, 12);
    const custom = tableAllReduceS(HOPPER_VLLM_TP_ALLREDUCE, 8, 8) as number;
    expect((tableAllReduceS(HOPPER_NCCL_ALLREDUCE, 8, 8) as number) / custom).toBeGreaterThan(3);
  });
  it("reach every Hopper and Blackwell engine profile, being the library's, not an engine's", () => {
    const h100 = resolveSystem("dgx-h100-superpod").chip;
    const gb200 = resolveSystem("gb200-nvl72").chip;
    for (const e of ["vllm", "sglang", "trtllm"]) {
      expect(efficiencyFor(h100, undefined, e).ncclAllReduceCall).toBe(HOPPER_NCCL_ALLREDUCE);
      expect(efficiencyFor(gb200, undefined, e).ncclAllReduceCall).toBe(BLACKWELL_NCCL_ALLREDUCE);
    }
  });
});

describe("customAllReduceRefuses", () => {
  it("refuses a buffer that is not a multiple of the alignment, and nothing without one", () => {
    expect(customAllReduceRefuses(8, 16)).toBe(true);
    expect(customAllReduceRefuses(24, 16)).toBe(true);
    expect(customAllReduceRefuses(16, 16)).toBe(false);
    expect(customAllReduceRefuses(8 * 4096, 16)).toBe(false);
    expect(customAllReduceRefuses(0, 16)).toBe(false);
    expect(customAllReduceRefuses(8, undefined)).toBe(false);
  });
  it("names bad bytes and a bad alignment", () => {
    expect(() => customAllReduceRefuses(Number.NaN, 16)).toThrow(ZettasimError);
    expect(() => customAllReduceRefuses(-1, 16)).toThrow(/customAllReduce\.bytes/);
    expect(() => customAllReduceRefuses(8, 0)).toThrow(/customAllReduce\.alignBytes/);
    expect(() => customAllReduceRefuses(8, 1.5)).toThrow(/customAllReduce\.alignBytes/);
  });
  it("picks the NCCL table only for a refused buffer on a family that gives one", () => {
    expect(allReduceCallTable(8, 16, HOPPER_VLLM_TP_ALLREDUCE, HOPPER_NCCL_ALLREDUCE)).toBe(
      HOPPER_NCCL_ALLREDUCE,
    );
    expect(allReduceCallTable(16, 16, HOPPER_VLLM_TP_ALLREDUCE, HOPPER_NCCL_ALLREDUCE)).toBe(
      HOPPER_VLLM_TP_ALLREDUCE,
    );
    expect(allReduceCallTable(8, 16, HOPPER_VLLM_TP_ALLREDUCE, undefined)).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    expect(allReduceCallTable(8, undefined, undefined, HOPPER_NCCL_ALLREDUCE)).toBeUndefined();
  });
  it("is declared by vLLM (and the releases derived from it) and SGLang, 16 bytes, not by TensorRT-LLM", () => {
    for (const e of ["vllm", "vllm-0.10", "vllm-v0", "sglang"])
      expect(servingEngine(e).customAllReduceAlignBytes).toBe(16);
    expect(servingEngine("trtllm").customAllReduceAlignBytes).toBeUndefined();
  });
});

describe("an across-heads QK norm at one token (8 bytes) in a vLLM step", () => {
  const across: ModelConfig = { ...resolveModel("qwen3-235b-a22b"), qkNormAcrossHeads: true };
  const b200 = resolveSystem("gb200-nvl72");
  const opts = {
    ...costOptions({ precision: "fp8" }),
    engine: servingEngine("vllm"),
    twoBatchOverlap: false,
  };
  const layout = { chips: 4, tp: 4, attentionDp: 1, ep: 1 };
  const commS = (seqs: number, nccl: boolean) =>
    new InstanceCost(across, b200, layout, opts, nccl ? {} : { ncclAllReduceCall: undefined }).step(
      decodeOnlyLoad(seqs, 2000),
      seqs,
    ).commS;
  it("pays NCCL's call per layer where the custom all-reduce would have taken it", () => {
    const extra = commS(1, true) - commS(1, false);
    const nccl = tableAllReduceS(BLACKWELL_NCCL_ALLREDUCE, 4, 8) as number;
    expect(extra).toBeGreaterThan(0);
    // At most the NCCL call less nothing, at least NCCL's call less the ring formula's fixed part and tier latency.
    expect(extra).toBeLessThanOrEqual(across.layers * nccl + 1e-12);
    expect(extra).toBeGreaterThan(across.layers * (nccl - 10e-6));
  });
  it("pays nothing more from two sequences (16 bytes) up", () => {
    for (const seqs of [2, 4, 16]) expect(commS(seqs, true)).toBe(commS(seqs, false));
  });
});
