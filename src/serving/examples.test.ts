// Every serving example in examples/ runs as a test; its headline figures stay where docs/serving.md reports them.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../scenario/load.js";
import { simulateServing } from "./simulate.js";

const load = (name: string) => {
  const path = new URL(`../../examples/${name}`, import.meta.url);
  return loadScenarioText(readFileSync(path, "utf8"), name);
};

describe("serving examples", () => {
  const disagg = simulateServing(load("deepseek-v3-atlas-950-disaggregated.yaml"));
  const coloc = simulateServing(load("deepseek-v3-atlas-950-colocated.yaml"));

  it("serves every request of both examples on the same 192 chips", () => {
    for (const r of [disagg, coloc]) {
      expect(r.chips).toBe(192);
      expect(r.requests.completed + r.requests.inFlight + r.requests.rejected).toBe(r.requests.arrived);
      expect(r.requests.completed).toBe(12000);
    }
  });

  it("puts 950PR on prefill and 950DT on decode, with the KV moving over the SuperPoD UB", () => {
    expect(disagg.pools.map((p) => p.chip)).toEqual(["ascend-950pr", "ascend-950dt"]);
    expect(disagg.kvTransfer?.tier).toBe("superpod-ub");
    expect(coloc.pools.map((p) => p.chip)).toEqual(["ascend-950dt"]);
  });

  it("keeps the figures docs/serving.md quotes (within 5%)", () => {
    const near = (x: number, y: number) => expect(Math.abs(x - y) / y).toBeLessThan(0.05);
    near(disagg.tpotMs.p50, 30.3);
    near(disagg.ttftMs.p50, 1215);
    near(coloc.tpotMs.p50, 88.9);
    near(coloc.ttftMs.p50, 348);
  });

  it("meets the 50 ms TPOT SLO far more often disaggregated than colocated", () => {
    expect(disagg.goodput?.fractionMeetingSlo).toBeGreaterThan(0.9);
    expect(coloc.goodput?.fractionMeetingSlo).toBeLessThan(0.5);
    expect(disagg.goodput?.requestsPerS).toBeGreaterThan(coloc.goodput?.requestsPerS ?? 0);
  });
});
