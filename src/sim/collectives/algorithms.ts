// Flat collective algorithms: ring, bidirectional ring, direct, recursive halving-doubling (as steps), double binary tree (its own events), point-to-point.
import type { Network } from "../network.js";
import { ALL_PAIRS, BOTH_WAYS, ONE_WAY, shiftPattern, stepShape, xorPattern } from "./steps.js";
import type { CollectiveAlgorithm, CollectiveOp, StepRun } from "./types.js";

const log2 = (n: number) => Math.round(Math.log2(n));
const isPow2 = (n: number) => n >= 1 && (n & (n - 1)) === 0;
const halves = (op: CollectiveOp) => (op === "all-reduce" ? 2 : 1);
const reduction = (op: CollectiveOp) => op === "all-reduce" || op === "reduce-scatter" || op === "all-gather";

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

const RING_STEP = shiftPattern(1);

/** What a step-structured algorithm states itself, without its shape: that follows from its steps. */
type Stepped = Omit<CollectiveAlgorithm, "shape" | "reducesBySymmetry" | "steps"> &
  Required<Pick<CollectiveAlgorithm, "steps">>;

/** A step-structured algorithm: it sends what its steps send, and a representative rank can stand for the others. */
const stepped = (a: Stepped): CollectiveAlgorithm => ({
  ...a,
  shape: (op, n, bytes) => stepShape(a.steps(op, n, bytes), n),
  reducesBySymmetry: true,
});

/**
 * Ring: n-1 steps of reduce-scatter and/or n-1 of all-gather, each rank passing one 1/n chunk to its
 * successor as soon as the previous chunk has arrived. Time 2(n-1)(D/(nB) + a) for all-reduce.
 */
export const ring: CollectiveAlgorithm = stepped({
  id: "ring",
  supports: reduction,
  autoMaxRanks: Number.POSITIVE_INFINITY,
  steps: (op, n, bytes) => [{ pattern: RING_STEP, bytes: bytes / n, repeat: halves(op) * (n - 1) }],
  closedFormS(op, n, bytes, link) {
    return halves(op) * (n - 1) * (bytes / n / link.pairBytesPerS + link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return halves(op) * (n - 1) * bytes;
  },
});

/**
 * Bidirectional ring: the buffer in two halves, one passed clockwise and one counter-clockwise at the
 * same time, so a ring or torus uses both directions of its links. Time 2(n-1)(D/(2nB) + a) for
 * all-reduce when the two directions do not share a link (on a switch they share the chip's port).
 */
export const bidirectionalRing: CollectiveAlgorithm = stepped({
  id: "bidirectional-ring",
  supports: (op, n) => reduction(op) && n >= 3,
  autoMaxRanks: Number.POSITIVE_INFINITY,
  steps: (op, n, bytes) => [{ pattern: BOTH_WAYS, bytes: bytes / n / 2, repeat: halves(op) * (n - 1) }],
  closedFormS(op, n, bytes, link) {
    return halves(op) * (n - 1) * (bytes / n / 2 / link.pairBytesPerS + link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return halves(op) * (n - 1) * bytes;
  },
});

/**
 * Direct: every rank sends its 1/n share to every other rank at once (one phase for reduce-scatter,
 * all-gather and all-to-all; reduce-scatter then all-gather for all-reduce). Made for full meshes,
 * where each pair has its own link. Time (n-1)D/(nB) + a per phase.
 */
export const direct: CollectiveAlgorithm = stepped({
  id: "direct",
  supports: (op) => op !== "send-recv",
  autoMaxRanks: 512,
  steps: (op, n, bytes) => [{ pattern: ALL_PAIRS, bytes: bytes / n, repeat: halves(op) }],
  closedFormS(op, n, bytes, link) {
    return halves(op) * (((n - 1) * bytes) / n / link.injectionBytesPerS + link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return halves(op) * (n - 1) * bytes;
  },
});

/**
 * Recursive halving-doubling (Rabenseifner): log2 n steps of halving for reduce-scatter, log2 n of
 * doubling for all-gather; step k exchanges D/2^(k+1) with the partner at distance n/2^(k+1).
 * Needs a power of two. Time (n-1)D/(nB) + a log2 n per half.
 */
export const halvingDoubling: CollectiveAlgorithm = stepped({
  id: "halving-doubling",
  supports: (op, n) => reduction(op) && isPow2(n),
  autoMaxRanks: Number.POSITIVE_INFINITY,
  steps(op, n, bytes) {
    const L = log2(n);
    const out: StepRun[] = [];
    if (op !== "all-gather")
      for (let k = 0; k < L; k++)
        out.push({ pattern: xorPattern(n >> (k + 1)), bytes: bytes / 2 ** (k + 1), repeat: 1 });
    if (op !== "reduce-scatter")
      for (let k = L - 1; k >= 0; k--)
        out.push({ pattern: xorPattern(n >> (k + 1)), bytes: bytes / 2 ** (k + 1), repeat: 1 });
    return out;
  },
  closedFormS(op, n, bytes, link) {
    return halves(op) * (((n - 1) * bytes) / n / link.pairBytesPerS + log2(n) * link.latencyS);
  },
  wireBytes(op, n, bytes) {
    return halves(op) * (n - 1) * bytes;
  },
});

/** Point-to-point: ranks[0] sends the whole message to ranks[1]. Time D/B + a. */
export const pointToPoint: CollectiveAlgorithm = stepped({
  id: "p2p",
  supports: (op, n) => op === "send-recv" && n === 2,
  autoMaxRanks: 2,
  steps: (_op, _n, bytes) => [{ pattern: ONE_WAY, bytes, repeat: 1 }],
  closedFormS(_op, _n, bytes, link) {
    return bytes / link.pairBytesPerS + link.latencyS;
  },
  wireBytes(_op, _n, bytes) {
    return bytes;
  },
});

/**
 * Tree shape for the double binary tree: the parent of each position in an in-order binary tree (each
 * range's middle is the parent of its halves' middles), and its depth. Built with an explicit stack
 * (a million ranks would be two million recursive calls). Cost O(n).
 */
export function inorderTree(n: number, mirror: boolean): { parent: Int32Array; root: number; depth: number } {
  const parent = new Int32Array(n).fill(-1);
  // Pending ranges (lo, hi, parent, depth); at most two per level are pending.
  const stack = new Int32Array(4 * 2 * 64);
  let top = 0;
  const push = (lo: number, hi: number, p: number, d: number) => {
    if (lo > hi) return;
    stack[top++] = lo;
    stack[top++] = hi;
    stack[top++] = p;
    stack[top++] = d;
  };
  const root = n > 0 ? (n - 1) >> 1 : -1;
  let depth = 0;
  push(0, n - 1, -1, 0);
  while (top > 0) {
    const d = stack[--top];
    const p = stack[--top];
    const hi = stack[--top];
    const lo = stack[--top];
    const mid = (lo + hi) >> 1;
    parent[mid] = p;
    if (d > depth) depth = d;
    push(lo, mid - 1, mid, d + 1);
    push(mid + 1, hi, mid, d + 1);
  }
  if (!mirror) return { parent, root, depth };
  // Second tree: the same shape over positions shifted by one, so most interior nodes are leaves there.
  const p2 = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) p2[(i + 1) % n] = parent[i] < 0 ? -1 : (parent[i] + 1) % n;
  return { parent: p2, root: (root + 1) % n, depth };
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
    private opts: { copies: number; tag: number },
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
      () => {
        this.busy = false;
        this.onChunk(c);
        this.pump();
      },
      this.opts,
    );
  }
}

