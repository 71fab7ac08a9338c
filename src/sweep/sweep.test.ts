// Sweep files: expansion order, zipped and range axes, field paths into catalog entries, point ids, per-point rows
// equal to the command's own result, and every error naming the field.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { planTrainJsonOf, servingRun, trainingJson } from "../report/results.js";
import { parseText, scenarioFromValue } from "../scenario/load.js";
import { choiceAt, pointAt, pointScenario, prepareSweep, scenarioFor, scenarioValueFor } from "./expand.js";
import { canonicalJson, hash64 } from "./id.js";
import { setIn } from "./paths.js";
import { runPoint, runPointLines } from "./point.js";

const base = {
  name: "base",
  system: "dgx-h100-superpod",
  model: "llama3-70b",
  training: { chips: 1024, seqLength: 8192, globalBatchSize: 1024, tp: 8, pp: 4 },
};
const sweepOf = (over: Record<string, unknown> = {}) =>
  prepareSweep({
    run: "train",
    base,
    axes: [
      { field: "training.tp", values: [4, 8] },
      {
        zip: [
          { field: "training.chips", values: [512, 1024] },
          { field: "training.globalBatchSize", values: [512, 1024] },
        ],
      },
      { field: "training.pp", range: { from: 2, to: 8, factor: 2 } },
    ],
    ...over,
  });

/** The issues of the ZettasimError `fn` throws. */
function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as ZettasimError).issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  }
  throw new Error("expected an error");
}

describe("sweep expansion", () => {
  it("takes every combination, last axis fastest, zipped fields together", () => {
    const s = sweepOf();
    expect(s.points).toBe(2 * 2 * 3);
    expect(pointAt(s, 0)).toEqual({
      "training.tp": 4,
      "training.chips": 512,
      "training.globalBatchSize": 512,
      "training.pp": 2,
    });
    expect(pointAt(s, 1)["training.pp"]).toBe(4);
    expect(pointAt(s, 3)).toEqual({
      "training.tp": 4,
      "training.chips": 1024,
      "training.globalBatchSize": 1024,
      "training.pp": 2,
    });
    expect(pointAt(s, 11)).toEqual({
      "training.tp": 8,
      "training.chips": 1024,
      "training.globalBatchSize": 1024,
      "training.pp": 8,
    });
    expect(choiceAt(s, 7)).toEqual([1, 0, 1]);
  });

  it("gives every point a distinct id and the same ids and sweep id every time", async () => {
    const a = sweepOf();
    const b = sweepOf({ name: "another name" });
    expect(b.id).toBe(a.id);
    const rows = await Promise.all(Array.from({ length: a.points }, (_, i) => runPoint(a, i)));
    const ids = new Set(rows.map((r) => r.id));
    expect(ids.size).toBe(a.points);
    expect(sweepOf({ axes: [{ field: "training.tp", values: [4, 8, 2] }] }).id).not.toBe(a.id);
  });

  it("arithmetic ranges include their end and do not drift", () => {
    const s = prepareSweep({
      run: "train",
      base,
      axes: [{ field: "training.trainTokens", range: { from: 0.1e12, to: 1e12, step: 0.1e12 } }],
    });
    expect(s.points).toBe(10);
    expect(pointAt(s, 9)["training.trainTokens"]).toBeCloseTo(1e12, 0);
  });

  it("a field under a catalog id overrides that entry; a tier is picked by name", () => {
    const v = setIn({ system: "gb200-nvl72" }, ["system", "tiers", "scale-out", "bandwidthGBps"], 100);
    expect(v).toEqual({
      system: { extends: "gb200-nvl72", tiers: [{ name: "scale-out", bandwidthGBps: 100 }] },
    });
    const orig = { training: { tp: 1 } };
    const w = setIn(orig, ["training", "tp"], 8);
    expect(orig.training.tp).toBe(1);
    expect(w).toEqual({ training: { tp: 8 } });
    const s = prepareSweep({
      run: "train",
      base: { ...base, system: "atlas-950-superpod", training: { ...base.training, chips: 2048 } },
      axes: [{ field: "system.tiers.superpod-ub.bandwidthGBps", name: "podGBps", values: [200, 400] }],
    });
    const sc = scenarioFromValue(scenarioValueFor(s, [0]));
    expect(sc.system.tiers.find((t) => t.name === "superpod-ub")?.bandwidthBytesPerS).toBe(200e9);
  });
});

