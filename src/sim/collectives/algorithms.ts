// Flat collective algorithms: ring, direct (full mesh / all-to-all), recursive halving-doubling, double binary tree, point-to-point.
import type { Network } from "../engine/network.js";
import type { CollectiveAlgorithm } from "./types.js";

const log2 = (n: number) => Math.round(Math.log2(n));
const isPow2 = (n: number) => n >= 1 && (n & (n - 1)) === 0;

/** Calls `done` after `n` calls of the returned function. */
function countdown(n: number, done: () => void): () => void {
  let left = n;
  if (left <= 0) {
    done();
    return () => {};
  }
  return () => {
    if (--left === 0) done();
  };
}

/**
 * Ring: n-1 steps of reduce-scatter and/or n-1 of all-gather, each rank passing one 1/n chunk to its
 * successor as soon as the previous chunk has arrived. Time 2(n-1)(D/(nB) + a) for all-reduce.
 */
export const ring: CollectiveAlgorithm = {
  id: "ring",
  supports: (op) => op === "all-reduce" || op === "reduce-scatter" || op === "all-gather",
  run(net, call, done) {
    const n = call.ranks.length;
    const steps = (call.op === "all-reduce" ? 2 : 1) * (n - 1);
    if (n <= 1 || steps === 0) return net.schedule(0, done);
    const chunk = call.bytes / n;
    const finished = countdown(n, done);
    const step = (i: number, k: number) => {
      const j = (i + 1) % n;
      net.send(
        call.ranks[i],
        call.ranks[j],
        chunk,
        call.copies,
        () => {
          if (k + 1 < steps) step(j, k + 1);
          else finished();
        },
        call.tag,
      );
    };
    for (let i = 0; i < n; i++) step(i, 0);
  },
  closedFormS(op, n, bytes, link) {
    const steps = (op === "all-reduce" ? 2 : 1) * (n - 1);
    return steps * (bytes / n / link.pairBytesPerS + link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return (op === "all-reduce" ? 2 : 1) * (n - 1) * bytes;
  },
};

/**
 * Direct: every rank sends its 1/n share to every other rank at once (one phase for reduce-scatter,
 * all-gather and all-to-all; reduce-scatter then all-gather for all-reduce). Made for full meshes,
 * where each pair has its own link. Time (n-1)D/(nB) + a per phase.
 */
export const direct: CollectiveAlgorithm = {
  id: "direct",
  supports: (op) => op !== "send-recv",
  run(net, call, done) {
    const n = call.ranks.length;
    if (n <= 1) return net.schedule(0, done);
    const share = call.bytes / n;
    const phases = call.op === "all-reduce" ? 2 : 1;
    const finished = countdown(n, done);
    const received = new Int32Array(n);
    const phase = (i: number, p: number) => {
      for (let d = 1; d < n; d++) {
        const j = (i + d) % n;
        net.send(
          call.ranks[i],
          call.ranks[j],
          share,
          call.copies,
          () => {
            if (++received[j] === (n - 1) * (p + 1)) {
              if (p + 1 < phases) phase(j, p + 1);
              else finished();
            }
          },
          call.tag,
        );
      }
    };
    for (let i = 0; i < n; i++) phase(i, 0);
  },
  closedFormS(op, n, bytes, link) {
    const phases = op === "all-reduce" ? 2 : 1;
    return phases * (((n - 1) * bytes) / n / link.injectionBytesPerS + link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return (op === "all-reduce" ? 2 : 1) * (n - 1) * bytes;
  },
};

/**
 * Recursive halving-doubling (Rabenseifner): log2 n steps of halving for reduce-scatter, log2 n of
 * doubling for all-gather; step k exchanges D/2^(k+1) with the partner at distance n/2^(k+1).
 * Needs a power of two. Time (n-1)D/(nB) + a log2 n per half.
 */
export const halvingDoubling: CollectiveAlgorithm = {
  id: "halving-doubling",
  supports: (op, n) => (op === "all-reduce" || op === "reduce-scatter" || op === "all-gather") && isPow2(n),
  run(net, call, done) {
    const n = call.ranks.length;
    const L = log2(n);
    if (n <= 1) return net.schedule(0, done);
    // Steps: reduce-scatter halves (distance n/2, n/4, ... 1), all-gather doubles back.
    const plan: { dist: number; bytes: number }[] = [];
    if (call.op !== "all-gather")
      for (let k = 0; k < L; k++) plan.push({ dist: n >> (k + 1), bytes: call.bytes / 2 ** (k + 1) });
    if (call.op !== "reduce-scatter")
      for (let k = L - 1; k >= 0; k--) plan.push({ dist: n >> (k + 1), bytes: call.bytes / 2 ** (k + 1) });
    const finished = countdown(n, done);
    // A rank moves to step s+1 once it has received its partner's step-s message.
    const step = (i: number, s: number) => {
      const { dist, bytes } = plan[s];
      const j = i ^ dist;
      net.send(
        call.ranks[i],
        call.ranks[j],
        bytes,
        call.copies,
        () => {
          if (s + 1 < plan.length) step(j, s + 1);
          else finished();
        },
        call.tag,
      );
    };
    for (let i = 0; i < n; i++) step(i, 0);
  },
  closedFormS(op, n, bytes, link) {
    const halves = op === "all-reduce" ? 2 : 1;
    return halves * (((n - 1) * bytes) / n / link.pairBytesPerS + log2(n) * link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return (op === "all-reduce" ? 2 : 1) * (n - 1) * bytes;
  },
};

/** Tree shape for the double binary tree: parent and children of each position in an in-order binary tree. */
function inorderTree(n: number, mirror: boolean): { parent: Int32Array; root: number } {
  const parent = new Int32Array(n).fill(-1);
  const build = (lo: number, hi: number, p: number): number => {
    if (lo > hi) return -1;
    const mid = (lo + hi) >> 1;
    parent[mid] = p;
    build(lo, mid - 1, mid);
    build(mid + 1, hi, mid);
    return mid;
  };
  const root = build(0, n - 1, -1);
  if (!mirror) return { parent, root };
  // Second tree: the same shape over positions shifted by one, so most interior nodes are leaves there.
  const p2 = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) p2[(i + 1) % n] = parent[i] < 0 ? -1 : (parent[i] + 1) % n;
  return { parent: p2, root: (root + 1) % n };
}

const DBT_CHUNKS = 128;

/** Sends queued chunks over one link one at a time (window of one), so chunks pipeline hop by hop. */
class Uplink {
  private queue: number[] = [];
  private busy = false;
  constructor(
    private net: Network,
    private src: number,
    private dst: number,
    private bytes: number,
    private copies: number,
    private tag: number,
    private onChunk: (c: number) => void,
  ) {}
  push(c: number): void {
    this.queue.push(c);
    this.pump();
  }
  private pump(): void {
    if (this.busy || this.queue.length === 0) return;
    const c = this.queue.shift()!;
    this.busy = true;
    this.net.send(
      this.src,
      this.dst,
      this.bytes,
      this.copies,
      () => {
        this.busy = false;
        this.onChunk(c);
        this.pump();
      },
      this.tag,
    );
  }
}

/**
 * Double binary tree (NCCL's tree all-reduce): two complementary in-order binary trees (the second
 * shifted by one rank, so the first's leaves are the second's interior nodes) each carry half the
 * buffer in K chunks, reduced towards the root and then broadcast back, one chunk in flight per tree
 * edge. Closed form on an idle network: per half, (K + h - 1) chunk steps of (D/(2K))/(B/2) + a, B/2
 * because every rank sends on both trees at once; h is the tree depth.
 */
export const doubleBinaryTree: CollectiveAlgorithm = {
  id: "double-binary-tree",
  supports: (op, n) => op === "all-reduce" && n >= 2,
  run(net, call, done) {
    const n = call.ranks.length;
    const K = DBT_CHUNKS;
    const chunk = call.bytes / 2 / K;
    let doneTrees = 0;
    const treeDone = () => {
      if (++doneTrees === 2) done();
    };
    for (let t = 0; t < 2; t++) {
      const { parent, root } = inorderTree(n, t === 1);
      const kids: number[][] = Array.from({ length: n }, () => []);
      for (let i = 0; i < n; i++) if (parent[i] >= 0) kids[parent[i]].push(i);
      const tag = call.tag * 2 + t;
      const got = new Int32Array(n * K);
      let rootChunks = 0;
      const received = countdown(n - 1, treeDone);
      const recvCount = new Int32Array(n);
      // Broadcast: node i forwards each chunk to every child, one chunk in flight per edge.
      const downlinks: Uplink[][] = kids.map((ks, i) =>
        ks.map(
          (k) =>
            new Uplink(net, call.ranks[i], call.ranks[k], chunk, call.copies, tag, (c) => {
              for (const l of downlinks[k]) l.push(c);
              if (++recvCount[k] === K) received();
            }),
        ),
      );
      const startBroadcast = () => {
        for (let c = 0; c < K; c++) for (const l of downlinks[root]) l.push(c);
      };
      const uplinks: (Uplink | undefined)[] = [];
      const ready = (i: number, c: number) => {
        if (i === root) {
          if (++rootChunks === K) startBroadcast();
          return;
        }
        uplinks[i]!.push(c);
      };
      for (let i = 0; i < n; i++) {
        if (i === root) continue;
        const p = parent[i];
        uplinks[i] = new Uplink(net, call.ranks[i], call.ranks[p], chunk, call.copies, tag, (c) => {
          if (++got[p * K + c] === kids[p].length) ready(p, c);
        });
      }
      for (let i = 0; i < n; i++) if (kids[i].length === 0) for (let c = 0; c < K; c++) ready(i, c);
    }
  },
  closedFormS(_op, n, bytes, link) {
    const K = DBT_CHUNKS;
    const { depth, fanIn } = dbtShape(n);
    // The busiest rank receives from `fanIn` children across both trees at once (and, broadcasting, sends as many).
    const step = bytes / 2 / K / (link.pairBytesPerS / fanIn) + link.latencyS;
    return 2 * (K + depth - 1) * step;
  },
  wireBytes(_op, n, bytes) {
    return 2 * (n - 1) * bytes;
  },
};

/** Depth of the deeper tree and the most children any rank has across both trees (at least 2). */
function dbtShape(n: number): { depth: number; fanIn: number } {
  const kids = new Int32Array(n);
  let depth = 0;
  for (const mirror of [false, true]) {
    const { parent } = inorderTree(n, mirror);
    for (let i = 0; i < n; i++) {
      if (parent[i] >= 0) kids[parent[i]]++;
      let d = 0;
      for (let j = i; parent[j] >= 0; j = parent[j]) d++;
      depth = Math.max(depth, d);
    }
  }
  let fanIn = 2;
  for (let i = 0; i < n; i++) fanIn = Math.max(fanIn, kids[i]);
  return { depth, fanIn };
}

/** Point-to-point: ranks[0] sends the whole message to ranks[1]. Time D/B + a. */
export const pointToPoint: CollectiveAlgorithm = {
  id: "p2p",
  supports: (op, n) => op === "send-recv" && n === 2,
  run(net, call, done) {
    net.send(call.ranks[0], call.ranks[1], call.bytes, call.copies, done, call.tag);
  },
  closedFormS(_op, _n, bytes, link) {
    return bytes / link.pairBytesPerS + link.latencyS;
  },
  wireBytes(_op, _n, bytes) {
    return bytes;
  },
};

/** Every flat algorithm, by id. */
export const ALGORITHMS: Record<string, CollectiveAlgorithm> = {
  ring,
  direct,
  "halving-doubling": halvingDoubling,
  "double-binary-tree": doubleBinaryTree,
  p2p: pointToPoint,
};
