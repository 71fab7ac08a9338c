// Every pipeline schedule passes one conformance suite: complete task orders, bounded bubbles and memory, names read back.
import { describe, expect, it } from "vitest";
import { pipelineSchedule, scheduleFromName, scheduleIds } from "./index.js";

const stage = { forwardS: 1, backwardS: 2, backwardInputS: 1.2, backwardWeightS: 0.8 };

describe.each(scheduleIds)("pipeline schedule %s", (id) => {
  const s = pipelineSchedule(id);

  it("runs every forward and backward of every micro-batch and chunk once, each backward after its forward", () => {
    for (const [p, m, vpp] of [
      [4, 8, 1],
      [4, 8, 2],
      [8, 16, 4],
      [2, 3, 1],
      [1, 5, 1],
    ]) {
      const chunks = s.chunks(vpp, m, p);
      for (let st = 0; st < p; st++) {
        const order = s.order(st, p, m, chunks);
        expect(order.length).toBe(2 * m * chunks);
        const seen = new Set<string>();
        for (const t of order) {
          const k = `${t.fwd ? "F" : "B"}${t.mb}.${t.chunk}`;
          expect(seen.has(k), k).toBe(false);
          if (!t.fwd) expect(seen.has(`F${t.mb}.${t.chunk}`), k).toBe(true);
          seen.add(k);
        }
      }
    }
  });

  it("idles no more than 1F1B and never less than zero; holds at least one micro-batch and at most all", () => {
    for (const p of [2, 4, 16]) {
      const b = s.bubbleS(p, 2, stage, stage);
      expect(b).toBeGreaterThanOrEqual(0);
      expect(b).toBeLessThanOrEqual(pipelineSchedule("1f1b").bubbleS(p, 2, stage, stage) + 1e-12);
      for (const m of [1, 4, 64]) {
        const f = s.inFlightMicroBatches(m, p, 2);
        expect(f).toBeGreaterThanOrEqual(1);
        expect(f).toBeLessThanOrEqual(m * 2);
      }
    }
    expect(s.weightCopies).toBeGreaterThanOrEqual(1);
  });

  it("is what its own id names", () => {
    expect(scheduleFromName(id, 1) === id || id === "interleaved").toBe(true);
    expect(scheduleFromName(id, 4)).toBe(s.withVirtualStages(4));
  });
});

describe("schedule names from files", () => {
  it("reads the names frameworks use and refuses others", () => {
    expect(scheduleFromName(undefined, 1)).toBe("1f1b");
    expect(scheduleFromName(undefined, 4)).toBe("interleaved");
    expect(scheduleFromName("1F1B", 4)).toBe("interleaved");
    expect(scheduleFromName("PipeDream-Flush", 1)).toBe("1f1b");
    expect(scheduleFromName("ZB-H1", 1)).toBe("zero-bubble");
    expect(scheduleFromName("DualPipe", 1)).toBe("dualpipe");
    expect(scheduleFromName("virtual pipeline", 2)).toBe("interleaved");
    expect(scheduleFromName("round-robin", 1)).toBeUndefined();
  });
});

describe("virtual stages a layout search tries", () => {
  const splits = () => [2, 4];
  it("interleaved tries the even splits; the others one virtual stage; DualPipe only on an even stage count", () => {
    expect(pipelineSchedule("interleaved").searchVirtualStages(4, splits)).toEqual([2, 4]);
    expect(pipelineSchedule("1f1b").searchVirtualStages(4, splits)).toEqual([1]);
    expect(pipelineSchedule("zero-bubble").searchVirtualStages(3, splits)).toEqual([1]);
    expect(pipelineSchedule("dualpipe").searchVirtualStages(4, splits)).toEqual([1]);
    expect(pipelineSchedule("dualpipe").searchVirtualStages(3, splits)).toEqual([]);
  });
  it("asks for the even splits only when the schedule uses them", () => {
    let asked = 0;
    const counting = () => {
      asked++;
      return [2];
    };
    for (const id of scheduleIds)
      if (id !== "interleaved") pipelineSchedule(id).searchVirtualStages(8, counting);
    expect(asked).toBe(0);
  });
});
