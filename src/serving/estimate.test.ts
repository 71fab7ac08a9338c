// The serving run estimate: events bounded by the requests' own work at low load, growing with the span at high load.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../scenario/load.js";
import { servingPlan } from "./config.js";
import { estimateServingRun } from "./estimate.js";

const example = (rate: number) => {
  const path = new URL("../../examples/deepseek-v3-atlas-950-colocated.yaml", import.meta.url);
  const text = readFileSync(path, "utf8");
  if (!text.includes("ratePerS: 150")) throw new Error("example changed: a Poisson rate of 150/s expected");
  const s = loadScenarioText(text.replace("ratePerS: 150", `ratePerS: ${rate}`), "colocated");
  return estimateServingRun(servingPlan(s));
};

describe("serving run estimate", () => {
  it("does not count idle steps: a nearly idle run costs no more than its requests' tokens", () => {
    const idle = example(1e-9);
    // 12,000 requests of about 400 output tokens and 2,000 input tokens in 512-token chunks.
    expect(idle.events).toBeLessThan(12_000 * (1 + 400 * 1.2 + 5));
    expect(idle.loadRatio).toBeLessThan(1e-6);
  });

  it("counts more steps at a load where the span bounds them than when idle, never fewer than arrivals", () => {
    const busy = example(150);
    expect(busy.events).toBeGreaterThan(12_000);
    expect(example(1e-9).events).toBeGreaterThanOrEqual(busy.events);
  });
});
