// An indexed binary min-heap of flow finish times: update or remove any flow in O(log n), so a flow network keeps one timer instead of one event per flow per rate change.
import { grown } from "./typed.js";

/**
 * Flows by finish time, ties broken by a caller's order number (the flow's start order, say, so equal
 * times come out first in, first out whatever slot a flow reuses). Flow ids are small non-negative
 * integers (reused slots). Memory: 24 bytes per flow id ever used. Written here rather
 * than taken from a library because it needs decrease-key by id over typed arrays, which the well-kept
 * priority-queue packages on npm do not offer.
 */
export class FinishHeap {
  private heap = new Int32Array(256);
  private pos = new Int32Array(256).fill(-1);
  private key = new Float64Array(256);
  private tie = new Float64Array(256);
  private size = 0;

  /** Flows held. */
  get length(): number {
    return this.size;
  }

  /** The earliest finish time, s (Infinity when empty). */
  peekTime(): number {
    return this.size > 0 ? this.key[this.heap[0]] : Number.POSITIVE_INFINITY;
  }

  /** The flow with the earliest finish time (undefined when empty). */
  peek(): number | undefined {
    return this.size > 0 ? this.heap[0] : undefined;
  }

  /** Sets flow f's finish time and tie-breaking order, inserting it if absent. O(log n). */
  set(f: number, timeS: number, order: number): void {
    if (f >= this.pos.length) this.grow(f + 1);
    const i = this.pos[f];
    this.key[f] = timeS;
    this.tie[f] = order;
    if (i < 0) {
      if (this.size === this.heap.length) this.heap = grown(this.heap, this.heap.length * 2);
      this.heap[this.size] = f;
      this.pos[f] = this.size;
      this.up(this.size++);
      return;
    }
    this.up(i);
    this.down(this.pos[f]);
  }

  /** Takes flow f out, if held. O(log n). */
  remove(f: number): void {
    const i = f < this.pos.length ? this.pos[f] : -1;
    if (i < 0) return;
    this.pos[f] = -1;
    const last = this.heap[--this.size];
    if (i === this.size) return;
    this.heap[i] = last;
    this.pos[last] = i;
    this.up(i);
    this.down(this.pos[last]);
  }

  private less(a: number, b: number): boolean {
    const ka = this.key[a];
    const kb = this.key[b];
    return ka < kb || (ka === kb && this.tie[a] < this.tie[b]);
  }

  private up(i: number): void {
    const f = this.heap[i];
    while (i > 0) {
      const p = (i - 1) >> 1;
      const g = this.heap[p];
      if (!this.less(f, g)) break;
      this.heap[i] = g;
      this.pos[g] = i;
      i = p;
    }
    this.heap[i] = f;
    this.pos[f] = i;
  }

  private down(i: number): void {
    const f = this.heap[i];
    for (;;) {
      let c = 2 * i + 1;
      if (c >= this.size) break;
      if (c + 1 < this.size && this.less(this.heap[c + 1], this.heap[c])) c++;
      const g = this.heap[c];
      if (!this.less(g, f)) break;
      this.heap[i] = g;
      this.pos[g] = i;
      i = c;
    }
    this.heap[i] = f;
    this.pos[f] = i;
  }

  private grow(n: number): void {
    const m = Math.max(n, this.pos.length * 2);
    const old = this.pos.length;
    this.pos = grown(this.pos, m);
    this.pos.fill(-1, old);
    this.key = grown(this.key, m);
    this.tie = grown(this.tie, m);
  }
}
