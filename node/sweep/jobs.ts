// The only work a zettasim worker (thread or queue worker) will do: job kinds by name, each with a checked payload,
// a spec it prepares from plain JSON (never code), and entries it stores exactly once, keyed by what they are.
import * as z from "zod";
import { ZettasimError } from "../../src/core/errors.js";
import { startSimulation } from "../../src/reliability/monte-carlo.js";
import { reliabilitySetup } from "../../src/reliability/scenario.js";
import { scenarioFromValue } from "../../src/scenario/load.js";
import { pointAt, prepareSweep, type Sweep } from "../../src/sweep/expand.js";
import { idOf } from "../../src/sweep/id.js";
import { failedRow, pointId, runPointEntries } from "../../src/sweep/point.js";

/** Most units (points, trials) one job may cover. */
export const MAX_JOB_UNITS = 1_000_000;

const hexId = z.string().regex(/^[0-9a-f]{16}$/, { error: "expected a 16-hex-digit id" });
/** A job's payload: which spec, and the half-open range [from, to) of its points or trials. */
export const rangePayload = z
  .strictObject({
    spec: hexId,
    from: z.number().int().nonnegative(),
    to: z.number().int().positive(),
  })
  .refine((p) => p.to > p.from && p.to - p.from <= MAX_JOB_UNITS, {
    error: "expected from < to, at most 1e6 apart",
  });
export type RangePayload = z.output<typeof rangePayload>;

/** One result to store: its key (a point id, a trial block's start) and its JSON text. */
export type Entry = [key: string, json: string];

/** A kind of job: how its spec is checked and prepared, what a range produces, and the keys a range owns. */
export interface JobKind<Ctx> {
  name: string;
  /** Checks an untrusted spec (parsed JSON) and prepares it; its id must be `id`. Throws ZettasimError. */
  prepare(spec: unknown, id: string): Ctx;
  /** Runs [from, to) and returns its entries. */
  run(ctx: Ctx, from: number, to: number): Entry[] | Promise<Entry[]>;
  /** The keys that range [from, to) stores (to tell what is missing). */
  keys(ctx: Ctx, from: number, to: number): string[];
  /** Entries recording that [from, to) failed for good (for kinds whose units report errors), else none. */
  failed(ctx: Ctx, from: number, to: number, reason: string): Entry[];
  /** Units (points, trials) in the whole spec. */
  units(ctx: Ctx): number;
}

function checkId(actual: string, id: string): void {
  if (actual !== id)
    throw new ZettasimError([
      { path: ["spec"], message: "the stored spec does not match its id", value: actual, expected: id },
    ]);
}

/** Points of a sweep: each point's row, keyed by the point's id. */
export const sweepPoints: JobKind<Sweep> = {
  name: "sweep-points",
  prepare(spec, id) {
    const s = prepareSweep(spec, "sweep spec");
    checkId(s.id, id);
    return s;
  },
  run: (s, from, to) => runPointEntries(s, from, Math.min(to, s.points)),
  keys: (s, from, to) => range(from, Math.min(to, s.points)).map((i) => pointKey(s, i)),
  failed: (s, from, to, reason) =>
    range(from, Math.min(to, s.points)).map((i) => {
      const r = failedRow(s, i, `job failed: ${reason}`);
      return [r.id, JSON.stringify(r)];
    }),
  units: (s) => s.points,
};

const pointKey = (s: Sweep, i: number) => pointId(pointAt(s, i));
const range = (from: number, to: number) =>
  Array.from({ length: Math.max(0, to - from) }, (_, k) => from + k);

/** What a distributed Monte Carlo needs: the scenario (plain JSON), its name and the run's overrides. */
export const trialsSpec = z.strictObject({
  scenario: z.record(z.string(), z.unknown()),
  name: z.string(),
  trials: z.number().int().positive(),
  seed: z.number().int(),
  idealTrainingDays: z.number().positive().optional(),
  wallDays: z.number().positive().optional(),
});
export type TrialsSpec = z.output<typeof trialsSpec>;

interface TrialsCtx {
  spec: TrialsSpec;
  setup: ReturnType<typeof reliabilitySetup>;
}

/** A block of reliability Monte Carlo trials, keyed by its range (`from-to`); each trial draws from its own stream. */
export const reliabilityTrials: JobKind<TrialsCtx> = {
  name: "reliability-trials",
  prepare(raw, id) {
    const r = trialsSpec.safeParse(raw);
    if (!r.success)
      throw new ZettasimError([
        { path: ["spec"], message: "not a reliability trials spec", expected: "a spec" },
      ]);
    checkId(idOf(r.data), id);
    const sc = scenarioFromValue(r.data.scenario, r.data.name);
    const { trials, seed, idealTrainingDays, wallDays } = r.data;
    return { spec: r.data, setup: reliabilitySetup(sc, { trials, seed, idealTrainingDays, wallDays }) };
  },
  run(ctx, from, to) {
    const end = Math.min(to, ctx.spec.trials);
    const sim = startSimulation(ctx.setup.model, ctx.setup.run, {
      trials: end - from,
      seed: ctx.setup.seed,
      firstTrial: from,
    });
    sim.step(end - from);
    return [[`${from}-${to}`, JSON.stringify(sim.block())]];
  },
  keys: (_ctx, from, to) => [`${from}-${to}`],
  failed: () => [],
  units: (ctx) => ctx.spec.trials,
};

/** Every job kind a worker runs, by name: nothing else is ever executed. */
export const JOB_KINDS: Readonly<Record<string, JobKind<unknown>>> = {
  [sweepPoints.name]: sweepPoints as JobKind<unknown>,
  [reliabilityTrials.name]: reliabilityTrials as JobKind<unknown>,
};

/** A job refused before it ran: unknown kind or malformed payload. Never retried. */
export class RefusedJob extends Error {}

/** Checks a job's name and payload; throws RefusedJob saying why. */
export function checkJob(name: unknown, data: unknown): { kind: JobKind<unknown>; payload: RangePayload } {
  if (typeof name !== "string" || !Object.hasOwn(JOB_KINDS, name))
    throw new RefusedJob(
      `refused job: unknown kind ${JSON.stringify(name)} (expected one of ${Object.keys(JOB_KINDS).join(", ")})`,
    );
  const p = rangePayload.safeParse(data);
  if (!p.success)
    throw new RefusedJob(
      `refused job: malformed ${name} payload (${p.error.issues.map((i) => `${i.path.join(".") || "payload"}: ${i.message}`).join("; ")})`,
    );
  return { kind: JOB_KINDS[name], payload: p.data };
}

/** Prepared specs by kind and id, kept per thread or process (a sweep's points share one). */
const prepared = new Map<string, unknown>();

/** Prepares (once) and runs one checked job. `spec` is the stored spec, parsed JSON. Cost: the job's work. */
export async function executeJob(name: string, data: unknown, spec: () => unknown): Promise<Entry[]> {
  const { kind, payload } = checkJob(name, data);
  const key = `${name}/${payload.spec}`;
  let ctx = prepared.get(key);
  if (ctx === undefined) {
    ctx = kind.prepare(spec(), payload.spec);
    if (prepared.size >= 16) prepared.clear();
    prepared.set(key, ctx);
  }
  return kind.run(ctx, payload.from, payload.to);
}
