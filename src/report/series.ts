// Data series derived from results for charts: timeline segments, latency CDFs, reliability against scale and
// checkpoint interval. Pure functions of results or scenarios, shared by the web app and the HTML report.
import { ZettasimError } from "../core/errors.js";
import { DAY } from "../core/units.js";
import { expectedOutcome, meanTimesBetween } from "../reliability/closed-form.js";
import { reliabilitySetup, type SetupOverrides } from "../reliability/scenario.js";
import type { Scenario } from "../scenario/load.js";
import type { TraceEvent } from "../sim/iteration/iteration.js";

/** One bar of the iteration timeline: a stage's compute or communication lane over [startS, endS). */
export interface TimelineSegment {
  stage: number;
  lane: "compute" | "communication";
  /** forward, backward, optimizer, bubble, or the communication kind (tp, cp, ep, pp, dp). */
  kind: string;
  startS: number;
  endS: number;
}

/** What a compute-lane event is, from its trace name (F3: forward of micro-batch 3, B3: backward, ...). */
function computeKind(e: TraceEvent): string {
  if (e.cat === "bubble") return "bubble";
  const c = e.name.charAt(0);
  return c === "F" ? "forward" : c === "B" ? "backward" : c === "W" ? "weight-grad" : "optimizer";
}

/**
 * Trace events of a simulated iteration as timeline segments, neighbours of the same kind closer than
 * `resolutionS` merged (a chart cannot show a gap under a pixel; this keeps a SuperCluster step to a few
 * thousand bars). Cost: O(events log events).
 */
export function timelineSegments(trace: readonly TraceEvent[], resolutionS: number): TimelineSegment[] {
  const raw = trace
    .filter((e) => e.ph === "X")
    .map(
      (e): TimelineSegment => ({
        stage: e.pid,
        lane: e.tid === 0 ? "compute" : "communication",
        kind: e.tid === 0 ? computeKind(e) : e.cat,
        startS: e.ts / 1e6,
        endS: (e.ts + (e.dur ?? 0)) / 1e6,
      }),
    )
    .sort((a, b) => a.stage - b.stage || a.lane.localeCompare(b.lane) || a.startS - b.startS);
  const out: TimelineSegment[] = [];
  // Time per kind inside each merged segment: a merge of short events of several kinds takes the biggest one's.
  const shares: Map<string, number>[] = [];
  const short = (s: TimelineSegment) => s.endS - s.startS < resolutionS;
  for (const s of raw) {
    const last = out.at(-1);
    const close =
      last && last.stage === s.stage && last.lane === s.lane && s.startS - last.endS <= resolutionS;
    if (last && close && (last.kind === s.kind || (short(s) && last.endS - last.startS < 4 * resolutionS))) {
      last.endS = Math.max(last.endS, s.endS);
      const m = shares[shares.length - 1];
      m.set(s.kind, (m.get(s.kind) ?? 0) + s.endS - s.startS);
      let top = last.kind;
      for (const [k, v] of m) if (v > (m.get(top) ?? 0)) top = k;
      last.kind = top;
    } else {
      out.push({ ...s });
      shares.push(new Map([[s.kind, s.endS - s.startS]]));
    }
  }
  return out;
}

/** The phases of a simulated collective as timeline segments, one row per tier ("stage" holds the tier index). */
export function collectiveSegments(
  phases: readonly { tier: number; op: string; startS: number; endS: number }[],
): TimelineSegment[] {
  return phases.map((p) => ({
    stage: p.tier,
    lane: "communication",
    kind: p.op,
    startS: p.startS,
    endS: p.endS,
  }));
}

/** One point of an empirical CDF: the fraction of samples at or below `valueMs`. */
export interface CdfPoint {
  valueMs: number;
  fraction: number;
}

