// Explicit state of the serving simulation: requests in flight, attention ranks (queues, running batch, KV pages) and instances (step accounting).
import { PAGE_TOKENS, type PoolPlan } from "./config.js";
import { emptyLoad, type RankLoad } from "./cost.js";
import type { RequestSpec } from "./workload.js";

/** Whole KV pages that hold `tokens` tokens. */
export const pagesFor = (tokens: number): number => Math.ceil(tokens / PAGE_TOKENS);

/** One request while it is in flight (dropped when it completes, so memory follows the requests in flight). */
export interface Req {
  /** Position in the arrival order (0-based). */
  index: number;
  spec: RequestSpec;
  /** Prompt tokens whose KV must exist before decoding (grows after a recompute preemption). */
  target: number;
  prefilled: number;
  generated: number;
  /** KV pages held on the rank that owns the request now. */
  pages: number;
  /** Pages still held on the prefill rank until the KV transfer completes. */
  prefillPages: number;
  prefillRank: Rank | null;
  /** Decode rank whose KV transfer this request is in. */
  xferRank: Rank | null;
  firstTokenS: number;
}

/** A new request as it arrives. */
export function newReq(index: number, spec: RequestSpec): Req {
  return {
    index,
    spec,
    target: spec.inputTokens,
    prefilled: spec.cachedTokens,
    generated: 0,
    pages: 0,
    prefillPages: 0,
    prefillRank: null,
    xferRank: null,
    firstTokenS: -1,
  };
}

/** Array-backed FIFO with cheap push-front (for preempted requests). */
export class Deque<T> {
  private items: T[] = [];
  private head = 0;
  get length(): number {
    return this.items.length - this.head;
  }
  at(i: number): T {
    return this.items[this.head + i];
  }
  push(x: T): void {
    this.items.push(x);
  }
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const x = this.items[this.head];
    this.items[this.head++] = undefined as T;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return x;
  }
  unshift(x: T): void {
    if (this.head > 0) this.items[--this.head] = x;
    else this.items.unshift(x);
  }
}

/** One data-parallel attention rank: its queues, running batch and KV pages. */
export class Rank {
  waiting = new Deque<Req>();
  running: Req[] = [];
  incoming = new Deque<Req>();
  ready: Req[] = [];
  inTransfer = 0;
  /** When this rank's KV link is next free, s (transfers into a decode rank or out of a prefill rank). */
  linkFreeS = 0;
  freePages: number;
  queuedTokens = 0;
  /** Prompt chunks of the current step: the first `nChunks` entries (arrays reused across steps). */
  chunks: Req[] = [];
  chunkN: number[] = [];
  nChunks = 0;
  /** The first `stepDecode` entries of `running` decode in the current step. */
  stepDecode = 0;
  /** Sum over running sequences of their context (prompt + generated tokens). */
  kvSum = 0;
  /** Pages the running sequences need before their next token (allocated at the next step start). */
  growNeed = 0;
  load: RankLoad = emptyLoad();
  constructor(
    readonly inst: Instance,
    readonly capPages: number,
  ) {
    this.freePages = capPages;
  }
}

/** One serving instance: its ranks in lockstep and what its steps cost. */
export class Instance {
  ranks: Rank[] = [];
  busy = false;
  steps = 0;
  busyS = 0;
  kvFracS = 0;
  kvPeak = 0;
  computeS = 0;
  attnS = 0;
  gemmS = 0;
  commS = 0;
  exposedS = 0;
  overheadS = 0;
  constructor(
    readonly id: number,
    readonly pool: PoolPlan,
    readonly poolIndex: number,
  ) {
    for (let i = 0; i < pool.layout.attentionDp; i++) this.ranks.push(new Rank(this, pool.kvPagesPerRank));
  }
}
