// The claims study: does the Atlas 950/960 hold up once it runs a job? Scaling from 1,024 to 1,048,576 chips,
// systems at equal power and floor area, UBoE against RoCE, and whether 8,192 chips "think as one". All figures come
// from the core's models; every variant is a scenario value a user can run with the CLI.
import { ZettasimError } from "../core/errors.js";
import type { Expectation } from "../reliability/closed-form.js";
import { expectedOutcome } from "../reliability/closed-form.js";
import { reliabilitySetup } from "../reliability/scenario.js";
import { trainingWithFailures } from "../reliability/training.js";
import { DEFAULT_SCENARIO } from "../scenario/default.js";
import { type Scenario, scenarioFromValue } from "../scenario/load.js";
import type { ScenarioFile } from "../schema/scenario.js";
import { simulateScenario } from "../sim/simulate.js";
import { estimateTraining, type TrainingEstimate } from "../training/estimate.js";
import { compareSpecs } from "./compare.js";
import { deriveSpec, type SystemSpec } from "./derive.js";
import { STUDY_FILES } from "./study-files.js";

/** The scenarios the study takes as given: the repo's UBoE/RoCE examples (their policies and collectives). */
export interface StudyInputs {
  /** examples/atlas-950-supercluster-reliability-{uboe,roce}.yaml: failure policy, recovery, checkpoints. */
  reliability: { uboe: Scenario; roce: Scenario };
  /** examples/atlas-950-uboe-vs-roce-{uboe,roce}.yaml: a 256 MiB all-reduce over the whole SuperCluster. */
  collective: { uboe: Scenario; roce: Scenario };
}

/** The study's inputs, each example loaded by `load` (given its file name under examples/). */
export function studyInputs(load: (file: string) => Scenario): StudyInputs {
  const f = STUDY_FILES;
  return {
    reliability: { uboe: load(f.reliability.uboe), roce: load(f.reliability.roce) },
    collective: { uboe: load(f.collective.uboe), roce: load(f.collective.roce) },
  };
}

/** One job size of the scaling study. */
export interface ScalePoint {
  chips: number;
  /** The system as a scenario writes it. */
  system: ScenarioFile["system"];
  layout: string;
  stepTimeS: number;
  mfu: number;
  tokensPerSecond: number;
  microBatchesPerReplica: number;
  timeToTrainS: number;
  goodput: number;
  effectiveTimeToTrainS: number;
  unexpectedInterruptions: number;
}

/** Candidate layouts of the scaling study (tp, pp, vpp, ep): the fastest that fits is kept at each size. */
const LAYOUTS = [
  { tp: 8, pp: 8, vpp: 4, ep: 64 },
  { tp: 8, pp: 8, vpp: 1, ep: 64 },
  { tp: 8, pp: 16, vpp: 1, ep: 64 },
  { tp: 8, pp: 8, vpp: 4, ep: 32 },
  { tp: 8, pp: 16, vpp: 1, ep: 32 },
  { tp: 8, pp: 8, vpp: 4, ep: 16 },
];

/**
 * The Atlas 950 at `chips`: a SuperCluster of chips/8,192 SuperPoDs above one SuperPoD; below it a partial
 * SuperPoD whose L2 switches, optics, communication cabinets and their power scale pro rata (an assumption).
 */
export function atlas950At(chips: number): ScenarioFile["system"] {
  if (chips > 8192) return { extends: "atlas-950-supercluster", chips };
  const f = chips / 8192;
  return {
    extends: "atlas-950-superpod",
    chips,
    tiers: [
      {
        name: "superpod-ub",
        groupSize: chips,
        perGroup: {
          cabinets: { communication: Math.max(1, Math.round(32 * f)) },
          switches: Math.round(1280 * f),
          opticalModules: Math.round(163840 * f),
          powerKW: 3246 * f,
        },
      },
    ],
  } as ScenarioFile["system"];
}

/** The reliability section of a policy scenario, keeping only the tiers `system` has. */
function policyFor(policy: Scenario, sc: Scenario): ScenarioFile["reliability"] {
  const r = policy.file.reliability ?? {};
  const tiers = new Set(sc.system.tiers.map((t) => t.name));
  const absorb = Object.fromEntries(
    Object.entries(r.policy?.tierAbsorbFraction ?? {}).filter(([k]) => tiers.has(k)),
  );
  return {
    recovery: r.recovery,
    checkpoint: r.checkpoint,
    policy: { ...r.policy, tierAbsorbFraction: absorb },
  } as ScenarioFile["reliability"];
}

function fastestLayout(
  system: ScenarioFile["system"],
): { sc: Scenario; r: TrainingEstimate; layout: string } | undefined {
  let best: { sc: Scenario; r: TrainingEstimate; layout: string } | undefined;
  for (const l of LAYOUTS) {
    try {
      const sc = scenarioFromValue({
        ...DEFAULT_SCENARIO,
        system,
        training: { ...DEFAULT_SCENARIO.training, ...l },
      });
      const r = estimateTraining(sc.system, sc.model!, sc.file.training!);
      if (r.fitsInMemory && (!best || r.stepTimeS < best.r.stepTimeS))
        best = { sc, r, layout: `tp ${l.tp} x pp ${l.pp} (vpp ${l.vpp}), ep ${l.ep}, dp ${r.degrees.dp}` };
    } catch (e) {
      if (!(e instanceof ZettasimError)) throw e;
    }
  }
  return best;
}

