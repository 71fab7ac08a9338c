// zettasim plan train | serve | size through the command line: --json shapes, --emit round trips through train and simulate, and every bad-input path.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { loadScenarioText } from "../../src/scenario/load.js";
import { simulateScenario } from "../../src/sim/simulate.js";
import { estimateTraining } from "../../src/training/estimate.js";
import { registerPlan } from "./plan.js";
import { registerTrain } from "./train.js";

/** Runs the CLI in this process with stdout and stderr captured; `code` is the exit status it would have. */
async function run(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  const program = new Command().exitOverride();
  registerPlan(program);
  registerTrain(program);
  let stdout = "";
  let stderr = "";
  const o = vi.spyOn(process.stdout, "write").mockImplementation((s) => {
    stdout += String(s);
    return true;
  });
  const e = vi.spyOn(process.stderr, "write").mockImplementation((s) => {
    stderr += String(s);
    return true;
  });
  process.exitCode = 0;
  try {
    await program.parseAsync(["node", "zettasim", ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { stdout, stderr, code };
}

const dir = mkdtempSync(join(tmpdir(), "zettasim-plan-"));
const scenario = (name: string, text: string) => {
  const f = join(dir, name);
  writeFileSync(f, text);
  return f;
};

const small = scenario(
  "small.yaml",
  `name: small plan
system: dgx-h100-superpod
model: llama3-8b
training: { seqLength: 4096, globalBatchSize: 64, chips: 32, tp: 8, pp: 1, trainTokens: 1.0e11 }
plan:
  top: 5
  space: { microBatchSize: [1, 2], cp: [1], precision: [bf16, fp8] }
`,
);

afterEach(() => {
  process.exitCode = 0;
});

describe("zettasim plan train", () => {
  it("--json carries the counts, exactness, wall time and the best layout's figures and knobs", async () => {
    const r = await run(["plan", "train", small, "--json", "--threads", "1"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.considered).toBe(j.space.layouts);
    expect(j.evaluated).toBeGreaterThan(0);
    expect(j.evaluated).toBeLessThan(j.considered);
    expect(j.exact).toBe(true);
    expect(j.wallS).toBeGreaterThan(0);
    expect(j.best.stepTimeS).toBeGreaterThan(0);
    for (const k of [
      "tp",
      "pp",
      "dp",
      "cp",
      "ep",
      "vpp",
      "microBatchSize",
      "zero",
      "recompute",
      "schedule",
      "precision",
    ]) {
      expect(j.best).toHaveProperty(k);
    }
    expect(j.best.tp * j.best.pp * j.best.dp * j.best.cp).toBe(32);
    expect(j.top).toHaveLength(5);
    expect(j.top[1].stepTimeS).toBeGreaterThanOrEqual(j.top[0].stepTimeS);
    expect(j.runnerUp.summary).toMatch(/runner-up/);
    // The scenario's own layout (tp 8) is compared, and is no faster than the optimum.
    expect(j.ownLayout.stepTimeS).toBeGreaterThanOrEqual(j.best.stepTimeS);
    expect(j.withFailures.effectiveTimeToTrainS).toBeGreaterThan(j.best.timeToTrainS);
  });

  it("--emit writes a scenario that train and simulate run as is, with the same step time", async () => {
    const out = join(dir, "winner.yaml");
    const r = await run(["plan", "train", small, "--json", "--threads", "1", "--emit", out]);
    expect(r.code).toBe(0);
    const best = JSON.parse(r.stdout).best;
    const sc = loadScenarioText(readFileSync(out, "utf8"), out);
    const est = estimateTraining(sc.system, sc.model!, sc.file.training!);
    expect(est.stepTimeS).toBe(best.stepTimeS);
    expect(est.fitsInMemory).toBe(true);
    const t = await run(["train", out, "--json"]);
    expect(t.code).toBe(0);
    expect(JSON.parse(t.stdout).stepTimeS).toBe(best.stepTimeS);
    const sim = simulateScenario(sc);
    expect(sim.stepTimeS).toBeGreaterThan(0);
    expect(sim.analytical?.stepTimeS).toBe(best.stepTimeS);
  });

  it("--rerank re-checks the top layouts with the flow simulator", async () => {
    const r = await run(["plan", "train", small, "--json", "--threads", "1", "--top", "3", "--rerank", "2"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.rerank.map((x: { rank: number }) => x.rank)).toEqual([1, 2]);
    j.rerank.forEach(
      (x: { analyticalStepTimeS: number; simulatedStepTimeS: number; differencePct: number }, i: number) => {
        expect(x.analyticalStepTimeS).toBe(j.top[i].stepTimeS);
        expect(x.simulatedStepTimeS).toBeGreaterThan(0);
        expect(x.differencePct).toBeCloseTo(
          (100 * (x.simulatedStepTimeS - x.analyticalStepTimeS)) / x.analyticalStepTimeS,
          9,
        );
      },
    );
    const text = await run(["plan", "train", small, "--threads", "1", "--top", "2", "--rerank", "1"]);
    expect(text.stdout).toMatch(/re-checked with the flow simulator \(best simulated: #1\)/);
  });

  it("--time-limit stops with the best so far, says it is not exact and how far it may be", async () => {
    const ex = "examples/plan-gpt3-175b-a100.yaml";
    const r = await run(["plan", "train", ex, "--json", "--threads", "1", "--time-limit", "0.05"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.cancelled).toBe(true);
    expect(j.considered).toBeLessThan(j.space.layouts);
    // Stopped in the bound phase: the floor over the rest is unknown, so nothing is proven.
    if (j.gap.lowerBound === null) expect(j.exact).toBe(false);
    else expect(j.exact).toBe(j.gap.lowerBound >= j.best.value);
    const text = await run(["plan", "train", ex, "--threads", "1", "--time-limit", "0.05"]);
    expect(text.stdout).toMatch(/NOT exact \(stopped at the 0.05 s time limit\)/);
  });

  it("prints the table, the winner's breakdown and why the runner-up loses", async () => {
    const r = await run(["plan", "train", small, "--threads", "1", "--top", "3"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/exact: the best layout is the proven optimum/);
    expect(r.stdout).toMatch(/winner: /);
    expect(r.stdout).toMatch(/why not #2: the runner-up/);
    expect(r.stdout).toMatch(/with failures and checkpoints/);
  });

  it("works from flags alone, with a chip range and a Pareto front", async () => {
    const r = await run([
      "plan",
      "train",
      "--system",
      "dgx-h100-superpod",
      "--model",
      "llama3-8b",
      "--gbs",
      "64",
      "--seq",
      "2048",
      "--chips",
      "16-32",
      "--threads",
      "1",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.bestByChips.map((x: { chips: number }) => x.chips)).toEqual([16, 32]);
    expect(j.pareto.length).toBeGreaterThanOrEqual(1);
  });

  it("runs the example: Calculon's GPT-3 problem, all 17.7 million layouts, proven optimal and faster than the published layout", async () => {
    const r = await run(["plan", "train", "examples/plan-gpt3-175b-a100.yaml", "--json", "--threads", "1"]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.space.layouts).toBeGreaterThan(10_000_000);
    expect(j.considered).toBe(j.space.layouts);
    expect(j.exact).toBe(true);
    expect(j.best.memoryPerChipBytes).toBeLessThanOrEqual(0.95 * 80e9);
    expect(j.best.stepTimeS).toBeLessThan(j.ownLayout.stepTimeS);
  });

  const bad: [string, string[], RegExp][] = [
    [
      "an unknown objective",
      ["--objective", "speed"],
      /--objective: unknown value .*stepTime, timeToTrain, cost, energy/,
    ],
    ["a bad chip list", ["--chips", "16,x"], /--chips: bad value: not written in decimal digits \(got "x"/],
    [
      "a precision the chip lacks",
      ["--system", "dgx-a100-superpod", "--precision", "fp8"],
      /plan\.space\.precision\[0\]: .*no fp8/,
    ],
    [
      "a deadline without tokens",
      ["--deadline-days", "3", "--gbs", "64"],
      /plan\.constraints\.deadlineDays: a deadline needs the tokens/,
    ],
    ["more chips than the system has", ["--chips", "4096"], /plan\.chips: 4096 chips but/],
    ["no global batch", ["--model", "llama3-8b"], /training\.globalBatchSize: no global batch size/],
    ["a zero threads count", ["--threads", "0", "--gbs", "64"], /--threads: bad value/],
  ];
  for (const [what, extra, msg] of bad) {
    it(`rejects ${what} with a clear error (exit 2)`, async () => {
      const base = [
        "plan",
        "train",
        "--system",
        "dgx-h100-superpod",
        "--model",
        "llama3-8b",
        "--chips",
        "16",
      ];
      const args = [...base, ...extra];
      if (!extra.includes("--gbs") && what !== "no global batch") args.push("--gbs", "64");
      const r = await run(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(msg);
      expect(r.stderr).not.toMatch(/at \w+ \(/);
    });
  }

  it("names the plan field at fault in a scenario", async () => {
    const f = scenario(
      "bad-plan.yaml",
      "system: dgx-h100-superpod\nmodel: llama3-8b\ntraining: { seqLength: 2048, globalBatchSize: 64 }\nplan: { space: { tp: [0] } }\n",
    );
    const r = await run(["plan", "train", f]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan\.space\.tp\[0\]/);
  });
});

describe("zettasim plan serve", () => {
  const serve = scenario(
    "serve.yaml",
    `name: small serving plan
seed: 3
system: atlas-950-superpod
model: deepseek-v3
serving:
  mode: disaggregated
  precision: fp8
  workload:
    arrival: { kind: poisson, ratePerS: 20 }
    requests: 300
    inputTokens: { kind: lognormal, meanTokens: 1500, cv: 0.5, maxTokens: 8000 }
    outputTokens: { kind: uniform, minTokens: 20, maxTokens: 200 }
  slo: { ttftMs: 2000, tpotMs: 50 }
plan:
  serve: { recheck: 2, instanceChips: [16, 32, 64], tp: [1, 2] }
`,
  );

  it("--json gives the screen, the re-checked deployments and a winner meeting the targets; --emit runs", async () => {
    const out = join(dir, "served.yaml");
    const r = await run(["plan", "serve", serve, "--json", "--threads", "1", "--emit", out]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.screened).toBeGreaterThan(j.feasible);
    expect(j.rechecked.length).toBeGreaterThanOrEqual(1);
    expect(j.winner.simulated.meetsTargets).toBe(true);
    expect(j.winner.simulated.ttftMs).toBeLessThanOrEqual(2000);
    expect(j.winner.simulated.tpotMs).toBeLessThanOrEqual(50);
    expect(j.winner.chips).toBeLessThanOrEqual(8192);
    const sc = loadScenarioText(readFileSync(out, "utf8"), out);
    expect(sc.file.serving?.mode).toBe(j.winner.mode);
  });

  it("rejects a scenario without targets, naming serving.slo", async () => {
    const f = scenario("no-slo.yaml", readFileSync(serve, "utf8").replace(/ {2}slo: .*\n/, ""));
    const r = await run(["plan", "serve", f, "--threads", "1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/serving\.slo: plan serve needs/);
  });

  it("rejects an unknown percentile", async () => {
    const r = await run(["plan", "serve", serve, "--percentile", "95"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--percentile: unknown value/);
  });
});

describe("zettasim plan size", () => {
  it("--json sizes each system for the deadline and at an equal power budget", async () => {
    const r = await run([
      "plan",
      "size",
      "--model",
      "llama3-8b",
      "--tokens",
      "2e11",
      "--deadline-days",
      "7",
      "--gbs",
      "256",
      "--seq",
      "4096",
      "--systems",
      "dgx-h100-superpod,dgx-a100-superpod",
      "--budget-mw",
      "0.5",
      "--threads",
      "1",
      "--json",
    ]);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.systems.map((s: { system: string }) => s.system)).toEqual([
      "dgx-h100-superpod",
      "dgx-a100-superpod",
    ]);
    for (const s of j.systems) {
      expect(s.choice.meetsDeadline).toBe(true);
      expect(s.choice.effectiveTimeToTrainS).toBeLessThanOrEqual(7 * 86400);
      // The smallest that meets it: every smaller size searched misses, and the size one node (8 GPUs) below
      // was searched (bisection's last miss) or cannot meet it even at peak FLOP/s.
      const below = s.sizes.filter((c: { chips: number }) => c.chips < s.choice.chips);
      for (const c of below) expect(c.meetsDeadline).toBe(false);
      expect(s.unitsChips).toEqual([8]);
      const prev = s.sizes.find((c: { chips: number }) => c.chips === s.choice.chips - 8);
      if (prev) expect(prev.meetsDeadline).toBe(false);
      else expect(below.length).toBe(0);
      // Sizes are whole nodes, not powers of two only.
      for (const c of s.sizes) expect(c.chips % 8).toBe(0);
      expect(s.atBudget.facilityPowerW).toBeLessThanOrEqual(0.5e6);
    }
    // H100 needs fewer chips than A100 for the same job.
    expect(j.systems[0].choice.chips).toBeLessThanOrEqual(j.systems[1].choice.chips);
  });

  it("rejects a missing deadline, naming plan.size.deadlineDays", async () => {
    const r = await run(["plan", "size", "--model", "llama3-8b", "--tokens", "1e11", "--gbs", "64"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/plan\.size\.deadlineDays: no deadline/);
  });
});