/** An empirical CDF of durations in s, as at most `points` points in ms. Cost: O(n log n). */
export function latencyCdf(samplesS: readonly number[], points = 200): CdfPoint[] {
  if (samplesS.length === 0) return [];
  const s = Float64Array.from(samplesS).sort();
  const n = s.length;
  const out: CdfPoint[] = [];
  const step = Math.max(1, Math.floor(n / points));
  for (let i = 0; i < n; i += step) out.push({ valueMs: s[i] * 1e3, fraction: (i + 1) / n });
  if (out.at(-1)?.fraction !== 1) out.push({ valueMs: s[n - 1] * 1e3, fraction: 1 });
  return out;
}

/** Closed-form reliability of one variant of a scenario. */
export interface ReliabilityPoint {
  jobChips: number;
  checkpointIntervalS: number;
  goodput: number;
  /** Unexpected interruptions over the run, and per day of wall-clock time. */
  interruptions: number;
  interruptionsPerDay: number;
  mtbiS: number;
  effectiveTimeToTrainS: number;
}

function point(sc: Scenario, over: SetupOverrides): ReliabilityPoint | undefined {
  try {
    const setup = reliabilitySetup(sc, over);
    const cf = expectedOutcome(setup.model, setup.run);
    return {
      jobChips: setup.model.inventory.jobChips,
      checkpointIntervalS: setup.model.checkpoint.intervalS,
      goodput: cf.goodput,
      interruptions: cf.interruptions.unexpected,
      interruptionsPerDay: cf.interruptions.unexpected / (cf.wallS / DAY),
      mtbiS: meanTimesBetween(setup.model).mtbiS,
      effectiveTimeToTrainS: cf.effectiveTimeToTrainS,
    };
  } catch (e) {
    // A variant that can never finish (checkpoints rarer than failures) has no point on the curve.
    if (e instanceof ZettasimError) return undefined;
    throw e;
  }
}

function withReliability(sc: Scenario, fields: Record<string, unknown>): Scenario {
  const r = sc.file.reliability ?? {};
  return { ...sc, file: { ...sc.file, reliability: { ...r, ...fields } as typeof r } };
}

/** Job sizes for a scale sweep: powers of two from 1,024 (or fewer for a small system) up to the system. */
export function sweepScales(systemChips: number): number[] {
  const out: number[] = [];
  for (let n = Math.min(1024, systemChips); n < systemChips; n *= 2) out.push(n);
  out.push(systemChips);
  return out;
}

/** Checkpoint intervals for a sweep, s: 1 minute to 1 day, about 6 per decade. */
export function sweepIntervalsS(): number[] {
  const out: number[] = [];
  for (let e = Math.log10(60); e <= Math.log10(DAY) + 1e-9; e += 1 / 6) out.push(Math.round(10 ** e));
  return out;
}

/**
 * Closed-form goodput and interruptions of the scenario's run at each job size (same run length, checkpoints at
 * the scenario's interval or Young/Daly for each size). Points that cannot finish are left out. Cost: O(points x
 * kinds x tiers), microseconds each.
 */
export function reliabilityVsScale(sc: Scenario, chips: readonly number[]): ReliabilityPoint[] {
  const base = reliabilitySetup(sc);
  const over = { idealTrainingS: base.run.idealTrainingS } as SetupOverrides;
  if (base.run.wallS !== undefined) over.wallDays = base.run.wallS / DAY;
  return chips
    .map((n) => point(withReliability(sc, { jobChips: n }), over))
    .filter((p): p is ReliabilityPoint => p !== undefined);
}

/** Closed-form goodput and interruptions of the scenario's run at each checkpoint interval, s. Cost: as above. */
export function reliabilityVsInterval(sc: Scenario, intervalsS: readonly number[]): ReliabilityPoint[] {
  const ck = sc.file.reliability?.checkpoint ?? {};
  return intervalsS
    .map((s) => point(withReliability(sc, { checkpoint: { ...ck, intervalMinutes: s / 60 } }), {}))
    .filter((p): p is ReliabilityPoint => p !== undefined);
}
