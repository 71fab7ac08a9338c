// TPU VMEM weight prefetch: which layers fit, how much of a decode step it hides, and the int8 KV cache's bytes, on shapes built here (no validation case; model shapes as published).
import { describe, expect, it } from "vitest";
import { decodeOnlyLoad, llama70bDecodeOnV5e16 } from "../../test/fixtures/serving.js";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveChip } from "../catalog/resolve.js";
import { MiB } from "../core/units.js";
import { systemFromCaseHardware } from "../validate/hardware.js";
import { InstanceCost, kvBytesPerElement } from "./cost.js";
import { layerFitsPrefetch, PREFETCH_VMEM_SHARE, prefetchHiddenS } from "./vmem-prefetch.js";

describe("layerFitsPrefetch", () => {
  it("needs the family's prefetch and a chip with a known vector memory", () => {
    expect(layerFitsPrefetch(1e6, 128 * MiB, false)).toBe(false);
    expect(layerFitsPrefetch(1e6, undefined, true)).toBe(false);
    expect(layerFitsPrefetch(1e6, 0, true)).toBe(false);
    expect(layerFitsPrefetch(1e6, 128 * MiB, true)).toBe(true);
  });
  it("fits a layer up to half of VMEM (double buffering), not beyond", () => {
    const vmem = 128 * MiB;
    expect(PREFETCH_VMEM_SHARE).toBe(0.5);
    expect(layerFitsPrefetch(vmem / 2, vmem, true)).toBe(true);
    expect(layerFitsPrefetch(vmem / 2 + 1, vmem, true)).toBe(false);
    expect(layerFitsPrefetch(0, vmem, true)).toBe(false);
  });
});

describe("prefetchHiddenS", () => {
  it("hides nothing when the layers do not fit", () => {
    expect(prefetchHiddenS(false, 1e-3, 5e-3)).toBe(0);
  });
  it("hides the non-HBM time up to the weight stream, never more", () => {
    expect(prefetchHiddenS(true, 1e-3, 5e-3)).toBe(1e-3);
    expect(prefetchHiddenS(true, 8e-3, 5e-3)).toBe(5e-3);
    expect(prefetchHiddenS(true, 0, 5e-3)).toBe(0);
  });
});

describe("the TPU v5e catalog entry", () => {
  it("carries the 128 MiB VMEM the scaling book gives, and GPUs none", () => {
    expect(resolveChip("tpu-v5e").vectorMemoryBytes).toBe(128 * MiB);
    expect(resolveChip("h100-sxm").vectorMemoryBytes).toBeUndefined();
  });
});

describe("a decode step on TPU v5e", () => {
  const p = llama70bDecodeOnV5e16({ id: "test-vmem-prefetch", seqs: 8 });
  const cost = (vmemMiB: number | undefined) =>
    new InstanceCost(
      p.model,
      {
        ...p.system,
        chip: { ...p.system.chip, vectorMemoryBytes: vmemMiB === undefined ? undefined : vmemMiB * MiB },
      },
      p.layout,
      p.opts,
    );
  const load = decodeOnlyLoad(8, 2048);

  it("holds a Llama 3 70B int8 layer at TP 16 in about 54 MB per chip, inside half of VMEM", () => {
    const bytes = cost(128).largestLayerWeightBytesPerDevice();
    // 855.6M parameters per layer over 16 chips at one byte (the K/V projections over 8 of them, held twice).
    expect(bytes).toBeGreaterThan(52e6);
    expect(bytes).toBeLessThan(60e6);
    expect(bytes).toBeLessThan(64 * MiB);
  });
  it("hides the all-reduces and op fixed costs behind the weight stream, and keeps the compute", () => {
    const with_ = cost(128).step(load, 1);
    const without = cost(undefined).step(load, 1);
    expect(without.exposedCommS).toBeGreaterThan(0);
    expect(with_.timeS).toBeLessThan(without.timeS);
    // What is hidden is at most the linears' time, and the step never beats its compute.
    expect(without.timeS - with_.timeS).toBeLessThanOrEqual(without.gemmS + 1e-15);
    expect(with_.timeS).toBeGreaterThanOrEqual(with_.computeS * (1 - 1e-12));
    expect(with_.exposedCommS).toBeLessThan(without.exposedCommS);
  });
  it("does not apply on a chip whose VMEM is too small for the layer", () => {
    expect(cost(64).step(load, 1).timeS).toBeCloseTo(cost(undefined).step(load, 1).timeS, 15);
  });
  it("leaves a DeepSeek-V3 MoE layer on 64 chips out: its experts alone exceed VMEM", () => {
    const system = systemFromCaseHardware({
      chip: "tpu-v5e",
      chips: 64,
      network: [{ name: "ici", groupSize: 64, bandwidthGBps: 200, topology: "torus" }],
    });
    const c = new InstanceCost(
      resolveModel("deepseek-v3"),
      system,
      { chips: 64, tp: 64, attentionDp: 1, ep: 1 },
      p.opts,
    );
    // 256 experts x 3 x 7168 x 2048 int8 over 64 chips: about 176 MB per chip.
    expect(c.largestLayerWeightBytesPerDevice()).toBeGreaterThan(128 * MiB);
    const load = decodeOnlyLoad(1, 2048);
    const noVmem = new InstanceCost(
      resolveModel("deepseek-v3"),
      { ...system, chip: { ...system.chip, vectorMemoryBytes: undefined } },
      { chips: 64, tp: 64, attentionDp: 1, ep: 1 },
      p.opts,
    );
    expect(c.step(load, 1).timeS).toBeCloseTo(noVmem.step(load, 1).timeS, 15);
  });
});

describe("an int8 KV cache", () => {
  it("is one byte per element, as fp8, and half of bf16", () => {
    expect(kvBytesPerElement("int8")).toBe(1);
    expect(kvBytesPerElement("fp8")).toBe(1);
    expect(kvBytesPerElement("bf16")).toBe(2);
    const i8 = llama70bDecodeOnV5e16({ id: "test-vmem-prefetch", seqs: 8 });
    const b16 = llama70bDecodeOnV5e16({ id: "test-vmem-prefetch", seqs: 8, kvCache: "bf16" });
    const a = new InstanceCost(i8.model, i8.system, i8.layout, i8.opts);
    const b = new InstanceCost(b16.model, b16.system, b16.layout, b16.opts);
    expect(a.kvBytesPerToken()).toBeCloseTo(b.kvBytesPerToken() / 2, 9);
    // 80 layers x 2 x 128 per KV head, one KV head per chip (8 heads over 16 chips): 20,480 bytes per token.
    expect(a.kvBytesPerToken()).toBeCloseTo(80 * 2 * 128, 9);
    // and the decode step reads less at a long context.
    const load = decodeOnlyLoad(8, 8192);
    expect(a.step(load, 1).attentionCoreS).toBeLessThanOrEqual(b.step(load, 1).attentionCoreS);
  });
});
