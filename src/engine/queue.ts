// Discrete-event queue: a typed-array binary heap ordered by (time, sequence), so equal times run first in, first out.
import { grown } from "./typed.js";

/**
 * The simulated clock and its pending events. Time is only ever advanced by popping events; nothing
 * reads the wall clock. Push and pop cost O(log n); memory is 20 bytes per pending event plus its callback.
 */
export class EventQueue {
  /** Simulated time of the event being processed, s. */
  now = 0;
  /** Events processed so far. */
  processed = 0;
  private times = new Float64Array(1024);
  private seqs = new Float64Array(1024);
  private slots = new Int32Array(1024);
  private size = 0;
  private seq = 0;
  private fns: ((() => void) | undefined)[] = [];
  private free: number[] = [];

  /** Runs `fn` `delayS` seconds from now (>= 0). */
  schedule(delayS: number, fn: () => void): void {
    this.at(this.now + Math.max(delayS, 0), fn);
  }

  /** Runs `fn` at absolute simulated time `timeS` (never before now). */
  at(timeS: number, fn: () => void): void {
    if (!(timeS >= this.now)) {
      if (Number.isNaN(timeS)) throw new Error("internal error: event scheduled at NaN");
      timeS = this.now;
    }
    if (this.size === this.times.length) this.grow();
    let slot: number;
    if (this.free.length > 0) {
      slot = this.free.pop()!;
      this.fns[slot] = fn;
    } else {
      slot = this.fns.length;
      this.fns.push(fn);
    }
    // Sift up.
    let i = this.size++;
    const s = this.seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.times[p] < timeS || (this.times[p] === timeS && this.seqs[p] < s)) break;
      this.times[i] = this.times[p];
      this.seqs[i] = this.seqs[p];
      this.slots[i] = this.slots[p];
      i = p;
    }
    this.times[i] = timeS;
    this.seqs[i] = s;
    this.slots[i] = slot;
  }

  /** Time of the next event, or Infinity when none is pending. */
  peekTime(): number {
    return this.size > 0 ? this.times[0] : Number.POSITIVE_INFINITY;
  }

  get pending(): number {
    return this.size;
  }

  /** Processes events until none is left (or `untilS` is passed). Returns the number processed. */
  run(untilS = Number.POSITIVE_INFINITY, onProgress?: (timeS: number) => void): number {
    const start = this.processed;
    while (this.size > 0 && this.times[0] <= untilS) {
      const t = this.times[0];
      const slot = this.slots[0];
      this.pop();
      this.now = t;
      const fn = this.fns[slot]!;
      this.fns[slot] = undefined;
      this.free.push(slot);
      this.processed++;
      fn();
      if (onProgress && (this.processed & 0xffff) === 0) onProgress(t);
    }
    return this.processed - start;
  }

  private pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const t = this.times[n];
    const s = this.seqs[n];
    const sl = this.slots[n];
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (
        c + 1 < n &&
        (this.times[c + 1] < this.times[c] ||
          (this.times[c + 1] === this.times[c] && this.seqs[c + 1] < this.seqs[c]))
      )
        c++;
      if (t < this.times[c] || (t === this.times[c] && s < this.seqs[c])) break;
      this.times[i] = this.times[c];
      this.seqs[i] = this.seqs[c];
      this.slots[i] = this.slots[c];
      i = c;
    }
    this.times[i] = t;
    this.seqs[i] = s;
    this.slots[i] = sl;
  }

  private grow(): void {
    const n = this.times.length * 2;
    this.times = grown(this.times, n);
    this.seqs = grown(this.seqs, n);
    this.slots = grown(this.slots, n);
  }
}
