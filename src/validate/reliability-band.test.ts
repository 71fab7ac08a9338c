// The cross-fleet band is what the failure studies give: regenerating it from validation/ reproduces the stored one.
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { FLEET_BAND } from "../reliability/fleet-band.data.js";
import { fleetBandStats } from "../reliability/fleet-band.js";
import { isDeclarationsFile, parseDeclarations } from "./declarations.js";
import { reliabilityRateRatios, studyOf } from "./reliability-band.js";
import { runValidation } from "./run.js";

const DIR = new URL("../../validation/", import.meta.url);
const read = (f: string) => JSON.parse(readFileSync(new URL(f, DIR), "utf8"));
const names = readdirSync(DIR)
  .filter((f) => /^reliability-.*\.json$/.test(f))
  .sort();
const files = names.map((f) => ({ name: `validation/${f}`, value: read(f) }));
const declRaw = read("declarations.json");
const declarations = isDeclarationsFile(declRaw)
  ? parseDeclarations(declRaw, "declarations.json")
  : undefined;

describe("the failure studies' rate ratios", () => {
  const ratios = reliabilityRateRatios(files, declarations);

  it("reproduce the stored band (npm run fit writes it)", () => {
    expect(fleetBandStats(ratios)).toEqual(FLEET_BAND);
  });

  it("are what validate reports as its reliabilityBand, and a run with fewer than 3 studies reports none", () => {
    expect(runValidation(files, { declarations }).reliabilityBand).toEqual(FLEET_BAND);
    const azureOnly = files.filter((f) => f.name.endsWith("reliability-holdout-2026-12-02b.json"));
    expect(azureOnly.length).toBe(1);
    expect(runValidation(azureOnly, { declarations }).reliabilityBand).toBeUndefined();
  });

  it("leave goodput out and keep one paper's figures in one study", () => {
    expect(ratios.some((x) => x.id === "byterobust-dense-ettr-9600gpu")).toBe(false);
    const rsc = ratios.filter((x) => x.id.startsWith("meta-rsc")).map((x) => x.study);
    expect(rsc.length).toBe(4);
    expect(new Set(rsc).size).toBe(1);
    const tpu = ratios.filter((x) => x.id.startsWith("tpu-v4")).map((x) => x.study);
    expect(new Set(tpu).size).toBe(1);
  });

  it("read a time between failures as the inverse rate", () => {
    // An MTTF predicted longer than measured is a rate measured above the prediction: ratio > 1.
    const mttf = ratios.find((x) => x.id === "meta-rsc-mttf-1024gpu-jobs");
    expect(mttf?.ratio).toBeGreaterThan(1);
  });

  it("name a study by its source's authors, else its group", () => {
    expect(studyOf({ id: "x", source: "Zu et al. 2024, Resiliency at Scale", group: "g" })).toBe(
      "Zu et al. 2024",
    );
    expect(studyOf({ id: "x", group: "g" })).toBe("g");
    expect(studyOf({ id: "x" })).toBe("x");
  });
});
