// Runs a scenario text through the loader and, when it loads, through every engine with small run sizes, and
// classifies the outcome: a finite, non-negative result; an input error that names its field or line; or a bug.
import { resolveSystem } from "../src/catalog/resolve.js";
import { ZettasimError } from "../src/core/errors.js";
import { estimateReliabilityRun, RELIABILITY_LIMITS } from "../src/reliability/estimate.js";
import { startSimulation } from "../src/reliability/monte-carlo.js";
import { assembleReport } from "../src/reliability/report.js";
import { reliabilitySetup } from "../src/reliability/scenario.js";
import { trainingWithFailures } from "../src/reliability/training.js";
import { compareSpecs } from "../src/report/compare.js";
import { deriveSpec } from "../src/report/derive.js";
import { parseText, type Scenario, scenarioFromValue } from "../src/scenario/load.js";
import { servingPlan } from "../src/serving/config.js";
import { runPlan } from "../src/serving/simulate.js";
import { ANNOUNCE_WALL_S, estimateSimulation } from "../src/sim/estimate.js";
import { simulateScenario } from "../src/sim/simulate.js";
import { estimateTraining, memoryFixes } from "../src/training/estimate.js";

/** What one input did. `bug` outcomes are the fuzzer's findings. */
export type Outcome =
  | { kind: "result"; engines: string[] }
  | { kind: "input-error"; stage: string }
  | { kind: "bug"; stage: string; what: string };

/** Keys whose values may be negative (signed differences). */
const SIGNED = /difference|errorPct|deltaPct|Pct$/;

/** The first NaN, infinite or (outside signed keys) negative number in a result, as "path = value". */
export function badNumber(v: unknown, path = ""): string | undefined {
  if (typeof v === "number") {
    if (!Number.isFinite(v)) return `${path} = ${v}`;
    if (v < 0 && !SIGNED.test(path)) return `${path} = ${v}`;
    return undefined;
  }
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const b = badNumber(v[i], `${path}[${i}]`);
      if (b) return b;
    }
  } else if (v && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) {
      const b = badNumber(x, path ? `${path}.${k}` : k);
      if (b) return b;
    }
  }
  return undefined;
}

/** An input error is acceptable when every issue names a field (or, for text-level problems, a line). */
function namesItsField(e: ZettasimError, textLevel: boolean): boolean {
  return e.issues.every(
    (i) => i.path.length > 0 || (textLevel && (i.line !== undefined || i.expected !== undefined)),
  );
}

/** Limits the fuzzer runs the engines under: small runs, so 100,000 inputs finish in minutes. */
export interface FuzzLimits {
  trials: number;
  requests: number;
  /** Largest system the flow simulator runs on (symmetric runs scale with equivalence classes, not chips). */
  maxSimChips: number;
}
export const FUZZ_RUN: FuzzLimits = { trials: 20, requests: 60, maxSimChips: 70_000 };

type Stage = (sc: Scenario, lim: FuzzLimits) => unknown;

