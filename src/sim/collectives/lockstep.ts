// Runs a step plan on one representative rank when every step is uniform: O(steps) events, and identical steps on an idle network by arithmetic.
import type { Network } from "../network.js";
import type { StepAnalysis } from "./symmetry.js";
import type { StepRun } from "./types.js";

/**
 * Runs `plan` on the representative rank alone: each step sends the representative's messages with the
 * exact link shares of `analyses[e]` (one per plan entry) and moves on when they have all arrived, which
 * by uniformity is when every rank's have. When a step both started and ended with the network idle
 * (nothing else in flight or scheduled), the entry's remaining identical steps take the same time, so
 * they are added by arithmetic (their link load credited) instead of simulated. Cost O(steps x the
 * representative's messages) events, O(entries) once the network is idle.
 */
export function runLockstep(
  net: Network,
  src: number,
  plan: readonly StepRun[],
  analyses: readonly StepAnalysis[],
  tag: number,
  done: () => void,
): void {
  let e = 0;
  let r = 0;
  const step = () => {
    if (e === plan.length) return done();
    const run = plan[e];
    const a = analyses[e];
    const t0 = net.now();
    const idleAtStart = net.idle;
    let left = a.rep.length;
    const arrived = () => {
      if (--left > 0) return;
      r++;
      const rest = run.repeat - r;
      if (rest > 0 && idleAtStart && net.idle) return skip(net.now() - t0, rest, run.bytes, a);
      next();
    };
    if (left === 0) {
      // Nothing to send (never for a uniform step, which every rank waits on): the step takes no time.
      left = 1;
      net.schedule(0, arrived);
      return;
    }
    for (const m of a.rep) net.send(src, m.dst, run.bytes, arrived, { tag, paths: m.paths });
  };
  const next = () => {
    if (r === plan[e].repeat) {
      e++;
      r = 0;
    }
    step();
  };
  /** `rest` more steps of `stepS` each, on an idle network: their time and link load, no events but one. */
  const skip = (stepS: number, rest: number, bytes: number, a: StepAnalysis) => {
    let t = net.now();
    for (let k = 0; k < rest; k++) t += stepS;
    const load = new Map<number, number>();
    for (const [id, perByte] of a.repLoadPerByte) load.set(id, perByte * bytes * rest);
    net.addLoad(load);
    r += rest;
    net.queue.at(t, next);
  };
  step();
}
