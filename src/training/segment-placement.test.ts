// Segment placement: groups whose span does not divide the scale-up domain get whole segments per domain; others are untouched.
import { describe, expect, it } from "vitest";
import { gb200Nvl72 } from "../../test/fixtures/systems.js";
import { segmentPlacement } from "./segment-placement.js";
import type { ParallelDegrees } from "./types.js";

const deg = (p: Partial<ParallelDegrees>): ParallelDegrees => ({
  tp: 1,
  cp: 1,
  pp: 1,
  dp: 1,
  ep: 1,
  etp: 1,
  vpp: 1,
  ...p,
});

describe("segmentPlacement", () => {
  // The hardware of the Megatron-Bridge DeepSeek-V3 case on 256 GB200 (validation/training-megatron-bridge.json).
  const nvl72 = gb200Nvl72(256);
  it("EP 64 on racks of 72: 64 ranks per rack, so no EP group straddles two racks", () => {
    const placed = segmentPlacement(nvl72, deg({ ep: 64, dp: 64, pp: 4 }));
    expect(nvl72.tiers[0].groupSize).toBe(72);
    expect(placed.tiers[0].groupSize).toBe(64);
    expect(placed.tiers.at(-1)?.groupSize).toBe(nvl72.tiers.at(-1)?.groupSize);
  });
  it("EP 32: two 32-rank segments per rack (64 of 72)", () => {
    expect(segmentPlacement(nvl72, deg({ ep: 32, dp: 32, pp: 8 })).tiers[0].groupSize).toBe(64);
  });
  it("spans that divide the domain (TP 8, EP 8, DP 72) leave the system as it is", () => {
    expect(segmentPlacement(nvl72, deg({ tp: 8, dp: 32 }))).toBe(nvl72);
    expect(segmentPlacement(nvl72, deg({ ep: 72, dp: 72 }))).toBe(nvl72);
  });
});
