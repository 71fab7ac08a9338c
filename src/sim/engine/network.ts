// The narrow network interface (send / recv / schedule / now) that collectives and the iteration graph use, and its statistics.

import type { EventQueue } from "../../engine/queue.js";
import type { Fabric } from "../topology/fabric.js";

/**
 * What the layers above see of the network, after ASTRA-sim's sim_send / sim_recv / sim_schedule /
 * sim_get_time. `copies` is the symmetry multiplicity: this message stands for that many identical
 * messages sent at the same moment by the sender's peers in the same member group; on links those
 * peers share, they load the link `copies` times.
 */
export interface Network {
  readonly fabric: Fabric;
  readonly queue: EventQueue;
  /** Simulated time, s. */
  now(): number;
  /** Runs `fn` after `delayS` simulated seconds. */
  schedule(delayS: number, fn: () => void): void;
  /** Sends `bytes` from chip src to chip dst; `onDelivered` runs when the last byte has arrived. */
  send(src: number, dst: number, bytes: number, copies: number, onDelivered: () => void, tag?: number): void;
  /**
   * Runs `fn` when a message from src to dst with this tag has been delivered (now, if it already has
   * been since the first recv() call on this network).
   */
  recv(src: number, dst: number, tag: number, fn: () => void): void;
  /** Credits load carried outside send() (a replayed collective) to links, bytes by global link id. */
  addLoad(load: ReadonlyMap<number, number>): void;
  /** Load and message counters since construction. */
  stats(): NetworkStats;
}

/** Per-link load over a run, for utilisation and the hottest links. */
export interface LinkLoad {
  id: number;
  /** Bytes carried, counting symmetric copies. */
  bytes: number;
  capacityBytesPerS: number;
}

export interface NetworkStats {
  messages: number;
  /** Payload bytes handed to send(), representative messages only. */
  bytesSent: number;
  /** Payload bytes handed to send() counting symmetric copies (copies x bytes). */
  bytesSentWithCopies: number;
  /** Flow rate recomputations (max-min settles) and flows they touched. */
  settles: number;
  flowUpdates: number;
  links: LinkLoad[];
}

/**
 * send/recv matching shared by every back end: deliveries are recorded per (src, dst, tag) from the
 * first recv() on, so runs that never call recv (the collectives here) pay nothing for it.
 */
export class Mailbox {
  private active = false;
  private arrived = new Map<string, number>();
  private waiting = new Map<string, (() => void)[]>();
  deliver(src: number, dst: number, tag: number): void {
    if (!this.active) return;
    const k = `${src}:${dst}:${tag}`;
    const w = this.waiting.get(k);
    if (w && w.length > 0) {
      const fn = w.shift()!;
      if (w.length === 0) this.waiting.delete(k);
      fn();
      return;
    }
    this.arrived.set(k, (this.arrived.get(k) ?? 0) + 1);
  }
  recv(src: number, dst: number, tag: number, fn: () => void): void {
    this.active = true;
    const k = `${src}:${dst}:${tag}`;
    const n = this.arrived.get(k) ?? 0;
    if (n > 0) {
      if (n === 1) this.arrived.delete(k);
      else this.arrived.set(k, n - 1);
      fn();
      return;
    }
    const w = this.waiting.get(k);
    if (w) w.push(fn);
    else this.waiting.set(k, [fn]);
  }
}
