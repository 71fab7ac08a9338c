// Fixed cost of a latency-bound serving collective on a hop-by-hop direct-connect grid (XLA collectives on TPU ICI).
import type { CollectiveHops } from "../catalog/families/types.js";
import { ZettasimError } from "../core/errors.js";

function refuse(path: string, value: unknown, expected: string): never {
  throw new ZettasimError([{ path: [path], message: "bad collective-hop input", value, expected }]);
}

/**
 * The most compact grid of `chips` over `axes` axes, largest axis first: each next axis takes the largest divisor of
 * what is left that is at most its even share (64 over 2 axes: 8 x 8; 8: 4 x 2; 32: 8 x 4). Cost O(axes x sqrt(chips)).
 */
export function compactGrid(chips: number, axes: number): number[] {
  if (!(Number.isInteger(chips) && chips >= 1)) refuse("chips", chips, "an integer >= 1");
  if (!(Number.isInteger(axes) && axes >= 1)) refuse("axes", axes, "an integer >= 1");
  const dims: number[] = [];
  let left = chips;
  for (let k = axes; k > 1; k--) {
    const target = Math.ceil(left ** (1 / k) - 1e-9);
    let d = 1;
    for (let x = 1; x <= left; x++) if (left % x === 0 && x <= Math.max(target, 1)) d = x;
    dims.push(d);
    left /= d;
  }
  dims.push(left);
  return dims.sort((a, b) => b - a);
}

/**
 * Hops of the longest path between two chips of a grid: floor(d/2) on an axis with wraparound (d >= wrapAxisFrom),
 * d - 1 on one without (How to Scale Your Model, sharding.md: "we perform |X|/2 hops" with wraparound; on a v5e 4x4
 * "six hops between chips (0, 0) and (3, 3), since there are no wraparound links for axes with fewer than 16
 * chips"). Cost O(axes).
 */
export function longestPathHops(dims: readonly number[], wrapAxisFrom: number): number {
  let hops = 0;
  for (const d of dims) {
    if (!(Number.isInteger(d) && d >= 1)) refuse("dims", dims, "integers >= 1");
    hops += d >= wrapAxisFrom ? Math.floor(d / 2) : d - 1;
  }
  return hops;
}

/**
 * Fixed cost of one latency-bound collective over `chips` chips, s: the library's per-call cost `fixedS` plus the
 * tier's per-hop latency `hopS` once per hop of the group's longest path, twice for an all-reduce (a reduce-scatter
 * then an all-gather, each crossing it; How to Scale Your Model, sharding.md: T = T_min x sum |X_i| / 2 per gather).
 * `dims`: the tier's grid when it gives one, else the most compact grid of `hops.gridAxes` axes. Without `hops` (a
 * switched or full-mesh family): `fixedS + hopS`, one hop. Cost O(axes x sqrt(chips)).
 */
export function latencyBoundCollectiveS(
  kind: "all-reduce" | "gather",
  chips: number,
  fixedS: number,
  hopS: number,
  hops: CollectiveHops | undefined,
  dims?: readonly number[],
): number {
  if (!(fixedS >= 0)) refuse("fixedS", fixedS, "a time >= 0 (s)");
  if (!(hopS >= 0)) refuse("hopS", hopS, "a time >= 0 (s)");
  if (hops === undefined || chips <= 1) return fixedS + hopS;
  const grid =
    dims !== undefined && dims.length > 0 && dims.reduce((a, b) => a * b, 1) === chips
      ? dims
      : compactGrid(chips, hops.gridAxes);
  const path = longestPathHops(grid, hops.wrapAxisFrom);
  return fixedS + hopS * path * (kind === "all-reduce" ? 2 : 1);
}
