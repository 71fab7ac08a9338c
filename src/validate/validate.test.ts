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
  const r = runValidation([{ name: "training-public.json", value: publicTraining }]);
  it("models every case", () => {
    expect(r.cases).toHaveLength(publicTraining.cases.length);
    expect(r.notModelled).toBe(0);
  });
  it("median |error| <= 7% and max |error| <= 15% on step time (the targets)", () => {
    expect(r.medianAbsErrorPct).toBeLessThanOrEqual(7);
    expect(r.maxAbsErrorPct).toBeLessThanOrEqual(15);
  });
  it("stays near the fitted accuracy (median 2.5%, max 9.4%): a regression guard", () => {
    expect(r.medianAbsErrorPct).toBeLessThanOrEqual(4);
    expect(r.maxAbsErrorPct).toBeLessThanOrEqual(12);
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

describe("extra training validation set (runs not used for the Ampere fit)", () => {
  const r = runValidation([{ name: "training-extra.json", value: extraTraining }]);
  // The three Llama 3 405B rows carry Meta's published layout since the 2026-11-30 audit (FSDP without resharding
  // after forward, PP 16 interleaved with V unpublished, micro-batch unpublished): the model misses them by about 2x
  // (issue 13's "sharded data parallel with pipelining"), so they are reported here, not held to the guard.
  const llama = (id: string) => id.startsWith("llama3-405b-");
  const rest = r.cases.filter((c) => !llama(c.id));
  const abs = rest.map((c) => Math.abs(c.errorPct ?? Number.POSITIVE_INFINITY)).sort((a, b) => a - b);
  it("models every case", () => {
    expect(r.cases.length).toBeGreaterThanOrEqual(20);
    expect(r.notModelled).toBe(0);
  });
  it("outside the Llama 3 rows: median |error| <= 7.5% and max <= 30% (achieved 7.0% and 28.3% after the audit replaced assumed micro-batch, recompute and overlap inputs with null; 4.1% and 24.5% before)", () => {
    const n = abs.length;
    const median = n % 2 ? abs[(n - 1) / 2] : (abs[n / 2 - 1] + abs[n / 2]) / 2;
    expect(median).toBeLessThanOrEqual(7.5);
    expect(abs[n - 1]).toBeLessThanOrEqual(30);
  });
  it("the Llama 3 405B rows are modelled with finite predictions (errors reported, not asserted small)", () => {
    const rows = r.cases.filter((c) => llama(c.id));
    expect(rows).toHaveLength(3);
    for (const c of rows) expect(Number.isFinite(c.errorPct)).toBe(true);
  });
});

describe("Ascend and TPU training validation set (MindSpeed-LLM on 910B, MaxText on TPU v5p)", () => {
  const r = runValidation([{ name: "training-ascend-tpu.json", value: ascendTpuTraining }]);
  const chipOf = new Map<string, string>(
    ascendTpuTraining.cases.map((c: { id: string; hardware: { chip: string } }) => [c.id, c.hardware.chip]),
  );
  const absOn = (prefix: string) =>
    r.cases
      .filter((c) => (chipOf.get(c.id) ?? "").startsWith(prefix))
      .map((c) => Math.abs(c.errorPct ?? Number.POSITIVE_INFINITY));
  it("models every case, on both chip families", () => {
    expect(r.cases.length).toBeGreaterThanOrEqual(12);
    expect(r.notModelled).toBe(0);
    expect(absOn("ascend").length).toBeGreaterThanOrEqual(7);
    expect(absOn("tpu").length).toBeGreaterThanOrEqual(5);
  });
  it("median |error| <= 3% (achieved 2.8%); max <= 32% (achieved 31.2%, the held-out Mixtral 32K CP row)", () => {
    expect(r.medianAbsErrorPct).toBeLessThanOrEqual(3);
    expect(r.maxAbsErrorPct).toBeLessThanOrEqual(32);
  });
  it("TPU v5p rows within 3% (achieved 2.4%); Ascend rows: one beyond 10% (achieved 8.8% on the rest)", () => {
    expect(Math.max(...absOn("tpu"))).toBeLessThanOrEqual(3);
    expect(absOn("ascend").filter((e) => e > 10).length).toBeLessThanOrEqual(1);
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
  it("names a missing measured step time and a missing id", () => {
    const c = oneCase();
    delete c.measured.stepTimeS;
    expect(issuesOf(() => validationCases(wrap([c])))[0].path).toBe("cases.0.measured.stepTimeS");
    const d = oneCase();
    delete d.id;
    expect(issuesOf(() => validationCases(wrap([d])))[0].path).toBe("cases.0.id");
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
    expect(r.cases[0].notModelled).toContain("unknown chip id");
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
});