/**
 * The default scenario's job (moe-2t, 30T tokens, a fixed 65,536 x 4,096-token batch) at every power of two from
 * 1,024 to 1,048,576 chips of Atlas 950: step time, MFU, time to train, and goodput under the UBoE example's
 * failure policy. Cost: a few hundred microsecond-scale estimates.
 */
export function scalingStudy(policy: Scenario, from = 1024, to = 1048576): ScalePoint[] {
  const out: ScalePoint[] = [];
  for (let n = from; n <= to; n *= 2) {
    const system = atlas950At(n);
    const best = fastestLayout(system);
    if (!best) continue;
    const sc = { ...best.sc, file: { ...best.sc.file, reliability: policyFor(policy, best.sc) } };
    const f = trainingWithFailures(sc, best.r) as Expectation;
    out.push({
      chips: n,
      system,
      layout: best.layout,
      stepTimeS: best.r.stepTimeS,
      mfu: best.r.mfu,
      tokensPerSecond: best.r.tokensPerSecond,
      microBatchesPerReplica: best.r.microBatches,
      timeToTrainS: best.r.timeToTrainS ?? 0,
      goodput: f.goodput,
      effectiveTimeToTrainS: f.effectiveTimeToTrainS,
      unexpectedInterruptions: f.interruptions.unexpected,
    });
  }
  return out;
}

/** One system scaled to a power or floor budget (fractional copies, so the ratio is the system's own density). */
export interface BudgetRow {
  id: string;
  name: string;
  /** Copies of the system that fit the budget. */
  copies: number;
  chips: number;
  fp8Flops?: number;
  bf16Flops?: number;
  memoryBytes: number;
  memoryBandwidthBytesPerS: number;
  scaleUpBandwidthBytesPerS: number;
  /** The largest group in which every chip keeps at least half its scale-up bandwidth (where TP and EP run fast). */
  fullBandwidthDomainChips: number;
  /** Floor area per cabinet (or rack) in the catalog, m2. */
  floorM2PerCabinet: number;
}

export const BUDGET_SYSTEMS = [
  "atlas-950-superpod",
  "atlas-960-superpod",
  "gb200-nvl72",
  "gb300-nvl72",
  "vr-nvl144",
  "tpu-v5p-pod",
];

/** The largest tier group whose per-chip bandwidth is at least half the chip's scale-up bandwidth (per direction). */
export function fullBandwidthDomain(s: SystemSpec): number {
  const perChip = s.scaleUpBandwidthBytesPerS / (2 * s.chips);
  let domain = 1;
  for (const t of s.tiers) {
    if (t.bandwidthPerChipBytesPerS < perChip / 2) break;
    domain = t.groupSize;
  }
  return domain;
}

function budgetRow(s: SystemSpec, copies: number): BudgetRow {
  return {
    id: s.id,
    name: s.name,
    copies,
    chips: s.chips * copies,
    fp8Flops: s.peakFlops.fp8 === undefined ? undefined : s.peakFlops.fp8 * copies,
    bf16Flops: s.peakFlops.bf16 === undefined ? undefined : s.peakFlops.bf16 * copies,
    memoryBytes: s.memoryBytes * copies,
    memoryBandwidthBytesPerS: s.memoryBandwidthBytesPerS * copies,
    scaleUpBandwidthBytesPerS: s.scaleUpBandwidthBytesPerS * copies,
    fullBandwidthDomainChips: fullBandwidthDomain(s),
    floorM2PerCabinet: s.cabinets.total > 0 ? s.floorAreaM2 / s.cabinets.total : 0,
  };
}

/** Systems at the Atlas 950 SuperPoD's facility power and at its floor area. Cost: one spec per system. */
export function budgetStudy(ids: string[] = BUDGET_SYSTEMS): {
  powerW: number;
  floorM2: number;
  atEqualPower: BudgetRow[];
  atEqualArea: BudgetRow[];
} {
  const specs = ids.map((id) => deriveSpec(scenarioFromValue({ system: id }).system));
  const ref = specs[0];
  return {
    powerW: ref.facilityPowerW,
    floorM2: ref.floorAreaM2,
    atEqualPower: specs.map((s) => budgetRow(s, ref.facilityPowerW / s.facilityPowerW)),
    atEqualArea: specs.map((s) => budgetRow(s, ref.floorAreaM2 / s.floorAreaM2)),
  };
}

/** UBoE against RoCE as the SuperCluster's scale-out: hardware, a collective, failures, a training step. */
export interface ProtocolStudy {
  rows: { figure: string; unit: string; uboe: number; roce: number; source: string }[];
}