const STAGES: [string, (sc: Scenario, lim: FuzzLimits) => boolean, Stage][] = [
  [
    "spec",
    () => true,
    (sc) => compareSpecs([deriveSpec(sc.system), deriveSpec(resolveSystem("gb200-nvl72"))]),
  ],
  [
    "train",
    (sc) => sc.model !== undefined && sc.file.training !== undefined,
    (sc) => {
      const t = sc.file.training!;
      const r = estimateTraining(sc.system, sc.model!, t);
      const fixes = r.fitsInMemory ? [] : memoryFixes(sc.system, sc.model!, t);
      const failures = r.fitsInMemory ? trainingWithFailures(sc, r) : undefined;
      return { r, fixes, failures };
    },
  ],
  [
    "reliability",
    (sc) => sc.file.reliability !== undefined,
    (sc, lim) => {
      const setup = reliabilitySetup(sc, {
        trials: Math.min(sc.file.reliability?.trials ?? 1000, lim.trials),
      });
      const est = estimateReliabilityRun(setup.model, setup.run, setup.trials);
      if (est.events > RELIABILITY_LIMITS.maxEvents / 1000) return est;
      const sim = startSimulation(setup.model, setup.run, { trials: setup.trials, seed: setup.seed });
      while (!sim.done()) sim.step(setup.trials);
      return assembleReport(setup.model, setup.run, sim.result());
    },
  ],
  [
    "serve",
    (sc) => sc.file.serving !== undefined && sc.model !== undefined,
    (sc, lim) => {
      const plan = servingPlan(sc);
      const a = plan.workload.arrival;
      if (a.kind !== "trace")
        plan.workload = {
          ...plan.workload,
          requests: Math.min(plan.workload.requests ?? lim.requests, lim.requests),
        };
      else if (a.requests.length > lim.requests) return plan.pools.length;
      return runPlan(plan, sc.seed);
    },
  ],
  [
    "simulate",
    (sc, lim) => sc.file.simulation !== undefined && sc.system.chips <= lim.maxSimChips,
    (sc) => {
      // A run the CLI would announce as taking more than a few seconds is not run here: its estimate is
      // checked instead (a run estimated short that then runs past the hang limit is a finding).
      const config = { symmetry: true };
      const e = estimateSimulation(sc, { ...(sc.file.simulation ?? {}), ...config });
      if (e.wallS > ANNOUNCE_WALL_S) return e;
      const { trace: _t, ...rest } = simulateScenario(sc, { config });
      return rest;
    },
  ],
];

/** runInput without the warning watch. */
function runInputUnwatched(
  text: string,
  engines = true,
  onStage?: (stage: string) => void,
  lim: FuzzLimits = FUZZ_RUN,
): Outcome {
  let value: unknown;
  let at: Parameters<typeof scenarioFromValue>[2];
  try {
    ({ value, at } = parseText(text, "fuzz.yaml"));
  } catch (e) {
    if (e instanceof ZettasimError && namesItsField(e, true)) return { kind: "input-error", stage: "parse" };
    return { kind: "bug", stage: "parse", what: describe(e) };
  }
  let sc: Scenario;
  try {
    sc = scenarioFromValue(value, "fuzz.yaml", at);
  } catch (e) {
    if (e instanceof ZettasimError && namesItsField(e, false)) return { kind: "input-error", stage: "load" };
    return { kind: "bug", stage: "load", what: describe(e) };
  }
  if (!engines) return { kind: "result", engines: [] };
  const ran: string[] = [];
  for (const [name, applies, run] of STAGES) {
    try {
      if (!applies(sc, lim)) continue;
      onStage?.(name);
      const out = run(sc, lim);
      const bad = badNumber(out);
      if (bad) return { kind: "bug", stage: name, what: `output ${bad}` };
      ran.push(name);
    } catch (e) {
      if (e instanceof ZettasimError && namesItsField(e, false)) return { kind: "input-error", stage: name };
      return { kind: "bug", stage: name, what: describe(e) };
    }
  }
  return { kind: "result", engines: ran };
}

function describe(e: unknown): string {
  if (e instanceof ZettasimError) return `error naming no field: ${e.message.slice(0, 300)}`;
  const err = e as Error;
  return `${err?.name ?? "thrown"}: ${String(err?.message ?? e).slice(0, 300)} ${String(err?.stack ?? "")
    .split("\n")
    .slice(1, 4)
    .join(" | ")}`;
}

/**
 * Loads `text` and runs every engine its sections ask for, counting a process warning (a library printing to
 * stderr) as a finding too. Never throws: every exception is classified.
 * Cost: the loader's O(length), then each engine's (bounded by FUZZ_RUN).
 */
export function runInput(
  text: string,
  engines = true,
  onStage?: (stage: string) => void,
  lim: FuzzLimits = FUZZ_RUN,
): Outcome {
  const warnings: string[] = [];
  const original = process.emitWarning;
  process.emitWarning = ((w: string | Error) => {
    warnings.push(String(w));
  }) as typeof process.emitWarning;
  try {
    const o = runInputUnwatched(text, engines, onStage, lim);
    if (warnings.length > 0 && o.kind !== "bug")
      return { kind: "bug", stage: "warning", what: warnings[0].slice(0, 300) };
    return o;
  } finally {
    process.emitWarning = original;
  }
}
