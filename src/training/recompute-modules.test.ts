// Megatron-Core recompute_modules: "selective" is exactly ["core_attn"]; more modules rerun more forward work in the backward and keep fewer activations; a bad name is a clear error.
import { describe, expect, it } from "vitest";
import { mlperfDeepSeekV3Job } from "../../test/fixtures/jobs.js";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { formatPath, ZettasimError } from "../core/errors.js";
import { loadScenarioText } from "../scenario/load.js";
import type { TrainingConfig } from "../schema/training.js";
import { estimateTraining } from "./estimate.js";
import { RECOMPUTE_MODULES, type RecomputeModule, recomputeModuleMask } from "./recompute-modules.js";

const sys = dgxB200(256);
const dsv3 = resolveModel("deepseek-v3");
const job: TrainingConfig = { ...mlperfDeepSeekV3Job(1024), recompute: undefined };
const run = (m: readonly RecomputeModule[] | undefined, extra: Partial<TrainingConfig> = {}) =>
  estimateTraining(sys, dsv3, { ...job, ...extra, recompute: "selective", recomputeModules: m ? [...m] : m });

describe("recomputeModules", () => {
  it("selective is exactly ['core_attn'] (step time, FLOPs and memory bit for bit)", () => {
    for (const model of [dsv3, qwen3MoeA3b(48)]) {
      const a = estimateTraining(sys, model, { ...job, recompute: "selective" });
      const b = estimateTraining(sys, model, {
        ...job,
        recompute: "selective",
        recomputeModules: ["core_attn"],
      });
      expect(b.stepTimeS).toBe(a.stepTimeS);
      expect(b.hardwareFlopsPerStep).toBe(a.hardwareFlopsPerStep);
      expect(b.memoryPerChipBytes).toBe(a.memoryPerChipBytes);
      expect(b.breakdownS.recomputeS).toBe(a.breakdownS.recomputeS);
    }
  });

  it("adding modules reruns more forward work in the backward and keeps fewer activations (monotone)", () => {
    const lists: RecomputeModule[][] = [
      [],
      ["mla_up_proj"],
      ["mla_up_proj", "moe_act"],
      ["mla_up_proj", "moe_act", "layernorm"],
      ["mla_up_proj", "moe_act", "layernorm", "shared_experts"],
      ["mla_up_proj", "moe_act", "layernorm", "shared_experts", "mlp"],
      ["mla_up_proj", "moe_act", "layernorm", "shared_experts", "mlp", "moe"],
      [...RECOMPUTE_MODULES],
    ];
    let prev = run(lists[0]);
    expect(prev.breakdownS.recomputeS).toBe(0);
    for (const l of lists.slice(1)) {
      const e = run(l);
      expect(e.breakdownS.recomputeS).toBeGreaterThanOrEqual(prev.breakdownS.recomputeS);
      expect(e.hardwareFlopsPerStep).toBeGreaterThanOrEqual(prev.hardwareFlopsPerStep);
      expect(e.memoryBreakdownBytes.activationsBytes).toBeLessThanOrEqual(
        prev.memoryBreakdownBytes.activationsBytes,
      );
      prev = e;
    }
    // Each of these strictly: MLA's up-projections are GEMMs (FLOPs), MoE's activation frees its outputs.
    const none = run([]);
    const up = run(["mla_up_proj"]);
    expect(up.hardwareFlopsPerStep).toBeGreaterThan(none.hardwareFlopsPerStep);
    expect(up.memoryBreakdownBytes.activationsBytes).toBeLessThan(none.memoryBreakdownBytes.activationsBytes);
    const act = run(["moe_act"]);
    expect(act.breakdownS.recomputeS).toBeGreaterThan(0);
    expect(act.memoryBreakdownBytes.activationsBytes).toBeLessThan(
      none.memoryBreakdownBytes.activationsBytes,
    );
    // The whole list stays below a full recompute's rerun and above none's activations saving.
    const full = estimateTraining(sys, dsv3, { ...job, recompute: "full" });
    expect(full.memoryBreakdownBytes.activationsBytes).toBeLessThan(
      prev.memoryBreakdownBytes.activationsBytes,
    );
  });

  it("the mask has one bit per module", () => {
    expect(recomputeModuleMask([])).toBe(0);
    expect(recomputeModuleMask([...RECOMPUTE_MODULES])).toBe(127);
    expect(recomputeModuleMask(["core_attn", "core_attn"])).toBe(1);
  });

  it("a bad module name is an error naming the field, the value and the allowed names", () => {
    const text = [
      "system: atlas-950-superpod",
      "model: deepseek-v3",
      "training: { seqLength: 4096, globalBatchSize: 64, recomputeModules: [core_attn, attention] }",
    ].join("\n");
    let message = "";
    try {
      loadScenarioText(text, "bad.yaml");
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
      message = e.message;
      expect(formatPath(e.issues[0].path)).toBe("training.recomputeModules[1]");
    }
    expect(message).toContain("training.recomputeModules");
    expect(message).toContain("attention");
    for (const name of RECOMPUTE_MODULES) expect(message).toContain(name);
  });

  it("a module list with recompute none or full is refused, naming the field (it would be ignored)", () => {
    for (const mode of ["none", "full"] as const) {
      let err: unknown;
      try {
        estimateTraining(sys, dsv3, { ...job, recompute: mode, recomputeModules: ["mla_up_proj"] });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ZettasimError);
      const e = err as ZettasimError;
      expect(formatPath(e.issues[0].path)).toBe("training.recomputeModules");
      expect(e.message).toContain(mode);
    }
    // A list alone means selective recompute.
    const alone = estimateTraining(sys, dsv3, { ...job, recomputeModules: ["core_attn"] });
    expect(alone.stepTimeS).toBe(estimateTraining(sys, dsv3, { ...job, recompute: "selective" }).stepTimeS);
  });
});
