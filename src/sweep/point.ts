// Runs sweep points: the row for one point (its axis values, the command's result or its error, and ids), the same
// whichever thread, process or queue worker runs it.
import { ZettasimError } from "../core/errors.js";
import { choiceAt, pointAt, pointScenario, type Sweep, type SweepPoint } from "./expand.js";
import { idOf } from "./id.js";

/** Why a point has no result: the input error (naming the field) or an internal error's message. */
export interface PointError {
  message: string;
  /** "input": the point's scenario is refused (it always will be); "internal": a fault in zettasim. */
  kind: "input" | "internal";
}

/** One output row: `{point, result}` or `{point, error}`, with the point's index and id, the sweep's id and run. */
export interface SweepRow {
  point: SweepPoint;
  result?: unknown;
  error?: PointError;
  index: number;
  id: string;
  sweep: string;
  run: string;
}

/** Id of a point: hash of its axis values, so a result is keyed by the point, not by who computed it. */
export function pointId(point: SweepPoint): string {
  return idOf(point);
}

/** The row of point `index` with the given outcome. */
function row(sweep: Sweep, index: number, outcome: { result: unknown } | { error: PointError }): SweepRow {
  const point = pointAt(sweep, index);
  return { point, ...outcome, index, id: pointId(point), sweep: sweep.id, run: sweep.run.name };
}

/**
 * Runs point `index` of a sweep and returns its row; input errors and internal faults become the row's `error`
 * (a failing point never stops a sweep). Deterministic: same sweep and index, same row. Cost: one run of the
 * sweep's command (microseconds for `train`, a search for `plan`).
 */
export async function runPoint(sweep: Sweep, index: number): Promise<SweepRow> {
  try {
    return row(sweep, index, {
      result: await sweep.run.result(pointScenario(sweep, choiceAt(sweep, index))),
    });
  } catch (e) {
    const error: PointError =
      e instanceof ZettasimError
        ? { kind: "input", message: e.message }
        : { kind: "internal", message: `internal error: ${(e as Error)?.message ?? String(e)}` };
    return row(sweep, index, { error });
  }
}

/** The row of a point whose run failed outside it (its job failed for good): an internal error with the reason. */
export function failedRow(sweep: Sweep, index: number, reason: string): SweepRow {
  return row(sweep, index, { error: { kind: "internal", message: reason } });
}

/** Rows of points [from, to) as JSON lines (no trailing newline on each). Cost: (to - from) points. */
export async function runPointLines(sweep: Sweep, from: number, to: number): Promise<string[]> {
  return (await runPointEntries(sweep, from, to)).map((e) => e[1]);
}

/** Rows of points [from, to) as [point id, JSON line] pairs. Cost: (to - from) points. */
export async function runPointEntries(
  sweep: Sweep,
  from: number,
  to: number,
): Promise<[id: string, line: string][]> {
  const out: [string, string][] = [];
  for (let i = from; i < to; i++) {
    const r = await runPoint(sweep, i);
    out.push([r.id, JSON.stringify(r)]);
  }
  return out;
}
