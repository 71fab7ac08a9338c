// DeepEP-Ascend low-latency call fixed cost: read back from the published table, reproduced by the cost model, refused on bad input.

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { costOptions, deviceOnlyEngine } from "../../../test/fixtures/serving.js";
import { ZettasimError } from "../../core/errors.js";
import { InstanceCost, servingShape } from "../../serving/cost.js";
import { efficiencyFor } from "../../serving/efficiency.js";
import { systemFromCaseHardware } from "../../validate/hardware.js";
import { resolveModel } from "../models-resolve.js";
import { ascend910cDieUbLink, DEEPEP_ASCEND_LL, lowLatencyCallFixedS } from "./ascend-deepep.js";
import { chipFamily } from "./index.js";

const published = JSON.parse(readFileSync("data/kernels/deepep-ascend-low-latency-published.json", "utf8"))
  .sections.low_latency_int8_dispatch.rows as { ep: number; dispatchUs: number; combineUs: number }[];

describe("DeepEP-Ascend low-latency call fixed cost (lowLatencyCallFixedS)", () => {
  it("takes the EP 8 and 16 rows of the published INT8 table and the catalog's A3 die link", () => {
    for (const r of DEEPEP_ASCEND_LL.rows) {
      expect(published.find((p) => p.ep === r.ep)).toMatchObject(r);
    }
    expect(DEEPEP_ASCEND_LL.rows.map((r) => r.ep)).toEqual([8, 16]);
    const link = ascend910cDieUbLink();
    // 392 GB/s per 910C package and direction over two dies, UB header efficiency 0.95, 0.2 us static latency.
    expect(link.bytesPerS).toBeCloseTo((392e9 / 2) * 0.95, 0);
    expect(link.latencyS).toBeCloseTo(0.2e-6, 12);
  });
  it("is 60.6 us with the Ascend family's allToAll, for SGLang only (xDeepServe keeps the family's 30 us)", () => {
    const fam = chipFamily("ascend-910");
    const fixed = lowLatencyCallFixedS(ascend910cDieUbLink(), fam.serving.allToAll);
    expect(fixed * 1e6).toBeCloseTo(60.6, 1);
    const chip = systemFromCaseHardware({
      chip: "ascend-910c",
      chips: 8,
      network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 392, topology: "full-mesh" }],
    }).chip;
    expect(efficiencyFor(chip, undefined, "sglang").allToAllFixedS).toBeCloseTo(fixed, 12);
    expect(efficiencyFor(chip, undefined, "xdeepserve").allToAllFixedS).toBe(30e-6);
    expect(fam.serving.allToAllFixedS).toBe(30e-6);
  });
  it("falls as the link's rate falls (more of each latency is payload) and grows with the latencies", () => {
    const link = ascend910cDieUbLink();
    const base = lowLatencyCallFixedS(link, 0.75);
    expect(lowLatencyCallFixedS({ ...link, bytesPerS: link.bytesPerS * 0.9 }, 0.75)).toBeLessThan(base);
    expect(lowLatencyCallFixedS(link, 1)).toBeGreaterThan(base);
    const slower = {
      ...DEEPEP_ASCEND_LL,
      rows: DEEPEP_ASCEND_LL.rows.map((r) => ({
        ...r,
        dispatchUs: r.dispatchUs + 10,
        combineUs: r.combineUs + 10,
      })),
    };
    expect(lowLatencyCallFixedS(link, 0.75, slower) - base).toBeCloseTo(10e-6, 12);
  });
  it("lets the cost model reproduce each published dispatch + combine within 2% at 128 tokens per die", () => {
    const v3 = resolveModel("deepseek-v3");
    const s = servingShape(v3);
    const a3 = systemFromCaseHardware({
      chip: "ascend-910c",
      chips: 8,
      network: [{ name: "hccs", groupSize: 8, bandwidthGBps: 392, topology: "full-mesh" }],
    });
    const opts = costOptions({ precision: "int8", engine: deviceOnlyEngine("sglang") });
    for (const r of DEEPEP_ASCEND_LL.rows) {
      const packages = r.ep / 2;
      const cost = new InstanceCost(
        v3,
        a3,
        { chips: packages, tp: 1, attentionDp: packages, ep: packages },
        opts,
      );
      // A load is per package-level attention rank and runs on its two dies: 256 sequences = 128 tokens per die.
      const load = {
        prefillTokens: 0,
        prefillPairs: 0,
        decodeSeqs: 256,
        decodeKvTokens: 256,
        logitTokens: 256,
      };
      const perLayerUs = (cost.step(load, 128 * r.ep).commS / s.moeLayers) * 1e6;
      const want = r.dispatchUs + r.combineUs;
      expect(Math.abs(perLayerUs / want - 1)).toBeLessThan(0.02);
    }
  });
  it("refuses a bad input naming the field", () => {
    const link = ascend910cDieUbLink();
    const field = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        return (e as ZettasimError).issues[0].path.join(".");
      }
      return "no error";
    };
    expect(field(() => lowLatencyCallFixedS({ ...link, bytesPerS: 0 }, 0.75))).toBe("link.bytesPerS");
    expect(field(() => lowLatencyCallFixedS({ ...link, latencyS: -1 }, 0.75))).toBe("link.latencyS");
    expect(field(() => lowLatencyCallFixedS(link, 1.5))).toBe("allToAll");
    expect(field(() => lowLatencyCallFixedS(link, 0.75, { ...DEEPEP_ASCEND_LL, rows: [] }))).toBe("rows");
    // A link so slow that the payload alone outlasts the published call.
    expect(field(() => lowLatencyCallFixedS({ ...link, bytesPerS: 1e9 }, 0.75))).toBe("rows");
  });
});
