// The engines' measured TP all-reduce calls on Hopper: the tables against aiconfigurator's rows, the interpolation, and the charge in a step.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, decodeOnlyLoad, deviceOnlyEngine } from "../../test/fixtures/serving.js";
import { chipFamily } from "../catalog/families/index.js";
import {
  HOPPER_SGLANG_TP_ALLREDUCE,
  HOPPER_TRTLLM_TP_ALLREDUCE,
  HOPPER_VLLM_TP_ALLREDUCE,
} from "../catalog/families/tp-allreduce-tables.js";
import type { TpAllReduceCallTable } from "../catalog/families/types.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { InstanceCost, type RankLoad } from "./cost.js";
import { efficiencyFor } from "./efficiency.js";
import { tableAllReduceS, tpAllReduceTableProblem } from "./tp-allreduce-table.js";

interface Row {
  gpus: number;
  messageElements: number;
  latencyMs: number;
}
const data = JSON.parse(readFileSync("data/kernels/tp-allreduce-aiconfigurator-2026.json", "utf8"))
  .sections as Record<string, { rows: Row[] }>;

const TABLES: [string, TpAllReduceCallTable][] = [
  ["h100_sglang", HOPPER_SGLANG_TP_ALLREDUCE],
  ["h100_vllm", HOPPER_VLLM_TP_ALLREDUCE],
  ["h100_trtllm", HOPPER_TRTLLM_TP_ALLREDUCE],
];

describe("the Hopper all-reduce tables", () => {
  it("hold aiconfigurator's rows exactly (bf16 elements x 2 bytes, ms -> s), every group and size", () => {
    for (const [section, t] of TABLES) {
      const rows = data[section].rows;
      expect(rows.length).toBe(48);
      for (const r of rows) {
        const i = t.bytes.indexOf(r.messageElements * 2);
        expect(i).toBeGreaterThanOrEqual(0);
        expect(t.secondsByGroup[r.gpus][i]).toBeCloseTo(r.latencyMs * 1e-3, 12);
      }
      expect(tpAllReduceTableProblem(t)).toBeUndefined();
    }
  });
  it("are what the Hopper family gives each engine, and no other family or engine carries one", () => {
    const h100 = resolveSystem({ extends: "dgx-h100-superpod", chips: 8 }).chip;
    expect(efficiencyFor(h100, undefined, "sglang").tpAllReduceCall).toBe(HOPPER_SGLANG_TP_ALLREDUCE);
    // TensorRT-LLM's PyTorch backend of 0.17 shares the TensorRT-LLM profile and so its table (docs/serving.md).
    for (const e of ["trtllm", "trtllm-pytorch-0.17"])
      expect(efficiencyFor(h100, undefined, e).tpAllReduceCall).toBe(HOPPER_TRTLLM_TP_ALLREDUCE);
    for (const e of ["vllm", "vllm-0.10", "vllm-v0"])
      expect(efficiencyFor(h100, undefined, e).tpAllReduceCall).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    // TensorRT-LLM's 2023-2024 TensorRT backends, the generic engine and the engines without a table keep the ring formula.
    for (const e of ["trtllm-2023", "trtllm-0.8", "generic", "sglang-jax", "mindie", "other"])
      expect(efficiencyFor(h100, undefined, e).tpAllReduceCall).toBeUndefined();
    expect(chipFamily("blackwell").serving.tpAllReduceCall).toBeUndefined();
  });
  it("show mid-sized messages far below the link: 8 GPUs at 2 MB take 19-36 us, at 16 KB 5-6 us", () => {
    const at = (t: TpAllReduceCallTable, bytes: number) => t.secondsByGroup[8][t.bytes.indexOf(bytes)];
    for (const [, t] of TABLES) {
      expect(at(t, 2 ** 21)).toBeGreaterThan(19e-6);
      expect(at(t, 2 ** 21)).toBeLessThan(36e-6);
      expect(at(t, 2 ** 14)).toBeLessThan(6e-6);
    }
  });
});

