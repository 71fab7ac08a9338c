// The claims study: its figures obey what the physics says (more chips, faster but less efficient; failures only
// add time; RoCE needs more network than UBoE; a chip computing alone is the ceiling), from the repo's examples.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { loadScenarioText } from "../scenario/load.js";
import { BUDGET_SYSTEMS, type ClaimsStudy, runClaimsStudy, studyInputs } from "./study.js";

const ex = (f: string) =>
  loadScenarioText(readFileSync(new URL(`../../examples/${f}`, import.meta.url), "utf8"), f);
let s: ClaimsStudy;
beforeAll(() => {
  s = runClaimsStudy(studyInputs(ex));
}, 120_000);

describe("claims study", () => {
  it("scaling covers 1,024 to 1,048,576 chips; time to train falls, MFU and goodput do not rise, failures only add time", () => {
    expect(s.scaling.map((p) => p.chips)).toEqual(Array.from({ length: 11 }, (_, i) => 1024 * 2 ** i));
    for (let i = 1; i < s.scaling.length; i++) {
      const [a, b] = [s.scaling[i - 1], s.scaling[i]];
      expect(b.timeToTrainS).toBeLessThan(a.timeToTrainS);
      expect(b.mfu).toBeLessThanOrEqual(a.mfu + 1e-9);
      expect(b.goodput).toBeLessThanOrEqual(a.goodput + 1e-12);
    }
    for (const p of s.scaling) {
      expect(p.mfu).toBeGreaterThan(0);
      expect(p.mfu).toBeLessThan(1);
      expect(p.effectiveTimeToTrainS).toBeGreaterThan(p.timeToTrainS);
      expect(p.effectiveTimeToTrainS).toBeCloseTo(p.timeToTrainS / p.goodput, 6);
    }
  });

  it("equal budgets scale each system to the Atlas 950 SuperPoD's power and floor exactly", () => {
    expect(s.budget.atEqualPower.map((r) => r.id)).toEqual(BUDGET_SYSTEMS);
    const ref = s.budget.atEqualPower[0];
    expect(ref.copies).toBe(1);
    expect(ref.chips).toBe(8192);
    expect(ref.fullBandwidthDomainChips).toBe(8192);
    const nvl72 = s.budget.atEqualPower.find((r) => r.id === "gb200-nvl72");
    expect(nvl72?.fullBandwidthDomainChips).toBe(72);
    expect(s.budget.atEqualArea[0].copies).toBe(1);
    for (const r of [...s.budget.atEqualPower, ...s.budget.atEqualArea]) expect(r.chips).toBeGreaterThan(0);
  });

  it("RoCE needs more switches, optics and power than UBoE, and is no faster", () => {
    const row = (f: string) => s.protocols.rows.find((r) => r.figure.startsWith(f));
    for (const f of [
      "switches",
      "optical modules",
      "IT power",
      "256 MiB all-reduce",
      "default scenario's training step",
    ]) {
      const r = row(f);
      expect(r, f).toBeDefined();
      expect(r?.roce, f).toBeGreaterThanOrEqual(r?.uboe ?? Infinity);
    }
  });

  it("think as one: efficiency is a share of the step, and the SuperPoD fabric beats RoCE between cabinets", () => {
    expect(s.oneMind).toHaveLength(3);
    for (const r of s.oneMind) {
      expect(r.efficiency).toBeGreaterThan(0);
      expect(r.efficiency).toBeLessThanOrEqual(1);
      const sum = Object.values(r.breakdownS).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(r.stepTimeS, 6);
    }
    const [pod, , roce] = s.oneMind;
    expect(pod.efficiency).toBeGreaterThan(roce.efficiency);
    expect(pod.stepTimeS).toBeLessThan(roce.stepTimeS);
  });
});
