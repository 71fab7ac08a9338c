// A Triton split-KV MLA decode call's time from its measured rate per head-group token (heads / BLOCK_H x sequences x KV).

import type { MlaSplitKvRate } from "../catalog/families/types.js";
import { require_ } from "../core/errors.js";

export type { MlaSplitKvRate } from "../catalog/families/types.js";

/**
 * Time per head-group token at a mean KV length of `kvTokens`, s: linear in log KV length between the measured points,
 * held at the edge points outside them (a longer split amortises the program's fixed part, so the rate at the longest
 * measured KV is the fastest the measurement supports). O(points), no allocation.
 */
export function splitKvGroupTokenS(r: MlaSplitKvRate, kvTokens: number): number {
  const xs = r.kvTokens;
  const ys = r.groupTokenS;
  if (kvTokens <= xs[0]) return ys[0];
  const n = xs.length - 1;
  if (kvTokens >= xs[n]) return ys[n];
  let i = 0;
  while (xs[i + 1] < kvTokens) i++;
  const w = (Math.log(kvTokens) - Math.log(xs[i])) / (Math.log(xs[i + 1]) - Math.log(xs[i]));
  return ys[i] * (1 - w) + ys[i + 1] * w;
}

/**
 * One MLA decode call of the split-KV kernel, s: ceil(`localHeads` / blockHeads) head groups x `seqs` sequences x
 * `meanKvTokens` tokens each at the rate for that KV length. The rate was measured with the GPU full of programs, so
 * a smaller call (fewer sequences) is charged no less per token than a full one would be: a lower bound. 0 when no
 * sequence decodes or no KV is read. O(points), no allocation.
 */
export function mlaSplitKvCallS(
  r: MlaSplitKvRate,
  localHeads: number,
  seqs: number,
  meanKvTokens: number,
): number {
  if (seqs <= 0 || meanKvTokens <= 0) return 0;
  const groups = Math.ceil(localHeads / r.blockHeads - 1e-9);
  return groups * seqs * meanKvTokens * splitKvGroupTokenS(r, meanKvTokens);
}

/**
 * Checks a family's split-KV rate: a positive whole number of heads per program, two or more ascending positive KV
 * points and as many positive finite times; names the field, the value and what was expected. O(points).
 */
export function checkMlaSplitKvRate(r: MlaSplitKvRate, path: readonly (string | number)[]): void {
  require_(
    Number.isInteger(r.blockHeads) && r.blockHeads > 0,
    [...path, "blockHeads"],
    "heads per program must be a positive whole number",
    r.blockHeads,
    "a positive integer",
  );
  const xs = r.kvTokens;
  require_(xs.length >= 2, [...path, "kvTokens"], "needs two or more points", xs.length, ">= 2 points");
  require_(
    r.groupTokenS.length === xs.length,
    [...path, "groupTokenS"],
    "needs one time per KV point",
    r.groupTokenS.length,
    `${xs.length} values`,
  );
  xs.forEach((x, i) => {
    const ok = Number.isFinite(x) && x > 0 && (i === 0 || x > xs[i - 1]);
    require_(ok, [...path, "kvTokens", i], "KV points must be positive and ascending", x, "ascending > 0");
  });
  r.groupTokenS.forEach((y, i) => {
    require_(Number.isFinite(y) && y > 0, [...path, "groupTokenS", i], "times must be positive", y, "> 0 s");
  });
}
