// Host time of Megatron-Core's eager router and dispatch preprocess (router-host.ts): the measured range, what it adds, and where it applies.

import { describe, expect, it } from "vitest";
import { qwen3MoeA3b } from "../../test/fixtures/models.js";
import { eagerStageEnv, NO_STAGE_EXTRA } from "../../test/fixtures/stage.js";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { GRACE_HOST_OP_TIME_RELATIVE } from "../catalog/chips.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { frameworkProfile } from "./frameworks.js";
import { ROUTER_PREPROCESS_HOST_S, routerPreprocessHostS } from "./router-host.js";
import { stageCost } from "./stage.js";

const EAGER = 5.6e-6;

describe("router and preprocess host range", () => {
  it("is the published nsys median of the #MOE_ROUTER_AND_PRE range (ModelZoo issue 7: 1.871 ms)", () => {
    expect(ROUTER_PREPROCESS_HOST_S).toBeCloseTo(1.871e-3, 9);
    // Part of the whole MoE layer forward's 7.216 ms median.
    expect(ROUTER_PREPROCESS_HOST_S).toBeLessThan(7.216e-3);
  });
  it("adds the measured range less the launches already counted, never negative", () => {
    const fused = routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "alltoall", false, 31, EAGER, 1);
    const unfused = routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "alltoall", false, 72, EAGER, 1);
    expect(fused).toBeCloseTo(ROUTER_PREPROCESS_HOST_S - 31 * EAGER, 12);
    expect(unfused).toBeLessThan(fused);
    expect(unfused).toBeGreaterThan(0);
    expect(routerPreprocessHostS(1e-4, "alltoall", false, 72, EAGER, 1)).toBe(0);
  });
  it("grows with the host CPU's per-op time (Grace)", () => {
    const x86 = routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "alltoall", false, 31, EAGER, 1);
    const grace = routerPreprocessHostS(
      ROUTER_PREPROCESS_HOST_S,
      "alltoall",
      false,
      31,
      EAGER,
      GRACE_HOST_OP_TIME_RELATIVE,
    );
    expect(grace).toBeGreaterThan(x86);
  });
  it("is none under CUDA graphs, for flex dispatchers, and for frameworks without the measurement", () => {
    expect(routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "alltoall", true, 31, EAGER, 1)).toBe(0);
    expect(routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "deepep", false, 31, EAGER, 1)).toBe(0);
    expect(routerPreprocessHostS(ROUTER_PREPROCESS_HOST_S, "hybridep", false, 31, EAGER, 1)).toBe(0);
    expect(routerPreprocessHostS(undefined, "alltoall", false, 31, EAGER, 1)).toBe(0);
  });
  it("belongs to the Megatron-Core frameworks only", () => {
    expect(frameworkProfile("megatron-lm").routerHostS).toBe(ROUTER_PREPROCESS_HOST_S);
    expect(frameworkProfile("nemo").routerHostS).toBe(ROUTER_PREPROCESS_HOST_S);
    expect(frameworkProfile("torchtitan").routerHostS).toBeUndefined();
  });
});

describe("a Megatron-Core MoE run on 16 H100 (Qwen3-30B-A3B, EP 8, one 4K-token micro-batch per rank)", () => {
  const h100 = dgxH100(16);
  const run = (over: Partial<TrainingConfig>): TrainingConfig => ({
    seqLength: 4096,
    globalBatchSize: 16,
    microBatchSize: 1,
    ep: 8,
    precision: "bf16",
    framework: "nemo",
    moeDispatcher: "alltoall",
    recompute: "none",
    ...over,
  });
  const step = (over: Partial<TrainingConfig>) =>
    estimateTraining(h100, qwen3MoeA3b(48), run(over)).stepTimeS;
  it("counts one eager router pass per MoE layer forward", () => {
    const l = layerCosts(prepareTraining(h100, qwen3MoeA3b(48), run({}))).moe;
    expect(l?.routerPassesF).toBe(1);
  });
  it("lengthens the host-bound layer's forward by at most the range, and not its backward", () => {
    const p = prepareTraining(h100, qwen3MoeA3b(48), run({}));
    const l = layerCosts(p).moe;
    if (!l) throw new Error("no MoE layer");
    const env = eagerStageEnv(p);
    const none = NO_STAGE_EXTRA;
    const extra = routerPreprocessHostS(
      ROUTER_PREPROCESS_HOST_S,
      "alltoall",
      false,
      31,
      p.eff.launchS.eager,
      1,
    );
    const without = stageCost(env, [{ cost: l, n: 1 }], none);
    const withRouter = stageCost({ ...env, routerHostS: extra }, [{ cost: l, n: 1 }], none);
    expect(withRouter.forwardS).toBeGreaterThan(without.forwardS);
    expect(withRouter.forwardS - without.forwardS).toBeLessThanOrEqual(extra + 1e-12);
    expect(withRouter.backwardS).toBe(without.backwardS);
  });
  it("makes the eager run slower than the same run with router and preprocess replayed from CUDA graphs", () => {
    expect(step({})).toBeGreaterThan(step({ cudaGraphs: true }));
  });
});
