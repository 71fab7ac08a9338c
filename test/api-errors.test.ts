// Every public entry point that takes a config object or text refuses an argument of the wrong kind with a
// ZettasimError naming the argument, never a raw TypeError from inside (a browser user calls them directly).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { ModelConfig, PlanTask, Scenario, System, TrainingConfig } from "../src/index.js";
import * as Z from "../src/index.js";

const scenario: Scenario = Z.scenarioFromValue(Z.DEFAULT_SCENARIO);
const system: System = scenario.system;
const model = scenario.model as ModelConfig;
const training = scenario.file.training as TrainingConfig;

// biome-ignore lint/suspicious/noExplicitAny: the point is to pass what the types forbid
type Any = any;
/** A flow network on the scenario's fabric (the right kind for the argument not under test). */
const flowNet = () => new Z.FlowNetwork(new Z.Fabric(system), new Z.EventQueue());
/** A one-chip serving instance and its options (the right kind for the InstanceCost argument not under test). */
const oneChip = { chips: 1, tp: 1, attentionDp: 1, ep: 1 };
const bf16 = { precision: "bf16" } as Any;
/** [entry point, the call with `bad` in one argument's place, the argument's name, its kind]. */
const entries: [string, (bad: Any) => unknown, string, "object" | "string" | "array"][] = [
  ["modelShape", (b) => Z.modelShape(b), "model", "object"],
  ["servingShape", (b) => Z.servingShape(b), "model", "object"],
  ["deriveSpec", (b) => Z.deriveSpec(b), "system", "object"],
  ["compareSpecs", (b) => Z.compareSpecs(b), "specs", "array"],
  ["simulateServing", (b) => Z.simulateServing(b), "scenario", "object"],
  ["servingPlan", (b) => Z.servingPlan(b), "scenario", "object"],
  ["runPlan", (b) => Z.runPlan(b, 1), "plan", "object"],
  ["simulateScenario", (b) => Z.simulateScenario(b), "scenario", "object"],
  ["reliabilitySetup", (b) => Z.reliabilitySetup(b), "scenario", "object"],
  ["trainingWithFailures", (b) => Z.trainingWithFailures(b, {} as Any), "scenario", "object"],
  ["fleetSpread", (b) => Z.fleetSpread(b, { idealTrainingS: 1 }), "model", "object"],
  ["withRateFactor", (b) => Z.withRateFactor(b, 2), "model", "object"],
  ["loadScenarioText", (b) => Z.loadScenarioText(b), "text", "string"],
  ["parseText", (b) => Z.parseText(b), "text", "string"],
  ["runValidation", (b) => Z.runValidation(b), "files", "array"],
  ["estimateTraining(system)", (b) => Z.estimateTraining(b, model, training), "system", "object"],
  ["estimateTraining(model)", (b) => Z.estimateTraining(system, b, training), "model", "object"],
  ["estimateTraining(training)", (b) => Z.estimateTraining(system, model, b), "training", "object"],
  ["prepareTraining(system)", (b) => Z.prepareTraining(b, model, training), "system", "object"],
  ["prepareTraining(model)", (b) => Z.prepareTraining(system, b, training), "model", "object"],
  ["prepareTraining(training)", (b) => Z.prepareTraining(system, model, b), "training", "object"],
  ["planTraining(model)", (b) => Z.planTraining(system, b, training), "model", "object"],
  ["memoryFixes(system)", (b) => Z.memoryFixes(b, model, training), "system", "object"],
  ["memoryFixes(model)", (b) => Z.memoryFixes(system, b, training), "model", "object"],
  ["memoryFixes(training)", (b) => Z.memoryFixes(system, model, b), "training", "object"],
  ["evaluateTraining", (b) => Z.evaluateTraining(b), "prepared", "object"],
  ["trainingEfficiency", (b) => Z.trainingEfficiency(b), "chip", "object"],
  ["efficiencyFor", (b) => Z.efficiencyFor(b), "chip", "object"],
  ["buildReliabilityModel", (b) => Z.buildReliabilityModel(b, {} as Any), "system", "object"],
  ["expectedGoodput", (b) => Z.expectedGoodput(b, 8, {} as Any), "system", "object"],
  ["simulateJobReliability", (b) => Z.simulateJobReliability(b, 8, {} as Any), "system", "object"],
  ["layoutSummary", (b) => Z.layoutSummary(b), "layout", "object"],
  ["explainRunnerUp", (b) => Z.explainRunnerUp(b, b), "winner", "object"],
  ["plannedScenario", (b) => Z.plannedScenario(b, {} as Any), "source", "object"],
  ["runPlanTask", (b) => Z.runPlanTask(b as PlanTask), "task", "object"],
  ["resolveChip", (b) => Z.resolveChip(b), "chip", "object"],
  ["resolveModel", (b) => Z.resolveModel(b), "model", "object"],
  ["resolveSystem", (b) => Z.resolveSystem(b), "system", "object"],
  ["resolveProtocol", (b) => Z.resolveProtocol(b), "protocol", "object"],
  ["systemFromCaseHardware", (b) => Z.systemFromCaseHardware(b), "hardware", "object"],
  ["predictTrainingCase", (b) => Z.predictTrainingCase(b), "case", "object"],
  ["predictServingCase", (b) => Z.predictServingCase(b), "case", "object"],
  ["validationCases", (b) => Z.validationCases(b), "validation file", "object"],
  ["scenarioFromValue", (b) => Z.scenarioFromValue(b), "scenario", "object"],
  // Lower-level building blocks, exported too: the simulator's pieces, the serving cost, the error formatters.
  ["new Fabric", (b) => new Z.Fabric(b), "system", "object"],
  ["new FlowNetwork(topology)", (b) => new Z.FlowNetwork(b, new Z.EventQueue()), "topology", "object"],
  ["new FlowNetwork(queue)", (b) => new Z.FlowNetwork(new Z.Fabric(system), b), "queue", "object"],
  ["buildLinkGraph", (b) => Z.buildLinkGraph(b), "source", "object"],
  ["buildFatTreeGraph", (b) => Z.buildFatTreeGraph(b), "params", "object"],
  ["simulateIteration(net)", (b) => Z.simulateIteration(b, {} as Any), "net", "object"],
  ["simulateIteration(plan)", (b) => Z.simulateIteration(flowNet(), b), "plan", "object"],
  ["runCollective(net)", (b) => Z.runCollective(b, {} as Any, () => {}), "net", "object"],
  ["runCollective(req)", (b) => Z.runCollective(flowNet(), b, () => {}), "req", "object"],
  ["chromeTrace", (b) => Z.chromeTrace(b), "result", "object"],
  ["new InstanceCost(model)", (b) => new Z.InstanceCost(b, system, oneChip, bf16), "model", "object"],
  ["new InstanceCost(system)", (b) => new Z.InstanceCost(model, b, oneChip, bf16), "system", "object"],
  ["new InstanceCost(layout)", (b) => new Z.InstanceCost(model, system, b, bf16), "layout", "object"],
  ["new InstanceCost(opts)", (b) => new Z.InstanceCost(model, system, oneChip, b), "opts", "object"],
  ["offlineRunS(cost)", (b) => Z.offlineRunS(b, {} as Any), "cost", "object"],
  ["offlineRunS(run)", (b) => Z.offlineRunS({} as Any, b), "run", "object"],
  ["formatIssue", (b) => Z.formatIssue(b), "issue", "object"],
  // These threw a TypeError from inside (reading 'checkpoint' / 'classes' of what they were given).
  ["expectedOutcome", (b) => Z.expectedOutcome(b, { idealTrainingS: 1 } as Any), "model", "object"],
  [
    "simulateReliability",
    (b) => Z.simulateReliability(b, {} as Any, { trials: 1 } as Any),
    "model",
    "object",
  ],
  ["reliabilityReport", (b) => Z.reliabilityReport(b, {} as Any, { trials: 1 } as Any), "model", "object"],
  ["formatPath", (b) => Z.formatPath(b), "path", "array"],
];
/** Async entry points: the promise rejects the same way. */
const asyncEntries: [string, (bad: Any) => Promise<unknown>, string][] = [
  ["planServe", (b) => Z.planServe(b), "problem"],
  ["planTrain", (b) => Z.planTrain(b), "problem"],
  ["planSize", (b) => Z.planSize(b, {} as Any), "problem"],
];