describe("tableAllReduceS", () => {
  const t: TpAllReduceCallTable = {
    bytes: [1e3, 1e4, 1e5],
    secondsByGroup: { 8: [4e-6, 8e-6, 40e-6] },
    source: "test",
  };
  it("returns the grid points, interpolates log-log between them and rises monotonically", () => {
    expect(tableAllReduceS(t, 8, 1e4)).toBeCloseTo(8e-6, 15);
    // Half way in log bytes: the geometric mean of the two times.
    expect(tableAllReduceS(t, 8, Math.sqrt(1e4 * 1e5))).toBeCloseTo(Math.sqrt(8e-6 * 40e-6), 15);
    let last = 0;
    for (let b = 500; b < 3e5; b *= 1.3) {
      const s = tableAllReduceS(t, 8, b) as number;
      expect(s).toBeGreaterThanOrEqual(last);
      last = s;
    }
  });
  it("keeps the smallest call below the grid and extends the last interval's bandwidth past it", () => {
    expect(tableAllReduceS(t, 8, 10)).toBe(4e-6);
    const perByte = (40e-6 - 8e-6) / (1e5 - 1e4);
    expect(tableAllReduceS(t, 8, 3e5)).toBeCloseTo(40e-6 + 2e5 * perByte, 15);
  });
  it("has nothing to say without a table, a row for the group, or bytes", () => {
    expect(tableAllReduceS(undefined, 8, 1e4)).toBeUndefined();
    expect(tableAllReduceS(t, 16, 1e4)).toBeUndefined();
    expect(tableAllReduceS(t, 8, 0)).toBeUndefined();
  });
  it("names what is wrong with a malformed table", () => {
    const bad = (over: Partial<TpAllReduceCallTable>) => tpAllReduceTableProblem({ ...t, ...over });
    expect(bad({ bytes: [1e3] })).toMatch(/at least two/);
    expect(bad({ bytes: [1e3, 1e3, 1e5] })).toMatch(/increase/);
    expect(bad({ bytes: [-1, 1e4, 1e5] })).toMatch(/positive/);
    expect(bad({ secondsByGroup: {} })).toMatch(/at least one group/);
    expect(bad({ secondsByGroup: { 8: [1e-6, 2e-6] } })).toMatch(/3 times/);
    expect(bad({ secondsByGroup: { 1: [1e-6, 2e-6, 3e-6] } })).toMatch(/integer >= 2/);
    expect(bad({ secondsByGroup: { 8: [1e-6, Number.NaN, 3e-6] } })).toMatch(/positive number/);
  });
});

describe("in a TP 8 decode step of Llama 3 70B on 8 H100s", () => {
  const model = resolveModel("llama3-70b");
  const system = resolveSystem({ extends: "dgx-h100-superpod", chips: 8 });
  const layout = { chips: 8, tp: 8, attentionDp: 1, ep: 1 };
  const load = (seqs: number): RankLoad => decodeOnlyLoad(seqs, 1152);
  const comm = (engine: string, seqs: number, table?: TpAllReduceCallTable | null) =>
    new InstanceCost(
      model,
      system,
      layout,
      costOptions({ precision: "fp8", engine: deviceOnlyEngine(engine) }),
      table === undefined ? undefined : { tpAllReduceCall: table ?? undefined },
    ).step(load(seqs), seqs).commS;
  it("charges TensorRT-LLM's measured 35.5 us per all-reduce at 128 sequences (2 MB), about twice the ring formula", () => {
    const ring = comm("trtllm", 128, null);
    const measured = comm("trtllm", 128);
    // 160 all-reduces (two per layer) of 128 x 8,192 bf16 elements, and (2026-12-03) the step's logits gather
    // (logits-gather.ts): 7/8 of 128 x 128,256 bf16 logits (28.7 MB) over NVLink plus Hopper's 8-rank gather line
    // (13.4 us), between its bytes at the full 450 GB/s and at half of it.
    const allReduces = 160 * HOPPER_TRTLLM_TP_ALLREDUCE.secondsByGroup[8][10];
    const gatherBytes = (7 / 8) * 128 * 128_256 * 2;
    const line = 4.74e-6 + 7 * 1.237e-6;
    expect(measured - allReduces).toBeGreaterThan(line + gatherBytes / 450e9);
    expect(measured - allReduces).toBeLessThan(line + gatherBytes / 225e9);
    expect(measured / ring).toBeGreaterThan(1.8);
  });
  it("leaves a batch-1 step on the formula where the formula is the longer (16 KB messages)", () => {
    for (const e of ["sglang", "vllm", "trtllm"]) expect(comm(e, 1)).toBe(comm(e, 1, null));
  });
  it("grows with the batch, and more than the formula does", () => {
    const growth = (t?: null) => comm("sglang", 128, t) - comm("sglang", 8, t);
    expect(growth()).toBeGreaterThan(growth(null));
    expect(comm("sglang", 64)).toBeGreaterThan(comm("sglang", 32));
  });
});
