// Event queue ordering, the max-min flow network's sharing, copies and latency, and the analytical back end's link reservations.
import { describe, expect, it } from "vitest";
import { GB } from "../core/units.js";
import { testSystem } from "../sim/testing.js";
import { Fabric } from "../sim/topology/fabric.js";
import { AnalyticalNetwork } from "./analytical.js";
import { FinishHeap } from "./finish-heap.js";
import { FlowNetwork } from "./flow.js";
import { EventQueue } from "./queue.js";

describe("event queue", () => {
  it("orders by time, then first in first out at equal times", () => {
    const q = new EventQueue();
    const out: string[] = [];
    q.at(2, () => out.push("c"));
    q.at(1, () => out.push("a"));
    q.at(1, () => out.push("b"));
    q.at(1, () => q.schedule(0, () => out.push("b2")));
    q.at(0.5, () => out.push("first"));
    q.run();
    expect(out).toEqual(["first", "a", "b", "b2", "c"]);
    expect(q.now).toBe(2);
  });

  it("holds many events in heap order", () => {
    const q = new EventQueue();
    const times: number[] = [];
    let x = 12345;
    for (let i = 0; i < 5000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const t = x / 2147483648;
      q.at(t, () => times.push(q.now));
    }
    expect(q.run()).toBe(5000);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]);
  });

  it("never goes back in time", () => {
    const q = new EventQueue();
    q.at(1, () => q.at(0.5, () => expect(q.now).toBe(1)));
    q.run();
  });
});

describe("finish heap", () => {
  it("gives flows back by (time, order) through updates and removals, like sorting what is left", () => {
    const h = new FinishHeap();
    const want = new Map<number, [number, number]>();
    let x = 777;
    const rnd = () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return x / 2147483648;
    };
    for (let i = 0; i < 4000; i++) {
      const f = Math.floor(rnd() * 600);
      if (rnd() < 0.2) {
        h.remove(f);
        want.delete(f);
      } else {
        // Few distinct times, so ties are common and the order number decides.
        const t = Math.floor(rnd() * 20);
        h.set(f, t, i);
        want.set(f, [t, i]);
      }
    }
    expect(h.length).toBe(want.size);
    const expected = [...want].sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]).map((e) => e[0]);
    const got: number[] = [];
    while (h.length > 0) {
      const f = h.peek()!;
      expect(h.peekTime()).toBe(want.get(f)![0]);
      got.push(f);
      h.remove(f);
    }
    expect(got).toEqual(expected);
    expect(h.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});

const switch4 = () => new Fabric(testSystem(4, [{ topology: "switch", bandwidthGBps: 100, latencyUs: 1 }]));

describe("flow network", () => {
  it("one flow takes bytes / bandwidth + latency", () => {
    const q = new EventQueue();
    const net = new FlowNetwork(switch4(), q);
    let t = -1;
    net.send(0, 1, 100 * GB, () => (t = q.now));
    q.run();
    expect(t).toBeCloseTo(1 + 1e-6, 9);
  });

  it("two flows into one port share it max-min fairly, and the survivor speeds up", () => {
    const q = new EventQueue();
    const net = new FlowNetwork(switch4(), q);
    const done: number[] = [];
    net.send(0, 2, 50 * GB, () => done.push(q.now));
    net.send(1, 2, 100 * GB, () => done.push(q.now));
    q.run();
    // Both at 50 GB/s until the first ends at 1 s, then the second alone at 100 GB/s for 0.5 s.
    expect(done[0]).toBeCloseTo(1 + 1e-6, 9);
    expect(done[1]).toBeCloseTo(1.5 + 1e-6, 9);
  });

  it("copies load a shared link as many times, and never a chip's own port", () => {
    const fabric = new Fabric(
      testSystem(16, [
        { topology: "switch", groupSize: 4, bandwidthGBps: 400 },
        { topology: "fat-tree", bandwidthGBps: 100, oversubscription: 4 },
      ]),
    );
    const q = new EventQueue();
    const net = new FlowNetwork(fabric, q);
    let t = -1;
    // Leaf uplink: 4 chips x 100 GB/s / 4 = 100 GB/s, shared by 4 copies: 25 GB/s each.
    net.send(0, 4, 25 * GB, () => (t = q.now), { copies: 4 });
    q.run();
    expect(t).toBeCloseTo(1, 5);
    const st = net.stats();
    expect(st.bytesSentWithCopies).toBe(100 * GB);
  });

  it("the analytical back end carries a shared link's messages one after another, never above its capacity", () => {
    const q = new EventQueue();
    const net = new AnalyticalNetwork(switch4(), q);
    const done: number[] = [];
    net.send(0, 2, 100 * GB, () => done.push(q.now));
    net.send(1, 2, 100 * GB, () => done.push(q.now));
    // A message that meets no other is the flow back end's: 0 -> 1 alone at 100 GB/s.
    net.send(3, 1, 50 * GB, () => done.push(q.now));
    q.run();
    // Port 2 in carries 200 GB at 100 GB/s: the second message waits for the first (the flow back end shares: both at 2 s).
    expect(done).toHaveLength(3);
    expect(done[0]).toBeCloseTo(0.5 + 1e-6, 9);
    expect(done[1]).toBeCloseTo(1 + 1e-6, 9);
    expect(done[2]).toBeCloseTo(2 + 1e-6, 9);
  });

  it("idle is true only when nothing but the back end's own bookkeeping is pending", () => {
    const q = new EventQueue();
    const net = new FlowNetwork(switch4(), q);
    expect(net.idle).toBe(true);
    const seen: boolean[] = [];
    net.send(0, 1, GB, () => seen.push(net.idle));
    expect(net.idle).toBe(false);
    q.run();
    q.at(q.now + 1, () => {});
    net.send(0, 1, GB, () => seen.push(net.idle));
    q.run();
    // The first delivery left nothing behind; the second had another event still to come.
    expect(seen).toEqual([true, false]);
  });

  it("recv matches a delivered message, before or after it arrives", () => {
    const q = new EventQueue();
    const net = new FlowNetwork(switch4(), q);
    const got: string[] = [];
    net.recv(0, 1, 7, () => got.push("early"));
    net.send(0, 1, GB, () => {}, { tag: 7 });
    net.send(0, 1, GB, () => {}, { tag: 8 });
    q.run();
    net.recv(0, 1, 8, () => got.push("late"));
    expect(got).toEqual(["early", "late"]);
  });
});