/** Tree edges of one of the two trees as parent / children lists. */
function treeOf(n: number, mirror: boolean): { parent: Int32Array; root: number; kids: number[][] } {
  const { parent, root } = inorderTree(n, mirror);
  const kids: number[][] = Array.from({ length: n }, () => []);
  for (let i = 0; i < n; i++) if (parent[i] >= 0) kids[parent[i]].push(i);
  return { parent, root, kids };
}

/** One tree of the double binary tree: reduce K chunks to the root, then broadcast them back. */
function runTree(
  net: Network,
  ranks: readonly number[],
  mirror: boolean,
  chunk: number,
  opts: { copies: number; tag: number },
  done: () => void,
): void {
  const n = ranks.length;
  const K = DBT_CHUNKS;
  const { parent, root, kids } = treeOf(n, mirror);
  const got = new Int32Array(n * K);
  let rootChunks = 0;
  const received = countdown(n - 1, done);
  const recvCount = new Int32Array(n);
  // Broadcast: node i forwards each chunk to every child, one chunk in flight per edge.
  const downlinks: Uplink[][] = kids.map((ks, i) =>
    ks.map(
      (k) =>
        new Uplink(net, ranks[i], ranks[k], chunk, opts, (c) => {
          for (const l of downlinks[k]) l.push(c);
          if (++recvCount[k] === K) received();
        }),
    ),
  );
  const uplinks: (Uplink | undefined)[] = [];
  const ready = (i: number, c: number) => {
    if (i !== root) return uplinks[i]!.push(c);
    if (++rootChunks === K) for (let x = 0; x < K; x++) for (const l of downlinks[root]) l.push(x);
  };
  for (let i = 0; i < n; i++) {
    if (i === root) continue;
    const p = parent[i];
    uplinks[i] = new Uplink(net, ranks[i], ranks[p], chunk, opts, (c) => {
      if (++got[p * K + c] === kids[p].length) ready(p, c);
    });
  }
  for (let i = 0; i < n; i++) if (kids[i].length === 0) for (let c = 0; c < K; c++) ready(i, c);
}

/**
 * Double binary tree (NCCL's tree all-reduce): two complementary in-order binary trees (the second
 * shifted by one rank, so the first's leaves are the second's interior nodes) each carry half the
 * buffer in K chunks, reduced towards the root and then broadcast back, one chunk in flight per tree
 * edge. Closed form on an idle network: per half, (K + h - 1) chunk steps of (D/(2K))/(B/f) + a, f the
 * most children any rank has across both trees (it receives from all of them at once); h the tree depth.
 */
