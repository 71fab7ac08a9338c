// vLLM's host time per engine step by era (V1 full graphs from 0.11, V1 piecewise 0.8-0.10, V0), on its own.

import { describe, expect, it } from "vitest";
import { costOptions } from "../../../test/fixtures/serving.js";
import { resolveModel } from "../../catalog/models-resolve.js";
import { resolveSystem } from "../../catalog/resolve.js";
import { ZettasimError } from "../../core/errors.js";
import { InstanceCost, type RankLoad } from "../cost.js";
import { servingEngine } from "./index.js";
import type { ServingEngine } from "./types.js";
import { PR25444_SEQS, VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S } from "./vllm.js";
import { VLLM_PIECEWISE_HOST_AT_10_SEQS_S } from "./vllm-0.10.js";

// Host time of a decode step of `seqs` sequences as InstanceCost.step charges it (each sequence and its logit row).
const host = (e: ServingEngine, seqs: number) => e.hostStepS + e.hostPerSeqS * 2 * seqs;
const decode = (seqs: number): RankLoad => ({
  prefillTokens: 0,
  prefillPairs: 0,
  decodeSeqs: seqs,
  decodeKvTokens: seqs * 1000,
  logitTokens: seqs,
});
const step = (e: ServingEngine, seqs: number) =>
  new InstanceCost(
    resolveModel("llama3-8b"),
    resolveSystem("dgx-h100-superpod"),
    { chips: 1, tp: 1, attentionDp: 1, ep: 1 },
    { ...costOptions(), engine: e },
  ).step(decode(seqs), seqs);

describe("vLLM host time per step", () => {
  it("reproduces PR 25444's async-scheduling savings from its printed request rates (10 requests, 128 steps)", () => {
    const perStep = (sync: number, async: number) => (10 / sync - 10 / async) / 128;
    expect(Math.abs(perStep(5.98, 6.2) - VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S)).toBeLessThan(0.02e-3);
    expect(Math.abs(perStep(5.83, 6.03) - VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S)).toBeLessThan(0.02e-3);
    expect(Math.abs(perStep(4.07, 4.29) - VLLM_PIECEWISE_HOST_AT_10_SEQS_S)).toBeLessThan(0.02e-3);
  });
  it("each V1 era's step carries its measured host figure at the benchmark's 10 decoding sequences", () => {
    for (const [id, measured] of [
      ["vllm", VLLM_FULL_GRAPH_HOST_AT_10_SEQS_S],
      ["vllm-0.10", VLLM_PIECEWISE_HOST_AT_10_SEQS_S],
    ] as const) {
      const e = servingEngine(id);
      const device = step({ ...e, hostStepS: 0, hostPerSeqS: 0 }, PR25444_SEQS).timeS;
      expect(step(e, PR25444_SEQS).timeS - device).toBeCloseTo(measured, 12);
      expect(host(e, PR25444_SEQS)).toBeCloseTo(measured, 12);
    }
  });
  it("full decode graphs (0.11+) cost less host and fewer kernels than piecewise graphs (0.8-0.10); V0 keeps its own", () => {
    const v011 = servingEngine("vllm");
    const v010 = servingEngine("vllm-0.10");
    const v0 = servingEngine("vllm-v0");
    expect(v011.kernelFactor).toBe(1);
    expect(v010.kernelFactor).toBeGreaterThan(v011.kernelFactor);
    expect(v0.hostStepS).toBe(1.5e-3);
    for (const n of [1, 8, 64]) {
      expect(host(v011, n)).toBeLessThan(host(v010, n));
      expect(step(v011, n).timeS).toBeLessThan(step(v010, n).timeS);
    }
    // Neither overlaps host and device unless the source passes --async-scheduling (a case's hostOverlap).
    expect(v011.hostOverlap).toBe(false);
    expect(v010.hostOverlap).toBe(false);
  });
  it("host time grows with the batch, is bounded, and hides behind the device under async scheduling", () => {
    const e = servingEngine("vllm");
    expect(host(e, 256)).toBeGreaterThan(host(e, 1));
    // Below the profile's earlier assumption (1.5 ms per step) at every batch, by the fixed part's difference.
    expect(host(servingEngine("vllm-v0"), 256) - host(e, 256)).toBeCloseTo(1.5e-3 - e.hostStepS, 12);
    const sync = step(e, 4);
    const overlapped = step({ ...e, hostOverlap: true }, 4);
    const device = step({ ...e, hostStepS: 0, hostPerSeqS: 0 }, 4);
    expect(sync.timeS - device.timeS).toBeCloseTo(host(e, 4), 12);
    expect(overlapped.timeS).toBeCloseTo(Math.max(device.timeS, host(e, 4)), 12);
  });
  it("refuses an unknown vLLM era, naming the field and the engines it expects", () => {
    try {
      servingEngine("vllm-0.9", ["serving", "engine"]);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ZettasimError);
      const i = (err as ZettasimError).issues[0];
      expect(i.path).toEqual(["serving", "engine"]);
      expect(i.value).toBe("vllm-0.9");
      expect(i.message).toContain("vllm-0.10");
    }
  });
});
