// Event queue of the serving simulation: a binary heap ordered by (time, sequence), so equal-time events leave first in, first out.

/** One scheduled event: `kind` and `ref` are the caller's; `seq` breaks ties in insertion order. */
export interface SimEvent<K extends string = string> {
  timeS: number;
  seq: number;
  kind: K;
  /** Index of the instance, request or other object the event concerns. */
  ref: number;
}

/** Min-heap of events. push and pop are O(log n); no allocation beyond the event objects. */
export class EventQueue<K extends string = string> {
  private heap: SimEvent<K>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** Schedules `kind` for `ref` at absolute simulated time `timeS` (s). */
  push(timeS: number, kind: K, ref: number): void {
    const e: SimEvent<K> = { timeS, seq: this.nextSeq++, kind, ref };
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h[i], h[p])) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  /** Removes and returns the earliest event, or undefined when empty. */
  pop(): SimEvent<K> | undefined {
    const h = this.heap;
    if (h.length === 0) return undefined;
    const top = h[0];
    const last = h.pop() as SimEvent<K>;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && before(h[l], h[m])) m = l;
        if (r < h.length && before(h[r], h[m])) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m], h[i]];
        i = m;
      }
    }
    return top;
  }

  /** Time of the earliest event without removing it. */
  peekTime(): number | undefined {
    return this.heap[0]?.timeS;
  }
}

function before(a: SimEvent, b: SimEvent): boolean {
  return a.timeS < b.timeS || (a.timeS === b.timeS && a.seq < b.seq);
}
