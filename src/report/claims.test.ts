// Huawei's published figures against the derived ones: every figure the issue names is checked, and the check's
// arithmetic and verdicts are right.
import { describe, expect, it } from "vitest";
import { resolveSystem } from "../catalog/resolve.js";
import { checkClaims } from "./claims.js";
import { deriveSpec } from "./derive.js";

const checks = checkClaims();
const byId = (id: string) => {
  const c = checks.find((x) => x.id === id);
  if (!c) throw new Error(`no claim ${id}`);
  return c;
};

describe("claims check", () => {
  it("covers each figure Huawei published: 524 EFLOPS FP8, 1 ZFLOPS FP4, 8,192 and 15,488 NPUs, ~64,000 m2, NVL144 ratios", () => {
    expect(byId("950-cluster-fp8").published).toBe(524e18);
    expect(byId("950-cluster-fp4").published).toBe(1e21);
    expect(byId("950-pod-npus").published).toBe(8192);
    expect(byId("960-pod-npus").published).toBe(15488);
    expect(byId("950-cluster-floor").published).toBe(64000);
    for (const [id, x] of [
      ["950-vs-nvl144-npus", 56.8],
      ["950-vs-nvl144-compute", 6.7],
      ["950-vs-nvl144-memory", 15],
      ["950-vs-nvl144-bandwidth", 62],
    ] as const)
      expect(byId(id).published).toBe(x);
  });

  it("derives from the catalog, not from the published figure", () => {
    const cluster = deriveSpec(resolveSystem("atlas-950-supercluster"));
    expect(byId("950-cluster-fp8").derived).toBe(cluster.peakFlops.fp8);
    expect(byId("950-cluster-floor").derived).toBe(cluster.floorAreaM2);
    expect(byId("960-pod-npus").derived).toBe(deriveSpec(resolveSystem("atlas-960-superpod")).chips);
    expect(byId("950-vs-nvl144-npus").derived).toBeCloseTo(8192 / 144, 12);
  });

  it("difference and verdict follow from the two figures", () => {
    for (const c of checks) {
      expect(c.differencePct).toBeCloseTo((c.derived / c.published - 1) * 100, 10);
      const d = Math.abs(c.derived / c.published - 1);
      if (c.kind === "over") expect(c.verdict).toBe(c.derived > c.published ? "holds" : "fails");
      else expect(c.verdict).toBe(d <= 0.03 ? "agrees" : d <= 0.05 ? "close" : "differs");
      expect(c.source).toMatch(/Huawei Connect 2025/);
    }
  });

  it("every gap over 3% carries a note that explains it", () => {
    for (const c of checks.filter((x) => x.verdict === "close" || x.verdict === "differs")) {
      expect(c.note.length, c.id).toBeGreaterThan(10);
    }
  });
});
