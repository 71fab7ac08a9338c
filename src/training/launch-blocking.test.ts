// Blocking kernel launches on their own: host and device add per pass, one completion round trip per kernel, every overlap off, refused with CUDA graphs.
import { describe, expect, it } from "vitest";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { torchtitanFsdp8b } from "../../test/fixtures/training.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { blockingPassTime, exposedOverlapShare } from "./launch-blocking.js";
import { HOST_SYNC_S, passTime } from "./overheads.js";

const llama8b = resolveModel("llama3-8b");
const sys = dgxH100(8);
// The tprimat NeMo layout: 8 H100, TP 1, PP 2, DP 4, 16 micro-batches of 1 x 2,048 tokens, selective recompute.
const nemo: TrainingConfig = {
  seqLength: 2048,
  globalBatchSize: 64,
  microBatchSize: 1,
  tp: 1,
  pp: 2,
  dp: 4,
  precision: "bf16",
  framework: "nemo",
  recompute: "selective",
};
// FSDP2 over 8 ranks (torchtitan), where every gather and reduce-scatter is overlapped by default.
const fsdp: TrainingConfig = torchtitanFsdp8b;

describe("blockingPassTime", () => {
  it("is device plus host plus one completion round trip per kernel", () => {
    expect(blockingPassTime(2e-3, 1e-4, 20)).toBeCloseTo(2e-3 + 1e-4 + 20 * HOST_SYNC_S, 15);
    expect(blockingPassTime(0, 0, 0)).toBe(0);
  });
  it("is never shorter than the asynchronous pass, device- or host-bound", () => {
    for (const [d, h] of [
      [5e-3, 1e-4],
      [1e-4, 5e-3],
      [1e-3, 1e-3],
    ])
      expect(blockingPassTime(d, h, 10)).toBeGreaterThan(passTime(d, h, 5e-6, 0));
  });
  it("exposes all overlapped communication", () => {
    expect(exposedOverlapShare(0.2, true)).toBe(1);
    expect(exposedOverlapShare(0.2, false)).toBe(0.2);
  });
});

describe("in a step", () => {
  it("null and false change nothing", () => {
    const base = estimateTraining(sys, llama8b, nemo).stepTimeS;
    expect(estimateTraining(sys, llama8b, { ...nemo, launchBlocking: null }).stepTimeS).toBe(base);
    expect(estimateTraining(sys, llama8b, { ...nemo, launchBlocking: false }).stepTimeS).toBe(base);
  });

  it("adds at least each layer pass's host time and round trips, per micro-batch, on the pipeline's stage", () => {
    const async = estimateTraining(sys, llama8b, nemo);
    const blocking = estimateTraining(sys, llama8b, { ...nemo, launchBlocking: true });
    const l = layerCosts(prepareTraining(sys, llama8b, nemo)).dense;
    const trips = (l.kernelsF + l.kernelsB) * HOST_SYNC_S;
    // 16 micro-batches through a stage of 16 layers: the round trips alone, a lower bound on the added time.
    expect(blocking.stepTimeS - async.stepTimeS).toBeGreaterThan(16 * 16 * trips);
    // And not more than the whole step twice over: host and device add, they do not multiply.
    expect(blocking.stepTimeS).toBeLessThan(2 * async.stepTimeS);
  });

  it("turns every overlap switch off, and says so when the run had published one on", () => {
    const p = prepareTraining(sys, llama8b, { ...fsdp, launchBlocking: true, overlap: { dpComm: true } });
    expect(p.t.overlap).toEqual({ tpComm: false, dpComm: false, epComm: false });
    expect(p.t.adjustments.map((a) => a.path.join("."))).toContain("training.overlap.dpComm");
    expect(prepareTraining(sys, llama8b, fsdp).t.overlap.dpComm).toBe(true);
  });

  it("exposes FSDP's gathers and reduce-scatters: the step grows by more than the passes' round trips", () => {
    const async = estimateTraining(sys, llama8b, fsdp);
    const blocking = estimateTraining(sys, llama8b, { ...fsdp, launchBlocking: true });
    const l = layerCosts(prepareTraining(sys, llama8b, fsdp)).dense;
    const passes = 32 * ((l.kernelsF + l.kernelsB) * HOST_SYNC_S);
    expect(blocking.stepTimeS - async.stepTimeS).toBeGreaterThan(passes);
    expect(blocking.breakdownS.dpCommS).toBeGreaterThan(async.breakdownS.dpCommS);
  });

  it("is refused with CUDA graphs, naming the field", () => {
    let err: unknown;
    try {
      prepareTraining(sys, llama8b, { ...nemo, launchBlocking: true, cudaGraphs: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ZettasimError);
    const issue = (err as ZettasimError).issues[0];
    expect(issue.path.at(-1)).toBe("launchBlocking");
    expect(issue.value).toBe(true);
  });
});
