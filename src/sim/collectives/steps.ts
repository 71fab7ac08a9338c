// Step patterns of step-structured collectives and the executor that runs them on every rank, each rank moving on once its messages have arrived.
import type { SendOptions } from "../../engine/network.js";
import type { Network } from "../network.js";
import type { MessageShape, StepPattern, StepRun } from "./types.js";

const EMPTY: readonly number[] = [];

/** Rank i sends to i + d (mod n) and hears from i - d: a ring step (d = 1) or its mirror (d = -1). */
export function shiftPattern(d: number): StepPattern {
  return {
    id: `shift${d}`,
    to: (i, n) => [(((i + d) % n) + n) % n],
    fromCount: () => 1,
    from: (i, n) => [(((i - d) % n) + n) % n],
    transitive: true,
    rotational: true,
    messages: (n) => n,
  };
}

/** Rank i sends to i + 1 and to i - 1 at once (two counter-rotating rings). */
export const BOTH_WAYS: StepPattern = {
  id: "both-ways",
  to: (i, n) => (n === 2 ? [1 - i] : [(i + 1) % n, (i + n - 1) % n]),
  fromCount: (_i, n) => (n === 2 ? 1 : 2),
  from: (i, n) => (n === 2 ? [1 - i] : [(i + n - 1) % n, (i + 1) % n]),
  transitive: true,
  rotational: true,
  messages: (n) => (n === 2 ? 2 : 2 * n),
};

/** Rank i exchanges with i xor d (recursive halving or doubling at distance d). */
export function xorPattern(d: number): StepPattern {
  return {
    id: `xor${d}`,
    to: (i) => [i ^ d],
    fromCount: () => 1,
    from: (i) => [i ^ d],
    transitive: true,
    rotational: false,
    messages: (n) => n,
  };
}

/** Every rank sends to every other (direct, all-to-all). */
export const ALL_PAIRS: StepPattern = {
  id: "all-pairs",
  to: (i, n) => {
    const out = new Array<number>(n - 1);
    for (let d = 1; d < n; d++) out[d - 1] = (i + d) % n;
    return out;
  },
  fromCount: (_i, n) => n - 1,
  from: (i, n) => ALL_PAIRS.to(i, n),
  transitive: true,
  rotational: true,
  everyRelabelling: true,
  messages: (n) => n * (n - 1),
};

/** Rank 0 sends to rank 1 (point to point). */
export const ONE_WAY: StepPattern = {
  id: "one-way",
  to: (i) => (i === 0 ? [1] : EMPTY),
  fromCount: (i) => (i === 1 ? 1 : 0),
  from: (i) => (i === 1 ? [0] : EMPTY),
  transitive: false,
  rotational: false,
  messages: () => 1,
};

/** The messages a step plan sends over n ranks (see MessageShape). Cost O(distinct steps). */
export function stepShape(plan: readonly StepRun[], n: number): MessageShape {
  let steps = 0;
  let messages = 0;
  let bytes = 0;
  for (const r of plan) {
    const m = r.repeat * r.pattern.messages(n);
    steps += r.repeat;
    messages += m;
    bytes += m * r.bytes;
  }
  return {
    steps,
    distinctSteps: plan.length,
    messagesPerStep: steps > 0 ? messages / steps : 0,
    bytesPerMessage: messages > 0 ? bytes / messages : 0,
  };
}

/** Steps in all, over a run-length plan. */
export function stepCount(plan: readonly StepRun[]): number {
  return plan.reduce((a, r) => a + r.repeat, 0);
}

/**
 * Runs a step plan on every rank of every group in `groups` (all at once, each group its own instance):
 * rank i sends its step-s messages, then starts step s+1 as soon as every step-s message addressed to
 * it has arrived (messages of later steps that arrive early are kept). `done` runs when every rank of
 * every group has finished its last step. `opts(group)` gives each message's send options.
 * Cost: one network send per message, O(1) bookkeeping each.
 */
export function runStepsOnEveryRank(
  net: Network,
  groups: readonly (readonly number[])[],
  plan: readonly StepRun[],
  opts: SendOptions,
  done: () => void,
): void {
  const total = stepCount(plan);
  let left = groups.length;
  if (left === 0 || total === 0) {
    net.schedule(0, done);
    return;
  }
  // Plan entry of each global step: O(entries), a few dozen at most.
  const entryOf = (s: number) => {
    let e = 0;
    let end = plan[0].repeat;
    while (s >= end) end += plan[++e].repeat;
    return plan[e];
  };
  for (const g of groups) runGroup(net, g, total, entryOf, opts, () => --left === 0 && done());
}

/** One group's instance of a step plan (see runStepsOnEveryRank). */
function runGroup(
  net: Network,
  ranks: readonly number[],
  total: number,
  entryOf: (s: number) => StepRun,
  opts: SendOptions,
  done: () => void,
): void {
  const n = ranks.length;
  const at = new Int32Array(n);
  // Arrivals not yet consumed, by (step x n + rank).
  const got = new Map<number, number>();
  let finished = 0;
  const arrived = (s: number, j: number) => got.get(s * n + j) ?? 0;
  const advance = (i: number) => {
    for (;;) {
      const s = at[i];
      const need = entryOf(s).pattern.fromCount(i, n);
      if (arrived(s, i) < need) return;
      got.delete(s * n + i);
      at[i] = s + 1;
      if (at[i] === total) {
        if (++finished === n) done();
        return;
      }
      start(i);
    }
  };
  const start = (i: number) => {
    const s = at[i];
    const run = entryOf(s);
    for (const j of run.pattern.to(i, n)) {
      net.send(
        ranks[i],
        ranks[j],
        run.bytes,
        () => {
          got.set(s * n + j, arrived(s, j) + 1);
          if (at[j] === s) advance(j);
        },
        opts,
      );
    }
  };
  for (let i = 0; i < n; i++) start(i);
  for (let i = 0; i < n; i++) advance(i);
}
