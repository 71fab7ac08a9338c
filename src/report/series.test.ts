// Series derived for charts: the timeline keeps every event's time, CDFs are CDFs, and reliability curves move the
// way failures and checkpoints make them move.
import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO } from "../scenario/default.js";
import { scenarioFromValue } from "../scenario/load.js";
import type { TraceEvent } from "../sim/iteration/iteration.js";
import {
  latencyCdf,
  reliabilityVsInterval,
  reliabilityVsScale,
  sweepIntervalsS,
  sweepScales,
  timelineSegments,
} from "./series.js";

const ev = (name: string, cat: string, t0: number, t1: number, pid = 0, tid = 0): TraceEvent => ({
  name,
  cat,
  ph: "X",
  ts: t0 * 1e6,
  dur: (t1 - t0) * 1e6,
  pid,
  tid,
});

describe("timelineSegments", () => {
  it("names compute events by what they are and keeps lanes and stages apart", () => {
    const s = timelineSegments(
      [
        ev("F0", "compute", 0, 1),
        ev("B0", "compute", 1, 2),
        ev("wait", "bubble", 2, 3),
        ev("tp x", "tp", 0, 0.5, 0, 1),
        ev("F0", "compute", 0, 1, 1),
      ],
      1e-6,
    );
    expect(s.map((x) => `${x.stage}/${x.lane}/${x.kind}`)).toEqual([
      "0/communication/tp",
      "0/compute/forward",
      "0/compute/backward",
      "0/compute/bubble",
      "1/compute/forward",
    ]);
  });

  it("merges neighbours closer than the resolution, never losing covered time", () => {
    const events = Array.from({ length: 100 }, (_, i) => ev("tp", "tp", i * 0.01, i * 0.01 + 0.009, 0, 1));
    const s = timelineSegments(events, 0.002);
    expect(s).toHaveLength(1);
    expect(s[0].startS).toBe(0);
    expect(s[0].endS).toBeCloseTo(0.999, 12);
    expect(timelineSegments(events, 0.0005)).toHaveLength(100);
  });

  it("short events of several kinds merge under the kind with the most time", () => {
    const s = timelineSegments(
      [ev("a", "tp", 0, 0.003, 0, 1), ev("b", "ep", 0.003, 0.004, 0, 1), ev("c", "tp", 0.004, 0.006, 0, 1)],
      0.01,
    );
    expect(s).toHaveLength(1);
    expect(s[0].kind).toBe("tp");
  });
});

describe("latencyCdf", () => {
  it("is non-decreasing, ends at the largest sample with fraction 1, and has at most about `points` points", () => {
    const xs = Array.from({ length: 5000 }, (_, i) => ((i * 7919) % 5000) / 1000);
    const c = latencyCdf(xs, 100);
    expect(c.length).toBeLessThanOrEqual(102);
    for (let i = 1; i < c.length; i++) {
      expect(c[i].valueMs).toBeGreaterThanOrEqual(c[i - 1].valueMs);
      expect(c[i].fraction).toBeGreaterThan(c[i - 1].fraction);
    }
    expect(c.at(-1)).toEqual({ valueMs: 4999, fraction: 1 });
    expect(latencyCdf([])).toEqual([]);
  });
});

describe("reliability sweeps", () => {
  const sc = scenarioFromValue(DEFAULT_SCENARIO);

  it("scales are powers of two from 1,024 up to the system", () => {
    expect(sweepScales(524288)).toEqual([
      1024, 2048, 4096, 8192, 16384, 32768, 65536, 131072, 262144, 524288,
    ]);
    expect(sweepScales(72)).toEqual([72]);
  });

  it("more chips, more interruptions per day and less goodput (same run, Young/Daly checkpoints)", () => {
    const pts = reliabilityVsScale(sc, sweepScales(sc.system.chips));
    expect(pts.length).toBe(10);
    for (let i = 1; i < pts.length; i++) {
      expect(pts[i].interruptionsPerDay).toBeGreaterThan(pts[i - 1].interruptionsPerDay);
      expect(pts[i].goodput).toBeLessThan(pts[i - 1].goodput);
    }
  });

  it("goodput against checkpoint interval rises then falls, and never-finishing intervals are left out", () => {
    const pts = reliabilityVsInterval(sc, sweepIntervalsS());
    expect(pts.length).toBeGreaterThan(3);
    expect(pts.length).toBeLessThan(sweepIntervalsS().length);
    const best = pts.reduce((a, b) => (b.goodput > a.goodput ? b : a));
    expect(best.goodput).toBeGreaterThan(pts[0].goodput);
    expect(best.goodput).toBeGreaterThan(pts.at(-1)?.goodput ?? 1);
  });
});
