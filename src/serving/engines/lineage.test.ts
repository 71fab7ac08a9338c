// Engine lineage: derived engines inherit their ancestors' family figures unless withheld; custom scenario engines keep the lineage; bad chains are refused.
import { describe, expect, it } from "vitest";
import { withheld } from "../../catalog/families/engine-figures.js";
import { chipFamily } from "../../catalog/families/index.js";
import { MLA_MODULE_H200_VLLM } from "../../catalog/families/mla-module-tables.js";
import { HOPPER_VLLM_TP_ALLREDUCE } from "../../catalog/families/tp-allreduce-tables.js";
import type { ChipFamily } from "../../catalog/families/types.js";
import { resolveChip } from "../../catalog/resolve.js";
import { ZettasimError } from "../../core/errors.js";
import { loadScenarioText } from "../../scenario/load.js";
import { servingPlan } from "../config.js";
import { efficiencyFor, familyServing } from "../efficiency.js";
import { deriveEngine, engineIds, engineLineage, servingEngine } from "./index.js";
import { resolveLineage } from "./lineage.js";
import { VLLM } from "./vllm.js";

const h100 = resolveChip("h100-sxm");
/** A release profile the registry does not know, derived from vLLM with no family entry of its own. */
const vllmNext = deriveEngine(VLLM, { id: "vllm-next", name: "vLLM next", source: "test" });

describe("engine lineage", () => {
  it("lists each registered engine and its ancestors, most specific first, as the profiles spread each other", () => {
    expect(engineLineage(servingEngine("vllm-ascend-0.9"))).toEqual(["vllm-ascend-0.9", "vllm-0.10", "vllm"]);
    expect(engineLineage(servingEngine("trtllm-0.8"))).toEqual(["trtllm-0.8", "trtllm-2023", "trtllm"]);
    expect(engineLineage(servingEngine("vllm-v0"))).toEqual(["vllm-v0", "vllm"]);
    expect(engineLineage(servingEngine("sglang"))).toEqual(["sglang"]);
    for (const id of engineIds) expect(engineLineage(servingEngine(id))[0]).toBe(servingEngine(id).id);
  });

  it("gives a derived engine without an entry of its own its parent's family figures", () => {
    // vLLM's measured all-reduce and MLA module reach a new release derived from vllm without a Hopper entry for it.
    const next = efficiencyFor(h100, undefined, vllmNext);
    expect(next.tpAllReduceCall).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    expect(next.mlaDecodeModule).toBe(MLA_MODULE_H200_VLLM);
    expect(next).toEqual(efficiencyFor(h100, undefined, "vllm"));
    // vllm-ascend-0.9 (no entry) takes vllm-0.10's figures: vllm's all-reduce, the module withheld there.
    const ascend = efficiencyFor(h100, undefined, "vllm-ascend-0.9");
    expect(ascend.tpAllReduceCall).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    expect(ascend.mlaDecodeModule).toBeUndefined();
    // Without any entry in the lineage the family's own profile stands.
    expect(efficiencyFor(resolveChip("h20"), undefined, "mindie")).toBe(chipFamily("hopper").serving);
  });

  it("lets a family withhold an ancestor's figure from a derived release in its own entry", () => {
    expect(efficiencyFor(h100, undefined, "vllm").mlaDecodeModule).toBe(MLA_MODULE_H200_VLLM);
    expect(efficiencyFor(h100, undefined, "vllm-0.10").mlaDecodeModule).toBeUndefined();
    expect(efficiencyFor(h100, undefined, "vllm-0.10").tpAllReduceCall).toBe(HOPPER_VLLM_TP_ALLREDUCE);
    expect(efficiencyFor(h100, undefined, "trtllm").allReduceNormFusion).toBe("moe");
    expect(efficiencyFor(h100, undefined, "trtllm-pytorch-0.17").allReduceNormFusion).toBeUndefined();
    // The 2023 TensorRT backend and v0.8 after it keep none of the torch-flow figures: the family's own profile.
    const hopper = chipFamily("hopper");
    expect(familyServing(hopper, engineLineage(servingEngine("trtllm-0.8")))).toEqual(hopper.serving);
    // A withheld field the family's own profile gives falls back to that figure, not to nothing; the withholding
    // reaches the withholding engine's descendants, and an ancestor's siblings keep the figure.
    const cdna = chipFamily("cdna");
    const fam: ChipFamily = {
      ...cdna,
      servingByEngine: { vllm: { allReduceFixedS: 5e-6 }, "vllm-0.10": withheld("allReduceFixedS") },
    };
    expect(fam.serving.allReduceFixedS).not.toBe(5e-6);
    expect(familyServing(fam, ["vllm"]).allReduceFixedS).toBe(5e-6);
    expect(familyServing(fam, ["vllm-v0", "vllm"]).allReduceFixedS).toBe(5e-6);
    expect(familyServing(fam, ["vllm-0.10", "vllm"]).allReduceFixedS).toBe(fam.serving.allReduceFixedS);
    expect(familyServing(fam, ["vllm-ascend-0.9", "vllm-0.10", "vllm"]).allReduceFixedS).toBe(
      fam.serving.allReduceFixedS,
    );
  });

  it("refuses a parent chain with a cycle or an unknown parent, naming the field", () => {
    const table: Record<string, { id: string; parent?: string }> = {
      a: { id: "a", parent: "b" },
      b: { id: "b", parent: "a" },
    };
    const lookup = (id: string) => table[id];
    expect(() => resolveLineage({ id: "c", parent: "a" }, lookup)).toThrow(ZettasimError);
    expect(() => resolveLineage({ id: "c", parent: "a" }, lookup)).toThrow(/cycle \(c -> a -> b -> a\)/);
    expect(() => resolveLineage({ id: "a", parent: "a" }, lookup)).toThrow(/cycle/);
    expect(() => engineLineage({ id: "mine", parent: "vllm-9" })).toThrow(ZettasimError);
    expect(() => engineLineage({ id: "mine", parent: "vllm-9" })).toThrow(/serving\.engine\.parent.*vllm-9/s);
    expect(() => efficiencyFor(h100, undefined, { id: "mine", parent: "vllm-9" })).toThrow(ZettasimError);
  });
});

