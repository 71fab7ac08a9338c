// One phase of a collective (one flat algorithm on the subgroups of one tier): its mode (representative, explicit copies, every rank), algorithm, and run.
import type { Network } from "../network.js";
import type { Fabric } from "../topology/fabric.js";
import { type AlgorithmChoice, chooseAlgorithm, stepAnalysis } from "./choose.js";
import { runLockstep } from "./lockstep.js";
import { runStepsOnEveryRank } from "./steps.js";
import type { PhaseFlows } from "./symmetry.js";
import type { CollectiveAlgorithm, CollectiveOp } from "./types.js";

/** One phase that ran: which tier, which algorithm, how many ranks, how long, and how it was simulated. */
export interface PhaseRecord {
  tier: number;
  algorithm: string;
  op: CollectiveOp;
  ranks: number;
  /** Bytes per rank of the whole buffer at this phase (all chunks). */
  bytes: number;
  startS: number;
  endS: number;
  /**
   * How the phase was simulated: `representative` (one rank, exact link shares), `groups` (every rank of
   * the groups sharing the representative's links), `every rank` (every group everywhere).
   */
  simulated: "representative" | "groups" | "every rank";
  /** Chunks the buffer was pipelined in (1: none). */
  chunks: number;
  /** Why the algorithm differs from the one asked for, if it does. */
  note?: string;
}

/** What a phase needs to know about its place in the collective. */
export interface PhaseSpec {
  op: CollectiveOp;
  tier: number;
  /** The representative subgroup. */
  rep: readonly number[];
  /** Every subgroup that shares links with the representative's (same tier group), and every subgroup anywhere. */
  sameGroup: () => readonly (readonly number[])[];
  everywhere: () => readonly (readonly number[])[];
  /** Copies of each message by the tier it crosses, in the representative mode. */
  copiesAt: (tier: number) => number;
  /**
   * Whether the other subgroups of the representative's tier group are exactly its copies (on its
   * members) or cannot touch its links, so `copiesAt` accounts for all of them; default true.
   */
  copiesExact?: () => boolean;
  symmetric: boolean;
  asked: AlgorithmChoice;
  /** Where the asked algorithm came from, for errors. */
  askedPath: (string | number)[];
  repeat: number;
  tag: number;
  /**
   * Stragglers not yet met: chip -> how late it arrives, s. Shared by the collective's phases; the first
   * phase a straggler takes part in holds its sends back and removes it.
   */
  late?: Map<number, number>;
}

/** Wraps a network so that `send` goes through `wrap` (given the network's own send, bound). */
function withSend(net: Network, wrap: (send: Network["send"]) => Network["send"]): Network {
  return new Proxy(net, {
    get(target, prop, receiver) {
      if (prop !== "send") return Reflect.get(target, prop, receiver);
      return wrap(target.send.bind(target));
    },
  });
}

/** Wraps a network so every message carries the copies its tier calls for (for algorithms that run their own events). */
const withCopies = (net: Network, copiesAt: (tier: number) => number): Network =>
  withSend(
    net,
    (send) =>
      (src, dst, bytes, fn, opts = {}) =>
        send(src, dst, bytes, fn, { ...opts, copies: copiesAt(net.topology.tierOf(src, dst)) }),
  );

/**
 * How a phase is simulated, and the flows that count: every rank everywhere (symmetry off, or a fault on
 * the tier), the representative with its copies (its tier group's other subgroups are its copies or
 * cannot touch its links), else every subgroup of its tier group. Shared by the run and its estimate.
 */
export function modeOf(
  fabric: Fabric,
  spec: PhaseSpec,
): { flows: PhaseFlows; simulated: PhaseRecord["simulated"] } {
  const one = () => 1;
  if (!spec.symmetric || fabric.hasFaults(spec.tier))
    return { flows: { groups: spec.everywhere(), copiesAt: one, salt: spec.tag }, simulated: "every rank" };
  if (fabric.tiers[spec.tier].positionInvariant && (spec.copiesExact?.() ?? true))
    return {
      flows: { groups: [spec.rep], copiesAt: spec.copiesAt, salt: spec.tag },
      simulated: "representative",
    };
  return { flows: { groups: spec.sameGroup(), copiesAt: one, salt: spec.tag }, simulated: "groups" };
}

/**
 * Runs one phase with `bytes` per rank and calls `done` with its record. Chooses the algorithm on the
 * representative's routes (so every mode runs the same one); then, when every step is uniform, runs the
 * representative rank alone (O(steps) events), else every rank of the mode's groups. A phase with a
 * straggler runs every rank of the tier groups holding one (see runWithStragglers). A repeated op adds
 * (repeat - 1) x the phase's latency. Cost: the algorithm's events in the chosen mode.
 */
export function runPhase(
  net: Network,
  spec: PhaseSpec,
  bytes: number,
  chunks: number,
  done: (r: PhaseRecord) => void,
): void {
  const fabric = net.topology;
  const choiceFlows: PhaseFlows = { groups: [spec.rep], copiesAt: spec.copiesAt, salt: spec.tag };
  const { alg, note } = chooseAlgorithm(fabric, spec.op, choiceFlows, bytes, spec.asked, spec.askedPath);
  const n = spec.rep.length;
  const start = net.now();
  let simulated: PhaseRecord["simulated"] = "representative";
  const finish = () =>
    net.schedule((spec.repeat - 1) * latencyOnlyS(net, alg, spec.op, choiceFlows, n), () =>
      done({
        tier: spec.tier,
        algorithm: alg.id,
        op: spec.op,
        ranks: n,
        bytes: bytes * chunks,
        startS: start,
        endS: net.now(),
        simulated,
        chunks,
        note,
      }),
    );
  const b = bytes * spec.repeat;
  const late = spec.late && spec.late.size > 0 ? new Map(spec.late) : undefined;
  spec.late?.clear();
  simulated = late ? runWithStragglers(net, spec, alg, b, late, finish) : runMode(net, spec, alg, b, finish);
}

