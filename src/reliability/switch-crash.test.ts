// Switch crashes: the share of switch incidents that are the device's own hardware or software, from Meza et al. 2018.
import { describe, expect, it } from "vitest";
import { deviceCrashShare, NETWORK_INCIDENT_ROOT_CAUSES } from "./switch-crash.js";

describe("device-crash share of switch failures", () => {
  it("reads Meza et al.'s table: (13% hardware + 12% bug) / 71% determined = 0.352", () => {
    const t = NETWORK_INCIDENT_ROOT_CAUSES;
    const total = Object.values(t).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(deviceCrashShare()).toBeCloseTo(0.25 / 0.71, 12);
  });

  it("is a fraction, between the crash causes' share of all incidents and 1", () => {
    const s = deviceCrashShare();
    expect(s).toBeGreaterThan(0.25);
    expect(s).toBeLessThan(1);
    expect(deviceCrashShare({ hardware: 0.5, bug: 0.5, undetermined: 0 })).toBe(1);
    expect(deviceCrashShare({ hardware: 0.1, bug: 0, maintenance: 0.4, undetermined: 0.5 })).toBeCloseTo(
      0.2,
      12,
    );
    expect(() => deviceCrashShare({ hardware: 0, undetermined: 1 })).toThrow(RangeError);
  });
});
