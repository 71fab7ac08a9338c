// Published pipeline layouts (first/last-rank layers) and the MoE layer forward split by its host-device sync.
import { describe, expect, it } from "vitest";
import { dgxB200 } from "../../test/fixtures/systems.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { analyze } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { DISPATCH_HOST_SYNCS } from "./moe.js";
import { HOST_SYNC_S, KERNELS_AFTER_SYNC, passTime, syncedPassTime } from "./overheads.js";
import { publishedStageLayers, stageLayers } from "./pipeline-layout.js";

const dgxB200x256 = dgxB200(256);
const dsv3 = resolveModel("deepseek-v3");
// DeepSeek-V3 on 256 B200 as Megatron-Bridge's 25.11/26.02 tables lay it out: PP 16, EP 8, MXFP8.
const job: TrainingConfig = {
  seqLength: 4096,
  globalBatchSize: 2048,
  microBatchSize: 1,
  tp: 1,
  pp: 16,
  ep: 8,
  precision: "fp8",
  precisionRecipe: "mxfp8",
  framework: "nemo",
  recompute: "none",
};

describe("published pipeline layouts", () => {
  it("Megatron-Bridge's DeepSeek-V3 layouts: the middle ranks share what the ends leave", () => {
    // layout_map (16, 1): embedding + 4 | 14 x 4 | 1 + MTP + loss; (4, 4) over 16 virtual stages: 16 | 16 | 13;
    // H100 'Et|(tt|)*30mL' over PP 8 x VP 4: 7 | 8 | 6.
    expect(publishedStageLayers({ first: 4, last: 1 }, 61, 16, [])).toEqual({ first: 4, middle: 4, last: 1 });
    expect(publishedStageLayers({ first: 16, last: 13 }, 61, 4, [])).toEqual({
      first: 16,
      middle: 16,
      last: 13,
    });
    expect(publishedStageLayers({ first: 7, last: 6 }, 61, 8, [])).toEqual({ first: 7, middle: 8, last: 6 });
    // Uneven middles: the busiest one paces the pipeline.
    expect(publishedStageLayers({ first: 3, last: 3 }, 61, 8, []).middle).toBe(10);
    // Two stages: first and last hold every layer.
    expect(publishedStageLayers({ first: 32, last: 29 }, 61, 2, [])).toEqual({
      first: 32,
      middle: 32,
      last: 29,
    });
  });

  it("refuses a layout that cannot hold the model's layers, naming the field", () => {
    const bad = (first: number, last: number, p: number) => () =>
      publishedStageLayers({ first, last }, 61, p, ["training", "pipelineLayers"]);
    expect(bad(4, 1, 1)).toThrow(/at least 2 pipeline stages/);
    expect(bad(30, 30, 2)).toThrow(/first and last hold all 61 layers/);
    expect(bad(30, 30, 4)).toThrow(/middle stages need at least one/);
    try {
      estimateTraining(dgxB200x256, dsv3, { ...job, pp: 1, pipelineLayers: { first: 4, last: 1 } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      expect((e as ZettasimError).issues[0].path).toEqual(["training", "pipelineLayers"]);
    }
  });

  it("taking layers off the stage with the MTP module and the loss shortens the slowest stage and the step", () => {
    const even = analyze(prepareTraining(dgxB200x256, dsv3, job));
    const published = analyze(
      prepareTraining(dgxB200x256, dsv3, { ...job, pipelineLayers: { first: 4, last: 1 } }),
    );
    // The model's own split: 2 | 4 | 3 layers, the last rank also running MTP and both output heads.
    expect(stageLayers(61, 16)).toEqual({ first: 2, middle: 4, last: 3 });
    expect(even.stages[2].layers).toBe(3);
    expect(published.stages[2].layers).toBe(1);
    expect(published.microBatchS).toBeLessThan(even.microBatchS);
    expect(published.stepTimeS).toBeLessThan(even.stepTimeS);
    // Nothing is lost: the ranks still hold all 61 layers.
    expect(published.stages[0].layers + 14 * published.stages[1].layers + published.stages[2].layers).toBe(
      61,
    );
  });
});

describe("a host-device sync per MoE layer forward", () => {
  const launch = 5e-6;
  const fixed = HOST_SYNC_S + KERNELS_AFTER_SYNC * launch;

  it("lies between max(host, device) and host + device, plus the sync itself", () => {
    const cases = [
      [3e-3, 2e-3, 1e-3, 1.5e-3], // device-heavy experts, host-heavy static part
      [2e-3, 3e-3, 1.5e-3, 0.5e-3],
      [4e-3, 1e-3, 0, 0], // no routed-expert work
      [1e-3, 4e-3, 1e-3, 4e-3],
    ];
    for (const [d, h, dd, hd] of cases) {
      const t = syncedPassTime(d, h, dd, hd, launch, 1);
      expect(t).toBeGreaterThanOrEqual(passTime(d, h, launch, 1) - 1e-15);
      expect(t).toBeLessThanOrEqual(d + h + fixed + 1e-15);
    }
    // Without a sync it is the plain pass time: the host runs ahead across layers.
    expect(syncedPassTime(3e-3, 2e-3, 1e-3, 1.5e-3, launch, 0)).toBe(passTime(3e-3, 2e-3, launch, 0));
  });

  it("costs the host time the device could have hidden: host-heavy experts after a device-heavy static part", () => {
    // Static part: device 2 ms, host 0.2 ms (graph replay); experts: device 1 ms, host 2 ms (eager launches).
    const t = syncedPassTime(3e-3, 2.2e-3, 1e-3, 2e-3, launch, 1);
    expect(t).toBeCloseTo(2e-3 + 2e-3 + fixed, 12);
    // Without the sync the host's 2.2 ms hide under the device's 3 ms.
    expect(passTime(3e-3, 2.2e-3, launch, 0)).toBeCloseTo(3e-3, 12);
  });

  it("grows with the routed-expert host time and never falls as it grows", () => {
    let last = 0;
    for (const hd of [0, 0.5e-3, 1e-3, 2e-3, 4e-3]) {
      const t = syncedPassTime(3e-3, 0.5e-3 + hd, 1e-3, hd, launch, 1);
      expect(t).toBeGreaterThanOrEqual(last);
      last = t;
    }
  });

  it("every token dispatcher of a per-expert grouped linear syncs once per layer forward", () => {
    expect(DISPATCH_HOST_SYNCS.alltoall).toBe(1);
    expect(DISPATCH_HOST_SYNCS.deepep).toBe(1);
    expect(DISPATCH_HOST_SYNCS.hybridep).toBe(1);
  });
});
