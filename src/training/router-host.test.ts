// Host time of Megatron-Core's eager router and dispatch preprocess (router-host.ts): the measured range, what it adds, and where it applies.
import { describe, expect, it } from "vitest";
import { GRACE_HOST_OP_TIME_RELATIVE } from "../catalog/chips.js";
import { frameworkProfile } from "./frameworks.js";
import { ROUTER_PREPROCESS_HOST_S, routerPreprocessHostS } from "./router-host.js";

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