export const doubleBinaryTree: CollectiveAlgorithm = {
  id: "double-binary-tree",
  supports: (op, n) => op === "all-reduce" && n >= 2,
  autoMaxRanks: Number.POSITIVE_INFINITY,
  run(net, call, done) {
    const chunk = call.bytes / 2 / DBT_CHUNKS;
    const both = countdown(2, done);
    for (let t = 0; t < 2; t++)
      runTree(net, call.ranks, t === 1, chunk, { copies: call.copies, tag: call.tag * 2 + t }, both);
  },
  closedFormS(_op, n, bytes, link) {
    const { depth, fanIn } = dbtShape(n);
    const step = bytes / 2 / DBT_CHUNKS / (link.pairBytesPerS / fanIn) + link.latencyS;
    return 2 * (DBT_CHUNKS + depth - 1) * step;
  },
  wireBytes(_op, n, bytes) {
    return 2 * (n - 1) * bytes;
  },
  // Each tree edge carries every chunk of its tree's half up and back down: 2 trees x 2 x (n-1) edges x
  // K chunks, in 2K chunk rounds, every rank's events simulated (no steps a representative could stand for).
  shape: (_op, n, bytes) => ({
    steps: 2 * DBT_CHUNKS,
    distinctSteps: 2 * DBT_CHUNKS,
    messagesPerStep: 2 * (n - 1),
    bytesPerMessage: bytes / 2 / DBT_CHUNKS,
  }),
  reducesBySymmetry: false,
};

/**
 * Parent of position i in the in-order tree over n positions (the second tree: shifted by one), or -1
 * for the root: a descent from the whole range to i's. Cost O(log n), no allocation.
 */
export function treeParent(i: number, n: number, mirror: boolean): number {
  const k = mirror ? (i - 1 + n) % n : i;
  let lo = 0;
  let hi = n - 1;
  let p = -1;
  for (;;) {
    const mid = (lo + hi) >> 1;
    if (k === mid) break;
    p = mid;
    if (k < mid) hi = mid - 1;
    else lo = mid + 1;
  }
  return p < 0 ? -1 : mirror ? (p + 1) % n : p;
}

/** Up to `max` tree edges (child, parent) spread evenly over both trees, for costing on the routes they take. Cost O(max x log n). */
export function doubleBinaryTreeEdges(n: number, max: number): [number, number][] {
  const out: [number, number][] = [];
  const per = Math.max(1, Math.floor(max / 2));
  for (const mirror of [false, true]) {
    const step = Math.max(1, Math.floor(n / per));
    for (let i = 0; i < n && out.length < max; i += step) {
      const p = treeParent(i, n, mirror);
      if (p >= 0) out.push([i, p]);
    }
  }
  return out;
}

/**
 * Figures of an in-order tree over m positions, which depend on m alone: its depth, the children of its
 * root, of its leftmost and of its rightmost position, and the most children two neighbouring positions
 * have together (-1 when m < 2). Cost O(log m) (at most two sizes a level), memoised.
 */
interface TreeFigures {
  depth: number;
  root: number;
  left: number;
  right: number;
  pair: number;
}
const figuresMemo = new Map<number, TreeFigures>();
function treeFigures(m: number): TreeFigures {
  const hit = figuresMemo.get(m);
  if (hit) return hit;
  const a = (m - 1) >> 1; // left half (lo..mid-1)
  const b = m - 1 - a;
  const L = a > 0 ? treeFigures(a) : undefined;
  const R = b > 0 ? treeFigures(b) : undefined;
  const root = (a > 0 ? 1 : 0) + (b > 0 ? 1 : 0);
  // In order, the root sits between its left half's rightmost position and its right half's leftmost.
  const pair = Math.max(L?.pair ?? -1, R?.pair ?? -1, L ? L.right + root : -1, R ? root + R.left : -1);
  const f: TreeFigures = {
    depth: Math.max(L ? L.depth + 1 : 0, R ? R.depth + 1 : 0),
    root,
    left: L ? L.left : root,
    right: R ? R.right : root,
    pair,
  };
  if (figuresMemo.size < 4096) figuresMemo.set(m, f);
  return f;
}

/**
 * Depth of the trees and the most children any rank has across both (at least 2). The second tree is the
 * first shifted by one, so rank j has the first tree's children of positions j and j-1: two neighbours,
 * or (j = 0) its leftmost and rightmost. Cost O(log n).
 */
export function dbtShape(n: number): { depth: number; fanIn: number } {
  const f = treeFigures(n);
  return { depth: f.depth, fanIn: Math.max(2, f.pair, n > 1 ? f.left + f.right : 0) };
}

/** Every flat algorithm, by id. */
export const ALGORITHMS: Readonly<Record<string, CollectiveAlgorithm>> = {
  ring,
  "bidirectional-ring": bidirectionalRing,
  direct,
  "halving-doubling": halvingDoubling,
  "double-binary-tree": doubleBinaryTree,
  p2p: pointToPoint,
};