describe("sweep rows", () => {
  it("a row's result is exactly `train --json` for the point's scenario, and rows repeat exactly", async () => {
    const s = sweepOf();
    const row = await runPoint(s, 5);
    const sc = scenarioFromValue(scenarioValueFor(s, choiceAt(s, 5)), "base");
    expect(JSON.stringify(row.result)).toBe(JSON.stringify(trainingJson(sc)));
    expect(await runPointLines(s, 0, s.points)).toEqual(await runPointLines(sweepOf(), 0, s.points));
  });

  it("a point's scenario from its cached sections equals the scenario checked whole, on every point", () => {
    const s = prepareSweep({
      run: "train",
      base: { ...base, system: "atlas-950-superpod", training: { ...base.training, chips: 2048 } },
      axes: [
        { field: "system.tiers.superpod-ub.bandwidthGBps", values: [200, 400] },
        { field: "training.tp", values: [8, 4] },
        { field: "seed", values: [1, 2] },
        { field: "model", values: ["llama3-70b", "llama3-8b"] },
      ],
    });
    for (let i = 0; i < s.points; i++) {
      const c = choiceAt(s, i);
      expect(pointScenario(s, c)).toEqual(scenarioFor(s, c));
    }
    // Reused sections are the same objects: a point only re-checks what its axes change.
    expect(pointScenario(s, [0, 0, 0, 0]).system).toBe(pointScenario(s, [0, 1, 1, 0]).system);
  });

  it("an axis value that is NaN or infinite is refused naming the axis's field, in a plain or a zipped axis", () => {
    const refusal = (axes: unknown[]) => {
      try {
        prepareSweep({ run: "train", base, axes });
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        return (e as ZettasimError).issues[0];
      }
      throw new Error("accepted");
    };
    const a = refusal([{ field: "training.tp", values: [4, Number.NaN] }]);
    expect(a.path).toEqual(["axes", 0, "values", 1]);
    expect(a.message).toBe("axis training.tp: not a finite number");
    expect(a.value).toBeNaN();
    const z = refusal([
      {
        zip: [
          { field: "training.chips", values: [512, 1024] },
          { field: "training.globalBatchSize", values: [512, Number.POSITIVE_INFINITY] },
        ],
      },
    ]);
    expect(z.path).toEqual(["axes", 0, "zip", 1, "values", 1]);
    expect(z.message).toMatch(/axis training.globalBatchSize/);
  });

  it("a point that cannot run is a row with its error, and the sweep goes on", async () => {
    const s = prepareSweep({ run: "train", base, axes: [{ field: "training.tp", values: [8, 3] }] });
    const bad = await runPoint(s, 1);
    expect(bad.result).toBeUndefined();
    expect(bad.error?.kind).toBe("input");
    expect(bad.error?.message).toMatch(/tp|divide|heads/i);
    expect((await runPoint(s, 0)).error).toBeUndefined();
  });

  it("run: plan searches each point's layouts: the best is no slower than the point's own, rows repeat", async () => {
    const s = prepareSweep({
      run: "plan",
      base: {
        name: "plan",
        system: "dgx-h100-superpod",
        model: "llama3-8b",
        training: { chips: 64, seqLength: 4096, globalBatchSize: 256, tp: 2, pp: 1 },
        plan: {
          top: 3,
          space: {
            tp: [1, 2, 4],
            pp: [1, 2],
            cp: [1],
            zero: [1, 3],
            schedule: ["1f1b"],
            microBatchSize: [1, 2],
          },
        },
      },
      axes: [{ field: "training.chips", values: [64, 128] }],
    });
    const rows = [await runPoint(s, 0), await runPoint(s, 1)];
    for (const [i, r] of rows.entries()) {
      const res = r.result as {
        exact: boolean;
        best: { stepTimeS: number; chips: number };
        ownLayout: { stepTimeS: number; fits: boolean };
        top: unknown[];
      };
      expect(r.error).toBeUndefined();
      expect(res.exact).toBe(true);
      expect(res.best.chips).toBe([64, 128][i]);
      expect(res.ownLayout.fits).toBe(true);
      expect(res.best.stepTimeS).toBeLessThanOrEqual(res.ownLayout.stepTimeS);
      expect(res.top).toHaveLength(3);
      expect(r.result).not.toHaveProperty("wallS");
    }
    const sc = scenarioFromValue(scenarioValueFor(s, choiceAt(s, 1)), "plan");
    expect(JSON.stringify(rows[1].result)).toBe(JSON.stringify(await planTrainJsonOf(sc)));
    expect(rows[1].result).not.toEqual(rows[0].result);
  });

  it("a serving point past the runaway limits is a row with the refusal naming the requests field", async () => {
    const text = readFileSync(
      new URL("../../examples/deepseek-v3-atlas-950-colocated.yaml", import.meta.url),
      "utf8",
    );
    const base = parseText(text).value as Record<string, unknown>;
    const s = prepareSweep({
      run: "serve",
      base,
      axes: [{ field: "serving.workload.requests", values: [1e9] }],
    });
    const r = await runPoint(s, 0);
    expect(r.error?.kind).toBe("input");
    expect(r.error?.message).toMatch(/serving\.workload\.requests.*the run would need .*fewer requests/s);
    // The serve command's own flag is named when it set the count.
    const sc = scenarioFromValue(base, "colocated");
    expect(issuesOf(() => servingRun(sc, "colocated", { requests: 1e9 }))[0].path).toBe("--requests");
    // Each rate of a load sweep is checked before any runs.
    const sweepRuns = { requests: 5e7, sweepRatesPerS: [150, 300] };
    expect(issuesOf(() => servingRun(sc, "colocated", sweepRuns))[0].path).toBe("--requests");
    // Set in the file (here for a load sweep), the file's field is named.
    const serving = base.serving as { workload: Record<string, unknown> };
    const many = { ...base, serving: { ...serving, workload: { ...serving.workload, requests: 1e8 } } };
    const big = scenarioFromValue(many, "colocated");
    expect(issuesOf(() => servingRun(big, "colocated", { sweepRatesPerS: [150] }))[0].path).toBe(
      "serving.workload.requests",
    );
    // A low rate alone is no runaway: instances idle between requests (the estimate counts their work, not the span).
    expect(() => servingRun(sc, "colocated", { sweepRatesPerS: [150, 0.001] })).not.toThrow();
  });

  it("canonical JSON sorts keys; hash64 is 16 hex digits and spreads", () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: 3 }] })).toBe('{"a":[{"c":3,"d":2}],"b":1}');
    expect(hash64("a")).toMatch(/^[0-9a-f]{16}$/);
    expect(hash64("a")).not.toBe(hash64("b"));
  });
});

