// Bad scenario files: each error names the file, line and column, the field path, the bad value and what was expected.
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { formatPath, type InputIssue, ZettasimError } from "../src/core/errors.js";
import { loadScenarioText } from "../src/scenario/load.js";

/** The issues a scenario text raises (fails the test if it loads). */
function issuesOf(text: string, file = "bad.yaml"): { issues: InputIssue[]; message: string; file?: string } {
  try {
    loadScenarioText(text, file);
  } catch (e) {
    if (!(e instanceof ZettasimError)) throw e;
    return { issues: e.issues, message: e.message, file: e.file };
  }
  throw new Error("expected the scenario to be rejected");
}

describe("scenario errors", () => {
  it("a count far out of range gets one error with the field's own limit (1e30 got two, the second saying 2^53)", () => {
    const scenario = (gbs: string) =>
      `system: atlas-950-superpod\nmodel: llama3-70b\ntraining: { globalBatchSize: ${gbs}, sequenceLength: 8192 }\n`;
    for (const [gbs, expected] of [
      ["1e30", "<= 1000000000"],
      ["-1e30", "> 0"],
      ["1.5", "a whole number"],
    ]) {
      const issues = issuesOf(scenario(gbs)).issues.filter(
        (i) => formatPath(i.path) === "training.globalBatchSize",
      );
      expect(issues, gbs).toHaveLength(1);
      expect(issues[0].expected, gbs).toBe(expected);
    }
  });
  it("a token-length cap below the lognormal mean, or a uniform max below its min, is refused (it clipped silently)", () => {
    const scenario = (dist: string) =>
      [
        "system: atlas-950-superpod",
        "model: deepseek-v3",
        "serving:",
        "  mode: colocated",
        "  colocated: { instances: 1, instanceChips: 64, tp: 1, ep: 64 }",
        `  workload: { arrival: { kind: poisson, ratePerS: 10 }, requests: 100, inputTokens: ${dist}, outputTokens: 100 }`,
        "",
      ].join("\n");
    const a = issuesOf(scenario("{ kind: lognormal, meanTokens: 2000, cv: 0.5, maxTokens: 100 }")).issues;
    expect(formatPath(a[0].path)).toBe("serving.workload.inputTokens.maxTokens");
    expect(a[0].value).toBe(100);
    expect(a[0].message).toMatch(/must be >= meanTokens \(2000\)/);
    const u = issuesOf(scenario("{ kind: uniform, minTokens: 200, maxTokens: 100 }")).issues;
    expect(formatPath(u[0].path)).toBe("serving.workload.inputTokens.maxTokens");
    expect(u[0].message).toMatch(/must be >= minTokens \(200\)/);
    expect(() =>
      loadScenarioText(scenario("{ kind: lognormal, meanTokens: 2000, cv: 0.5, maxTokens: 2000 }")),
    ).not.toThrow();
  });

  it("missing required field: names the path and what is expected", () => {
    const text = [
      "system:",
      "  id: mine",
      "  name: Mine",
      "  vendor: Me",
      "  chip: h100-sxm",
      "  tiers:",
      "    - name: nvlink",
      "      topology: switch",
      "      bandwidthGBps: 450",
      "",
    ].join("\n");
    const { issues, message, file } = issuesOf(text);
    expect(file).toBe("bad.yaml");
    expect(formatPath(issues[0].path)).toBe("system.chips");
    expect(issues[0].expected).toBe("a number");
    expect(issues[0].line).toBe(2); // the parent mapping, since the key is absent
    expect(message).toContain("bad.yaml:2:3: system.chips");
    expect(issues[0].message).toBe("required field is missing");
  });

  it("missing top-level system: says what a system can be given as", () => {
    const { issues } = issuesOf("model: gpt3-175b\n");
    expect(formatPath(issues[0].path)).toBe("system");
    expect(issues[0].message).toBe("required field is missing");
    expect(issues[0].expected).toContain("catalog id");
  });

  it("syntax error: position given once, as line and column", () => {
    const { issues } = issuesOf("system: [atlas\n  foo: 1\n");
    expect(issues[0].line).toBe(1);
    expect(issues[0].message).toMatch(/^syntax error: /);
    expect(issues[0].message).not.toMatch(/at line \d+/);
  });

  it("wrong type: value and expected type, at the value's line and column", () => {
    const { issues, message } = issuesOf("system:\n  extends: dgx-h100-superpod\n  chips: many\n");
    expect(formatPath(issues[0].path)).toBe("system.chips");
    expect(issues[0].value).toBe("many");
    expect(issues[0].expected).toBe("a number");
    expect([issues[0].line, issues[0].column]).toEqual([3, 10]);
    expect(message).toContain('got "many"');
  });

  it("unit-less key: unknown field, with the hint that keys carry units", () => {
    const { issues, message } = issuesOf(
      "system:\n  extends: dgx-h100-superpod\n  tiers:\n    - name: infiniband\n      bandwidth: 400\n",
    );
    expect(formatPath(issues[0].path)).toBe("system.tiers[0].bandwidth");
    expect(issues[0].message).toMatch(/unknown field.*bandwidthGBps/);
    expect(issues[0].line).toBe(5);
    expect(message).toContain("bad.yaml:5:");
  });

  // A misspelt key names the nearest key the schema has at that place (nearestId, as for catalog ids).
  const TYPOS: [string, string, string][] = [
    ["system: dgx-h100-superpod\nmodl: llama3-70b\n", "modl", "model"],
    [
      "system: dgx-h100-superpod\nmodel: llama3-70b\ntraining:\n  chips: 8\n  seqLength: 4096\n  globalBatchSize: 8\n  microBatchSze: 1\n",
      "training.microBatchSze",
      "microBatchSize",
    ],
    [
      "system:\n  extends: dgx-h100-superpod\n  tiers:\n    - name: infiniband\n      bandwidthGbps: 400\n",
      "system.tiers[0].bandwidthGbps",
      "bandwidthGBps",
    ],
    [
      "system: dgx-h100-superpod\nmodel:\n  extends: llama3-70b\n  hiddenSze: 8192\n",
      "model.hiddenSze",
      "hiddenSize",
    ],
    [
      "system:\n  extends: dgx-h100-superpod\n  chip:\n    extends: h100-sxm\n    powrW: 600\n",
      "system.chip.powrW",
      "powerW",
    ],
    [
      "system: dgx-h100-superpod\nmodel: llama3-70b\nserving:\n  mode: colocated\n  workload:\n    inputTokns: 100\n",
      "serving.workload.inputTokns",
      "inputTokens",
    ],
    // Spelled out, five edits from the key (it said only "keys carry their unit").
    [
      "system: dgx-h100-superpod\nmodel: llama3-70b\ntraining: { globalBatchSize: 512, sequenceLength: 8192 }\n",
      "training.sequenceLength",
      "seqLength",
    ],
  ];
  for (const [text, at, near] of TYPOS) {
    it(`misspelt key ${at}: unknown field, did you mean ${near}?`, () => {
      const { issues, message } = issuesOf(text);
      const typo = issues.find((i) => formatPath(i.path) === at);
      expect(typo?.message).toBe(`unknown field, did you mean ${near}?`);
      expect(typo?.line).toBeGreaterThan(0);
      expect(message).toContain(`${at}: unknown field, did you mean ${near}?`);
    });
  }

  it("an unknown key far from every known one gets no suggestion", () => {
    const { issues } = issuesOf("system: dgx-h100-superpod\nflavour: 1\n");
    expect(formatPath(issues[0].path)).toBe("flavour");
    expect(issues[0].message).not.toMatch(/did you mean/);
  });

  it("negative number: value and bound", () => {
    const { issues } = issuesOf("system:\n  extends: dgx-h100-superpod\n  floorM2PerCabinet: -3\n");
    expect(formatPath(issues[0].path)).toBe("system.floorM2PerCabinet");
    expect(issues[0].value).toBe(-3);
    expect(issues[0].expected).toBe("> 0 (at least 1e-9)");
    expect(issues[0].line).toBe(3);
  });

  it("a tier override merged by name points at the user's own tier, not the merged index", () => {
    const text =
      "system:\n  extends: atlas-950-superpod\n  tiers:\n    - name: superpod-ub\n      bandwidthGBps: -5\n";
    const { issues } = issuesOf(text);
    expect(formatPath(issues[0].path)).toBe("system.tiers[0].bandwidthGBps"); // merged index would be 1
    expect([issues[0].line, issues[0].column]).toEqual([5, 22]);
  });

  it("an error in an inherited tier says which base it came from", () => {
    const { issues } = issuesOf("system:\n  extends: atlas-950-superpod\n  chips: 4096\n");
    expect(issues[0].message).toContain('tier "superpod-ub" inherited from atlas-950-superpod');
  });

  it("topology dims that do not fit the tier", () => {
    const text =
      "system:\n  extends: tpu-v4-pod\n  tiers:\n    - name: pod\n      topology: {kind: torus, dims: [3, 3]}\n";
    const { issues } = issuesOf(text);
    expect(formatPath(issues[0].path)).toBe("system.tiers[0].topology.dims");
    expect(issues[0].expected).toBe("dimensions whose product is 64");
    expect(issues[0].line).toBe(5);
  });

  it("unknown catalog id: lists the known ids", () => {
    const { issues } = issuesOf("system:\n  extends: dgx-h100-superpod\n  chip: h900\n");
    expect(formatPath(issues[0].path)).toBe("system.chip");
    expect(issues[0].value).toBe("h900");
    expect(issues[0].expected).toContain("h100-sxm");
    expect([issues[0].line, issues[0].column]).toEqual([3, 9]);
    expect(issuesOf("system: atlas-9999\n").issues[0].expected).toContain("atlas-950-supercluster");
  });

  it("YAML syntax error: line and column", () => {
    const { issues, message } = issuesOf("system:\n  id: [unclosed\n  name: x\n");
    expect(issues[0].message).toMatch(/^syntax error/);
    expect(issues[0].line).toBeGreaterThanOrEqual(2);
    expect(issues[0].column).toBeGreaterThanOrEqual(1);
    expect(message).toMatch(/bad\.yaml:\d+:\d+/);
  });

  it("a key that is not a plain value (a list, or a !!binary scalar) is refused at its line", () => {
    for (const text of [
      "system: atlas-950-superpod\n? [a, b]\n: 1\n",
      "system: atlas-950-superpod\nreliability:\n  tierAbsorbFraction:\n    !!binary c3VwZXJwb2Q=: 1\n",
    ]) {
      const { issues } = issuesOf(text);
      expect(issues[0].message).toBe(
        "a key must be a plain value (text or a number), not a list, a mapping or binary data",
      );
      expect(issues[0].line).toBeGreaterThanOrEqual(2);
    }
  });

  it("empty file", () => {
    const { issues, message } = issuesOf("  \n");
    expect(issues[0].message).toBe("the file is empty");
    expect(message).toContain("bad.yaml");
  });
});