/**
 * Runs the phase's groups in the mode symmetry allows: the representative rank alone when every step
 * is uniform, else every rank of the mode's groups. Returns how it was simulated. Cost: its events.
 */
function runMode(
  net: Network,
  spec: PhaseSpec,
  alg: CollectiveAlgorithm,
  b: number,
  done: () => void,
): PhaseRecord["simulated"] {
  const fabric = net.topology;
  const n = spec.rep.length;
  const mode = modeOf(fabric, spec);
  const plan = alg.steps?.(spec.op, n, b);
  if (plan && mode.simulated !== "every rank") {
    const analyses = plan.map((r) => stepAnalysis(fabric, mode.flows, r.pattern));
    if (analyses.every((a) => a.uniform)) {
      runLockstep(net, mode.flows.groups[0][0], plan, analyses, spec.tag, done);
      return "representative";
    }
  }
  const copied = mode.flows.copiesAt === spec.copiesAt ? withCopies(net, spec.copiesAt) : net;
  runEvery(copied, alg, spec, mode.flows.groups, b, done);
  return mode.simulated === "representative" ? "groups" : mode.simulated;
}

/** Runs an algorithm on every rank of `groups` at once, each message alone (no copies). */
function runEvery(
  net: Network,
  alg: CollectiveAlgorithm,
  spec: PhaseSpec,
  groups: readonly (readonly number[])[],
  b: number,
  done: () => void,
): void {
  const plan = alg.steps?.(spec.op, spec.rep.length, b);
  if (plan) {
    runStepsOnEveryRank(net, groups, plan, { tag: spec.tag }, done);
    return;
  }
  let left = groups.length;
  for (const g of groups)
    alg.run!(
      net,
      { op: spec.op, ranks: g, bytes: b, copies: 1, tag: spec.tag },
      () => --left === 0 && done(),
    );
}

/**
 * A phase some of whose ranks arrive late. Symmetry breaks only in the tier groups holding a straggler
 * (tier groups share no links): every rank there runs, the stragglers' sends held back until their
 * delay has passed; the other tier groups are alike, so one of them runs in the mode symmetry allows
 * (the representative taken from it) at the same time. With symmetry off or a fault at the tier every
 * rank runs, stragglers held back alike. Returns how it was simulated. Cost: the straggler tier groups'
 * every-rank events plus the symmetric run's.
 */
function runWithStragglers(
  net: Network,
  spec: PhaseSpec,
  alg: CollectiveAlgorithm,
  b: number,
  late: ReadonlyMap<number, number>,
  done: () => void,
): PhaseRecord["simulated"] {
  const fabric = net.topology;
  const held = holdBack(net, late, net.now());
  if (!spec.symmetric || fabric.hasFaults(spec.tier)) return runMode(held, spec, alg, b, done);
  const G = fabric.groupSize[spec.tier];
  const hit = new Set([...late.keys()].map((c) => Math.floor(c / G)));
  const all = spec.everywhere();
  const slow = all.filter((g) => hit.has(Math.floor(g[0] / G)));
  const clean = all.find((g) => !hit.has(Math.floor(g[0] / G)));
  let left = clean ? 2 : 1;
  const one = () => --left === 0 && done();
  runEvery(held, alg, spec, slow, b, one);
  if (clean) {
    const home = Math.floor(clean[0] / G);
    const sameGroup = () => all.filter((g) => Math.floor(g[0] / G) === home);
    runMode(net, { ...spec, rep: clean, sameGroup, late: undefined }, alg, b, one);
  }
  return "groups";
}

/** Wraps a network so a straggler's sends leave no earlier than `startS` + its delay. */
const holdBack = (net: Network, late: ReadonlyMap<number, number>, startS: number): Network =>
  withSend(net, (send) => (src, dst, bytes, fn, opts) => {
    const wait = startS + (late.get(src) ?? 0) - net.now();
    if (wait > 0) net.schedule(wait, () => send(src, dst, bytes, fn, opts));
    else send(src, dst, bytes, fn, opts);
  });

/** The latency part of one run of the phase (what each extra repeat of a per-layer op adds), s. */
function latencyOnlyS(
  net: Network,
  alg: CollectiveAlgorithm,
  op: CollectiveOp,
  flows: PhaseFlows,
  n: number,
): number {
  if (alg.steps) {
    let t = 0;
    for (const r of alg.steps(op, n, 0))
      t += r.repeat * stepAnalysis(net.topology, flows, r.pattern).latencyS;
    return t;
  }
  const routes = net.topology.routes(flows.groups[0][0], flows.groups[0][1]);
  const latencyS = Math.max(...routes.map((r) => r.latencyS));
  return alg.closedFormS(op, n, 0, { pairBytesPerS: 1, injectionBytesPerS: 1, latencyS });
}
