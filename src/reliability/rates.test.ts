// Failure rates: every kind sourced; the Llama 3 derivation adds back to 419; independent published figures cross-check.
import { describe, expect, it } from "vitest";
import { HOUR } from "../core/units.js";
import { DEFAULT_RECOVERY } from "./model.js";
import {
  COMPONENT_KINDS,
  DEFAULT_RATES,
  hbmRateForCapacity,
  LLAMA3_EXPOSURE,
  LLAMA3_UP_HOURS,
  ratesWithOverrides,
} from "./rates.js";

const perHour = (k: keyof typeof DEFAULT_RATES) => DEFAULT_RATES[k].ratePerS * HOUR;

/** Failures per hour of a Llama-3-like cluster of `gpus` GPUs under the default rates (fabric scaled per GPU). */
function clusterRatePerHour(gpus: number): number {
  const x = gpus / LLAMA3_EXPOSURE.gpus;
  return (
    gpus * (perHour("accelerator") + perHour("hbm") + perHour("software")) +
    x * LLAMA3_EXPOSURE.hosts * perHour("host") +
    x * LLAMA3_EXPOSURE.nics * perHour("nic") +
    x * LLAMA3_EXPOSURE.switches * perHour("switch") +
    x * LLAMA3_EXPOSURE.opticalModules * perHour("optical-module")
  );
}

describe("failure rates", () => {
  it("give every component kind a positive rate, a source, a confidence and a derivation", () => {
    for (const k of COMPONENT_KINDS) {
      const r = DEFAULT_RATES[k];
      expect(r.kind).toBe(k);
      expect(r.ratePerS).toBeGreaterThan(0);
      expect(Number.isFinite(r.ratePerS)).toBe(true);
      expect(r.source.length).toBeGreaterThan(10);
      expect(["P", "S", "A"]).toContain(r.confidence);
      expect(r.note.length).toBeGreaterThan(10);
    }
  });

  it("add back to the 419 unexpected interruptions of the Llama 3 snapshot over the job's up-time", () => {
    const total = clusterRatePerHour(LLAMA3_EXPOSURE.gpus) * LLAMA3_UP_HOURS;
    expect(total).toBeCloseTo(419, 6);
  });

  it("count exposure as the Llama 3 job's up-time: calendar hours less the model's own downtime per interruption", () => {
    // The downtime per interruption is the model's default recovery (detection + restart), so the derivation and
    // the model agree on when a failure can interrupt the job.
    expect(LLAMA3_EXPOSURE.downHoursPerInterruption * HOUR).toBeCloseTo(
      DEFAULT_RECOVERY.detectionS + DEFAULT_RECOVERY.restartS,
      9,
    );
    const up = LLAMA3_UP_HOURS / LLAMA3_EXPOSURE.hours;
    // The paper reports over 90% effective training time, which bounds the up fraction from below; up-time is less
    // than the window.
    expect(up).toBeGreaterThan(0.9);
    expect(up).toBeLessThan(1);
    expect(LLAMA3_UP_HOURS).toBeCloseTo(1191.25, 9);
    // The GPU rate is its count over GPU-hours of up-time, 8.8% above the calendar-time figure.
    expect(perHour("accelerator") * LLAMA3_EXPOSURE.gpus * LLAMA3_UP_HOURS).toBeCloseTo(196, 9);
    expect(perHour("accelerator") * LLAMA3_EXPOSURE.gpus * LLAMA3_EXPOSURE.hours).toBeGreaterThan(196);
  });

  it("cross-check Meta's RSC-1 rate (6.50 failures per 1,000 node-days, arXiv 2410.21680) within a factor of 2", () => {
    // One 8-GPU node with its host, NICs and share of the fabric, per day.
    const perNodeDay = (clusterRatePerHour(8) * 24) / 1;
    const per1000 = perNodeDay * 1000;
    expect(per1000).toBeGreaterThan(6.5 / 2);
    expect(per1000).toBeLessThan(6.5 * 2);
  });

  it("cross-check Meta's projected job MTTF (1.8 h at 16,384 GPUs, 0.23 h at 131,072) within a factor of 2", () => {
    const mttf16k = 1 / clusterRatePerHour(16384);
    const mttf131k = 1 / clusterRatePerHour(131072);
    expect(mttf16k / 1.8).toBeGreaterThan(0.5);
    expect(mttf16k / 1.8).toBeLessThan(2);
    expect(mttf131k / 0.23).toBeGreaterThan(0.5);
    expect(mttf131k / 0.23).toBeLessThan(2);
  });

  it("cross-check MegaScale (over 100 restarts in several weeks on more than 10,000 GPUs, arXiv 2402.15627)", () => {
    const threeWeeks = clusterRatePerHour(10000) * 21 * 24;
    expect(threeWeeks).toBeGreaterThan(50);
    expect(threeWeeks).toBeLessThan(300);
  });

  it("take overrides in failures per million component-hours", () => {
    const r = ratesWithOverrides({ switch: { failuresPerMillionHours: 10 } });
    expect(r.switch.ratePerS * HOUR * 1e6).toBeCloseTo(10, 9);
    expect(r.switch.confidence).toBe("A");
    expect(r.accelerator).toEqual(DEFAULT_RATES.accelerator);
  });

  it("scale an accelerator's HBM rate with its HBM capacity: Llama 3's 80 GB H100 is the reference", () => {
    expect(hbmRateForCapacity(80e9).ratePerS).toBeCloseTo(DEFAULT_RATES.hbm.ratePerS, 15);
    expect(ratesWithOverrides().hbm.ratePerS).toBeCloseTo(DEFAULT_RATES.hbm.ratePerS, 15);
    expect(hbmRateForCapacity(192e9).ratePerS / DEFAULT_RATES.hbm.ratePerS).toBeCloseTo(2.4, 12);
    expect(ratesWithOverrides({}, 40e9).hbm.ratePerS / DEFAULT_RATES.hbm.ratePerS).toBeCloseTo(0.5, 12);
    // The other kinds do not depend on the memory; an override still wins.
    expect(ratesWithOverrides({}, 192e9).accelerator).toEqual(DEFAULT_RATES.accelerator);
    expect(
      ratesWithOverrides({ hbm: { failuresPerMillionHours: 2 } }, 192e9).hbm.ratePerS * HOUR * 1e6,
    ).toBeCloseTo(2, 9);
  });

  it("the capacity scaling's evidence: on NCSA Delta the per-GB uncorrectable HBM error rates of H100 and A100 agree within 1.33x while per GPU they differ 3.2x", () => {
    const h100 = { mtbeH: 88768, gb: 96 };
    const a100 = { mtbeH: 283271, gb: 40 };
    const perGpu = a100.mtbeH / h100.mtbeH;
    const perGb = (a100.mtbeH * a100.gb) / (h100.mtbeH * h100.gb);
    expect(perGpu).toBeGreaterThan(3.1);
    expect(perGb).toBeLessThan(1.34);
    // Capacity alone accounts for most of the per-GPU gap.
    const byCapacity = hbmRateForCapacity(96e9).ratePerS / hbmRateForCapacity(40e9).ratePerS;
    expect(byCapacity).toBeCloseTo(2.4, 12);
    expect(perGpu / byCapacity).toBeCloseTo(perGb, 9);
  });
});