const bads: [string, unknown][] = [
  ["null", null],
  ["undefined", undefined],
  ["42", 42],
  ["'x'", "x"],
  ["[]", []],
];

function refusal(call: () => unknown): unknown {
  try {
    call();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe("public entry points refuse an argument of the wrong kind by name", () => {
  for (const [entry, call, arg, kind] of entries) {
    for (const [label, bad] of bads) {
      // A string is the right kind for a text argument (and an id is a string): only the kind check is tested here.
      if (kind === "string" && typeof bad === "string") continue;
      if (kind === "array" && Array.isArray(bad)) continue;
      it(`${entry}(${label})`, () => {
        const e = refusal(() => call(bad));
        expect(e, `${entry}(${label}) did not throw`).toBeInstanceOf(Z.ZettasimError);
        if (typeof bad !== "string") expect((e as Error).message).toContain(arg);
      });
    }
  }
  for (const [entry, call, arg] of asyncEntries) {
    for (const [label, bad] of bads) {
      it(`${entry}(${label}) rejects`, async () => {
        const e = await call(bad).then(
          () => undefined,
          (x: unknown) => x,
        );
        expect(e).toBeInstanceOf(Z.ZettasimError);
        expect((e as Error).message).toContain(arg);
      });
    }
  }
});

describe("public entry points refuse an empty object by naming its missing fields", () => {
  // `{}` passes the kind check; each entry must still answer with a ZettasimError (a browser user who builds
  // the object by hand and forgets a field), not a TypeError reading a property of undefined deep inside.
  for (const [entry, call, , kind] of entries) {
    if (kind !== "object") continue;
    it(`${entry}({})`, () => {
      let out: unknown;
      const e = refusal(() => {
        out = call({});
      });
      // formatIssue({}) formats an issue with no path or message: an answer, not a crash.
      if (e === undefined) expect(typeof out, `${entry}({}) returned`).toBe("string");
      else
        expect(e, `${entry}({}) threw ${(e as Error)?.name}: ${(e as Error)?.message}`).toBeInstanceOf(
          Z.ZettasimError,
        );
    });
  }
  for (const [entry, call] of asyncEntries) {
    it(`${entry}({}) rejects with the missing field`, async () => {
      const e = await call({}).then(
        () => undefined,
        (x: unknown) => x,
      );
      expect(e).toBeInstanceOf(Z.ZettasimError);
      expect((e as Error).message).toMatch(/required field missing|must be an object/);
    });
  }
  it("names every missing field of a hand-built System, and a ServingPlan's seed", () => {
    const e = refusal(() => Z.deriveSpec({} as Any)) as Z.ZettasimError;
    expect(e.issues.map((i) => i.path.join("."))).toEqual(["system.chip", "system.chips", "system.tiers"]);
    const text = readFileSync(
      new URL("../examples/deepseek-v3-atlas-950-colocated.yaml", import.meta.url),
      "utf8",
    );
    const plan = Z.servingPlan(Z.loadScenarioText(text));
    expect(refusal(() => Z.runPlan(plan, -1))).toBeInstanceOf(Z.ZettasimError);
    expect(refusal(() => Z.runPlan(plan, undefined as Any))).toBeInstanceOf(Z.ZettasimError);
  });
  it("a fat tree with an odd radix and a plan task of an unknown kind are named input errors", () => {
    expect(refusal(() => Z.buildFatTreeGraph({ radix: 5, levels: 2, portBytesPerS: 1e9 }))).toBeInstanceOf(
      Z.ZettasimError,
    );
    const e = refusal(() => Z.runPlanTask({ kind: "train-everything" } as Any)) as Z.ZettasimError;
    expect(e).toBeInstanceOf(Z.ZettasimError);
    expect(e.issues[0].path).toEqual(["task", "kind"]);
  });
});

describe("small public helpers refuse values they cannot answer for", () => {
  it("modelShape and servingShape name a hand-built model's missing or bad count (they returned NaN fields)", () => {
    for (const shape of [Z.modelShape, Z.servingShape]) {
      expect(() => shape({} as ModelConfig)).toThrow(Z.ZettasimError);
      expect(() => shape({} as ModelConfig)).toThrow(/model\.layers/);
      expect(() => shape({ ...model, heads: 0 })).toThrow(/model\.heads/);
      expect(() => shape({ ...model, vocabSize: 1.5 } as ModelConfig)).toThrow(/whole number/);
      expect(Number.isFinite(shape(model).layers)).toBe(true);
    }
  });
  it("availabilityFromMtbf names a missing or bad MTBF or MTTR (it returned NaN) and still answers good ones", () => {
    expect(Z.availabilityFromMtbf(99, 1)).toBeCloseTo(0.99, 12);
    expect(Z.availabilityFromMtbf(5, 0)).toBe(1);
    for (const [mtbf, mttr, at] of [
      [10, undefined, "mttr"],
      [Number.NaN, 1, "mtbf"],
      [0, 1, "mtbf"],
      [10, -1, "mttr"],
      [10, Number.POSITIVE_INFINITY, "mttr"],
    ] as [Any, Any, string][]) {
      const e = refusal(() => Z.availabilityFromMtbf(mtbf, mttr));
      expect(e, `${mtbf}, ${mttr}`).toBeInstanceOf(Z.ZettasimError);
      expect((e as Z.ZettasimError).issues[0].path).toEqual([at]);
    }
  });
  it("topologyTraits names an unknown kind with the known ones (it threw a TypeError reading 'traits')", () => {
    expect(Z.topologyTraits("torus")).toBeDefined();
    const e = refusal(() => Z.topologyTraits("hypercube" as Any));
    expect(e).toBeInstanceOf(Z.ZettasimError);
    expect((e as Error).message).toMatch(/unknown topology kind .*hypercube.*fat-tree/);
  });
});
