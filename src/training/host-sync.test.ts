// Host-device syncs of the eager routed-expert path: how many, and what one costs a pass.
import { describe, expect, it } from "vitest";
import { expertPathSyncs, syncedPassTime } from "./host-sync.js";
import { HOST_SYNC_S, KERNELS_AFTER_SYNC } from "./overheads.js";

describe("expertPathSyncs", () => {
  it("counts the per-expert grouped linear's split-size sync whatever the dispatcher", () => {
    expect(expertPathSyncs("hybridep", "per-expert", 8, false)).toBe(1);
    expect(expertPathSyncs("alltoall", "per-expert", 8, false)).toBe(1);
    expect(expertPathSyncs("hybridep", "per-expert", 1, false)).toBe(1);
  });
  it("leaves one grouped or fused kernel with only the dispatcher's sync", () => {
    expect(expertPathSyncs("hybridep", "grouped", 8, false)).toBe(0);
    expect(expertPathSyncs("hybridep", "fused", 8, false)).toBe(0);
    expect(expertPathSyncs("alltoall", "grouped", 8, false)).toBe(1);
    expect(expertPathSyncs("deepep", "fused", 8, false)).toBe(1);
    expect(expertPathSyncs("alltoall", "grouped", 1, false)).toBe(0);
  });
  it("has none when a full-iteration graph or a compiled step holds the expert path", () => {
    expect(expertPathSyncs("alltoall", "per-expert", 8, true)).toBe(0);
  });
});

describe("syncedPassTime", () => {
  const syncCost = (launchS: number) => HOST_SYNC_S + KERNELS_AFTER_SYNC * launchS;
  it("is max(host, device) over the pass without a sync", () => {
    expect(
      syncedPassTime({ deviceS: 3e-4, hostS: 1e-4 }, { deviceS: 2e-4, hostS: 5e-4 }, 0, 5e-6),
    ).toBeCloseTo(6e-4, 12);
  });
  it("serialises device work before the sync with host launches after it", () => {
    // Attention on the device (0.3 ms, launched in 0.05 ms from a graph), then the eager expert path: 1 ms of host
    // launches for 0.4 ms of device work. Unsynced the host hides the attention; synced it cannot.
    const before = { deviceS: 3e-4, hostS: 5e-5 };
    const after = { deviceS: 4e-4, hostS: 1e-3 };
    const t = syncedPassTime(before, after, 1, 5e-6);
    expect(t).toBeCloseTo(3e-4 + 1e-3 + syncCost(5e-6), 12);
    expect(t).toBeGreaterThan(Math.max(7e-4, 1.05e-3));
  });
  it("is never shorter than the unsynced pass and grows with the syncs", () => {
    const parts = [
      [
        { deviceS: 1e-3, hostS: 1e-4 },
        { deviceS: 1e-3, hostS: 1e-4 },
      ],
      [
        { deviceS: 1e-5, hostS: 2e-3 },
        { deviceS: 3e-3, hostS: 1e-5 },
      ],
      [
        { deviceS: 0, hostS: 0 },
        { deviceS: 2e-4, hostS: 9e-4 },
      ],
    ] as const;
    for (const [b, a] of parts) {
      const free = syncedPassTime(b, a, 0, 1e-6);
      const one = syncedPassTime(b, a, 1, 1e-6);
      const two = syncedPassTime(b, a, 2, 1e-6);
      expect(one).toBeGreaterThanOrEqual(free);
      expect(two).toBeGreaterThan(one);
    }
  });
  it("costs only the round trip when the part before the sync is empty", () => {
    const after = { deviceS: 2e-4, hostS: 9e-4 };
    expect(syncedPassTime({ deviceS: 0, hostS: 0 }, after, 1, 1e-6)).toBeCloseTo(9e-4 + syncCost(1e-6), 12);
  });
});
