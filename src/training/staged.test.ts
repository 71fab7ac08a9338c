// Staged evaluation equals plain evaluation to the last bit on random layouts (every knob varied, caches shared across jobs).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resolveModel } from "../catalog/models-resolve.js";
import { resolveSystem } from "../catalog/resolve.js";
import { ZettasimError } from "../core/errors.js";
import type { TrainingConfig } from "../schema/training.js";
import { evaluateTraining, prepareTraining } from "./estimate.js";
import { modelShape } from "./shape.js";
import { layerKey, StagedTraining } from "./staged.js";

const cases = [
  { system: "dgx-a100-superpod", model: "gpt3-175b", chips: 512, seq: 2048, gbs: 1536 },
  { system: "dgx-h100-superpod", model: "mixtral-8x22b", chips: 1024, seq: 4096, gbs: 1024 },
  { system: "atlas-950-superpod", model: "deepseek-v3", chips: 2048, seq: 4096, gbs: 4096 },
  { system: "tpu-v5p-pod", model: "llama3-70b", chips: 1024, seq: 8192, gbs: 512 },
];

const pow2 = (max: number) => fc.integer({ min: 0, max }).map((e) => 2 ** e);
const knobs = fc.record({
  tp: pow2(4),
  pp: pow2(4),
  cp: pow2(2),
  ep: pow2(5),
  etpIsTp: fc.boolean(),
  mbs: pow2(2),
  vpp: fc.integer({ min: 1, max: 4 }),
  sp: fc.boolean(),
  recompute: fc.constantFrom("none", "selective", "full"),
  zero: fc.integer({ min: 0, max: 3 }),
  precision: fc.constantFrom("bf16", "fp8", "fp4"),
  schedule: fc.constantFrom("1f1b", "interleaved", "zero-bubble", "dualpipe"),
  tpComm: fc.boolean(),
  dpComm: fc.boolean(),
  epComm: fc.boolean(),
});

describe("staged training evaluation", () => {
  for (const c of cases) {
    it(`equals evaluateTraining bit for bit: ${c.model} on ${c.system}`, () => {
      const system = resolveSystem(c.system);
      const shape = modelShape(resolveModel(c.model));
      let staged: StagedTraining | undefined;
      let compared = 0;
      fc.assert(
        fc.property(fc.array(knobs, { minLength: 1, maxLength: 8 }), (list) => {
          for (const k of list) {
            const training: TrainingConfig = {
              seqLength: c.seq,
              globalBatchSize: c.gbs,
              chips: c.chips,
              tp: k.tp,
              pp: k.pp,
              cp: k.cp,
              ep: shape.experts > 0 ? k.ep : 1,
              etp: shape.experts > 0 && k.etpIsTp ? k.tp : 1,
              microBatchSize: k.mbs,
              vpp: k.schedule === "interleaved" ? Math.max(2, k.vpp) : 1,
              sequenceParallel: k.sp,
              recompute: k.recompute as TrainingConfig["recompute"],
              zero: k.zero,
              precision: k.precision as TrainingConfig["precision"],
              schedule: k.schedule,
              overlap: { tpComm: k.tpComm, dpComm: k.dpComm, epComm: k.epComm },
            };
            let p: ReturnType<typeof prepareTraining>;
            try {
              p = prepareTraining(system, shape, training);
            } catch (e) {
              if (e instanceof ZettasimError) continue;
              throw e;
            }
            staged ??= StagedTraining.of(p);
            expect(staged.evaluate(p.t)).toStrictEqual(evaluateTraining(p));
            compared++;
          }
        }),
        { numRuns: 150, seed: 9 },
      );
      // The runs above reused cached layer costs across jobs with other pp, dp, schedule, ZeRO, overlap.
      expect(compared).toBeGreaterThan(100);
      expect(staged?.hits).toBeGreaterThan(0);
    });
  }

  it("the layer key ignores pp, dp, vpp, schedule, ZeRO and overlap, and sees every layer knob", () => {
    const system = resolveSystem("dgx-a100-superpod");
    const shape = modelShape(resolveModel("gpt3-175b"));
    const base: TrainingConfig = { seqLength: 2048, globalBatchSize: 1536, chips: 512, tp: 8, pp: 4 };
    const key = (t: Partial<TrainingConfig>) => layerKey(prepareTraining(system, shape, { ...base, ...t }).t);
    const k0 = key({});
    expect(key({ pp: 8, vpp: 2, zero: 3, schedule: "zero-bubble", overlap: { dpComm: true } })).toBe(k0);
    for (const t of [
      { tp: 4 },
      { cp: 2 },
      { microBatchSize: 2 },
      { sequenceParallel: false },
      { recompute: "none" as const },
    ]) {
      expect(key(t)).not.toBe(k0);
    }
  });
});
