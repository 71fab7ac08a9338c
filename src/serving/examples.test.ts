// Every serving example in examples/ runs as a test; its headline figures stay where docs/serving.md reports them.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { loadScenarioText } from "../scenario/load.js";
import { type ServingResult, simulateServing } from "./simulate.js";

// Headline figures of each example are kept in examples.golden.json with the reason of their last change;
// UPDATE_GOLDEN=1 GOLDEN_REASON="why" rewrites it. A rerun is deterministic; 1e-9 relative slack is for
// floating-point differences between platforms.
const GOLDEN = new URL("./examples.golden.json", import.meta.url);
const goldenFile: { reason?: string; examples?: Record<string, Record<string, number>> } = existsSync(GOLDEN)
  ? JSON.parse(readFileSync(GOLDEN, "utf8"))
  : {};
const golden: Record<string, Record<string, number>> = goldenFile.examples ?? {};
const update = process.env.UPDATE_GOLDEN === "1";
if (update && !process.env.GOLDEN_REASON)
  throw new Error("UPDATE_GOLDEN=1 needs GOLDEN_REASON: why the figures change");

function headline(r: ServingResult): Record<string, number> {
  return {
    ttftP50Ms: r.ttftMs.p50,
    ttftP99Ms: r.ttftMs.p99,
    tpotP50Ms: r.tpotMs.p50,
    tpotP99Ms: r.tpotMs.p99,
    inputTokensPerSecondPerChip: r.throughput.inputTokensPerSecondPerChip,
    outputTokensPerSecondPerChip: r.throughput.outputTokensPerSecondPerChip,
    goodputRequestsPerS: r.goodput?.requestsPerS ?? 0,
    costUsdPerMillionOutputTokens: r.costUsdPerMillionOutputTokens ?? 0,
    events: r.events,
  };
}

afterAll(() => {
  if (update)
    writeFileSync(
      GOLDEN,
      `${JSON.stringify({ reason: process.env.GOLDEN_REASON, examples: golden }, null, 2)}\n`,
    );
});

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

  it("reproduces its golden figures", () => {
    for (const [name, r] of [
      ["deepseek-v3-atlas-950-disaggregated.yaml", disagg],
      ["deepseek-v3-atlas-950-colocated.yaml", coloc],
    ] as const) {
      const figures = headline(r);
      if (update) golden[name] = figures;
      else {
        const g = golden[name];
        expect(g, `${name} has golden figures (run with UPDATE_GOLDEN=1)`).toBeDefined();
        for (const [k, v] of Object.entries(figures)) {
          expect(Math.abs(v - g[k]) / Math.max(Math.abs(g[k]), 1e-12), `${name} ${k}`).toBeLessThan(1e-9);
        }
      }
    }
  });

  it("keeps the figures docs/serving.md quotes (within 5%)", () => {
    const near = (x: number, y: number) => expect(Math.abs(x - y) / y).toBeLessThan(0.05);
    near(disagg.tpotMs.p50, 20.7);
    near(disagg.ttftMs.p50, 899);
    near(coloc.tpotMs.p50, 88.7);
    near(coloc.ttftMs.p50, 348);
  });

  it("carries each pool's uncertainty band from the out-of-sample residuals of its class", () => {
    // The Atlas 950 has no published serving run: its bands fall back to coarser classes (all MoE serving).
    expect(disagg.uncertainty.map((u) => u.role)).toEqual(["prefill", "decode"]);
    for (const u of [...disagg.uncertainty, ...coloc.uncertainty]) {
      expect(u.classKey.startsWith("serving")).toBe(true);
      expect(u.cases).toBeGreaterThanOrEqual(6);
      expect(u.stepTimeLowFactor).toBeLessThanOrEqual(1 / (1 + u.residualLowPct / 100) + 1e-12);
      expect(u.stepTimeLowFactor).toBeLessThanOrEqual(u.stepTimeHighFactor);
    }
  });

  it("meets the 50 ms TPOT SLO far more often disaggregated than colocated", () => {
    expect(disagg.goodput?.fractionMeetingSlo).toBeGreaterThan(0.95);
    expect(coloc.goodput?.fractionMeetingSlo).toBeLessThan(0.5);
    expect(disagg.goodput?.requestsPerS).toBeGreaterThan(coloc.goodput?.requestsPerS ?? 0);
  });
});
