// The public serving validation cases are predicted within 20% from their inputs; bad cases name the case and field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { predictServingCase } from "./validate.js";

const file = new URL("../../validation/serving-public.json", import.meta.url);
const cases = JSON.parse(readFileSync(file, "utf8")).cases as Record<string, unknown>[];

describe("predictServingCase", () => {
  for (const c of cases) {
    it(`predicts ${c.id as string} within 20%`, () => {
      const r = predictServingCase(c);
      expect(Math.abs(r.errorPct)).toBeLessThan(20);
      expect(Number.isFinite(r.predicted[r.metric])).toBe(true);
    });
  }

  it("predicts prefill as tokensPerSecondPerChip and decode as tpotMs", () => {
    const kinds = cases.map((c) => predictServingCase(c).metric);
    expect(kinds).toContain("tokensPerSecondPerChip");
    expect(kinds).toContain("tpotMs");
  });

  it("predicts a slower decode with a longer context", () => {
    const d = cases.find((c) => (c.serving as { phase: string }).phase === "decode") as Record<
      string,
      unknown
    >;
    const longer = { ...d, serving: { ...(d.serving as object), contextTokens: 20000 } };
    expect(predictServingCase(longer).predicted.tpotMs).toBeGreaterThan(
      predictServingCase(d).predicted.tpotMs,
    );
  });

  it("names the case id and the field path of a missing prefill length", () => {
    const p = cases.find((c) => (c.serving as { phase: string }).phase === "prefill") as Record<
      string,
      unknown
    >;
    const bad = { ...p, serving: { ...(p.serving as object), inputTokens: undefined } };
    try {
      predictServingCase(bad, ["cases", 0]);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ZettasimError);
      const issue = (e as ZettasimError).issues[0];
      expect(issue.path).toEqual(["cases", 0, "serving", "inputTokens"]);
      expect(issue.message).toContain(p.id as string);
    }
  });

  it("rejects a bad precision and an unknown chip with ZettasimErrors", () => {
    const p = cases[0];
    expect(() =>
      predictServingCase({ ...p, serving: { ...(p.serving as object), precision: "fp3" } }),
    ).toThrow(ZettasimError);
    expect(() =>
      predictServingCase({ ...p, hardware: { ...(p.hardware as object), chip: "no-such-chip" } }),
    ).toThrow(/unknown chip/);
  });
});

describe("predictServingCase layouts as published", () => {
  const d = cases.find((c) => (c.serving as { phase: string }).phase === "decode") as Record<string, unknown>;
  const sv = d.serving as Record<string, unknown>;

  it("reads SGLang-style tp over the whole instance with DP attention as attention TP 1", () => {
    const sglang = { ...d, serving: { ...sv, tp: sv.instanceChips } };
    expect(predictServingCase(sglang).predicted.tpotMs).toBeCloseTo(
      predictServingCase(d).predicted.tpotMs,
      9,
    );
  });

  it("caps an expert-parallel degree counted in dies at the instance's chips", () => {
    const dies = { ...d, serving: { ...sv, ep: 2 * (sv.instanceChips as number) } };
    expect(predictServingCase(dies).predicted.tpotMs).toBeCloseTo(predictServingCase(d).predicted.tpotMs, 9);
  });

  it("judges a decode case that publishes only throughput on throughput", () => {
    const m = d.measured as Record<string, number>;
    const r = predictServingCase({ ...d, measured: { tokensPerSecondPerChip: m.tokensPerSecondPerChip } });
    expect(r.metric).toBe("tokensPerSecondPerChip");
  });
});

describe("predictServingCase with a prefix cache", () => {
  it("serves more input tokens per second when part of each prompt is cached", () => {
    const p = cases.find((c) => (c.serving as { phase: string }).phase === "prefill") as Record<
      string,
      unknown
    >;
    const hit = { ...p, serving: { ...(p.serving as object), prefixHitRate: 0.5 } };
    const base = predictServingCase(p).predicted.tokensPerSecondPerChip;
    const cached = predictServingCase(hit).predicted.tokensPerSecondPerChip;
    expect(cached).toBeGreaterThan(1.5 * base);
    expect(cached).toBeLessThan(2.5 * base);
  });
});