describe("sweep file errors name the field", () => {
  it.each([
    [{ run: "fly" }, "run", /one of/],
    [{ axes: [] }, "axes", /at least one axis/],
    [{ axes: [{ field: "training.tp" }] }, "axes.0", /exactly one of values/],
    [{ axes: [{ field: "training.tp", values: [4, 4] }] }, "axes.0.values.1", /repeats/],
    [
      { axes: [{ field: "training.tp", values: [4, 2.5] }] },
      "axes.0.values.1",
      /training\.tp = 2\.5: training\.tp: .*whole number/,
    ],
    [{ axes: [{ field: "training.tpp", values: [4] }] }, "axes.0.values.0", /training\.tpp: unknown field/],
    [{ axes: [{ field: "training..tp", values: [4] }] }, "axes.0.field", /dot-separated/],
    [{ axes: [{ field: "constructor.x", values: [4] }] }, "axes.0.field", /not a scenario field/],
    [
      {
        axes: [
          {
            zip: [
              { field: "training.tp", values: [4, 8] },
              { field: "training.pp", values: [2] },
            ],
          },
        ],
      },
      "axes.0.zip.1",
      /has 1 values but training\.tp has 2/,
    ],
    [
      { axes: [{ field: "training.tp", range: { from: 8, to: 4, step: 1 } }] },
      "axes.0.range.to",
      /must be >= from/,
    ],
    [
      {
        axes: [{ field: "system.tiers.nope.bandwidthGBps", values: [1] }],
        base: { ...base, system: { extends: "dgx-h100-superpod" } },
      },
      "axes.0.values.0",
      /nope|tier|name/,
    ],
    [
      { base: { ...base, training: undefined }, axes: [{ field: "seed", values: [1, 2] }] },
      "base.training",
      /needs `training`/,
    ],
    [{ base: { ...base, system: "no-such-system" } }, "base.system", /unknown|no-such-system/],
    [{ points: 1 }, "points", /unknown field/],
  ])("%j -> %s", (over, path, message) => {
    const issues = issuesOf(() => sweepOf(over as Record<string, unknown>));
    expect(issues[0].path).toBe(path);
    expect(issues[0].message).toMatch(message);
  });
});
