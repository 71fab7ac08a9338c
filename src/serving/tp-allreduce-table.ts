// Time of one tensor-parallel all-reduce call read from an engine's measured table (by group and message size), interpolated.

import type { TpAllReduceCallTable } from "../catalog/families/types.js";
import { exp, log } from "../core/math.js";

/**
 * Measured time of one all-reduce of `bytes` (the buffer per rank) over `tp` ranks from `table`, s, or undefined
 * when there is no table, no row for `tp`, or nothing to reduce. Between grid points: linear in log time over log
 * bytes (the calls are latency-bound at small sizes and bandwidth-bound at large ones, and both ends are straight
 * on that scale); below the first point: the first point's time (a call never takes less than its smallest
 * measured one); past the last point: the last time plus the extra bytes at the bandwidth of the last interval
 * (bandwidth-bound there). Cost O(points), no allocation.
 */
export function tableAllReduceS(
  table: TpAllReduceCallTable | undefined,
  tp: number,
  bytes: number,
): number | undefined {
  if (table === undefined || !(bytes > 0)) return undefined;
  const secs = table.secondsByGroup[tp];
  if (secs === undefined) return undefined;
  const b = table.bytes;
  const n = b.length;
  if (bytes <= b[0]) return secs[0];
  if (bytes >= b[n - 1]) {
    const perByte = (secs[n - 1] - secs[n - 2]) / (b[n - 1] - b[n - 2]);
    return secs[n - 1] + (bytes - b[n - 1]) * perByte;
  }
  let i = 1;
  while (b[i] < bytes) i++;
  const f = (log(bytes) - log(b[i - 1])) / (log(b[i]) - log(b[i - 1]));
  return exp(log(secs[i - 1]) + f * (log(secs[i]) - log(secs[i - 1])));
}

/**
 * Checks a table's shape: at least two byte sizes, strictly increasing and positive, and for every group size a
 * row of as many positive times. Returns the first problem as a sentence, or undefined when the table is sound.
 * The catalog's tables are checked by src/serving/tp-allreduce-table.test.ts. Cost O(points x groups).
 */
export function tpAllReduceTableProblem(table: TpAllReduceCallTable): string | undefined {
  const b = table.bytes;
  if (!Array.isArray(b) || b.length < 2) return "bytes must list at least two message sizes";
  for (let i = 0; i < b.length; i++) {
    if (!(Number.isFinite(b[i]) && b[i] > 0)) return `bytes[${i}] must be a positive number, got ${b[i]}`;
    if (i > 0 && !(b[i] > b[i - 1]))
      return `bytes must increase, but bytes[${i}] = ${b[i]} follows ${b[i - 1]}`;
  }
  const groups = Object.entries(table.secondsByGroup);
  if (groups.length === 0) return "secondsByGroup must hold at least one group size";
  for (const [g, row] of groups) {
    if (!(Number(g) >= 2 && Number.isInteger(Number(g)))) return `group size ${g} must be an integer >= 2`;
    if (!Array.isArray(row) || row.length !== b.length)
      return `secondsByGroup[${g}] must have ${b.length} times, one per message size`;
    for (let i = 0; i < row.length; i++) {
      if (!(Number.isFinite(row[i]) && row[i] > 0))
        return `secondsByGroup[${g}][${i}] must be a positive number, got ${row[i]}`;
    }
  }
  return undefined;
}