/** Runs the UBoE/RoCE comparison. Cost: two flow simulations of a SuperCluster collective (about a second each). */
export function uboeVsRoce(inputs: StudyInputs): ProtocolStudy {
  const [u, r] = [inputs.reliability.uboe, inputs.reliability.roce].map((s) => deriveSpec(s.system));
  const cmp = compareSpecs([u, r]);
  const pick = (key: string) => cmp.rows.find((x) => x.key === key);
  const rows: ProtocolStudy["rows"] = [];
  for (const [key, figure, unit] of [
    ["switches", "switches", ""],
    ["opticalModules", "optical modules", ""],
    ["cabinets", "cabinets", ""],
    ["powerW", "IT power", "W"],
  ] as const) {
    const row = pick(key);
    if (row) rows.push({ figure, unit, uboe: row.values[0] ?? 0, roce: row.values[1] ?? 0, source: "spec" });
  }
  const [cu, cr] = [inputs.collective.uboe, inputs.collective.roce].map((s) => simulateScenario(s));
  rows.push({
    figure: "256 MiB all-reduce, whole SuperCluster",
    unit: "s",
    uboe: cu.stepTimeS,
    roce: cr.stepTimeS,
    source: "simulate",
  });
  const [ru, rr] = [inputs.reliability.uboe, inputs.reliability.roce].map((s) => {
    const setup = reliabilitySetup(s);
    return expectedOutcome(setup.model, setup.run);
  });
  rows.push({
    figure: "goodput, 30-day run (closed form)",
    unit: "%",
    uboe: ru.goodput,
    roce: rr.goodput,
    source: "reliability",
  });
  rows.push({
    figure: "unexpected interruptions, 30-day run",
    unit: "",
    uboe: ru.interruptions.unexpected,
    roce: rr.interruptions.unexpected,
    source: "reliability",
  });
  const [tu, tr] = [inputs.reliability.uboe, inputs.reliability.roce].map((s) => {
    const sc = scenarioFromValue({ ...DEFAULT_SCENARIO, system: s.system.id });
    return estimateTraining(sc.system, sc.model!, sc.file.training!);
  });
  rows.push({
    figure: "default scenario's training step",
    unit: "s",
    uboe: tu.stepTimeS,
    roce: tr.stepTimeS,
    source: "train",
  });
  return { rows };
}

/** One variant of the "think as one" question. */
export interface OneMindRow {
  label: string;
  system: ScenarioFile["system"];
  stepTimeS: number;
  mfu: number;
  /** Time each chip spends computing its share (compute + recompute + optimizer) / step time. */
  efficiency: number;
  breakdownS: Record<string, number>;
}

/** The job of the "think as one" check: moe-2t as the SuperCluster example lays it out, on 8,192 chips. */
export const ONE_MIND_TRAINING = {
  seqLength: 4096,
  globalBatchSize: 4096,
  microBatchSize: 1,
  tp: 8,
  pp: 16,
  ep: 64,
  sequenceParallel: true,
  precision: "fp8",
  zero: 1,
} as const;

/**
 * Whether 8,192 chips "think as one": one job on the whole SuperPoD, its efficiency against the same chips
 * computing their shares alone (communication and pipeline waits free), beside the UB-Mesh reading and the same
 * chips with an ordinary 800G RoCE network between the 64-NPU cabinets. Cost: three estimates.
 */
export function thinkAsOne(): OneMindRow[] {
  const variants: [string, ScenarioFile["system"]][] = [
    ["one Atlas 950 SuperPoD (UB Clos)", "atlas-950-superpod"],
    ["one Atlas 950 SuperPoD (UB-Mesh reading)", "atlas-950-superpod-ubmesh"],
    [
      "same 8,192 NPUs, 64-NPU cabinets on 800G RoCE",
      {
        extends: "atlas-950-superpod",
        tiers: [{ name: "superpod-ub", bandwidthGBps: 100, protocol: "roce", latencyUs: 2 }],
      } as ScenarioFile["system"],
    ],
  ];
  return variants.map(([label, system]) => {
    const sc = scenarioFromValue({ system, model: "moe-2t", training: { ...ONE_MIND_TRAINING } });
    const r = estimateTraining(sc.system, sc.model!, sc.file.training!);
    const b = r.breakdownS;
    return {
      label,
      system,
      stepTimeS: r.stepTimeS,
      mfu: r.mfu,
      efficiency: (b.computeS + b.recomputeS + b.optimizerS) / r.stepTimeS,
      breakdownS: { ...b },
    };
  });
}

/** Everything the claims report shows, as plain data. */
export interface ClaimsStudy {
  scaling: ScalePoint[];
  budget: ReturnType<typeof budgetStudy>;
  protocols: ProtocolStudy;
  oneMind: OneMindRow[];
}

/** Runs the whole study. Cost: about two seconds (the two SuperCluster collectives dominate). */
export function runClaimsStudy(inputs: StudyInputs, log?: (what: string) => void): ClaimsStudy {
  log?.("scaling 1,024 to 1,048,576 chips");
  const scaling = scalingStudy(inputs.reliability.uboe);
  log?.("equal power and floor area");
  const budget = budgetStudy();
  log?.("UBoE against RoCE");
  const protocols = uboeVsRoce(inputs);
  log?.("think as one");
  return { scaling, budget, protocols, oneMind: thinkAsOne() };
}
