// What a sweep can run on each point: each run declares the sections it needs, how many points make a task, its
// result (the command's `--json`), and the headline figures a summary shows. Shared code reads these, never the name.
import {
  planTrainJsonOf,
  reliabilityJson,
  servingJsonOf,
  simulationJson,
  trainingJson,
} from "../report/results.js";
import type { Scenario } from "../scenario/load.js";
import type { SweepRunName } from "../schema/sweep.js";

/** One figure of a result for summaries and charts. */
export interface Headline {
  /** Column title, with its unit. */
  label: string;
  /** The figure from a row's result; undefined when the result has none. */
  get(result: unknown): number | undefined;
  /** Which way is better, for "best" in summaries. */
  better: "min" | "max";
}

/** A command a sweep runs per point. */
export interface SweepRun {
  name: SweepRunName;
  /** Scenario sections the command needs (checked on the sweep's first point before anything runs). */
  needs: readonly string[];
  /** Points per worker task or queue job: many for microsecond analytical points, one for simulations. */
  pointsPerTask: number;
  /** The command's `--json` result for one scenario (a promise for a search). Throws ZettasimError for bad input. */
  result(sc: Scenario): unknown;
  /** Figures for the summary table; the first is charted per axis. */
  headline: readonly Headline[];
}

type Json = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const at = (r: unknown, ...keys: string[]): number | undefined => {
  let cur: unknown = r;
  for (const k of keys) cur = cur !== null && typeof cur === "object" ? (cur as Json)[k] : undefined;
  return num(cur);
};
/** The headline figure at `keys` in a result. */
const fig = (label: string, better: Headline["better"], ...keys: string[]): Headline => ({
  label,
  get: (r) => at(r, ...keys),
  better,
});

const train: SweepRun = {
  name: "train",
  needs: ["model", "training"],
  pointsPerTask: 500,
  result: trainingJson,
  headline: [
    fig("step s", "min", "stepTimeS"),
    fig("MFU", "max", "mfu"),
    fig("tok/s/chip", "max", "tokensPerSecondPerChip"),
  ],
};

const simulate: SweepRun = {
  name: "simulate",
  needs: [],
  pointsPerTask: 1,
  result: simulationJson,
  headline: [fig("step s (simulated)", "min", "stepTimeS")],
};

const serve: SweepRun = {
  name: "serve",
  needs: ["model", "serving"],
  pointsPerTask: 1,
  result: servingJsonOf,
  headline: [
    fig("out tok/s/chip", "max", "throughput", "outputTokensPerSecondPerChip"),
    fig("TTFT p99 ms", "min", "ttftMs", "p99"),
    fig("TPOT p99 ms", "min", "tpotMs", "p99"),
    fig("goodput req/s", "max", "goodput", "requestsPerS"),
  ],
};

const reliability: SweepRun = {
  name: "reliability",
  needs: [],
  pointsPerTask: 1,
  result: (sc) => reliabilityJson(sc),
  headline: [
    fig("goodput", "max", "goodput"),
    fig("time to train s", "min", "effectiveTimeToTrainS"),
    fig("interruptions", "min", "interruptions", "unexpected", "mean"),
  ],
};

const plan: SweepRun = {
  name: "plan",
  needs: ["model", "training"],
  pointsPerTask: 1,
  result: planTrainJsonOf,
  headline: [
    fig("best step s", "min", "best", "stepTimeS"),
    fig("best MFU", "max", "best", "mfu"),
    fig("best chips", "min", "best", "chips"),
  ],
};

/** Every run a sweep file may name, by name. */
export const SWEEP_RUN_KINDS: Readonly<Record<SweepRunName, SweepRun>> = {
  train,
  simulate,
  serve,
  reliability,
  plan,
};