describe("zettasim spec on a file that does not exist", () => {
  it("exits 2 with a message and no stack trace", () => {
    let status = 0;
    let stderr = "";
    try {
      execFileSync("npx", ["tsx", "cli/main.ts", "spec", "missing.yaml"], {
        encoding: "utf8",
        stdio: "pipe",
      });
    } catch (e) {
      const err = e as { status: number; stderr: string };
      status = err.status;
      stderr = err.stderr;
    }
    expect(status).toBe(2);
    expect(stderr).toContain("no such file: missing.yaml");
    expect(stderr).not.toMatch(/\n\s+at /);
  }, 30_000);
});

describe("type errors in a file's words", () => {
  it("a mapping where a list belongs, Infinity where a finite number belongs, a list where a number belongs", () => {
    const tiers = issuesOf(
      "system: { extends: dgx-h100-superpod, tiers: { infiniband: { bandwidthGBps: 50 } } }\n",
    );
    expect(tiers.issues[0]).toMatchObject({ message: "wrong type", expected: "a list" });
    expect(formatPath(tiers.issues[0].path)).toBe("system.tiers");
    const text = [
      "system: dgx-h100-superpod",
      "model: llama3-70b",
      "training: { tp: .inf, seqLength: [4096], globalBatchSize: 64 }",
    ].join("\n");
    const byPath = new Map(issuesOf(text).issues.map((i) => [formatPath(i.path), i]));
    expect(byPath.get("training.tp")?.expected).toBe("a finite number");
    expect(byPath.get("training.seqLength")?.expected).toBe("a number");
    for (const i of [...byPath.values(), ...tiers.issues])
      expect(i.message).not.toMatch(/Invalid input|received/);
  });

  it("a bound above the default says the bound, not '> 0'", () => {
    const text = [
      "system: atlas-950-superpod",
      "model: deepseek-v3",
      "serving:",
      "  workload: { arrival: { kind: gamma, ratePerS: 10, cv: 1e-160 } }",
    ].join("\n");
    const cv = issuesOf(text).issues.find((i) => formatPath(i.path).endsWith("arrival.cv"));
    expect(cv?.message).toBe("must be at least 0.001 (ratio)");
  });
});
