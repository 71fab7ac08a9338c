// The iteration's communication: each training op's groups on the rank layout, run as a collective or replayed from an equivalent one.
import type { NetworkBackend, SendOptions } from "../../engine/network.js";
import type { CommOp, TrainingPlan } from "../../training/types.js";
import type { AlgorithmSpec, CollectiveRequest, PhaseRecord } from "../collectives/run.js";
import { runCollective } from "../collectives/run.js";
import type { CollectiveOp } from "../collectives/types.js";
import type { Network } from "../network.js";
import type { Fabric } from "../topology/fabric.js";

/** How the iteration runs its collectives. */
export interface CommOptions {
  symmetric: boolean;
  replay: boolean;
  algorithm?: AlgorithmSpec;
  chunks?: number;
}

/** The representative group of an op on a stage, and (on demand) every group of the stage. */
interface Groups {
  ranks: number[];
  all: () => number[][];
}

/** The scenario field whose layout makes an op's groups (for errors about them). */
export const opField = (op: CommOp): (string | number)[] => [
  "training",
  op.parallelism === "dp" ? "pp" : op.parallelism,
];

/** Adds what one message puts on each link to `into`, as the back end will (weighted paths, or the copies rule). */
function messageLoad(
  fabric: Fabric,
  src: number,
  dst: number,
  bytes: number,
  opts: SendOptions,
  into: Map<number, number>,
) {
  if (src === dst || !(bytes > 0)) return;
  if (!opts.paths) return fabric.addLoad(src, dst, bytes, opts.copies ?? 1, opts.tag ?? 0, into);
  const part = bytes / opts.paths.length;
  for (const p of opts.paths)
    for (let i = 0; i < p.links.length; i++)
      into.set(p.links[i], (into.get(p.links[i]) ?? 0) + p.weights[i] * part);
}

