// Seeded Monte Carlo over a whole training run: failures as one superposed Poisson stream, typed arrays, no per-event allocation.
import { assertFinite, requireArgument } from "../core/errors.js";
import { log } from "../core/math.js";
import { Rng } from "../core/rng.js";
import { ExactSum, QuantileSketch, type SketchState } from "../core/stats.js";
import type { EffectCounts, RunLength } from "./closed-form.js";
import { type ReliabilityModel, requireReliabilityModel } from "./model.js";

const RESTART = 0;
const MIGRATE = 1;
const SHRINK = 2;
const DEGRADE = 3;
/** 2^-32: turns a 32-bit draw into [0, 1), resolution enough to pick a class or a spare group. */
const U32_SCALE = 2.3283064365386963e-10;
const EFFECT_CODE = { restart: RESTART, migrate: MIGRATE, shrink: SHRINK, degrade: DEGRADE } as const;

/** p10 / p50 / p90 and mean of one quantity over trials. */
export interface Spread {
  mean: number;
  p10: number;
  p50: number;
  p90: number;
}

export interface SimulationResult {
  trials: number;
  seed: number;
  /** Failure events simulated over all trials. */
  events: number;
  goodput: Spread;
  availability: Spread;
  wallS: Spread;
  effectiveTimeToTrainS: Spread;
  /** Interruptions (restart + migrate + shrink) per run. */
  unexpectedInterruptions: Spread;
  /** Mean per run, by effect. */
  byEffect: EffectCounts;
  /** Mean failures per run of each event class, in `model.classes` order. */
  byClass: number[];
  meanLostWorkS: number;
  meanDowntimeS: number;
  meanDegradedS: number;
}

export interface SimulationOptions {
  trials: number;
  seed: number;
  /** Index of the first trial (default 0): a block of trials [firstTrial, firstTrial + trials) of a larger run. */
  firstTrial?: number;
  /** Called after each chunk of trials with (done, total). */
  onProgress?: (done: number, total: number) => void;
}

/** An incremental simulation: `step(n)` runs up to n more trials; `result()` summarises those run so far. */
export interface Simulation {
  step(n: number): number;
  done(): boolean;
  result(): SimulationResult;
  /** The raw per-trial figures of the trials run so far (to merge with other blocks, e.g. from queue workers). */
  block(): TrialBlock;
}

/** The per-trial figures whose distribution (mean and percentiles) the result reports. */
const STATS = ["goodput", "availability", "wallS", "effectiveTimeToTrainS", "interruptions"] as const;
type StatName = (typeof STATS)[number];
/** The per-trial figures whose mean the result reports. */
const SUMS = ["lostWorkS", "downtimeS", "degradedS"] as const;
type SumName = (typeof SUMS)[number];

/**
 * What a block of trials found, in memory that does not grow with the trial count: each per-trial figure as a
 * quantile sketch and an exact sum, plus whole-number event counts. Plain JSON, so blocks run on threads or queue
 * workers travel as text; merged in any order they summarise to exactly the figures of one uninterrupted run
 * (`summarizeTrials`).
 */
export interface TrialBlock {
  firstTrial: number;
  trials: number;
  stats: Record<StatName, { sketch: SketchState; sum: number[] }>;
  sums: Record<SumName, number[]>;
  events: number;
  /** Failures per event class, in `model.classes` order (whole numbers). */
  byClass: number[];
  /** Effects applied: restart, migrate, shrink, degrade (whole numbers). */
  byEffect: number[];
}

/** Running statistics of a set of trials: mergeable, exact, bounded in memory. */
class TrialStats {
  readonly sketches = Object.fromEntries(STATS.map((k) => [k, new QuantileSketch()])) as Record<
    StatName,
    QuantileSketch
  >;
  readonly statSums = Object.fromEntries(STATS.map((k) => [k, new ExactSum()])) as Record<StatName, ExactSum>;
  readonly sums = Object.fromEntries(SUMS.map((k) => [k, new ExactSum()])) as Record<SumName, ExactSum>;
  trials = 0;

  addTrial(v: Record<StatName | SumName, number>): void {
    this.trials++;
    for (const k of STATS) {
      this.sketches[k].add(v[k]);
      this.statSums[k].add(v[k]);
    }
    for (const k of SUMS) this.sums[k].add(v[k]);
  }

