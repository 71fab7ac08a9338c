// The backward ring's key/value-gradient sends: counts and widths per framework, the exposed tail, and bad inputs refused.
import { describe, expect, it } from "vitest";
import { llama31_8b as llama8b } from "../../test/fixtures/models.js";
import { dgxH100 } from "../../test/fixtures/systems.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { layerCosts } from "./analyze.js";
import { collectiveTime } from "./comm.js";
import { estimateTraining, prepareTraining } from "./estimate.js";
import { cpLayerPassS } from "./pass-overlap.js";
import { BF16_RING_GRADIENTS, ringBackwardSends, TORCH_RING_GRADIENTS } from "./ring-grad-rotation.js";

/** DGX H100 nodes: 8 GPUs on NVLink 4, one 400 Gb/s NIC per GPU beyond. */
const hosts = dgxH100;

const job = (framework: string, cp: number, chips = 8): TrainingConfig =>
  ({
    seqLength: 131072,
    globalBatchSize: (2 * chips) / 8,
    dp: chips / cp,
    cp,
    zero: 3,
    recompute: "full",
    framework,
    compile: true,
  }) as TrainingConfig;

describe("ringBackwardSends", () => {
  it("PyTorch's ring: fp32 gradients, one send per ring step plus the return to the owner, the last exposed", () => {
    expect(ringBackwardSends(TORCH_RING_GRADIENTS, 4)).toEqual({
      kvSends: 3,
      gradSends: 4,
      gradWidth: 2,
      exposedGradSends: 1,
    });
    expect(ringBackwardSends(TORCH_RING_GRADIENTS, 2).gradSends).toBe(2);
  });
  it("the bf16 default sends the chunks and their gradients once per ring step, none exposed", () => {
    expect(ringBackwardSends(BF16_RING_GRADIENTS, 4)).toEqual({
      kvSends: 3,
      gradSends: 3,
      gradWidth: 1,
      exposedGradSends: 0,
    });
  });
  it("sends nothing without context parallel", () => {
    for (const rot of [TORCH_RING_GRADIENTS, BF16_RING_GRADIENTS]) {
      const r = ringBackwardSends(rot, 1);
      expect(r.kvSends + r.gradSends + r.exposedGradSends).toBe(0);
    }
  });
  it("refuses a degree that is not a positive integer, naming training.cp", () => {
    for (const cp of [0, -2, 2.5, Number.NaN]) {
      expect(() => ringBackwardSends(TORCH_RING_GRADIENTS, cp)).toThrow(ZettasimError);
      try {
        ringBackwardSends(TORCH_RING_GRADIENTS, cp);
      } catch (e) {
        expect((e as ZettasimError).issues[0]?.path).toEqual(["training", "cp"]);
      }
    }
  });
  it("refuses a rotation with a negative or non-finite field, naming it", () => {
    for (const k of ["bytesPerElement", "extraSends", "exposedSends"] as const)
      for (const v of [-1, Number.POSITIVE_INFINITY]) {
        const rot = { ...TORCH_RING_GRADIENTS, [k]: v };
        try {
          ringBackwardSends(rot, 4);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(ZettasimError);
          expect((e as ZettasimError).issues[0]?.path).toEqual(["framework", "cpGradRotation", k]);
        }
      }
  });
});

describe("the backward ring in a layer's cost", () => {
  it("torchtitan at cp 4 sends 3 chunks and 4 fp32 gradients backward; Megatron twice its forward", () => {
    const sys = hosts(8);
    const p = prepareTraining(sys, llama8b, job("torchtitan", 4));
    const tt = layerCosts(p).dense;
    expect(tt.cpBytesB).toBeCloseTo(tt.cpBytes * (3 + 4 * 2), 0);
    const one = tt.cpF / 3;
    const grad = collectiveTime(sys, "send-recv", 2 * tt.cpBytes, 4, 1, 0, p.eff.collective);
    expect(tt.cpB).toBeCloseTo(3 * one + 4 * grad, 12);
    expect(tt.cpTailB).toBeCloseTo(grad, 12);
    const mc = layerCosts(prepareTraining(sys, llama8b, job("megatron-lm", 4))).dense;
    expect(mc.cpB).toBeCloseTo(2 * mc.cpF, 12);
    expect(mc.cpTailB).toBe(0);
    expect(mc.cpBytesB).toBeCloseTo(2 * 3 * mc.cpBytes, 0);
  });
  it("the tail shows even when the attention backward could hide all the rest", () => {
    const tt = layerCosts(prepareTraining(hosts(8), llama8b, job("torchtitan", 4))).dense;
    // 8B at 128K: the backward attention (~0.29 s) dwarfs the ring (~0.02 s).
    expect(tt.attnB).toBeGreaterThan(5 * tt.cpB);
    const exposed = cpLayerPassS(tt, false, 1, 0, 1);
    expect(exposed).toBeGreaterThanOrEqual(tt.cpTailB);
    expect(exposed).toBeLessThan(tt.cpB);
    // Without the tail (the default rotation) the same ring hides entirely at no overlap cost.
    expect(cpLayerPassS({ ...tt, cpTailB: 0 }, false, 1, 0, 1)).toBe(0);
  });
  it("the rotation is the framework's: the same torchtitan layer with the bf16 default exposes less", () => {
    const exposedB = (chips: number, cp: number) => {
      const p = prepareTraining(hosts(chips), llama8b, job("torchtitan", cp, chips));
      const torch = layerCosts(p).dense;
      const bf16 = layerCosts({
        ...p,
        t: { ...p.t, framework: { ...p.t.framework, cpGradRotation: BF16_RING_GRADIENTS } },
      }).dense;
      expect(bf16.cpF).toBeCloseTo(torch.cpF, 12);
      expect(bf16.cpB).toBeLessThan(torch.cpB);
      const rho = p.eff.overlapCost;
      return {
        torch: cpLayerPassS(torch, false, 1, rho, 1),
        bf16: cpLayerPassS(bf16, false, 1, rho, 1),
        tail: torch.cpTailB,
      };
    };
    const nv = exposedB(8, 4);
    expect(nv.torch).toBeGreaterThan(nv.bf16);
    expect(nv.torch - nv.bf16).toBeGreaterThanOrEqual(nv.tail * 0.999);
    // A ring of 16 across two hosts: a quarter of the bytes per send, at the InfiniBand NIC rate.
    const ib = exposedB(64, 16);
    expect(ib.tail).toBeGreaterThan(nv.tail);
  });
  it("a torchtitan step at cp 4 carries at least the tails of its layers in its exposed CP time", () => {
    const sys = hosts(8);
    const est = estimateTraining(sys, llama8b, job("torchtitan", 4));
    const tail = layerCosts(prepareTraining(sys, llama8b, job("torchtitan", 4))).dense.cpTailB;
    expect(est.breakdownS.cpCommS).toBeGreaterThanOrEqual(32 * tail * 0.999);
  });
});