/** A view of `net` that also adds every message's and every credited load to `load`. */
function recording(net: Network, load: Map<number, number>): Network {
  return new Proxy(net, {
    get(target, prop, receiver) {
      if (prop === "send")
        return ((src, dst, bytes, fn, opts = {}) => {
          messageLoad(target.topology, src, dst, bytes, opts, load);
          target.send(src, dst, bytes, fn, opts);
        }) satisfies NetworkBackend["send"];
      if (prop === "addLoad")
        return (l: ReadonlyMap<number, number>) => {
          for (const [id, b] of l) load.set(id, (load.get(id) ?? 0) + b);
          target.addLoad(l);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
}

/**
 * Runs a stage's training ops on the network. Groups follow the plan's rank layout: every op at its own stride
 * (`CommOp.stride`). An op whose groups sit where an earlier one's did (same name, same place in the tier group
 * the op spans: an equivalence class) is replayed as that one's time with its link load credited again.
 */
export class CommRunner {
  simulated = 0;
  replayed = 0;
  /** Phase records of the collectives simulated in full, by op name. */
  readonly phases = new Map<string, PhaseRecord[]>();
  private memo = new Map<string, { timeS: number; load: Map<number, number> }>();
  private tag = 1;
  private fabric: Fabric;
  private groups: StageGroups;

  constructor(
    private net: Network,
    plan: TrainingPlan,
    private opts: CommOptions,
  ) {
    this.fabric = net.topology;
    this.groups = new StageGroups(this.fabric, plan);
  }

  /** Runs ops one after another on stage s; `toStage` is the peer of pipeline sends. */
  sequence(s: number, ops: CommOp[], done: () => void, toStage?: number): void {
    let i = 0;
    const next = () => (i < ops.length ? this.runOp(s, ops[i++], next, toStage) : done());
    next();
  }

  /** Runs ops at once on stage s. */
  parallel(s: number, ops: CommOp[], done: () => void): void {
    let left = ops.length;
    if (left === 0) {
      done();
      return;
    }
    for (const op of ops) this.runOp(s, op, () => --left === 0 && done());
  }

  /** Runs one op of stage s; `done` when it has finished (simulated or replayed). */
  runOp(s: number, op: CommOp, done: () => void, toStage?: number): void {
    const req = this.groups.request(s, op, toStage);
    const key = `${op.name}|${this.fabric.equivalenceKey(req.ranks)}`;
    const t0 = this.net.now();
    const known = this.memo.get(key);
    if (this.opts.replay && known !== undefined) {
      this.replayed++;
      this.net.addLoad(known.load);
      this.net.schedule(known.timeS, done);
      return;
    }
    this.simulated++;
    const load = new Map<number, number>();
    runCollective(
      this.opts.replay ? recording(this.net, load) : this.net,
      {
        ...req,
        algorithm: this.opts.algorithm,
        symmetric: this.opts.symmetric,
        chunks: this.opts.chunks,
        tag: this.tag++,
      },
      (ph) => {
        if (!this.memo.has(key)) this.memo.set(key, { timeS: this.net.now() - t0, load });
        if (!this.phases.has(op.name)) this.phases.set(op.name, ph);
        done();
      },
    );
  }
}

/**
 * Where an op's groups sit on the plan's rank layout: the representative group of a stage, every group of
 * the stage on demand, and how many groups share a member at each tier. Shared by the run and its
 * up-front estimate.
 */
export class StageGroups {
  private peerCache = new Map<string, number>();
  private P: number;
  private stridePP: number;

  constructor(
    private fabric: Fabric,
    private plan: TrainingPlan,
  ) {
    this.P = plan.degrees.pp;
    this.stridePP = plan.layout.stride.pp;
  }

  /** The collective request of op on stage s, but for its tag and options. */
  request(s: number, op: CommOp, toStage?: number): Omit<CollectiveRequest, "tag" | "symmetric"> {
    const g = this.groupsFor(s, op, toStage);
    return {
      op: op.collective as CollectiveOp,
      ranks: g.ranks,
      // An op whose library runs below the family's collective figure (CommOp.rateShare) holds the links longer.
      bytes: op.bytesPerRank / (op.rateShare ?? 1),
      allGroups: g.all,
      peerGroups: this.peerGroups(s, g.ranks),
      repeat: op.count,
      where: opField(op),
    };
  }

  private stageOf(r: number): number {
    return Math.floor(r / this.stridePP) % this.P;
  }

  /** Peer groups sharing a member at each tier: same-stage ranks in the representative's member / the group's ranks there. */
  peerGroups(s: number, ranks: readonly number[]): (tier: number) => number {
    return (tier) => {
      if (tier === 0) return 1;
      const S = this.fabric.memberSize[tier];
      const key = `${s}:${tier}:${ranks.length}:${ranks[1] - ranks[0]}`;
      const hit = this.peerCache.get(key);
      if (hit !== undefined) return hit;
      const m0 = Math.floor(ranks[0] / S) * S;
      let same = 0;
      for (let r = m0; r < m0 + S && r < this.plan.chips; r++) if (this.stageOf(r) === s) same++;
      let inGroup = 0;
      for (const r of ranks) if (r >= m0 && r < m0 + S) inGroup++;
      const v = Math.max(1, same / Math.max(1, inGroup));
      this.peerCache.set(key, v);
      return v;
    };
  }

  /** The representative group of op on stage s, and every group of the stage on demand. */
  groupsFor(s: number, op: CommOp, toStage?: number): Groups {
    const r0 = s * this.stridePP;
    const X = this.stridePP;
    if (op.parallelism === "pp") {
      const to = (toStage ?? (s + 1 < this.P ? s + 1 : s - 1)) * this.stridePP;
      const d = to - r0;
      return { ranks: [r0, to], all: () => Array.from({ length: X }, (_, x) => [r0 + x, r0 + x + d]) };
    }
    // Neighbouring ranks of the group sit the plan's own distance apart (`CommOp.stride`: the rank layout and, for
    // data-parallel groups, fsdp.ts's shard and replica groups), so both back ends place every group on the same ranks.
    const st = op.stride;
    const n = op.groupSize;
    if (op.collective === "send-recv") {
      // Ring exchange (context parallel): each rank sends to the next rank of its ring.
      const next = (r: number) => r + ((((Math.floor(r / st) % n) + 1) % n) - (Math.floor(r / st) % n)) * st;
      return { ranks: [r0, r0 + st], all: () => Array.from({ length: X }, (_, x) => [r0 + x, next(r0 + x)]) };
    }
    const group = (r: number) => Array.from({ length: n }, (_, i) => r + i * st);
    const all = () => {
      const out: number[][] = [];
      for (let x = 0; x < X; x++) if (Math.floor((r0 + x) / st) % n === 0) out.push(group(r0 + x));
      return out.length > 0 ? out : [group(r0)];
    };
    return { ranks: group(r0), all };
  }
}