  merge(b: TrialBlock): void {
    this.trials += b.trials;
    for (const k of STATS) {
      this.sketches[k].merge(QuantileSketch.fromState(b.stats[k].sketch));
      this.statSums[k].merge(ExactSum.fromState(b.stats[k].sum));
    }
    for (const k of SUMS) this.sums[k].merge(ExactSum.fromState(b.sums[k]));
  }

  /** Mean (exact sum / trials) and p10 / p50 / p90 (within the sketch's 0.2%) of one figure. */
  spread(k: StatName): Spread {
    const q = this.sketches[k];
    const n = this.trials || 1;
    return {
      mean: this.statSums[k].value() / n,
      p10: q.quantile(0.1),
      p50: q.quantile(0.5),
      p90: q.quantile(0.9),
    };
  }
}

/**
 * Seed of trial `trial`'s own random stream: each trial draws from a stream of its own, so any split of the
 * trials (chunks, threads, queue jobs) gives the same draws. A murmur3 finaliser of the trial index, mixed with
 * the run's seed. Cost: a few ns.
 */
export function trialSeed(seed: number, trial: number): number {
  let h = (trial + 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  h ^= h >>> 16;
  // The seed's high bits (seeds reach 2^53 - 1) mix in too; below 2^32 they are 0 and change nothing.
  const hi = Math.floor(seed / 4294967296);
  const hiMix = hi === 0 ? 0 : Math.imul(hi ^ (hi >>> 15), 0x2c1b3c6d) ^ 0x297a2d39;
  return (h ^ (seed >>> 0) ^ hiMix) >>> 0;
}

/** The event classes as typed arrays, in order of falling rate (so the pick usually stops after a comparison or two). */
interface ClassTable {
  n: number;
  /** Total failure rate, per s of up-time. */
  total: number;
  cumRate: Float64Array;
  /** Index in model.classes of each row. */
  classOf: Uint16Array;
  effect: Uint8Array;
  downtime: Float64Array;
  fallback: Float64Array;
  degraded: Float64Array;
  loses: Uint8Array;
}

function classTable(model: ReliabilityModel): ClassTable {
  const n = model.classes.length;
  const t: ClassTable = {
    n,
    total: 0,
    cumRate: new Float64Array(n),
    classOf: new Uint16Array(n),
    effect: new Uint8Array(n),
    downtime: new Float64Array(n),
    fallback: new Float64Array(n),
    degraded: new Float64Array(n),
    loses: new Uint8Array(n),
  };
  const order = model.classes
    .map((_, i) => i)
    .sort((a, b) => model.classes[b].ratePerS - model.classes[a].ratePerS);
  order.forEach((ci, i) => {
    const c = model.classes[ci];
    t.classOf[i] = ci;
    t.total += c.ratePerS;
    t.cumRate[i] = t.total;
    t.effect[i] = EFFECT_CODE[c.effect];
    t.downtime[i] = c.downtimeS;
    t.fallback[i] = c.fallbackDowntimeS;
    t.degraded[i] = c.degradedS;
    t.loses[i] = c.losesWork ? 1 : 0;
  });
  return t;
}

/** What one trial measured. */
type TrialFigures = Record<StatName | SumName, number>;

/**
 * Runs single trials of one model and run length: the time to the next failure from the total rate, the class by
 * its share, and the effect (roll back to the last checkpoint, downtime, spare use, degraded running). Counts of
 * events, classes and effects accumulate across trials.
 */
class TrialRunner {
  private readonly c: ClassTable;
  private readonly tau: number;
  private readonly cw: number;
  private readonly workTarget: number;
  private readonly wallLimit: number;
  private readonly sparesPer: number;
  private readonly groups: number;
  private readonly spareFreeAt: Float64Array;
  private readonly repairS: number;
  readonly classCount: Float64Array;
  readonly effCount = new Float64Array(4);
  events = 0;

  constructor(
    model: ReliabilityModel,
    private readonly run: RunLength,
  ) {
    this.c = classTable(model);
    this.tau = model.checkpoint.intervalS;
    this.cw = model.checkpoint.writeS;
    this.workTarget = run.wallS === undefined ? run.idealTrainingS : Number.POSITIVE_INFINITY;
    this.wallLimit = run.wallS ?? Number.POSITIVE_INFINITY;
    this.sparesPer = model.policy.hotSpares?.spares ?? 0;
    this.groups = model.spareGroups;
    this.spareFreeAt = new Float64Array(this.groups * this.sparesPer);
    this.repairS = model.recovery.repairS;
    this.classCount = new Float64Array(this.c.n);
  }

  /** Wall time to compute `r` more seconds of work from the start of a checkpoint cycle. */
  private fromCycleStart(r: number): number {
    return r <= 0 ? 0 : r + this.cw * (Math.ceil(r / this.tau) - 1);
  }

  /** Takes a free spare of a random group at time t until repair; false when the group has none free. */
  private takeSpare(rng: Rng, t: number): boolean {
    const base = Math.floor(rng.nextU32() * U32_SCALE * this.groups) * this.sparesPer;
    for (let j = 0; j < this.sparesPer; j++) {
      if (this.spareFreeAt[base + j] <= t) {
        this.spareFreeAt[base + j] = t + this.repairS;
        return true;
      }
    }
    return false;
  }

  /** One whole run with its own random stream. Cost O(failure events in the run). */
  trial(rng: Rng): TrialFigures {
    const { c, tau, cw, workTarget, wallLimit, repairS } = this;
    const cycle = tau + cw;
    this.spareFreeAt.fill(0);
    let t = 0;
    let committed = 0;
    let phase = 0;
    let down = 0;
    let deg = 0;
    let lost = 0;
    let stops = 0;
    let work = 0;
    let degradedUntil = 0;
    let clock = 0;
    for (;;) {
      const dt = c.total > 0 ? -log(1 - rng.next()) / c.total : Number.POSITIVE_INFINITY;
      const rem = workTarget - committed;
      const finish =
        phase < tau ? this.fromCycleStart(rem + phase) - phase : cycle - phase + this.fromCycleStart(rem);
      if (t + Math.min(dt, finish) >= wallLimit) {
        // The window closes first: count the work done so far, committed or not.
        const pos = phase + (wallLimit - t);
        const n = Math.floor(pos / cycle);
        work = committed + n * tau + Math.min(pos - n * cycle, tau);
        t = wallLimit;
        break;
      }
      if (finish <= dt) {
        t += finish;
        work = workTarget;
        break;
      }
      const pos = phase + dt;
      const n = Math.floor(pos / cycle);
      committed += n * tau;
      phase = pos - n * cycle;
      t += dt;
      clock += dt;
      // Pick the class by its share of the total rate.
      const u = rng.nextU32() * U32_SCALE * c.total;
      let k = 0;
      while (k < c.n - 1 && u >= c.cumRate[k]) k++;
      this.events++;
      this.classCount[c.classOf[k]]++;
      let e = c.effect[k];
      let d = c.downtime[k];
      if (e === MIGRATE && !this.takeSpare(rng, t)) {
        e = RESTART;
        d = c.fallback[k];
      }
      this.effCount[e]++;
      if (c.loses[k]) {
        lost += Math.min(phase, tau);
        phase = 0;
      }
      if (e !== DEGRADE) stops++;
      let g = c.degraded[k];
      if (e === DEGRADE && g > 0) {
        // Throughput is lost while at least one link is down: only the part of this repair window that does not
        // overlap an earlier one adds degraded time. Windows run on the failure clock (failures arrive per
        // component-hour, as the rates are defined), so a fraction 1 - e^{-rate x repair} of up-time is degraded.
        const end = clock + repairS;
        const ext = end - Math.max(degradedUntil, clock);
        g = ext > 0 ? (g / repairS) * ext : 0;
        if (end > degradedUntil) degradedUntil = end;
      }
      if (t + d + g > wallLimit) {
        // Downtime runs past the end of the window.
        const spill = wallLimit - t;
        down += Math.min(d, spill);
        deg += Math.max(0, spill - d);
        work = committed;
        t = wallLimit;
        break;
      }
      t += d + g;
      down += d;
      deg += g;
    }
    const goodput = t > 0 ? work / t : 1;
    return {
      goodput,
      availability: t > 0 ? 1 - down / t : 1,
      wallS: t,
      effectiveTimeToTrainS: goodput > 0 ? this.run.idealTrainingS / goodput : 0,
      interruptions: stops,
      lostWorkS: lost,
      downtimeS: down,
      degradedS: deg,
    };
  }
}

/**
 * Prepares a Monte Carlo of `trials` runs (see TrialRunner), each on its own random stream (trialSeed), so any
 * split of the trials gives the same figures. Cost: O(events) time; O(classes + spare groups) memory plus the
 * streaming statistics (tens of kB), whatever the number of trials.
 */
export function startSimulation(
  model: ReliabilityModel,
  run: RunLength,
  opts: SimulationOptions,
): Simulation {
  requireReliabilityModel(model);
  requireArgument(opts, "opts", "object", "SimulationOptions {trials, seed}", ["trials", "seed"]);
  const runner = new TrialRunner(model, run);
  const trials = opts.trials;
  const first = opts.firstTrial ?? 0;
  const stats = new TrialStats();
  let done = 0;
  const one = (trial: number): void => {
    stats.addTrial(runner.trial(new Rng(trialSeed(opts.seed, first + trial))));
  };
  const block = (): TrialBlock => ({
    firstTrial: first,
    trials: stats.trials,
    stats: Object.fromEntries(
      STATS.map((k) => [k, { sketch: stats.sketches[k].toState(), sum: stats.statSums[k].toState() }]),
    ) as TrialBlock["stats"],
    sums: Object.fromEntries(SUMS.map((k) => [k, stats.sums[k].toState()])) as TrialBlock["sums"],
    events: runner.events,
    byClass: Array.from(runner.classCount),
    byEffect: Array.from(runner.effCount),
  });

  return {
    step(n: number): number {
      const end = Math.min(trials, done + n);
      while (done < end) one(done++);
      opts.onProgress?.(done, trials);
      return done;
    },
    done: () => done >= trials,
    result: () => summarizeTrials(run, [block()], opts.seed),
    block,
  };
}

/**
 * Summarises blocks of trials (any order, any split) into the run's figures: exact sums and order-free sketches, so
 * the result is identical however the trials were divided. Cost O(blocks x sketch buckets).
 */
export function summarizeTrials(run: RunLength, blocks: TrialBlock[], seed: number): SimulationResult {
  void run;
  const all = new TrialStats();
  for (const b of blocks) all.merge(b);
  const m = all.trials || 1;
  const add = (k: "byClass" | "byEffect") =>
    blocks.reduce<number[]>((acc, b) => acc.map((x, i) => x + b[k][i]), blocks[0]?.[k].map(() => 0) ?? []);
  const byEffect = blocks.length ? add("byEffect") : [0, 0, 0, 0];
  const r: SimulationResult = {
    trials: all.trials,
    seed,
    events: blocks.reduce((s, b) => s + b.events, 0),
    goodput: all.spread("goodput"),
    availability: all.spread("availability"),
    wallS: all.spread("wallS"),
    effectiveTimeToTrainS: all.spread("effectiveTimeToTrainS"),
    unexpectedInterruptions: all.spread("interruptions"),
    byEffect: {
      restart: byEffect[RESTART] / m,
      migrate: byEffect[MIGRATE] / m,
      shrink: byEffect[SHRINK] / m,
      degrade: byEffect[DEGRADE] / m,
    },
    byClass: (blocks.length ? add("byClass") : []).map((x) => x / m),
    meanLostWorkS: all.sums.lostWorkS.value() / m,
    meanDowntimeS: all.sums.downtimeS.value() / m,
    meanDegradedS: all.sums.degradedS.value() / m,
  };
  assertFinite(r, "reliability Monte Carlo");
  return r;
}

/**
 * Runs the whole Monte Carlo at once (see startSimulation). Deterministic for a seed whatever the chunking.
 * Cost: O(total failure events); tens of millions of events per second on one core.
 */
export function simulateReliability(
  model: ReliabilityModel,
  run: RunLength,
  opts: SimulationOptions,
): SimulationResult {
  const sim = startSimulation(model, run, opts);
  const chunk = Math.max(1, Math.ceil(opts.trials / 20));
  while (!sim.done()) sim.step(chunk);
  return sim.result();
}
