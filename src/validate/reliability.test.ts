// Failure studies (kind "reliability"): predicted from hardware and job size alone, finite and bounded, errors named by field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { LEMON_EVIDENCE, lemonJobFailureMultiplier } from "../reliability/lemon-nodes.js";
import {
  type ComponentKind,
  DEFAULT_RATES,
  LLAMA3_UP_HOURS,
  MODULES_PER_LINK,
} from "../reliability/rates.js";
import { deviceCrashShare } from "../reliability/switch-crash.js";
import { predictReliabilityCase } from "./reliability.js";
import { runValidation } from "./run.js";

const readCases = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../validation/${name}`, import.meta.url), "utf8"));
const fleet = readCases("reliability-fleet.json");
/** Other labs' component studies (HPN, TPU v4, Delta), declared holdout before their first prediction. */
const components = readCases("reliability-holdout-2026-12-02.json");

const a100Job = (
  chips: number,
  extra: Record<string, unknown> = {},
  measured: Record<string, unknown> = {},
) => ({
  id: "t",
  kind: "reliability",
  hardware: {
    chip: "a100-sxm-80gb",
    chips,
    network: [
      { name: "nvlink", groupSize: 8, bandwidthGBps: 300, topology: "switch" },
      { name: "infiniband-hdr", bandwidthGBps: 25, topology: "fat-tree" },
    ],
  },
  reliability: { scope: "job", jobChips: chips, chipsPerHost: 8, windowDays: 30, ...extra },
  measured: { mttfHours: 10, ...measured },
});

function issuePaths(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as ZettasimError).issues.map((i) => i.path.join("."));
  }
  throw new Error("expected a ZettasimError");
}

describe("published failure studies (validation/reliability-fleet.json)", () => {
  const r = runValidation([{ name: "reliability-fleet.json", value: fleet }]);
  it("models every study, with finite, bounded predictions and a finite error (reported, not asserted small)", () => {
    expect(r.cases.length).toBeGreaterThanOrEqual(6);
    expect(r.byKind.reliability.modelled).toBe(r.cases.length);
    for (const c of r.cases) {
      expect(c.kind).toBe("reliability");
      expect(Number.isFinite(c.errorPct)).toBe(true);
      const p = c.predicted;
      expect(p.mttfHours).toBeGreaterThan(0);
      expect(p.interruptions).toBeGreaterThanOrEqual(0);
      expect(p.failuresPerThousandNodeDays).toBeGreaterThan(0);
      expect(p.acceleratorFailuresPerMillionHours).toBeGreaterThan(0);
      expect(p.goodput).toBeGreaterThan(0);
      expect(p.goodput).toBeLessThanOrEqual(1);
    }
  });
  it("models the component studies too: each compares the figure its source counted", () => {
    const rc = runValidation([{ name: "reliability-holdout-2026-12-02.json", value: components }]);
    expect(rc.byKind.reliability.modelled).toBe(rc.cases.length);
    const metrics = new Set(rc.cases.map((c) => c.metric));
    for (const m of [
      "switchFailuresPerMillionHours",
      "linkFailuresPerMillionHours",
      "hbmFailuresPerMillionHours",
    ])
      expect(metrics.has(m)).toBe(true);
    for (const c of rc.cases) expect(Number.isFinite(c.errorPct)).toBe(true);
  });
  it("keeps failure studies out of the overall performance figures", () => {
    expect(r.modelled).toBe(0);
    // No performance case in a reliability-only run: the overall median and max are null (none), not 0.
    expect(r.medianAbsErrorPct).toBeNull();
    expect(r.maxAbsErrorPct).toBeNull();
    expect(r.byKind.reliability.medianAbsErrorPct).toBeGreaterThan(0);
  });
});

describe("reliability predictor", () => {
  it("job MTTF falls as the job grows: twice the chips, at most half the MTTF (plus the fixed network share)", () => {
    const small = predictReliabilityCase(a100Job(1024)).predicted.mttfHours;
    const large = predictReliabilityCase(a100Job(2048)).predicted.mttfHours;
    expect(large).toBeLessThan(small);
    expect(large).toBeGreaterThan(small / 2.2);
  });
  it("node failure rate per node-day does not depend on the job size; interruptions grow with the window", () => {
    const a = predictReliabilityCase(a100Job(1024)).predicted;
    const b = predictReliabilityCase(a100Job(4096)).predicted;
    expect(b.failuresPerThousandNodeDays).toBeCloseTo(a.failuresPerThousandNodeDays, 9);
    const w30 = predictReliabilityCase(a100Job(1024, {}, { interruptions: 5 })).predicted.interruptions;
    const w60 = predictReliabilityCase(a100Job(1024, { windowDays: 60 }, { interruptions: 5 })).predicted
      .interruptions;
    expect(w60 / w30).toBeCloseTo(2, 6);
  });
  it("picks the first published figure in the documented order and computes its error", () => {
    const p = predictReliabilityCase(a100Job(1024, {}, { interruptions: 3, mttfHours: 7 }));
    expect(p.metric).toBe("interruptions");
    expect(p.errorPct).toBeCloseTo(((p.predicted.interruptions - 3) / 3) * 100, 9);
  });
  it("a count of hardware failures only is compared with the hardware kinds: software's share drops out, the rest stays", () => {
    const all = predictReliabilityCase(a100Job(992, { windowDays: 61 }, { interruptions: 105 }));
    const hw = predictReliabilityCase(
      a100Job(992, { windowDays: 61, causes: "hardware" }, { interruptions: 105 }),
    );
    const soft = all.model.classes.filter((c) => c.kind === "software").reduce((a, c) => a + c.ratePerS, 0);
    const total = all.model.classes.reduce((a, c) => a + c.ratePerS, 0);
    expect(soft).toBeGreaterThan(0);
    // Up to the small change in up-time (fewer interruptions, less downtime, more exposure in the window).
    expect(hw.predicted.interruptions / all.predicted.interruptions).toBeCloseTo(1 - soft / total, 2);
    expect(hw.predicted.mttfHours).toBeGreaterThan(all.predicted.mttfHours);
    expect(hw.predicted.failuresPerThousandNodeDays).toBe(all.predicted.failuresPerThousandNodeDays);
    expect(issuePaths(() => predictReliabilityCase(a100Job(1024, { causes: "software" })))).toContain(
      "reliability.causes",
    );
  });
  it("component figures read the per-component rates: HBM per accelerator, a switch, a link as its two optical ends", () => {
    const p = predictReliabilityCase(a100Job(1024)).predicted;
    const perM = (k: ComponentKind) => DEFAULT_RATES[k].ratePerS * 3600 * 1e6;
    expect(p.hbmFailuresPerMillionHours).toBeCloseTo(perM("hbm"), 9);
    // Llama 3: 72 HBM interruptions over 16,384 GPUs x the job's up-time (1,191.25 h of the 1,296).
    expect(p.hbmFailuresPerMillionHours).toBeCloseTo((72 / (16384 * LLAMA3_UP_HOURS)) * 1e6, 9);
    expect(p.switchFailuresPerMillionHours).toBeCloseTo(perM("switch"), 9);
    expect(p.linkFailuresPerMillionHours).toBeCloseTo(MODULES_PER_LINK * perM("optical-module"), 9);
    // The figure compared is the first in the documented order.
    expect(
      predictReliabilityCase(a100Job(8, {}, { mttfHours: undefined, switchFailuresPerMillionHours: 1 }))
        .metric,
    ).toBe("switchFailuresPerMillionHours");
  });
  it("a node-failure count that includes the node's links adds one link per NIC, nothing else", () => {
    const nodeOnly = predictReliabilityCase(a100Job(1024)).predicted.failuresPerThousandNodeDays;
    const withNull = predictReliabilityCase(a100Job(1024, { nodeFailuresIncludeLinks: null })).predicted
      .failuresPerThousandNodeDays;
    const withLinks = predictReliabilityCase(a100Job(1024, { nodeFailuresIncludeLinks: true })).predicted
      .failuresPerThousandNodeDays;
    const fourNics = predictReliabilityCase(a100Job(1024, { nodeFailuresIncludeLinks: true, nicsPerHost: 4 }))
      .predicted.failuresPerThousandNodeDays;
    const link = MODULES_PER_LINK * DEFAULT_RATES["optical-module"].ratePerS * 86400 * 1000;
    expect(withNull).toBe(nodeOnly);
    expect(withLinks - nodeOnly).toBeCloseTo(8 * link, 9);
    expect(withLinks - fourNics).toBeCloseTo(4 * link + 4 * DEFAULT_RATES.nic.ratePerS * 86400 * 1000, 9);
    expect(
      issuePaths(() => predictReliabilityCase(a100Job(1024, { nodeFailuresIncludeLinks: "yes" }))),
    ).toContain("reliability.nodeFailuresIncludeLinks");
  });
  it("gives the same answer for the same case", () => {
    const c = a100Job(992, { windowDays: 61 }, { interruptions: 105 });
    expect(predictReliabilityCase(c).predicted).toEqual(predictReliabilityCase(c).predicted);
  });
  it("names the field of every bad input", () => {
    expect(issuePaths(() => predictReliabilityCase(a100Job(1024, { scope: "cluster" })))).toContain(
      "reliability.scope",
    );
    expect(issuePaths(() => predictReliabilityCase(a100Job(1024, { jobChips: 4096 })))).toContain(
      "reliability.jobChips",
    );
    expect(
      issuePaths(() => predictReliabilityCase(a100Job(1024, { windowDays: null }, { interruptions: 4 }))),
    ).toContain("reliability.windowDays");
    const noFigure = { ...a100Job(1024), measured: {} };
    expect(issuePaths(() => predictReliabilityCase(noFigure))).toContain("measured");
    expect(issuePaths(() => predictReliabilityCase(a100Job(1024, {}, { goodput: 1.5 })))).toContain(
      "measured.goodput",
    );
    const badHw = a100Job(1024);
    badHw.hardware.network[0].bandwidthGBps = -1;
    expect(issuePaths(() => predictReliabilityCase(badHw))).toContain("hardware.network.0.bandwidthGBps");
    expect(issuePaths(() => predictReliabilityCase("x"))).toContain("");
  });
});

describe("per-study failure definitions (lemonNodes, switchFailures)", () => {
  it("lemon nodes in service shorten a 1-node job's MTTF by nearly the lemon multiplier (its links' share is not multiplied)", () => {
    const base = predictReliabilityCase(a100Job(8, { causes: "hardware" })).predicted.mttfHours;
    const lemons = predictReliabilityCase(a100Job(8, { causes: "hardware", lemonNodes: "in-service" }))
      .predicted.mttfHours;
    const screened = predictReliabilityCase(a100Job(8, { causes: "hardware", lemonNodes: "screened" }))
      .predicted.mttfHours;
    expect(screened).toBe(base);
    const k = lemonJobFailureMultiplier(LEMON_EVIDENCE.failureShare);
    expect(base / lemons).toBeLessThanOrEqual(k);
    expect(base / lemons).toBeGreaterThan(0.9 * k);
  });

  it("lemon nodes raise a large job's interruptions by less than the multiplier (its fabric has no lemons)", () => {
    const m = { interruptions: 100 };
    const base = predictReliabilityCase(a100Job(1024, { causes: "hardware" }, m)).predicted.interruptions;
    const lemons = predictReliabilityCase(a100Job(1024, { causes: "hardware", lemonNodes: "in-service" }, m))
      .predicted.interruptions;
    expect(lemons).toBeGreaterThan(base);
    expect(lemons / base).toBeLessThan(lemonJobFailureMultiplier(LEMON_EVIDENCE.failureShare));
  });

  it("refuses lemon nodes on a component count (they multiply job failures, not faults)", () => {
    const c = a100Job(
      8,
      { lemonNodes: "in-service" },
      { mttfHours: undefined, acceleratorFailuresPerMillionHours: 10 },
    );
    expect(issuePaths(() => predictReliabilityCase(c))).toContain("reliability.lemonNodes");
  });

  it("a count of switch crashes sees the device-crash share of the switch rate; 'any' sees all of it", () => {
    const m = { mttfHours: undefined, switchFailuresPerMillionHours: 1 };
    const any = predictReliabilityCase(a100Job(1024, { switchFailures: "any" }, m)).predicted;
    const unset = predictReliabilityCase(a100Job(1024, {}, m)).predicted;
    const crash = predictReliabilityCase(a100Job(1024, { switchFailures: "device-crash" }, m)).predicted;
    expect(any.switchFailuresPerMillionHours).toBe(unset.switchFailuresPerMillionHours);
    expect(crash.switchFailuresPerMillionHours / any.switchFailuresPerMillionHours).toBeCloseTo(
      deviceCrashShare(),
      12,
    );
    // Only the compared switch figure changes: job failures still see every switch failure.
    expect(crash.mttfHours).toBe(any.mttfHours);
  });
});

describe("a job confined to its hosts, where a link error takes the node out (nodeFailuresIncludeLinks)", () => {
  /** A one-server job whose hardware has no scale-out tier: NVLink only, as in meta-rsc-mttf-8gpu-jobs. */
  const nodeJob = (extra: Record<string, unknown> = {}) => ({
    ...a100Job(8, { causes: "hardware", ...extra }),
    hardware: {
      chip: "a100-sxm-80gb",
      chips: 8,
      network: [{ name: "nvlink", groupSize: 8, bandwidthGBps: 300, topology: "switch" }],
    },
  });
  const perHour = (mttfHours: number) => 1 / mttfHours;
  const link = MODULES_PER_LINK * DEFAULT_RATES["optical-module"].ratePerS * 3600;
  const sw = DEFAULT_RATES.switch.ratePerS * 3600;

  it("fails on its host's own links and the switches they land on, and on nothing else", () => {
    const base = predictReliabilityCase(nodeJob()).predicted.mttfHours;
    const unset = predictReliabilityCase(nodeJob({ nodeFailuresIncludeLinks: null })).predicted.mttfHours;
    const oneTor = predictReliabilityCase(nodeJob({ nodeFailuresIncludeLinks: true })).predicted.mttfHours;
    const rails = predictReliabilityCase(
      nodeJob({ nodeFailuresIncludeLinks: true, accessSwitchesPerHost: 8 }),
    ).predicted.mttfHours;
    expect(unset).toBe(base);
    // 8 NICs, one link each (two optical ends); one ToR by default, one leaf per rail when given 8.
    expect(perHour(oneTor) - perHour(base)).toBeCloseTo(8 * link + 1 * sw, 12);
    expect(perHour(rails) - perHour(base)).toBeCloseTo(8 * link + 8 * sw, 12);
    expect(rails).toBeLessThan(oneTor);
    const fourNics = predictReliabilityCase(
      nodeJob({ nodeFailuresIncludeLinks: true, nicsPerHost: 4 }),
    ).predicted;
    expect(perHour(oneTor) - perHour(fourNics.mttfHours)).toBeCloseTo(
      4 * link + 4 * DEFAULT_RATES.nic.ratePerS * 3600,
      12,
    );
  });

  it("changes nothing for a job that spans a scale-out tier (its links and switches are counted already)", () => {
    const m = { interruptions: 10 };
    const base = predictReliabilityCase(a100Job(1024, { causes: "hardware" }, m)).predicted;
    const links = predictReliabilityCase(
      a100Job(1024, { causes: "hardware", nodeFailuresIncludeLinks: true }, m),
    ).predicted;
    expect(links.interruptions).toBe(base.interruptions);
    expect(links.mttfHours).toBe(base.mttfHours);
    expect(links.goodput).toBe(base.goodput);
  });

  it("refuses accessSwitchesPerHost where it is not read, and a bad count", () => {
    expect(
      issuePaths(() =>
        predictReliabilityCase(a100Job(1024, { nodeFailuresIncludeLinks: true, accessSwitchesPerHost: 8 })),
      ),
    ).toContain("reliability.accessSwitchesPerHost");
    expect(issuePaths(() => predictReliabilityCase(nodeJob({ accessSwitchesPerHost: 8 })))).toContain(
      "reliability.accessSwitchesPerHost",
    );
    expect(
      issuePaths(() =>
        predictReliabilityCase(nodeJob({ nodeFailuresIncludeLinks: true, accessSwitchesPerHost: 0 })),
      ),
    ).toContain("reliability.accessSwitchesPerHost");
  });
});

describe("the published evidence that a lemon multiplier need not depend on job size", () => {
  it("Kokolis et al.'s measured job MTTFs give about the same job failures per node-day at 8 and 1,024 GPUs", () => {
    const all = [...fleet.cases, ...components.cases] as { id: string; measured: { mttfHours?: number } }[];
    const perThousandNodeDays = (id: string, nodes: number) => {
      const h = all.find((c) => c.id === id)?.measured.mttfHours as number;
      return (24 * 1000) / (nodes * h);
    };
    const small = perThousandNodeDays("meta-rsc-mttf-8gpu-jobs", 1);
    const large = perThousandNodeDays("meta-rsc-mttf-1024gpu-jobs", 128);
    expect(small).toBeCloseTo(21, 0);
    expect(large).toBeCloseTo(24, 0);
    expect(large / small).toBeLessThan(1.2);
  });
});

describe("job MTTF against job size (Kokolis et al.'s law MTTF = 1 / (N_nodes r_f))", () => {
  // The paper projects job MTTF as the inverse of nodes x a per-node failure rate (docs/reliability.md 7.6); the model
  // follows that law when a job's fabric grows with it: MTTF x nodes stays within 25% from one server (its own links
  // and rail switches, nodeFailuresIncludeLinks) to 16,384 servers (131,072 GPUs) on a fat tree.
  const job = (chips: number) =>
    a100Job(
      chips,
      chips === 8
        ? { causes: "hardware", nodeFailuresIncludeLinks: true, accessSwitchesPerHost: 8 }
        : { causes: "hardware", nodeFailuresIncludeLinks: true },
    );
  it("keeps MTTF x nodes nearly constant from 8 to 131,072 GPUs", () => {
    const perNode: number[] = [];
    for (const chips of [8, 64, 1024, 16384, 131072]) {
      const c = job(chips);
      if (chips === 8) c.hardware.network = c.hardware.network.slice(0, 1);
      perNode.push((predictReliabilityCase(c).predicted.mttfHours * chips) / 8);
    }
    expect(Math.max(...perNode) / Math.min(...perNode)).toBeLessThan(1.25);
  });
});