describe("a scenario's custom engine", () => {
  const scenario = (engine: string) =>
    loadScenarioText(
      `name: custom engine
system: dgx-h100-superpod
model: deepseek-v3
serving:
  mode: colocated
  precision: fp8
  kvCache: bf16
  engine: ${engine}
  colocated: { instances: 1, instanceChips: 16, tp: 16, chunkTokens: 512, maxBatchPerRank: 64 }
  workload:
    arrival: { kind: poisson, ratePerS: 1 }
    requests: 10
    inputTokens: { kind: fixed, tokens: 1000 }
    outputTokens: { kind: fixed, tokens: 100 }
`,
      "custom.yaml",
    );
  const pool = (engine: string) => {
    const p = servingPlan(scenario(engine)).pools[0];
    if (p === undefined) throw new Error("no pool");
    return p;
  };

  it("extending vllm keeps vllm's lineage and gets vllm's family figures, with its own host figures", () => {
    const custom = pool("{ extends: vllm, id: my-vllm, hostStepS: 0.002 }");
    expect(custom.cost.engine.id).toBe("my-vllm");
    expect(custom.cost.engine.hostStepS).toBe(0.002);
    expect(engineLineage(custom.cost.engine)).toEqual(["my-vllm", "vllm"]);
    expect(custom.cost.eff.mlaDecodeModule).toBe(MLA_MODULE_H200_VLLM);
    expect(custom.cost.eff).toEqual(pool("vllm").cost.eff);
    // Extending vllm-0.10 inherits its withholding too.
    expect(pool("{ extends: vllm-0.10, id: my-v10 }").cost.eff.mlaDecodeModule).toBeUndefined();
  });

  it("refuses a built-in id as its name and an unknown built-in to extend", () => {
    expect(() => pool("{ extends: vllm, id: sglang }")).toThrow(/serving\.engine\.id/);
    expect(() => pool("{ extends: vllm, id: vllm }")).toThrow(ZettasimError);
    expect(() => pool("{ extends: vllm-9, id: mine }")).toThrow(ZettasimError);
  });
});
